"""The build orchestrator: config → sources → model → indexes → render → write.

Each stage is a call into its own module and is timed; problems from every
source are collected and reported together, and a failed build leaves the
previous output exactly as it was.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from briefgen.config import SiteConfig
from briefgen.errors import BuildError, Problem
from briefgen.indexes import SiteIndex, build_index
from briefgen.model import Briefing
from briefgen.parse import ParseOptions, ParseResult, parse_file
from briefgen.render import Renderer, plan_pages
from briefgen.slugs import collision_key
from briefgen.sources.actors import ActorResolver, load_registry
from briefgen.write import OutputTree, check_output_dir

Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did, for the summary line and for callers such as serve."""

    pages: int = 0
    briefings: int = 0
    actors: int = 0
    static_files: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    output: Path | None = None
    written: int = 0
    changed_paths: list[str] = field(default_factory=list)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def discover_sources(config: SiteConfig) -> tuple[list[Path], list[Problem]]:
    """Every ``*.md`` under content/briefings, sorted; symlinks out of the project refused."""
    folder = config.content_path / "briefings"
    found: list[Path] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    root = config.root.resolve()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(Problem(_display(path, root), None,
                                            "broken or looping symlink; remove it"))
                    continue
                if not target.is_relative_to(root):
                    problems.append(Problem(_display(path, root), None,
                                            "symlink points outside the project; refused"))
                    continue
            found.append(path)
    return found, problems


def check_slugs(briefings: list[Briefing]) -> list[Problem]:
    """Two sources must never write the same page, even by case or Unicode form."""
    seen: dict[str, list[Briefing]] = {}
    for briefing in briefings:
        seen.setdefault(collision_key(briefing.slug), []).append(briefing)
    problems = []
    for group in seen.values():
        if len(group) > 1:
            names = ", ".join(sorted(b.source_path for b in group))
            for briefing in group:
                problems.append(Problem(briefing.source_path, 1,
                                        f"duplicate slug '{briefing.slug}' (used by {names}); "
                                        "rename a file or set 'slug:'"))
    return problems


def load_site(config: SiteConfig) -> tuple[list[Briefing], dict, list[Problem]]:
    """Read the registry and parse every source; raise BuildError with all problems."""
    root = config.root
    registry, problems = load_registry(config.content_path / "actors.yaml",
                                       _display(config.content_path / "actors.yaml", root))
    paths, discover_problems = discover_sources(config)
    problems += discover_problems
    resolver = ActorResolver(registry.values())
    options = ParseOptions(allow_html=config.markdown.allow_html,
                           max_nesting=config.markdown.max_nesting)
    results: list[ParseResult] = [parse_file(p, _display(p, root), resolver, options)
                                  for p in paths]
    warnings: list[Problem] = []
    briefings: list[Briefing] = []
    for result in results:
        problems += result.errors
        warnings += result.warnings
        if result.briefing is not None:
            briefings.append(result.briefing)
    problems += check_slugs(briefings)
    if problems:
        raise BuildError(problems)
    return briefings, registry, warnings


def build(config: SiteConfig, progress: Progress | None = None) -> BuildResult:
    """Build the whole site into ``config.output_path``; raise BuildError on any problem."""
    started = time.perf_counter()
    result = BuildResult(output=config.output_path)
    check_output_dir(config.output_path, config.root, config.content_path)

    mark = time.perf_counter()
    briefings, registry, warnings = load_site(config)
    result.warnings = warnings
    result.timings["parse"] = time.perf_counter() - mark

    mark = time.perf_counter()
    public = [b for b in briefings if config.drafts or not b.draft]
    index: SiteIndex = build_index(public, registry)
    result.timings["index"] = time.perf_counter() - mark

    mark = time.perf_counter()
    renderer = Renderer(config)
    with OutputTree(config.output_path) as out:
        pages = list(plan_pages(config, index))
        for done, page in enumerate(pages, 1):
            out.write_text(page.path, renderer.render(page))
            if progress is not None:
                progress("render", done, len(pages))
        result.static_files = out.copy_static(config.static_dirs)
        result.timings["render"] = time.perf_counter() - mark
        mark = time.perf_counter()
        out.commit()
    result.timings["write"] = time.perf_counter() - mark
    result.pages = len(pages)
    result.briefings = len(public)
    result.actors = sum(1 for entry in index.actors.values() if entry.briefings)
    result.seconds = time.perf_counter() - started
    return result


class Builder:
    """A long-lived builder: ``build()`` rebuilds, reusing what has not changed.

    ``briefgen build`` makes one and builds once; ``briefgen serve`` keeps one and
    calls ``build(changed=...)`` with the paths its watcher saw change.
    """

    def __init__(self, config: SiteConfig, progress: Progress | None = None):
        self.config = config
        self.progress = progress

    def build(self, changed: list[Path] | None = None) -> BuildResult:
        """Build the site; ``changed`` (None = unknown) lists the source paths that changed.

        Raises BuildError with every problem; the previous output is then untouched.
        """
        result = build(self.config, self.progress)
        result.written = result.pages + result.static_files
        result.changed_paths = [str(p) for p in changed or []]
        return result
