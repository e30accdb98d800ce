"""What a builder remembers between its builds, so unchanged inputs cost a stat.

The actor registry, the template keys (and the Jinja environment) and the walk of
the source folders are worked out again only when their files changed since this
builder's last build, or since the build that saved the state. ``briefgen serve``
keeps one builder, so one :class:`BuilderMemory`, for its whole life.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.build.incremental.cache import BuildCache, BuildState, digest
from briefgen.build.incremental.fingerprint import template_keys
from briefgen.build.read import SourceSet, check_slugs
from briefgen.build.write import static_files
from briefgen.config import SiteConfig
from briefgen.errors import Problem, display_path
from briefgen.render import Renderer
from briefgen.render.news import window_key
from briefgen.sources import walk as source_walk
from briefgen.sources.actors import load_registry
from briefgen.sources.authors import AUTHORS_FILE, load_authors
from briefgen.sources.clashes import topic_collisions
from briefgen.sources.walk import SourceWalk, still_valid, walk_sources


@dataclass(frozen=True)
class SiteInputs:
    """Everything the output depends on besides the sources, each as a key."""

    site_key: str                  # briefgen version, config, actor registry
    templates: dict[str, str]      # template name -> key
    statics: dict[str, Path]       # output path -> static file
    # Inputs that page fingerprints do not cover, so the fast paths must see them: the
    # static files, the clock where pages show it, and the authors' file (the pages
    # that show an author carry its entry in their key: see ``render.bylines``).
    statics_key: str
    now: dt.datetime               # the build's clock

    @property
    def keys(self) -> tuple[str, dict[str, str], str]:
        """(site key, template keys, statics key): what an outline or plan was made with."""
        return self.site_key, self.templates, self.statics_key


@dataclass
class BuilderMemory:
    """The memos of one builder: registry, templates, renderer, source walk, slugs."""

    config: SiteConfig
    cache: BuildCache
    registry_memo: tuple | None = None
    templates_memo: tuple[tuple, dict[str, str]] | None = None
    walk: SourceWalk | None = None
    displays: dict[str, str] = field(default_factory=dict)  # source path -> path shown
    slugs_checked: dict[str, str] | None = None   # summary keys found clean
    authors_memo: tuple | None = None    # (file signature, authors, problems)
    _renderer: Renderer | None = None

    def registry(self, previous: BuildState | None) -> tuple[dict, list[Problem]]:
        """The actor registry, read again only when the file changed."""
        path = self.config.content_path / "actors.yaml"
        try:
            st = path.stat()
            # ctime too: a copy that restores the old mtime (cp -p, rsync -t) changes it.
            signature = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        except OSError:
            signature = None
        signature = (str(path), signature)
        if self.registry_memo is None and previous is not None:
            self.registry_memo = previous.registry_memo   # the last build's
        if self.registry_memo is None or self.registry_memo[0] != signature:
            notes: list[Problem] = []
            registry, problems = load_registry(path, display_path(path, self.config.root), notes)
            if (signature[1] is not None
                    and signature[1][0] >= time.time_ns() - source_walk.RACY_NS):
                signature = None   # just written: read it again next time (see RACY_NS)
            self.registry_memo = (signature, registry, problems, notes)
        return dict(self.registry_memo[1]), list(self.registry_memo[2])

    def authors(self) -> tuple[dict, list[Problem]]:
        """The authors of ``authors.yaml`` (bylines), read again only when it changed."""
        path = self.config.content_path / AUTHORS_FILE
        try:
            st = path.stat()
            signature = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
            if st.st_mtime_ns >= time.time_ns() - source_walk.RACY_NS:
                signature = None   # just written: read it again next time (see RACY_NS)
        except OSError:
            signature = ()
        if self.authors_memo is None or signature is None \
                or self.authors_memo[0] != signature:
            authors, problems = load_authors(path, display_path(path, self.config.root))
            self.authors_memo = (signature, authors, problems)
        return dict(self.authors_memo[1]), list(self.authors_memo[2])

    def registry_notes(self) -> list[Problem]:
        """The registry's warnings (an alias claimed by two actors, …)."""
        memo = self.registry_memo
        return list(memo[3]) if memo is not None and len(memo) > 3 else []

    def renderer(self) -> Renderer:
        """One Jinja environment for the builder's life (renewed when templates change)."""
        if self._renderer is None:
            # Compiled templates depend on briefgen's own template extensions: one
            # folder per version.
            self._renderer = Renderer(self.config, self.cache.folder / f"templates-{__version__}",
                                      self.cache.seal)
        return self._renderer

    def template_keys(self, previous: BuildState | None) -> dict[str, str]:
        """Template keys, worked out again only when a template file changed. A change
        also renews the Jinja environment: its loader only searches the template
        folders that existed when it was made, and a cached template is only checked
        against its own file, not against an override added in front of it."""
        signature: list | tuple | None = []
        racy = time.time_ns() - source_walk.RACY_NS
        for folder in self.config.template_dirs:
            for dirpath, _, filenames in os.walk(folder):
                for name in filenames:
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except FileNotFoundError:   # an editor's probe or swap file, gone
                        continue
                    signature.append((dirpath, name, st.st_size, st.st_mtime_ns))
        signature = tuple(sorted(signature))
        if self.templates_memo is None and previous is not None and previous.templates_memo:
            self.templates_memo = previous.templates_memo
        if self.templates_memo is None or self.templates_memo[0] != signature:
            if self.templates_memo is not None:
                self._renderer = None
            keys = template_keys(self.renderer().env)
            if any(entry[3] >= racy for entry in signature):
                signature = None   # a template just written: work the keys out again next time
            self.templates_memo = (signature, keys)
        return self.templates_memo[1]

    def site_inputs(self, previous: BuildState | None, registry_key: str,
                    now: dt.datetime, authors_key: str = "") -> SiteInputs:
        """The keys of the config, registry, templates, static files, clock and
        authors."""
        site_key = digest(__version__, repr(self.config), registry_key)
        templates = self.template_keys(previous)
        statics = static_files(self.config.static_dirs, self.config.root)
        # The news sitemap depends on the clock: its window counts as an input (a new
        # window fails the fast paths; the full plan re-renders just that file).
        window = window_key(now) if self.config.sitemap.news else ""
        return SiteInputs(site_key, templates, statics,
                          digest(_statics_key(statics), window, authors_key), now)

    def discover(self, previous: BuildState | None,
                 changed: list[Path] | None = None) -> tuple[list[str], list[Problem]]:
        """The sources, as ``walk_sources`` finds them; walked again only when a
        folder of the last walk changed (a file created, deleted or renamed in it), or
        when the watcher's ``changed`` names a source the walk lacks or that is gone
        (folder timestamps are not reliable on every file system)."""
        top = str(self.config.content_path / "briefings")
        if self.walk is None and previous is not None and previous.walk \
                and previous.walk.top == top:
            self.walk = previous.walk
        if (self.walk is not None and not self.walk.contradicted_by(changed)
                and still_valid(self.walk, self.config.root)):
            return self.walk.paths, []
        self.walk = walk_sources(self.config)
        return self.walk.paths, list(self.walk.problems)

    def check_slugs(self, sources: SourceSet) -> list[Problem]:
        """check_slugs, skipped when the summaries are those last found clean: a summary's
        key covers its slug and source path, and one key per summary means no two share
        a slug."""
        keys = sources.summary_keys
        if len(keys) == len(sources.summaries) and keys == self.slugs_checked:
            return []
        problems = check_slugs(sources.summaries)
        problems += topic_collisions(sources.summaries, self.config.root)
        self.slugs_checked = None if problems else dict(keys)
        return problems


def _statics_key(statics: dict[str, Path]) -> str:
    parts = []
    for rel, path in sorted(statics.items()):
        st = path.stat()
        parts.append(f"{rel}={st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)
