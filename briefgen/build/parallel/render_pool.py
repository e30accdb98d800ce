"""Render planned pages and stage their files: in this process, or in forked workers.

Jinja2 is pure Python, so a large cold build spends most of its time rendering.
Workers are forked *after* the pages are planned: each inherits the plan, the site
index and the Jinja environment by copy-on-write (nothing of the site is pickled,
only page numbers going out and file states coming back), loads the full briefings
its pages show from the build cache, and writes straight into the staging folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefgen.build.incremental.cache import OutputState
from briefgen.build.incremental.store import BriefingStore
from briefgen.build.parallel.forked import can_fork
from briefgen.build.write import OutputWriter, Stager
from briefgen.render import Renderer
from briefgen.render.pages import Page

# Below this many pages to render, forking workers costs more than it saves. Forking
# costs more the larger the site a builder holds: about 1.2 s at 20,000 briefings (49,000
# planned pages), where rendering a page here takes 2-7 ms. So a build renders here
# unless it has at least one page to render per PAGES_PER_FORKED_PAGE planned.
PARALLEL_MIN_PAGES = 64
PAGES_PER_FORKED_PAGE = 100
CHUNK_PAGES = 24


@dataclass
class RenderJob:
    """What rendering a page needs; inherited by forked workers, never pickled."""

    pages: Sequence[Page]
    renderer: Renderer
    store: BriefingStore
    stager: Stager
    fingerprint: Callable[[Page], str]   # for pages planned without one (fresh builds)


Staged = tuple[str, OutputState, bool]   # path, its state, whether it was staged


def render_page(job: RenderJob, number: int, fingerprint: str | None) -> Staged:
    """Render page ``number`` with the full content it declares, and stage its file."""
    page = job.pages[number]
    if fingerprint is None:
        fingerprint = job.fingerprint(page)
    job.store.hydrate(page.full)
    try:
        html = job.renderer.render(page)
    finally:
        job.store.dehydrate(page.full)
    state, staged = job.stager.stage(page.path, html.encode("utf-8"), fingerprint)
    return page.path, state, staged


_worker_job: RenderJob | None = None   # set in each forked worker by _adopt


def _adopt(job: RenderJob) -> None:
    global _worker_job
    _worker_job = job


def _render_chunk(todo: list[tuple[int, str | None]]) -> list[Staged]:
    assert _worker_job is not None, "render worker started without a job"
    return [render_page(_worker_job, number, fingerprint) for number, fingerprint in todo]


def parallel_threshold(planned: int) -> int:
    """How many pages to render make forking workers pay, for a plan of ``planned``."""
    return max(PARALLEL_MIN_PAGES, planned // PAGES_PER_FORKED_PAGE)


def render_all(job: RenderJob, todo: list[tuple[int, str | None]], out: OutputWriter,
               jobs: int, progress: Callable[[int], None] | None = None) -> None:
    """Render every ``(page number, fingerprint)`` of ``todo`` and record it in ``out``;
    a fingerprint left None is worked out by whoever renders the page.

    In ``jobs`` forked processes when there is enough to do, else here. ``progress``
    gets the number of pages done so far.
    """
    for number, _ in todo:
        out.claim(job.pages[number].path)   # two pages, one path: refuse before writing
    if jobs <= 1 or len(todo) < parallel_threshold(len(job.pages)) or not can_fork():
        for done, (number, fingerprint) in enumerate(todo, 1):
            out.record(*render_page(job, number, fingerprint))
            if progress:
                progress(done)
        return
    chunks = [todo[i:i + CHUNK_PAGES] for i in range(0, len(todo), CHUNK_PAGES)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    job.renderer.preload()   # compiled once here, not once per worker
    context = multiprocessing.get_context("fork")
    done = 0
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_adopt, initargs=(job,))
    try:
        for staged in pool.map(_render_chunk, chunks):
            for item in staged:
                out.record(*item)
            done += len(staged)
            if progress:
                progress(done)
    finally:
        # On an error (a broken template) stop at once rather than render the rest.
        pool.shutdown(wait=True, cancel_futures=True)
