"""The read-and-parse stage: stat every source, parse those that changed.

A source whose stat (and the actor registry, and briefgen) is as the last build saw
it keeps its summary without being opened; the others are read and parsed in worker
processes (see ``parallel.workers``). The summaries kept from the last build are
gathered separately (:func:`gather_summaries`), so a build that finds nothing
changed never unpickles them.
"""

from __future__ import annotations

import os
import pickle
import time
from bisect import bisect_left, insort
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.build.heap import long_lived
from briefgen.build.incremental.cache import BuildCache, BuildState, SourceState, digest
from briefgen.build.incremental.packs import count_packs
from briefgen.build.parallel.workers import ParseJob, ParseTask, parse_sources
from briefgen.build.parse import ParseOptions
from briefgen.config import SiteConfig
from briefgen.errors import Problem, display_paths
from briefgen.model import Briefing
from briefgen.slugs import collision_key
from briefgen.sources import walk as source_walk
from briefgen.sources.actors import ActorResolver
from briefgen.sources.text import size_problem

if TYPE_CHECKING:
    from concurrent.futures import Executor

# Looking up a changed source among the packs other builds stored reads every pack's
# table of contents once (0.3 s for the 1,565 packs of 100,000 briefings), while
# parsing one costs about a millisecond: look only when there are at most this many
# packs per source to parse.
PACKS_PER_SOURCE = 8

# At most this many sources read again for a preview rebuild to patch the last build's
# summaries instead of gathering them all (see patch_summaries).
FEW_CHANGED = 64


@dataclass(frozen=True)
class ParseInputs:
    """Everything parsing reads besides the sources: options and their keys."""

    options: ParseOptions
    registry_key: str
    parse_key: str


def parse_inputs(config: SiteConfig, registry: dict) -> ParseInputs:
    """Parse options, and the keys of the registry and of everything parsing reads."""
    options = ParseOptions(allow_html=config.markdown.allow_html,
                           max_nesting=config.markdown.max_nesting,
                           timezone=config.timezone, sections=config.sections,
                           taxonomies=tuple(t.name for t in config.all_taxonomies
                                            if not t.single))
    registry_key = digest(pickle.dumps(sorted(registry.items()), protocol=4))
    return ParseInputs(options, registry_key, digest(__version__, registry_key, repr(options)))


@dataclass(frozen=True)
class ParseRun:
    """How the parse stage runs: its processes, its cache and its progress."""

    cache: BuildCache
    jobs: int
    use_cache: bool = True
    executor_factory: Callable[[int], Executor] | None = None
    progress: Callable[[str, int, int], None] | None = None


@dataclass
class SourceSet:
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

    def add(self, summary: Briefing, key: str, summary_key: str, data: bytes | None) -> None:
        """Take one summary in, with its content key, summary key and pickle."""
        self.summaries.append(summary)
        if data:
            self.pickles[key] = data
        self.keys[summary.slug] = key
        self.summary_keys[summary.slug] = summary_key
        self.by_display[summary.source_path] = summary

    def reuse(self, display: str, state: SourceState) -> None:
        """Keep a source's summary from the previous build (taken by gather_summaries)."""
        self.states[display] = state
        self.reused.append(state)


def read_sources(paths: list[str], previous: BuildState | None, registry: dict,
                 parse: ParseInputs, root, displays: dict[str, str], run: ParseRun,
                 problems: list[Problem]) -> SourceSet:
    """Stat every source; parse only those whose bytes or parse inputs changed.

    ``displays`` maps each path to the path messages show, filled in as needed and
    kept by the caller between builds. Problems are appended to ``problems``.
    """
    reusable = previous is not None and previous.parse_key == parse.parse_key
    out = SourceSet()
    tasks = _stat_sources(paths, previous if reusable else None, root, displays, out, problems)
    job = ParseJob(ActorResolver(registry.values()), parse.options, run.cache.folder.parent,
                   parse.parse_key, use_cache=run.use_cache and _worth_looking(tasks, run.cache))
    progress = (lambda done, total: run.progress("parse", done, total)) \
        if run.progress else None
    results = parse_sources(tasks, job, run.jobs, run.executor_factory, progress, run.cache)
    with long_lived():   # thousands of summaries to unpickle
        for parsed in results:
            problems += parsed.errors
            if parsed.location is not None:
                run.cache.note({parsed.key: parsed.location})
            state = out.states.pop(parsed.display)
            out.parsed += parsed.parsed
            if parsed.unchanged:   # touched, same bytes
                old = previous.sources[parsed.display]
                out.reuse(parsed.display, state._replace(
                    key=old.key, summary_key=old.summary_key, warnings=old.warnings))
                continue
            if not parsed.summary_pickle:
                continue
            out.states[parsed.display] = state._replace(
                key=parsed.key, summary_key=parsed.summary_key, warnings=parsed.warnings)
            summary = pickle.loads(parsed.summary_pickle)
            out.add(summary, parsed.key, parsed.summary_key, parsed.summary_pickle)
            if parsed.full is not None:
                out.in_memory[summary.slug] = parsed.full
    return out


def _worth_looking(tasks: list[ParseTask], cache: BuildCache) -> bool:
    """Whether to look for the changed sources in the cache before parsing them: when
    its catalog is read already, or cheap to read next to the parsing it may save."""
    if not tasks:
        return False
    return cache.catalog_read or count_packs(cache.packs) <= len(tasks) * PACKS_PER_SOURCE


def _stat_sources(paths: list[str], previous: BuildState | None, root,
                  displays: dict[str, str], out: SourceSet,
                  problems: list[Problem]) -> list[ParseTask]:
    """Keep the sources whose stat is unchanged; the rest become parse tasks."""
    # A file modified this recently could change again within its timestamp's
    # granularity, keeping mtime and size: remember no mtime for it, so the next
    # build reads and hashes it again instead of trusting its stat (as git does).
    racy = time.time_ns() - source_walk.RACY_NS
    old_sources = previous.sources if previous is not None else {}
    old_summaries = previous.summaries.keys() if previous is not None else {}
    shown = display_paths(root)
    # Each source looked up from the site's folder by its shown path (relative when
    # inside it), not from the file system's root: less time in the kernel per file.
    folder = _open_folder(root) if os.stat in os.supports_dir_fd else None
    try:
        return _stat_each(paths, displays, shown, folder, old_sources, old_summaries,
                          out, problems, racy)
    finally:
        if folder is not None:
            os.close(folder)


def _open_folder(root) -> int | None:
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None


def _stat_each(paths: list[str], displays: dict[str, str], shown: Callable[[str], str],
               folder: int | None, old_sources: dict, old_summaries,
               out: SourceSet, problems: list[Problem], racy: int) -> list[ParseTask]:
    # The preview runs this loop after every save, over every source: names bound
    # once, and a source whose stat is unchanged costs a stat and three lookups.
    tasks: list[ParseTask] = []
    states, kept, stat = out.states, out.reused, os.stat
    for path in paths:
        display = displays.get(path)
        if display is None:
            display = displays[path] = shown(path)
        try:
            st = stat(display if folder is not None else path, dir_fd=folder)
        except OSError:
            problems.append(Problem(display, None, "file disappeared while building"))
            continue
        old = old_sources.get(display)
        known = old.key if old is not None and old.key in old_summaries else ""
        if (known and old.mtime_ns == st.st_mtime_ns and old.size == st.st_size
                and old.ctime_ns == st.st_ctime_ns):
            states[display] = old     # its summary is taken by gather_summaries
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
    return tasks


def gather_summaries(out: SourceSet, previous: BuildState | None,
                     last: SourceSet | None = None) -> None:
    """Add the summaries kept from the previous build and sort them all.

    ``last`` is the preview's previous outcome, made from the very state ``previous``:
    when few sources changed, its sorted summaries are patched instead.
    """
    if (last is not None and previous is not None and out.reused
            and len(out.redone) <= FEW_CHANGED and patch_summaries(out, last)):
        return
    if out.reused:
        summaries, pickles = previous.summaries, previous.summary_pickles
        add, keys, summary_keys = out.summaries.append, out.keys, out.summary_keys
        for state in out.reused:   # SourceSet.add, inlined: the preview does this per save
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


def patch_summaries(out: SourceSet, last: SourceSet) -> bool:
    """``gather_summaries`` for a preview rebuild after a few sources changed: copy the
    last build's sorted summaries and lookups and patch the changed sources in,
    instead of visiting thousands of summaries again. False, with ``out`` untouched,
    if anything does not add up."""
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
