"""Fan the per-briefing work (decode, parse, annotate, cache) out over an Executor.

Workers store the full parsed briefings of each chunk in one cache pack themselves
and send back only the compact summaries and where the packs hold the rest, so the
main process never holds every briefing's HTML.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.build.incremental.cache import BuildCache, digest
from briefgen.build.incremental.packs import Location, PackWriter
from briefgen.build.parse import ParseOptions, parse_text
from briefgen.cachekey import Seal
from briefgen.errors import Problem, SourceError, display_path
from briefgen.model import Briefing, coarse_word_count
from briefgen.render.search_index import own_words
from briefgen.sources.actors import ActorResolver
from briefgen.sources.text import decode_source, read_source_bytes

if TYPE_CHECKING:
    from concurrent.futures import Executor

INLINE_CHUNK = 16   # sources parsed in this process per pack (and progress step)


@dataclass(frozen=True)
class ParseTask:
    """One source whose stat changed: the worker reads and hashes it, then parses it
    unless its content key is ``known_key`` (the bytes did not change after all)."""

    display: str
    path: str
    known_key: str = ""


@dataclass(frozen=True)
class ParseJob:
    """What every task of one build shares; picklable, sent with each chunk."""

    resolver: ActorResolver
    options: ParseOptions
    cache_root: Path
    parse_key: str = ""        # digest of everything parsing reads besides the file
    use_cache: bool = True     # take briefings another build parsed from the cache
    # The builder's cache seal: workers seal and check packs with the builder's key
    # (sent through the pool's pipe, never through a file).
    seal: Seal | None = field(default=None, repr=False)


@dataclass
class ParsedSource:
    """The compact result of one task: a summary (None on errors) and problems."""

    display: str
    key: str = ""                         # content key ("" when the file was unreadable)
    unchanged: bool = False               # same bytes as known: nothing was done
    parsed: bool = False                  # parsed now (not taken from the cache)
    summary_pickle: bytes = b""           # the pickled summary (empty on errors)
    summary_key: str = ""
    location: Location | None = None      # where the cache holds it, if it does
    full: Briefing | None = None          # only kept when parsed in-process
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def summarize(briefing: Briefing) -> Briefing:
    """The compact copy listing pages need: no body HTML, text, sidebars or sections,
    and the word count only to the reading minute, so editing a sentence does not
    change what listing pages show; with its search words folded once."""
    return dataclasses.replace(briefing, body_html="", text="", sidebars=[], sections=[],
                               word_count=coarse_word_count(briefing.word_count),
                               search_words=own_words(briefing))


def pickle_summary(briefing: Briefing) -> tuple[bytes, str]:
    """The pickled summary of a full briefing and its digest: the key of what listing
    pages may show of it."""
    data = pickle.dumps(summarize(briefing), protocol=pickle.HIGHEST_PROTOCOL)
    return data, digest(data)


def _read(task: ParseTask, result: ParsedSource) -> bytes | None:
    try:
        return read_source_bytes(task.path, task.display)
    except SourceError as exc:
        result.errors.append(exc.problem)
    return None


def _from_cache(task: ParseTask, cache: BuildCache, result: ParsedSource) -> bool:
    """Take the summary another build stored for these bytes (serve, another output)."""
    found = cache.load_summary(result.key)
    if found is None or found[0].source_path != task.display:
        return False
    result.summary_pickle, result.summary_key = found[1], digest(found[1])
    result.location = cache.locate(result.key)
    return True


def _parse_one(task: ParseTask, job: ParseJob, cache: BuildCache, pack: PackWriter,
               keep_full: bool) -> ParsedSource:
    result = ParsedSource(task.display)
    data = _read(task, result)
    if data is None:
        return result
    # The path is part of the key: two files with the same bytes are two briefings.
    result.key = digest(job.parse_key, task.display, data)
    if result.key == task.known_key:
        result.unchanged = True
        return result
    if job.use_cache and _from_cache(task, cache, result):
        return result
    try:
        text = decode_source(data, task.display)
    except SourceError as exc:
        result.errors.append(exc.problem)
        return result
    result.parsed = True
    parsed = parse_text(text, task.display, job.resolver, job.options)
    result.errors, result.warnings = parsed.errors, parsed.warnings
    if parsed.briefing is not None:
        result.summary_pickle, result.summary_key = pickle_summary(parsed.briefing)
        pack.add(result.key, cache.pack_entry(parsed.briefing), result.summary_pickle)
        if keep_full:
            result.full = parsed.briefing
    return result


def parse_chunk(tasks: Sequence[ParseTask], job: ParseJob, keep_full: bool = False,
                cache: BuildCache | None = None) -> list[ParsedSource]:
    """Read, hash and parse a chunk of sources (runs in a worker process, or inline
    with the builder's ``cache``), storing what it parsed in one cache pack."""
    cache = cache or BuildCache(job.cache_root, job.seal)
    pack = cache.pack_writer()
    results = [_parse_one(task, job, cache, pack, keep_full) for task in tasks]
    try:
        locations = pack.close()
    except OSError as exc:
        where = display_path(cache.packs, job.cache_root)
        results[-1].errors.append(Problem(where, None, f"cannot write the build cache: "
                                         f"{exc.strerror}; check that the folder is "
                                         "writable and the disk has room"))
        return results
    for result in results:
        if result.key in locations:
            result.location = locations[result.key]
    return results


def default_jobs() -> int:
    """The machine's cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def parse_sources(tasks: list[ParseTask], job: ParseJob, jobs: int,
                  executor_factory: Callable[[int], Executor] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cache: BuildCache | None = None) -> Iterator[ParsedSource]:
    """Parse every task, in parallel when it pays; results come in task order, each
    chunk's as soon as it is done, so the caller takes them in while workers parse.
    Parsed in this process, the tasks share ``cache`` (its catalog of packs, once read)."""
    if not tasks:
        return
    if cache is not None and job.seal is None:
        job = dataclasses.replace(job, seal=cache.seal)
    if jobs <= 1 or len(tasks) < 16:
        done = 0
        for i in range(0, len(tasks), INLINE_CHUNK):
            chunk = parse_chunk(tasks[i:i + INLINE_CHUNK], job, True, cache)
            done += len(chunk)
            if progress:
                progress(done, len(tasks))
            yield from chunk
        return
    size = max(4, min(64, len(tasks) // (jobs * 8) or 1))
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    # Imported here: a build that parses a few sources never starts a process.
    from concurrent.futures import ProcessPoolExecutor

    # Workers are forked while the caller takes results in with the garbage collector
    # off (see build._long_lived); they parse with it on.
    factory = executor_factory or (
        lambda n: ProcessPoolExecutor(max_workers=n, initializer=gc.enable))
    with factory(jobs) as executor:
        done = 0
        for chunk_result in executor.map(parse_chunk, chunks, [job] * len(chunks)):
            done += len(chunk_result)
            if progress:
                progress(done, len(tasks))
            yield from chunk_result
