"""The pictures stage: find every picture the briefings show, check it, make its variants.

Runs after the parse, before the build decides what changed, because pictures are an
input of the output: their key joins the static files' key, and each briefing's
pictures join the fingerprints of the pages that show it. A picture whose stat is as
the last build saw it is not opened again (``images-<key>/manifest.json`` in the
cache, a folder named by the machine's cache key);
the others are read, hashed and, when their variants are not in the cache yet,
resized in worker processes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat as stat_module
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.incremental.cache import BuildState, digest
from briefgen.build.read import SourceSet
from briefgen.build.write import OutputWriter
from briefgen.cachekey import Seal
from briefgen.config import ImageOptions, SiteConfig
from briefgen.errors import BuildError, Problem, display_path
from briefgen.imaging import (
    FORMATS,
    ImageInfo,
    ImageProblem,
    make_variants,
    plan_variants,
    probe,
)
from briefgen.model import Briefing
from briefgen.render.pictures import PictureTable
from briefgen.slugs import slugify

MANIFEST_VERSION = 2
PARALLEL_FROM = 4   # pictures to check before worker processes pay
_HEX = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class _Ref:
    display: str    # the briefing's source, as messages show it
    slug: str
    src: str
    line: int
    lead: bool


@dataclass
class Pictures:
    """The stage's outcome: the table templates use, and the keys of the pictures."""

    table: PictureTable = field(default_factory=PictureTable)
    key: str = ""
    slug_keys: dict[str, str] = field(default_factory=dict)   # slug -> its pictures' key
    files: dict[str, Path] = field(default_factory=dict)      # site path -> cached variant
    shown_by: dict[str, set[str]] = field(default_factory=dict)   # site path -> slugs
    origins: dict[str, str] = field(default_factory=dict)     # site path -> picture file
    content: str = ""
    cache: str = ""


def _refs_of(briefing: Briefing) -> list[list]:
    refs = [[p.src, p.line, False] for p in briefing.pictures]
    if briefing.image is not None:
        refs.insert(0, [briefing.image.src, briefing.image.line, True])
    return refs


def _all_refs(sources: SourceSet, previous: BuildState | None, known: dict,
              bare: set[str]) -> tuple[list[_Ref], dict, set[str]]:
    """Every picture reference, without unpickling the summaries of unchanged sources:
    the manifest remembers the references of each source that shows pictures, and the
    content keys of those that show none (most of them: an entry each would make the
    manifest of 100,000 briefings 17 MB, read and written again on every edit)."""
    refs: list[_Ref] = []
    remembered: dict = {}
    none: set[str] = set()
    by_display = sources.by_display
    for display, state in sources.states.items():
        key = state.key
        summary = by_display.get(display)
        if summary is not None:
            entry = [key, summary.slug, _refs_of(summary)]
        elif key in bare:
            none.add(key)
            continue
        else:
            entry = known.get(display)
            if entry is None or entry[0] != key:
                old = previous.summaries.get(key) if previous is not None else None
                if old is None:
                    continue
                entry = [key, old.slug, _refs_of(old)]
        if not entry[2]:
            none.add(key)
            continue
        remembered[display] = entry
        refs.extend(_Ref(display, entry[1], src, line, lead) for src, line, lead in entry[2])
    return refs, remembered, none


def _resolve(ref: _Ref, root: Path, content: str) -> tuple[str | None, str | None]:
    """(the picture's file, None), (None, a problem), or (None, None): a link to a file
    outside the content folder, left as written."""
    here = os.path.dirname(os.path.join(root, ref.display))
    candidates = [os.path.normpath(os.path.join(here, ref.src)),
                  os.path.normpath(os.path.join(content, "images", ref.src))]
    inside = [c for c in candidates if c.startswith(content + os.sep)]
    for candidate in inside:
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if not stat_module.S_ISREG(st.st_mode):
            return None, f"image '{ref.src}' is not a regular file"
        return candidate, None
    if not inside and not ref.lead:
        return None, None
    if not inside:
        return None, (f"image '{ref.src}' is outside the content folder: put it in "
                      "content/images/ or next to the briefing")
    shown = " or ".join(display_path(c, root) for c in inside)
    return None, f"image '{ref.src}' not found (looked for {shown})"


def _check(path: str, shown: str, options: ImageOptions, cache: str,
           content: str) -> tuple[str, int, int, str] | str:
    """(digest, width, height, format) of one picture, its variants made; or a problem."""
    try:
        if not os.path.realpath(path).startswith(content + os.sep):
            raise ImageProblem("it links out of the content folder: copy the file in")
        data, hexdigest, fmt, width, height = probe(path, shown, options.max_pixels)
        name = slugify(Path(path).stem)[:40] or "image"
        variants = plan_variants(hexdigest, name, fmt, width, height, options.widths)
        make_variants(data, variants, Path(cache), options.quality, options.max_pixels)
    except ImageProblem as problem:
        return str(problem)
    except OSError as error:
        return f"cannot read it ({error.strerror or error})"
    return hexdigest, width, height, fmt


def _check_all(tasks: list[tuple], jobs: int) -> Iterable:
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
        return [_check(*task) for task in tasks]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_check, *zip(*tasks), chunksize=max(1, len(tasks) // (jobs * 4))))


def pictures_folder(cache_folder: Path, seal: Seal) -> Path:
    """The cache's picture folder, named by the machine's cache key: a folder of variants
    and a manifest that came with a repository (or any folder not made with this key) is
    never read, and is removed."""
    name = "images-" + seal.mac(b"pictures folder", b"").hex()[:24]
    try:
        for entry in os.scandir(cache_folder):
            if entry.name != name and (entry.name == "images" or entry.name.startswith("images-")):
                shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:
        pass   # no cache folder yet
    return cache_folder / name


def prepare_pictures(config: SiteConfig, sources: SourceSet, previous: BuildState | None,
                     folder: Path, jobs: int, problems: list[Problem]) -> Pictures:
    """Check every picture the briefings show; make the variants missing from ``folder``
    (see ``pictures_folder``)."""
    root, content = config.root, str(config.content_path)
    manifest = _load(folder / "manifest.json")
    bare = manifest.get("bare")
    bare = {key for key in bare if isinstance(key, str)} if isinstance(bare, list) else set()
    refs, remembered, none = _all_refs(sources, previous, manifest.get("refs", {}), bare)
    known, seen = manifest.get("images", {}), {}
    resolved: dict[_Ref, str] = {}
    tasks, waiting = [], {}
    for ref in refs:
        path, problem = _resolve(ref, root, content)
        if problem is not None:
            problems.append(Problem(ref.display, ref.line or None, problem))
        if path is None:
            continue
        resolved[ref] = path
        if path in seen or path in waiting:
            continue
        st = os.stat(path)
        facts = [st.st_mtime_ns, st.st_size, st.st_ctime_ns]
        old = known.get(path)
        if _valid(old) and old[:3] == facts:
            seen[path] = old
        else:
            waiting[path] = (facts, ref)
            tasks.append((path, display_path(path, root), config.images, str(folder),
                          content))
    for (path, (facts, ref)), outcome in zip(waiting.items(), _check_all(tasks, jobs)):
        if isinstance(outcome, str):
            problems.append(Problem(ref.display, ref.line or None,
                                    f"image '{ref.src}' ({display_path(path, root)}): "
                                    f"{outcome}"))
        else:
            seen[path] = [*facts, *outcome]
    result = Pictures(content=content, cache=str(folder))
    per_slug: dict[str, list[str]] = {}
    for ref, path in resolved.items():
        entry = seen.get(path)
        if entry is None:
            continue
        hexdigest, width, height, fmt = entry[3:7]
        name = slugify(Path(path).stem)[:40] or "image"
        variants = plan_variants(hexdigest, name, fmt, width, height, config.images.widths)
        info = ImageInfo(hexdigest, width, height, variants)
        result.table.found[(ref.display, ref.src)] = info
        if ref.lead:
            result.table.leads[ref.slug] = info
        per_slug.setdefault(ref.slug, []).append(f"{ref.src}\x00{hexdigest}")
        for variant in variants:
            result.files[variant.path] = folder / variant.path
            result.shown_by.setdefault(variant.path, set()).add(ref.slug)
            result.origins[variant.path] = path
    result.slug_keys = {slug: digest(*parts) for slug, parts in per_slug.items()}
    result.key = digest(repr(config.images), *result.table.keys())
    if not problems and (seen != known or remembered != manifest.get("refs")
                         or none != bare):
        _save(folder / "manifest.json", {"version": MANIFEST_VERSION, "images": seen,
                                         "refs": remembered, "bare": list(none)})
    return result


def put_pictures(pictures: Pictures, out: OutputWriter, options: ImageOptions,
                 published: set[str]) -> None:
    """Stage the variants of the ``published`` briefings' pictures that the output does
    not hold yet (from the cache, made again if the cache lost them). A draft's or an
    embargoed briefing's pictures stay out of the site until it is published."""
    for rel, cached in pictures.files.items():
        if published.isdisjoint(pictures.shown_by[rel]):
            continue
        fingerprint = "image:" + rel   # the name holds the digest of the picture's bytes
        if out.unchanged(rel, fingerprint):
            continue
        if not cached.is_file():   # the cache lost it since the stage: make it again
            origin = pictures.origins[rel]
            outcome = _check(origin, origin, options, pictures.cache, pictures.content)
            if isinstance(outcome, str) or not cached.is_file():
                raise BuildError([Problem(origin, None, f"cannot make its variants again: "
                                                        f"{outcome}")])
        out.put(rel, cached.read_bytes(), fingerprint)


def _valid(entry: object) -> bool:
    """A manifest entry as this module writes it (the cache is checked, not trusted)."""
    return (isinstance(entry, list) and len(entry) == 7
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                    for n in (*entry[:3], *entry[4:6]))
            and isinstance(entry[3], str) and _HEX.fullmatch(entry[3]) is not None
            and entry[6] in FORMATS and entry[4] > 0 and entry[5] > 0)


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    return data


def _save(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass   # a cache: the next build checks the pictures again
