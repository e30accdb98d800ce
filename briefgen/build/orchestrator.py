"""The build orchestrator: config → sources → parse → index → plan → render → write.

:meth:`Builder.build` reads like the pipeline. It reads and parses the sources
(``read``), works out the keys of every other input (``memory``), decides once
what of the last build it can keep (``changes.classify``), then dispatches: nothing
to do, a body-only build (``partial``), or the whole pipeline: gather the
summaries, index them (``briefgen.indexes``), plan the pages
(``briefgen.render.plan_pages``), render them in parallel (``parallel``) and
commit the output tree (``write``). Each stage is timed in ``BuildResult.timings``.
Problems from every source are collected and reported together, and a failed
build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from briefgen.build import partial
from briefgen.build.changes import (
    BuildFacts,
    Change,
    ChangeKind,
    PreviewPlan,
    classify,
    input_key,
    summary_keys,
)
from briefgen.build.heap import frozen, long_lived
from briefgen.build.images import Pictures, pictures_folder, prepare_pictures, put_pictures
from briefgen.build.incremental.cache import BuildCache, BuildState, CacheLost
from briefgen.build.incremental.fingerprint import PageFingerprints
from briefgen.build.incremental.outline import make_outline
from briefgen.build.incremental.search_blocks import SearchBlocks
from briefgen.build.incremental.store import BriefingStore
from briefgen.build.memory import BuilderMemory, SiteInputs
from briefgen.build.parallel.forked import forked_map
from briefgen.build.parallel.render_pool import RenderJob, render_all
from briefgen.build.parallel.workers import default_jobs
from briefgen.build.read import (
    ParseInputs,
    ParseRun,
    SourceSet,
    check_slugs,
    gather_summaries,
    parse_inputs,
    read_sources,
)
from briefgen.build.write import OutputWriter, check_output_dir, remove_leftovers
from briefgen.clock import build_now
from briefgen.config import SiteConfig
from briefgen.errors import BuildError, Problem, SourceError, display_path, display_paths
from briefgen.files import os_problem
from briefgen.indexes import SiteIndex, build_index
from briefgen.model import Briefing
from briefgen.publication import Schedule, published
from briefgen.render import plan_pages
from briefgen.render.bylines import authors_key
from briefgen.render.feeds import site_warnings
from briefgen.sources.authors import AUTHORS_FILE, check_bylines
from briefgen.sources.clashes import local_actor_clashes, topic_collisions
from briefgen.times import utc_text

if TYPE_CHECKING:
    from concurrent.futures import Executor

Progress = Callable[[str, int, int], None]
NEXT_CHANGE = "next-change"   # in the cache folder: when the next build is due
T = TypeVar("T")


@dataclass
class BuildResult:
    """What a build did, for the summary line and for callers such as serve."""

    pages: int = 0          # HTML pages, as ``briefgen check`` counts them
    briefings: int = 0
    actors: int = 0
    parsed: int = 0
    reread: int = 0         # sources read again because their stat changed or was unsure
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
    kind: ChangeKind = ChangeKind.SITE
    # The next moment a scheduled, embargoed or expiring briefing changes the site.
    next_change: dt.datetime | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage of the pipeline into ``timings``."""
        mark = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - mark

    def wrote(self, out: OutputWriter) -> None:
        """Count what the committed output writer wrote and deleted."""
        self.written, self.written_paths = len(out.staged), list(out.staged)
        self.deleted = len(out.deleted)


@dataclass
class _Read:
    """What the parse stage produced, handed to the dispatch."""

    previous: BuildState | None
    registry: dict
    authors: dict        # content/authors.yaml: the bylines
    parse: ParseInputs
    sources: SourceSet
    inputs: SiteInputs
    key: str
    pictures: Pictures = field(default_factory=Pictures)


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
        self.memory = BuilderMemory(config, self.cache)
        self.state: BuildState | None = None
        self._loaded = False
        self._wrote_previous = False  # self.state describes files this builder wrote
        self._plan: PreviewPlan | None = None  # the last full build's pages (preview only)
        self._last_sources: SourceSet | None = None   # what made self.state (preview)
        # The search index's sealed blocks, kept in memory by a preview (which never
        # reads or writes the cache's copy).
        self._search_memo: dict = {}

    def build(self, changed: list[Path] | None = None) -> BuildResult:
        """Build the site; raise BuildError with every problem (output then untouched).

        ``changed`` is a hint from a watcher. Every source is checked by its stat and
        content hash regardless; the source folders are walked again when one of them
        changed or when ``changed`` names a source the last walk did not find (or
        that is gone), so neither a missed event nor a folder whose timestamp did not
        move can leave a stale page.
        """
        started = (time.perf_counter(), time.time())
        try:
            try:
                result = self._build(changed, started[1])
            except CacheLost:
                result = self._without_cache(lambda: self._build(changed, started[1]))
        except OSError as error:   # a file it cannot read or write: shown where, exit 1
            where = display_path(error.filename or self.config.root, self.config.root)
            raise BuildError([os_problem(error, where, "")]) from error
        except SourceError as error:   # one file found unreadable late (a static file)
            raise BuildError([error.problem]) from error
        finally:
            gc.unfreeze()   # what the stages froze (long_lived) is ordinary heap again
        result.seconds = time.perf_counter() - started[0]
        return result

    def _build(self, changed: list[Path] | None, started_wall: float) -> BuildResult:
        result = BuildResult(output=self.config.output_path)
        read = self._read(result, changed)
        change = classify(BuildFacts(
            read.previous, read.sources, read.inputs, read.key, self.config.output_path,
            trusted=self._trusted, outline=self.persist, plan=self._plan))
        self._dispatch(change, read, result, started_wall)
        result.next_change = _next_change(self.state, read.inputs.now)
        if self.persist:
            write_next_change(self.cache.folder, result.next_change)
        return result

    def _without_cache(self, run: Callable[[], T]) -> T:
        """``run`` again after the cache lost an entry the build counted on (a damaged
        or deleted pack): forget the last build and parse every source."""
        self.state, self._loaded, self._wrote_previous = None, True, False
        self._plan = self._last_sources = None
        clean, self.clean = self.clean, True
        try:
            return run()
        finally:
            self.clean = clean

    def _dispatch(self, change: Change, read: _Read, result: BuildResult,
                  started_wall: float) -> None:
        """Do what ``change`` says: nothing, a body-only build, or the whole pipeline."""
        kind = change.kind
        if kind is ChangeKind.BODIES and not self._placed_edits(change, read, result,
                                                                started_wall):
            kind = ChangeKind.SITE   # the outline could not place an edit after all
        result.kind = kind
        if kind is ChangeKind.NOTHING:
            result.pages, result.briefings, result.actors = read.previous.counts
            self._settle(read)
        elif kind is ChangeKind.PREVIEW_BODIES:
            self._planned_edits(read, result)
        elif kind is ChangeKind.SITE:
            self._whole_site(read, result, started_wall)

    # -- the stages -------------------------------------------------------------------

    def _read(self, result: BuildResult, changed: list[Path] | None) -> _Read:
        """Read the config's inputs and every source; parse what changed."""
        config = self.config
        check_output_dir(config.output_path, config.root, config.content_path)
        remove_leftovers(config.output_path)
        previous = self._previous_state()
        if previous is not None and previous.output_dir != str(config.output_path):
            # Another output folder (serve's temporary one, --output): parsed sources
            # can be reused, but nothing is known about this folder's files.
            previous = dataclasses.replace(previous, outputs={}, input_key="")
        problems: list[Problem] = []
        with result.stage("parse"):
            registry, parse, sources = self._parse(previous, changed, problems)
            authors, author_problems = self.memory.authors()
            problems += author_problems
            result.parsed, result.reread = sources.parsed, len(sources.redone)
            result.warnings = (sources.warnings + site_warnings(config) + self.cache.warnings
                               + self.memory.registry_notes())
            if problems:
                raise BuildError(problems)
        with result.stage("images"):
            pictures = prepare_pictures(config, sources, previous,
                                        pictures_folder(self.cache.folder, self.cache.seal),
                                        self.jobs, problems)
            if problems:
                raise BuildError(problems)
        self.memory.renderer().env.globals["pictures"] = pictures.table
        now = build_now() if self.now is None else self.now
        inputs = self.memory.site_inputs(previous, parse.registry_key, now,
                                         authors_key(authors.values()))
        # Pictures are inputs like the static files: a changed one rebuilds the site.
        inputs = dataclasses.replace(inputs, statics_key=f"{inputs.statics_key}:{pictures.key}")
        return _Read(previous, registry, authors, parse, sources, inputs,
                     input_key(inputs, sources), pictures)

    def _whole_site(self, read: _Read, result: BuildResult, started_wall: float) -> None:
        """The whole pipeline after the parse: gather, index, plan, render, write."""
        config, sources, previous = self.config, read.sources, read.previous
        with long_lived():
            gather_summaries(sources, previous, self._last_from(previous))
            problems = self.memory.check_slugs(sources)
            problems += check_bylines(sources.summaries, read.authors, config,
                                      display_path(config.content_path / AUTHORS_FILE,
                                                   config.root))
        if problems:
            raise BuildError(problems)
        result.warnings += local_actor_clashes(sources.summaries, config.root)
        public, schedule = published(sources.summaries, config, read.inputs.now)
        with result.stage("index"), long_lived():
            index = build_index(public, read.registry,
                                previous.related if previous is not None else None,
                                functools.partial(forked_map, jobs=self.jobs),
                                authors=read.authors,
                                taxonomies=[t.name for t in config.all_taxonomies],
                                unchanged=_same_summaries(previous, sources))
        with OutputWriter(config.output_path, previous.outputs if previous else None,
                          trust_previous=self._trusted) as out:
            blocks = SearchBlocks(self.cache if self.persist else None, self._search_memo,
                                  trust=not self.clean, summary_keys=sources.summary_keys)
            with result.stage("plan"), long_lived():
                pages = list(plan_pages(config, index, read.inputs.now, blocks))
                shown = read.pictures.slug_keys   # a page showing a picture depends on it
                fingerprint = PageFingerprints(read.inputs.site_key, read.inputs.templates,
                                               _with(sources.summary_keys, shown),
                                               _with(sources.keys, shown))
                todo = _todo(pages, fingerprint, out)
            with result.stage("render"):
                self._render(pages, todo, fingerprint, out, public, sources, read)
            with result.stage("write"):
                out.commit()
        result.pages = sum(1 for page in pages if page.format == "html")
        result.briefings = len(public)
        result.actors = sum(1 for entry in index.actors.values() if entry.briefings)
        result.rendered = len(todo)
        result.wrote(out)
        self._remember(read, index, pages, out, result, schedule)
        with result.stage("save"):
            if self.persist:   # appends the new summaries to those ``previous`` read
                self.cache.save_state(self.state, since=previous)
                if sources.parsed:
                    self.cache.prune({s.key for s in sources.states.values()}, started_wall)
            blocks.settle()

    def _render(self, pages: list, todo: list, fingerprint: PageFingerprints,
                out: OutputWriter, public: list[Briefing], sources: SourceSet,
                read: _Read) -> None:
        """Render the ``todo`` pages into the writer's staging folder, then the pictures'
        variants and the statics."""
        store = BriefingStore(self.cache, {b.slug: b for b in public}, sources.keys,
                              sources.in_memory)
        job = RenderJob(pages, self.memory.renderer(), store, out.stager, fingerprint)
        # The plan and index live until the build ends: keep the garbage collector
        # from walking them again and again while pages are rendered (and from
        # touching, so copying, the pages forked workers share with this process).
        with frozen():
            render_all(job, todo, out, self.jobs, self._render_progress(len(todo)))
        put_pictures(read.pictures, out, self.config.images, {b.slug for b in public})
        out.put_statics(read.inputs.statics, pages, public, display_paths(self.config.root),
                        self.config.minify)

    def _remember(self, read: _Read, index: SiteIndex, pages: list, out: OutputWriter,
                  result: BuildResult, schedule: Schedule) -> None:
        """Keep what the next build needs to skip work: the state, the preview's plan."""
        sources, inputs = read.sources, read.inputs
        self.state = _site_state(read, index, pages, out, result, self.memory,
                                 str(self.config.output_path), schedule)
        self._wrote_previous = True
        self._last_sources = sources
        self._plan = PreviewPlan(*inputs.keys, pages, summary_keys(sources),
                                 dict(sources.keys), {b.slug: b for b in sources.summaries})

    def _settle(self, read: _Read) -> None:
        """Keep the stats of sources read again only because the last build could not
        trust them (written within ``RACY_NS`` of it) and found unchanged: without
        this, a build that changes nothing saves nothing, and every later build would
        read and hash them all again (every source of a site just copied or checked out).
        """
        previous, states = read.previous, read.sources.states
        if not any(states[d] != previous.sources.get(d) for d in read.sources.redone):
            return
        self.state = dataclasses.replace(previous, sources=states)
        self._last_sources = None
        if self.persist:
            self.cache.save_state(self.state, since=previous)

    # -- body-only builds ---------------------------------------------------------------

    def _placed_edits(self, change: Change, read: _Read, result: BuildResult,
                      started_wall: float) -> bool:
        """Render the edited briefings' own pages, placed by the saved outline; False,
        having done nothing, when the outline cannot place them."""
        previous, sources = read.previous, read.sources
        edits = partial.place_edits(self.config, previous, sources, read.registry,
                                    read.inputs, change.edited, self.cache, read.authors)
        if edits is None:
            return False
        out = self._render_edits(edits, previous, result)
        memory = self.memory
        self.state = partial.state_after_placed(
            previous, sources, change.edited, out.states, read.key,
            templates_memo=memory.templates_memo, registry_memo=memory.registry_memo,
            walk=memory.walk)
        self._wrote_previous, self._last_sources = True, None
        with result.stage("save"):
            self.cache.save_state(self.state, since=previous)
            if sources.parsed:   # each body edit adds a small pack: prune once they add up
                keys = {s.key for s in sources.states.values()}
                self.cache.prune(keys, started_wall, at_least=len(keys) // 64 + 64)
        return True

    def _planned_edits(self, read: _Read, result: BuildResult) -> None:
        """Render the pages of the preview's last plan that show an edited briefing."""
        sources, previous = read.sources, read.previous
        with long_lived():
            gather_summaries(sources, previous, self._last_from(previous))
        result.warnings += local_actor_clashes(sources.summaries, self.config.root)
        edits = partial.plan_edits(self._plan, sources, self.cache)
        out = self._render_edits(edits, previous, result, trusted=True)
        self._last_sources = sources
        self.state = partial.state_after_planned(previous, self._plan, sources, out.states,
                                                 read.key)

    def _render_edits(self, edits: partial.Edits, previous: BuildState, result: BuildResult,
                      trusted: bool = False) -> OutputWriter:
        with result.stage("render"):
            out = partial.render_over(self.config, previous, edits, self.memory.renderer(),
                                      self.jobs, self._render_progress(len(edits.todo)),
                                      trusted)
        result.pages, result.briefings, result.actors = previous.counts
        result.body_only, result.rendered = True, len(edits.todo)
        result.written, result.written_paths = len(out.staged), list(out.staged)
        return out

    # -- helpers ----------------------------------------------------------------------

    @property
    def _trusted(self) -> bool:
        """The previous output is this preview's own: nothing else writes it."""
        return self._wrote_previous and not self.persist

    def _last_from(self, previous: BuildState | None) -> SourceSet | None:
        """The preview's last sources, when ``previous`` is the state they made."""
        return self._last_sources if previous is not None and previous is self.state else None

    def _parse(self, previous: BuildState | None, changed: list[Path] | None,
               problems: list[Problem]) -> tuple[dict, ParseInputs, SourceSet]:
        """The actor registry, the parse inputs and every source, parsed where changed."""
        registry, registry_problems = self.memory.registry(previous)
        problems += registry_problems
        parse = parse_inputs(self.config, registry)
        paths, walk_problems = self.memory.discover(previous, changed)
        problems += walk_problems
        run = ParseRun(self.cache, self.jobs, not self.clean, self.executor_factory,
                       self.progress)
        sources = read_sources(paths, previous, registry, parse, self.config.root,
                               self.memory.displays, run, problems)
        return registry, parse, sources

    def _render_progress(self, total: int) -> Callable[[int], None] | None:
        if self.progress is None:
            return None
        return lambda done: self.progress("render", done, total)

    def _previous_state(self) -> BuildState | None:
        if not self._loaded:
            self._loaded = True
            if not self.clean:
                with long_lived():
                    self.state = self.cache.load_state()
        return self.state

def _site_state(read: _Read, index: SiteIndex, pages: list, out: OutputWriter,
                result: BuildResult, memory: BuilderMemory, output_dir: str,
                schedule: Schedule) -> BuildState:
    """The state a whole-site build leaves for the next build."""
    sources = read.sources
    return BuildState(
        parse_key=read.parse.parse_key,
        input_key=read.key,
        output_dir=output_dir,
        counts=(result.pages, result.briefings, result.actors),
        sources=sources.states,
        summaries={sources.keys[b.slug]: b for b in sources.summaries},
        summary_pickles=sources.pickles,
        outputs=out.states,
        related=index.related_memo,
        templates_memo=memory.templates_memo,
        registry_memo=memory.registry_memo,
        walk=memory.walk,
        outline=make_outline(*read.inputs.keys, index, read.registry, pages),
        schedule=schedule,
    )


def _same_summaries(previous: BuildState | None, sources: SourceSet) -> set[str]:
    """The briefings whose summary is the one the last full build indexed (by key)."""
    if previous is None or previous.outline is None or previous.related is None:
        return set()
    displays, states = previous.outline.displays, previous.sources
    same = set()
    for slug, key in sources.summary_keys.items():
        state = states.get(displays.get(slug, ""))
        if state is not None and state.summary_key == key:
            same.add(slug)
    return same


def _with(keys: dict[str, str], pictures: dict[str, str]) -> dict[str, str]:
    """Each briefing's key joined with the key of its pictures, if it shows any."""
    if not pictures:
        return keys
    return {slug: f"{key}:{pictures[slug]}" if slug in pictures else key
            for slug, key in keys.items()}


def _next_change(state: BuildState | None, now: dt.datetime) -> dt.datetime | None:
    """The next moment the site changes, from the schedule of the last full build."""
    schedule = state.schedule if state is not None else None
    return schedule.next_change(now) if schedule is not None else None


def write_next_change(folder: Path, moment: dt.datetime | None) -> None:
    """``next-change`` in the cache folder: the moment as ISO 8601 UTC and a newline,
    replaced atomically (a cron job never reads half a file); removed when none."""
    path = folder / NEXT_CHANGE
    if moment is None:
        path.unlink(missing_ok=True)
        return
    text = utc_text(moment) + "\n"
    try:   # a regular file only (never open a FIFO someone left there)
        if path.is_file() and path.stat().st_size < 64 \
                and path.read_text(encoding="utf-8") == text:
            return   # as the last build left it: a cron job's builds write nothing
    except (OSError, UnicodeDecodeError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{NEXT_CHANGE}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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


def build(config: SiteConfig, progress: Progress | None = None, *, jobs: int | None = None,
          clean: bool = False, now: dt.datetime | None = None) -> BuildResult:
    """Build the whole site once (the ``briefgen build`` command); ``now`` is the
    build's clock (default: ``SOURCE_DATE_EPOCH``, else the current time)."""
    return Builder(config, jobs=jobs, clean=clean, progress=progress, now=now).build()


def load_site(config: SiteConfig) -> tuple[list[Briefing], dict, list[Problem]]:
    """Every briefing in full, without writing anything: (briefings, registry, warnings).

    For tools that need the whole model (``briefgen check``). Sources the last build
    parsed come from the cache; raises BuildError with every problem.
    """
    builder = Builder(config, persist=False)

    def load() -> tuple[list[Briefing], dict, list[Problem]]:
        previous = builder._previous_state()   # first: it may hold the parsed registry
        problems: list[Problem] = []
        registry, _, sources = builder._parse(previous, None, problems)
        gather_summaries(sources, previous)
        problems += check_slugs(sources.summaries)
        problems += topic_collisions(sources.summaries, config.root)
        if problems:
            raise BuildError(problems)
        store = BriefingStore(builder.cache, {b.slug: b for b in sources.summaries},
                              sources.keys, sources.in_memory)
        store.hydrate(tuple(sources.keys))
        return sources.summaries, registry, sources.warnings + builder.cache.warnings

    try:
        try:
            return load()
        except CacheLost:
            return builder._without_cache(load)
    finally:
        gc.unfreeze()
