"""The build orchestrator: config → sources → model → indexes → render → write.

Each stage is a call into its own module and is timed. Work is skipped wherever
the cache proves it unchanged: sources whose bytes (and the actor registry) are
the same are not parsed again, pages whose fingerprint is the same are not
rendered again, and files whose bytes are the same are not rewritten. Problems
from every source are collected and reported together, and a failed build leaves
the previous output exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
import pickle
import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.clock import build_now
from briefgen.build.incremental.cache import BuildCache, BuildState, LazySummaries, SourceState, digest
from briefgen.config import SiteConfig
from briefgen.errors import BuildError, Problem, display_path, display_paths
from briefgen.build.incremental.fingerprint import PageFingerprints, template_keys
from briefgen.build.parallel.forked import forked_map
from briefgen.indexes import build_index
from briefgen.model import Briefing
from briefgen.build.incremental.outline import make_outline, plan_body_edits
from briefgen.build.parse import ParseOptions
from briefgen.render import Renderer, plan_pages
from briefgen.render.feeds import site_warnings
from briefgen.render.news import window_key
from briefgen.build.parallel.render_pool import RenderJob, render_all
from briefgen.slugs import collision_key
from briefgen.sources import walk as source_walk
from briefgen.sources.actors import ActorResolver, load_registry
from briefgen.sources.text import size_problem
from briefgen.sources.walk import SourceWalk, still_valid, walk_sources
from briefgen.build.incremental.store import BriefingStore
from briefgen.build.parallel.workers import ParseJob, ParseTask, default_jobs, parse_sources
from briefgen.build.write import OutputWriter, check_output_dir, static_files

if TYPE_CHECKING:
    from concurrent.futures import Executor

Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did, for the summary line and for callers such as serve."""

    pages: int = 0
    briefings: int = 0
    actors: int = 0
    parsed: int = 0
    rendered: int = 0
    written: int = 0
    deleted: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    output: Path | None = None
    written_paths: list[str] = field(default_factory=list)
    # Only the changed briefings' own pages were planned and rendered (a body edit).
    body_only: bool = False


# At most this many sources read again for a preview rebuild to patch the last build's
# summaries instead of gathering them all (see Builder._summaries_from_last).
FEW_CHANGED = 64


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


@dataclass
class _Sources:
    """The outcome of the read-and-parse stage."""

    summaries: list[Briefing] = field(default_factory=list)
    pickles: dict[str, bytes] = field(default_factory=dict)     # content key -> summary pickle
    reused: list[SourceState] = field(default_factory=list)     # summaries still to take
    keys: dict[str, str] = field(default_factory=dict)          # slug -> content key
    summary_keys: dict[str, str] = field(default_factory=dict)  # slug -> summary digest
    in_memory: dict[str, Briefing] = field(default_factory=dict)
    states: dict[str, SourceState] = field(default_factory=dict)
    by_display: dict[str, Briefing] = field(default_factory=dict)  # source path -> summary
    redone: list[str] = field(default_factory=list)   # sources read again (stat changed)
    parsed: int = 0

    @property
    def warnings(self) -> list[Problem]:
        """The warnings of every source that parsed (kept or parsed now)."""
        return [w for state in self.states.values() for w in state.warnings]


@dataclass
class _Plan:
    """What a preview builder remembers of its last full build to redo only bodies."""

    site_key: str
    templates: dict[str, str]
    statics: str
    pages: list
    summary_keys: dict[str, str]
    content_keys: dict[str, str]
    summaries: dict[str, Briefing]
    showing: dict[str, list[int]] | None = None   # slug -> pages showing it in full

    def pages_showing(self, slugs: set[str]) -> list[int]:
        """The numbers of the planned pages that show one of ``slugs`` in full, in order."""
        if self.showing is None:
            self.showing = {}
            for number, page in enumerate(self.pages):
                for slug in page.full:
                    self.showing.setdefault(slug, []).append(number)
        return sorted({n for slug in slugs for n in self.showing.get(slug, ())})


@contextmanager
def _long_lived() -> Iterator[None]:
    """Build large structures that live until the build ends (thousands of summaries,
    the index, the plan) without the cyclic garbage collector: it would walk
    everything built so far again and again (a third of a one-edit build at 5,000
    briefings). They are frozen afterwards, out of later collections' sight;
    ``build`` unfreezes them when it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _statics_key(statics: dict[str, Path]) -> str:
    parts = []
    for rel, path in sorted(statics.items()):
        st = path.stat()
        parts.append(f"{rel}={st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)


class Builder:
    """Builds a site, reusing the previous build's work where the cache proves it unchanged.

    ``briefgen build`` makes one and builds once; ``briefgen serve`` keeps one and
    calls ``build()`` after every change, with the state kept in memory.
    """

    def __init__(self, config: SiteConfig, *, jobs: int | None = None, clean: bool = False,
                 progress: Progress | None = None,
                 executor_factory: Callable[[int], Executor] | None = None,
                 persist: bool = True, now: dt.datetime | None = None):
        self.config = config
        self.now = now   # the build's clock (news sitemap); None: build_now() per build
        self.persist = persist
        self.jobs = jobs or default_jobs()
        self.clean = clean
        self.progress = progress
        self.executor_factory = executor_factory
        self.cache = BuildCache(config.root)
        self.state: BuildState | None = None
        self._loaded = False
        self._wrote_previous = False  # self.state describes files this builder wrote
        self._renderer_cache: Renderer | None = None
        self._registry_cache: tuple | None = None
        self._plan: _Plan | None = None  # the last full build's pages (preview only)
        self._templates_cache: tuple[tuple, dict[str, str]] | None = None
        self._displays: dict[str, str] = {}   # source path -> path shown in messages
        self._slugs_checked: dict[str, str] | None = None   # summary keys found clean
        self._walk: SourceWalk | None = None   # the last walk of the sources
        self._last_sources: _Sources | None = None   # what made self.state (preview)

    def _registry(self) -> tuple[dict, list[Problem]]:
        """The actor registry, read again only when the file changed since this builder's
        last build (or the build that saved the state)."""
        path = self.config.content_path / "actors.yaml"
        try:
            st = path.stat()
            # ctime too: a copy that restores the old mtime (cp -p, rsync -t) changes it.
            signature = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        except OSError:
            signature = None
        signature = (str(path), signature)
        if self._registry_cache is None and self.state is not None:
            self._registry_cache = self.state.registry_memo   # the last build's
        if self._registry_cache is None or self._registry_cache[0] != signature:
            registry, problems = load_registry(path, display_path(path, self.config.root))
            if (signature[1] is not None
                    and signature[1][0] >= time.time_ns() - source_walk.RACY_NS):
                signature = None   # just written: read it again next time (see RACY_NS)
            self._registry_cache = (signature, registry, problems)
        return dict(self._registry_cache[1]), list(self._registry_cache[2])

    def _renderer(self) -> Renderer:
        """One Jinja environment for the builder's life (it reloads changed templates)."""
        if self._renderer_cache is None:
            # Compiled templates depend on briefgen's own template extensions: one
            # folder per version.
            self._renderer_cache = Renderer(
                self.config, self.cache.folder / f"templates-{__version__}")
        return self._renderer_cache

    def _template_keys(self, previous: BuildState | None) -> dict[str, str]:
        """Template keys, worked out again only when a template file changed (since this
        builder's last build, or the build that wrote ``previous``). A change also
        renews the Jinja environment: its loader only searches the template folders
        that existed when it was made, and a cached template is only checked against
        its own file, not against an override added in front of it."""
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
        if self._templates_cache is None and previous is not None and previous.templates_memo:
            self._templates_cache = previous.templates_memo
        if self._templates_cache is None or self._templates_cache[0] != signature:
            if self._templates_cache is not None:
                self._renderer_cache = None
            keys = template_keys(self._renderer().env)
            if any(entry[3] >= racy for entry in signature):
                signature = None   # a template just written: work the keys out again next time
            self._templates_cache = (signature, keys)
        return self._templates_cache[1]

    def _check_slugs(self, sources: _Sources) -> list[Problem]:
        """check_slugs, skipped when the summaries are those last found clean: a summary's
        key covers its slug and source path, and one key per summary means no two share
        a slug."""
        keys = sources.summary_keys
        if len(keys) == len(sources.summaries) and keys == self._slugs_checked:
            return []
        problems = check_slugs(sources.summaries)
        self._slugs_checked = None if problems else dict(keys)
        return problems

    @staticmethod
    def _todo(pages: list, fingerprint: PageFingerprints,
              out: OutputWriter) -> list[tuple[int, str | None]]:
        """The pages to render, with their fingerprints where worked out already."""
        if out.fresh:   # every page is new: workers fingerprint the pages they render
            # Listing pages first (the longest to render), then each briefing's
            # pages side by side, so its full content is read from the cache once.
            order = sorted(range(len(pages)), key=lambda n: pages[n].full[:1])
            return [(n, None) for n in order]
        todo: list[tuple[int, str | None]] = []
        for number, page in enumerate(pages):
            key = fingerprint(page)
            if not out.unchanged(page.path, key):
                todo.append((number, key))
        return todo

    def _discover(self, changed: list[Path] | None = None) -> tuple[list[str], list[Problem]]:
        """The sources, as ``walk_sources`` finds them; walked again only when a
        folder of the last walk changed (a file created, deleted or renamed in it), or
        when the watcher's ``changed`` names a source the walk lacks or that is gone
        (folder timestamps are not reliable on every file system). The last walk
        may be the one of the build that saved the state."""
        top, last = str(self.config.content_path / "briefings"), self.state
        if self._walk is None and last is not None and last.walk and last.walk.top == top:
            self._walk = last.walk
        if (self._walk is not None and not self._walk.contradicted_by(changed)
                and still_valid(self._walk, self.config.root)):
            return self._walk.paths, []
        self._walk = walk_sources(self.config)
        return self._walk.paths, list(self._walk.problems)

    def _render_progress(self, total: int) -> Callable[[int], None] | None:
        if self.progress is None:
            return None
        return lambda done: self.progress("render", done, total)

    def _previous_state(self) -> BuildState | None:
        if not self._loaded:
            self._loaded = True
            if not self.clean:
                with _long_lived():
                    self.state = self.cache.load_state()
        return self.state

    def build(self, changed: list[Path] | None = None) -> BuildResult:
        """Build the site; raise BuildError with every problem (output then untouched).

        ``changed`` is a hint from a watcher. Every source is checked by its stat and
        content hash regardless; the source folders are walked again when one of them
        changed or when ``changed`` names a source the last walk did not find (or
        that is gone), so neither a missed event nor a folder whose timestamp did not
        move can leave a stale page.
        """
        try:
            return self._build(changed)
        finally:
            gc.unfreeze()   # what the stages froze (_long_lived) is ordinary heap again

    def _build(self, changed: list[Path] | None) -> BuildResult:
        started, started_wall = time.perf_counter(), time.time()
        config = self.config
        result = BuildResult(output=config.output_path)
        check_output_dir(config.output_path, config.root, config.content_path)
        previous = self._previous_state()
        if previous is not None and previous.output_dir != str(config.output_path):
            # Another output folder (serve's temporary one, --output): parsed sources
            # can be reused, but nothing is known about this folder's files.
            previous = dataclasses.replace(previous, outputs={}, input_key="")

        mark = time.perf_counter()
        registry, problems = self._registry()
        options, registry_key, parse_key = self._parse_inputs(registry)
        sources = self._read_and_parse(previous, registry, options, parse_key, problems,
                                       changed)
        result.parsed = sources.parsed
        result.warnings = sources.warnings + site_warnings(config)
        if problems:
            raise BuildError(problems)
        result.timings["parse"] = time.perf_counter() - mark

        site_key = digest(__version__, repr(config), registry_key)
        templates = self._template_keys(previous)
        renderer = self._renderer()
        statics = static_files(config.static_dirs)
        now = build_now() if self.now is None else self.now
        # The news sitemap depends on the clock: its window counts as an input (a new
        # window fails the fast paths; the full plan re-renders just that file).
        statics_key = digest(_statics_key(statics),
                             window_key(now) if config.sitemap.news else "")
        input_key = _input_key(site_key, templates, sources, statics_key)
        trusted = self._wrote_previous and not self.persist
        if previous is not None and previous.input_key == input_key and (
                trusted or _intact(config.output_path, previous)):
            result.pages, result.briefings, result.actors = previous.counts
            result.seconds = time.perf_counter() - started
            return result
        if self.persist and previous is not None and previous.outline is not None:
            done = self._rebuild_from_outline(result, (started, started_wall), previous,
                                              sources, registry,
                                              (site_key, templates, statics_key), input_key)
            if done is not None:
                return done
        with _long_lived():
            self._summaries(sources, previous)
            problems = self._check_slugs(sources)
        if problems:
            raise BuildError(problems)
        plan = self._plan
        if (trusted and plan is not None and config.output_path.is_dir()
                and plan.site_key == site_key
                and plan.templates == templates and plan.statics == statics_key
                and plan.summary_keys == sources.summary_keys):
            return self._rebuild_bodies(result, started, previous, plan, sources, input_key)

        mark = time.perf_counter()
        public = [b for b in sources.summaries if config.drafts or not b.draft]
        with _long_lived():
            index = build_index(public, registry,
                                previous.related if previous is not None else None,
                                functools.partial(forked_map, jobs=self.jobs))
        result.timings["index"] = time.perf_counter() - mark

        mark = time.perf_counter()
        store = BriefingStore(self.cache, {b.slug: b for b in public}, sources.keys,
                              sources.in_memory)
        old_outputs = previous.outputs if previous is not None else None
        with OutputWriter(config.output_path, old_outputs, trust_previous=trusted) as out:
            with _long_lived():
                pages = list(plan_pages(config, index, now))
                fingerprint = PageFingerprints(site_key, templates, sources.summary_keys,
                                               sources.keys)
                todo = self._todo(pages, fingerprint, out)
            job = RenderJob(pages, renderer, store, out.stager, fingerprint)
            # The plan and index live until the build ends: keep the garbage collector
            # from walking them again and again while pages are rendered (and from
            # touching, so copying, the pages forked workers share with this process).
            gc.freeze()
            try:
                render_all(job, todo, out, self.jobs, self._render_progress(len(todo)))
            finally:
                gc.unfreeze()
            result.rendered = len(todo)
            for rel, source in statics.items():
                out.put_file(rel, source)
            result.timings["render"] = time.perf_counter() - mark
            mark = time.perf_counter()
            out.commit()
        result.timings["write"] = time.perf_counter() - mark

        result.pages = len(pages)
        result.briefings = len(public)
        result.actors = sum(1 for entry in index.actors.values() if entry.briefings)
        self.state = BuildState(
            parse_key=parse_key,
            input_key=input_key,
            output_dir=str(config.output_path),
            counts=(result.pages, result.briefings, result.actors),
            sources=sources.states,
            summaries={sources.keys[b.slug]: b for b in sources.summaries},
            summary_pickles=sources.pickles,
            outputs=out.states,
            related=index.related_memo,
            templates_memo=self._templates_cache,
            registry_memo=self._registry_cache,
            walk=self._walk,
            outline=make_outline(site_key, templates, statics_key, index, registry, pages),
        )
        self._wrote_previous = True
        self._last_sources = sources
        self._plan = _Plan(site_key, templates, statics_key, pages,
                           dict(sources.summary_keys), dict(sources.keys),
                           {b.slug: b for b in sources.summaries})
        if self.persist:
            self.cache.save_state(self.state)
            if sources.parsed:
                self.cache.prune({s.key for s in sources.states.values()}, started_wall)
        result.written = len(out.staged)
        result.written_paths = list(out.staged)
        result.deleted = len(out.deleted)
        result.seconds = time.perf_counter() - started
        return result

    def load(self) -> tuple[list[Briefing], dict, list[Problem]]:
        """Parse (or take from the cache) every source and return the full briefings,
        the registry and the warnings; raise BuildError with every problem."""
        try:
            return self._load()
        finally:
            gc.unfreeze()

    def _load(self) -> tuple[list[Briefing], dict, list[Problem]]:
        previous = self._previous_state()   # first: it may hold the parsed registry
        registry, problems = self._registry()
        options, _, parse_key = self._parse_inputs(registry)
        sources = self._read_and_parse(previous, registry, options, parse_key, problems)
        self._summaries(sources, previous)
        problems += check_slugs(sources.summaries)
        if problems:
            raise BuildError(problems)
        store = BriefingStore(self.cache, {b.slug: b for b in sources.summaries},
                              sources.keys, sources.in_memory)
        store.hydrate(tuple(sources.keys))
        return sources.summaries, registry, sources.warnings

    def _parse_inputs(self, registry: dict) -> tuple[ParseOptions, str, str]:
        """Parse options, and the keys of the registry and of everything parsing reads."""
        options = ParseOptions(allow_html=self.config.markdown.allow_html,
                               max_nesting=self.config.markdown.max_nesting)
        registry_key = digest(pickle.dumps(sorted(registry.items()), protocol=4))
        return options, registry_key, digest(__version__, registry_key, repr(options))

    def _rebuild_bodies(self, result: BuildResult, started: float, previous: BuildState,
                        plan: _Plan, sources: _Sources, input_key: str) -> BuildResult:
        """Only briefing bodies changed (every summary is as before): render again just
        the pages that show a changed briefing in full, from the last build's plan.

        Exact, not a guess: a page's fingerprint depends on the summaries it lists and
        the full content it shows, and only the latter changed.
        """
        changed = {slug for slug, key in sources.keys.items() if plan.content_keys[slug] != key}
        # Keep the summary objects the planned pages refer to (their content is equal).
        store = BriefingStore(self.cache, plan.summaries, sources.keys, sources.in_memory)
        todo = [(number, None) for number in plan.pages_showing(changed)]
        # Fingerprints need only the keys of the briefings these pages name.
        named = {slug for number, _ in todo
                 for slug in (*plan.pages[number].sources, *plan.pages[number].full)}
        fingerprint = PageFingerprints(
            plan.site_key, plan.templates,
            {slug: sources.summary_keys[slug] for slug in named if slug in sources.summary_keys},
            {slug: sources.keys[slug] for slug in named if slug in sources.keys})
        out = self._render_some(result, previous, plan.pages, todo, store, fingerprint,
                                trusted=True)
        plan.content_keys = dict(sources.keys)
        self._last_sources = sources
        self.state = dataclasses.replace(
            previous, input_key=input_key, sources=sources.states, outputs=out.states,
            summaries={sources.keys[slug]: summary for slug, summary in plan.summaries.items()},
            summary_pickles=sources.pickles)
        result.seconds = time.perf_counter() - started
        return result

    def _render_some(self, result: BuildResult, previous: BuildState, pages: list,
                     todo: list[tuple[int, str | None]], store: BriefingStore,
                     fingerprint: PageFingerprints, trusted: bool = False) -> OutputWriter:
        """Render the ``todo`` of ``pages`` over the last build's output, keeping every
        other file it wrote, and fill in ``result`` as a body-only build."""
        mark = time.perf_counter()
        with OutputWriter(self.config.output_path, previous.outputs,
                          trust_previous=trusted) as out:
            job = RenderJob(pages, self._renderer(), store, out.stager, fingerprint)
            render_all(job, todo, out, self.jobs, self._render_progress(len(todo)))
            out.keep_the_rest()
            result.timings["render"] = time.perf_counter() - mark
            out.commit()
        result.pages, result.briefings, result.actors = previous.counts
        result.body_only = True
        result.rendered = len(todo)
        result.written, result.written_paths = len(out.staged), list(out.staged)
        return out

    def _rebuild_from_outline(self, result: BuildResult, started: tuple[float, float],
                              previous: BuildState, sources: _Sources, registry: dict,
                              inputs: tuple, input_key: str) -> BuildResult | None:
        """A build after edits to briefing bodies alone (every summary as before, no
        source added or removed, the config, registry, templates and static files as
        the last full build saw them): render again just the changed briefings' own
        pages, placed in the site by the last build's outline, without loading every
        summary, indexing and planning the site. None, having done nothing, when the
        edits need more (or the output was touched since): then build in full.
        """
        config, outline = self.config, previous.outline
        if (outline is None or previous.related is None or not previous.outputs
                or previous.output_dir != str(config.output_path)
                or (outline.site_key, outline.templates, outline.statics_key) != inputs
                or sources.states.keys() != previous.sources.keys()
                or len(sources.redone) > FEW_CHANGED):
            return None
        changed: dict[str, Briefing] = {}   # source -> its new summary
        for display in sources.redone:
            old, now = previous.sources[display], sources.states[display]
            if now.key == old.key:
                continue   # touched, same bytes
            summary = sources.by_display.get(display)
            if (summary is None or now.summary_key != old.summary_key
                    or summary.slug in outline.full_elsewhere):
                return None
            changed[display] = summary
        if any(sources.states[d].key not in sources.pickles for d in changed) or not _intact(
                config.output_path, previous):
            return None

        def summary_of(slug: str) -> Briefing | None:
            display = outline.displays.get(slug)
            if display in changed:
                return changed[display]
            state = previous.sources.get(display)
            return previous.summaries.get(state.key) if state is not None else None

        pages = plan_body_edits(config, outline, list(changed.values()), registry,
                                previous.related.related, summary_of)
        if pages is None:
            return None
        named = {slug for page in pages for slug in (*page.sources, *page.full)}
        states = [(slug, sources.states.get(outline.displays.get(slug, ""))) for slug in named]
        if any(state is None for _, state in states):
            return None
        fingerprint = PageFingerprints(*inputs[:2], {s: st.summary_key for s, st in states},
                                       {s: st.key for s, st in states})
        store = BriefingStore(self.cache, {b.slug: b for b in changed.values()},
                              {b.slug: sources.keys[b.slug] for b in changed.values()},
                              sources.in_memory)
        out = self._render_some(result, previous, pages, [(n, None) for n in range(len(pages))],
                                store, fingerprint)
        pickles = dict(previous.summary_pickles)
        for display in changed:
            pickles.pop(previous.sources[display].key, None)
            key = sources.states[display].key
            pickles[key] = sources.pickles[key]
        self.state = dataclasses.replace(
            previous, input_key=input_key, sources=sources.states, outputs=out.states,
            summaries=LazySummaries(pickles), summary_pickles=pickles,
            templates_memo=self._templates_cache, registry_memo=self._registry_cache,
            walk=self._walk)
        self._wrote_previous, self._last_sources = True, None
        self.cache.save_state(self.state, since=previous)
        if sources.parsed:   # each body edit adds a small pack: prune once they add up
            keys = {s.key for s in sources.states.values()}
            self.cache.prune(keys, started[1], at_least=len(keys) // 64 + 64)
        result.seconds = time.perf_counter() - started[0]
        return result

    def _read_and_parse(self, previous: BuildState | None, registry: dict,
                        options: ParseOptions, parse_key: str,
                        problems: list[Problem],
                        changed: list[Path] | None = None) -> _Sources:
        """Stat every source; parse only those whose bytes or parse inputs changed."""
        config = self.config
        paths, discover_problems = self._discover(changed)
        problems += discover_problems
        reusable = previous is not None and previous.parse_key == parse_key
        # A file modified this recently could change again within its timestamp's
        # granularity, keeping mtime and size: remember no mtime for it, so the next
        # build reads and hashes it again instead of trusting its stat (as git does).
        racy = time.time_ns() - source_walk.RACY_NS
        out = _Sources()
        tasks: list[ParseTask] = []
        # The preview runs this loop after every save, over every source: names bound
        # once, and a source whose stat is unchanged costs a stat and three lookups.
        displays, states, kept, stat = self._displays, out.states, out.reused, os.stat
        old_sources = previous.sources if reusable else {}
        old_summaries = previous.summaries if reusable else {}
        shown = display_paths(config.root)
        for path in paths:
            display = displays.get(path)
            if display is None:
                display = displays[path] = shown(path)
            try:
                st = stat(path)
            except OSError:
                problems.append(Problem(display, None, "file disappeared while building"))
                continue
            old = old_sources.get(display)
            known = old.key if old is not None and old.key in old_summaries else ""
            if (known and old.mtime_ns == st.st_mtime_ns and old.size == st.st_size
                    and old.ctime_ns == st.st_ctime_ns):
                states[display] = old     # its summary is taken by _summaries
                kept.append(old)
                continue
            too_large = size_problem(st.st_size, display)
            if too_large is not None:
                problems.append(too_large)
                continue
            tasks.append(ParseTask(display, path, known))
            out.redone.append(display)
            mtime = st.st_mtime_ns if st.st_mtime_ns < racy else -1
            states[display] = SourceState(mtime, st.st_size, "", ctime_ns=st.st_ctime_ns)
        job = ParseJob(ActorResolver(registry.values()), options, self.cache.folder.parent,
                       parse_key, use_cache=not self.clean)
        progress = (lambda done, total: self.progress("parse", done, total)) \
            if self.progress else None
        results = parse_sources(tasks, job, self.jobs, self.executor_factory, progress,
                                self.cache)
        with _long_lived():   # thousands of summaries to unpickle
            for parsed in results:
                problems += parsed.errors
                if parsed.location is not None:
                    self.cache.note({parsed.key: parsed.location})
                state = out.states.pop(parsed.display)
                out.parsed += parsed.parsed
                if parsed.unchanged:   # touched, same bytes
                    old = previous.sources[parsed.display]
                    self._reuse(out, parsed.display, state._replace(
                        key=old.key, summary_key=old.summary_key, warnings=old.warnings))
                    continue
                if not parsed.summary_pickle:
                    continue
                out.states[parsed.display] = state._replace(
                    key=parsed.key, summary_key=parsed.summary_key, warnings=parsed.warnings)
                summary = pickle.loads(parsed.summary_pickle)
                self._add(out, summary, parsed.key, parsed.summary_key, parsed.summary_pickle)
                if parsed.full is not None:
                    out.in_memory[summary.slug] = parsed.full
        return out

    @staticmethod
    def _reuse(out: _Sources, display: str, state: SourceState) -> None:
        """Keep a source's summary from the previous build (taken by ``_summaries``)."""
        out.states[display] = state
        out.reused.append(state)

    def _summaries(self, out: _Sources, previous: BuildState | None) -> None:
        """Add the summaries kept from the previous build and sort them all. Separate
        from reading, so a build that finds nothing changed never unpickles them."""
        last = self._last_sources
        if (last is not None and previous is not None and previous is self.state
                and out.reused and len(out.redone) <= FEW_CHANGED
                and self._summaries_from_last(out, last)):
            return
        if out.reused:
            summaries, pickles = previous.summaries, previous.summary_pickles
            add, keys, summary_keys = out.summaries.append, out.keys, out.summary_keys
            for state in out.reused:   # _add, inlined: the preview does this per save
                key = state.key
                summary = summaries[key]
                add(summary)
                data = pickles.get(key)
                if data:
                    out.pickles[key] = data
                keys[summary.slug] = key
                summary_keys[summary.slug] = state.summary_key
                out.by_display[summary.source_path] = summary
        out.reused = []
        out.summaries.sort(key=attrgetter("source_path"))

    @staticmethod
    def _summaries_from_last(out: _Sources, last: _Sources) -> bool:
        """``_summaries`` for a preview rebuild after a few sources changed: copy the
        last build's sorted summaries and lookups (made from the very state this build
        started from) and patch the changed sources in, instead of visiting thousands
        of summaries again. False, with ``out`` untouched, if anything does not add up."""
        drop = last.by_display.keys() - out.states.keys()      # gone, or failing now
        for display in out.redone:                              # read again: new bytes?
            old, now = last.states.get(display), out.states.get(display)
            if old is not None and (now is None or now.key != old.key):
                drop.add(display)
        summaries = list(last.summaries)
        by_display, keys = dict(last.by_display), dict(last.keys)
        summary_keys, pickles = dict(last.summary_keys), dict(last.pickles)
        source_path = attrgetter("source_path")
        for display in drop:
            old = by_display.pop(display, None)
            if old is None:
                continue
            at = bisect_left(summaries, display, key=source_path)
            if at == len(summaries) or summaries[at] is not old:
                return False
            del summaries[at]
            if keys.pop(old.slug, None) is None:
                return False
            summary_keys.pop(old.slug, None)
            pickles.pop(last.states[display].key, None)
        for summary in out.summaries:                           # parsed (or cached) now
            if summary.source_path in by_display:
                return False
            insort(summaries, summary, key=source_path)
            by_display[summary.source_path] = summary
        keys.update(out.keys)
        summary_keys.update(out.summary_keys)
        pickles.update(out.pickles)
        out.summaries, out.by_display, out.keys = summaries, by_display, keys
        out.summary_keys, out.pickles, out.reused = summary_keys, pickles, []
        return True

    @staticmethod
    def _add(out: _Sources, summary: Briefing, key: str, summary_key: str,
             data: bytes | None) -> None:
        out.summaries.append(summary)
        if data:
            out.pickles[key] = data
        out.keys[summary.slug] = key
        out.summary_keys[summary.slug] = summary_key
        out.by_display[summary.source_path] = summary


def _input_key(site_key: str, templates: dict[str, str], sources: _Sources,
               statics_key: str) -> str:
    """One digest of everything the output depends on."""
    parts = [site_key, *(f"{n}={k}" for n, k in sorted(templates.items()))]
    parts += [f"{d}={s.key}" for d, s in sorted(sources.states.items())]
    parts.append(statics_key)
    return digest(*parts)


def _intact(output: Path, state: BuildState) -> bool:
    """True when every file the last build wrote is still there, untouched."""
    prefix, stat = str(output) + os.sep, os.stat   # 10,000s of files: no join per file
    for rel, out in state.outputs.items():
        try:
            st = stat(prefix + rel)
        except OSError:
            return False
        if st.st_size != out.size or st.st_mtime_ns != out.mtime_ns:
            return False
    return True


def build(config: SiteConfig, progress: Progress | None = None, *, jobs: int | None = None,
          clean: bool = False, now: dt.datetime | None = None) -> BuildResult:
    """Build the whole site once (the ``briefgen build`` command); ``now`` is the
    build's clock (default: ``SOURCE_DATE_EPOCH``, else the current time)."""
    return Builder(config, jobs=jobs, clean=clean, progress=progress, now=now).build()


def load_site(config: SiteConfig) -> tuple[list[Briefing], dict, list[Problem]]:
    """Every briefing in full, without writing anything: (briefings, registry, warnings).

    For tools that need the whole model (``briefgen check``). Sources the last build
    parsed come from the cache; raises BuildError.
    """
    return Builder(config, persist=False).load()
