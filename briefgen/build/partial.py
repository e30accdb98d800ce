"""Body-only builds: render again just the pages that show an edited briefing in full.

When every change is an edit to briefing bodies (see ``changes.classify``), the
pages to redo are known without indexing and planning the whole site: from the
saved outline of the last full build (:func:`place_edits`, ``briefgen build``) or
from the preview's last plan in memory (:func:`plan_edits`, ``briefgen serve``).
Both render over the last output and keep every other file it wrote
(:func:`render_over`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from briefgen.build.changes import PreviewPlan
from briefgen.build.incremental.cache import BuildCache, BuildState, LazySummaries
from briefgen.build.incremental.fingerprint import PageFingerprints
from briefgen.build.incremental.outline import plan_body_edits
from briefgen.build.incremental.store import BriefingStore
from briefgen.build.memory import SiteInputs
from briefgen.build.parallel.render_pool import RenderJob, render_all
from briefgen.build.read import SourceSet
from briefgen.build.write import OutputWriter
from briefgen.config import SiteConfig
from briefgen.model import Briefing
from briefgen.render import Renderer

Todo = list[tuple[int, "str | None"]]


@dataclasses.dataclass(frozen=True)
class Edits:
    """The pages to render again after body edits, and what renders them."""

    pages: list
    todo: Todo
    store: BriefingStore
    fingerprint: PageFingerprints


def place_edits(config: SiteConfig, previous: BuildState, sources: SourceSet, registry: dict,
                inputs: SiteInputs, edited: dict[str, Briefing],
                cache: BuildCache, authors: dict | None = None) -> Edits | None:
    """The edited briefings' own pages, placed in the site by the last build's outline
    (None when the outline cannot place them: then build in full); ``authors`` are
    the site's bylines."""
    outline = previous.outline

    def summary_of(slug: str) -> Briefing | None:
        display = outline.displays.get(slug)
        if display in edited:
            return edited[display]
        state = previous.sources.get(display)
        return previous.summaries.get(state.key) if state is not None else None

    pages = plan_body_edits(config, outline, list(edited.values()), registry,
                            previous.related.related, summary_of, authors or {})
    if pages is None:
        return None
    named = {slug for page in pages for slug in (*page.sources, *page.full)}
    states = [(slug, sources.states.get(outline.displays.get(slug, ""))) for slug in named]
    if any(state is None for _, state in states):
        return None
    fingerprint = PageFingerprints(inputs.site_key, inputs.templates,
                                   {s: st.summary_key for s, st in states},
                                   {s: st.key for s, st in states})
    store = BriefingStore(cache, {b.slug: b for b in edited.values()},
                          {b.slug: sources.keys[b.slug] for b in edited.values()},
                          sources.in_memory)
    return Edits(pages, [(n, None) for n in range(len(pages))], store, fingerprint)


def state_after_placed(previous: BuildState, sources: SourceSet, edited: dict[str, Briefing],
                       outputs: dict, input_key: str, **memos) -> BuildState:
    """The state after a body-only build placed by the outline: the last full build's,
    with the edited sources' keys and summaries."""
    pickles = previous.summary_pickles.copy()   # of the summaries file: none is read
    for display in edited:
        pickles.pop(previous.sources[display].key, None)
        key = sources.states[display].key
        pickles[key] = sources.pickles[key]
    return dataclasses.replace(
        previous, input_key=input_key, sources=sources.states, outputs=outputs,
        summaries=LazySummaries(pickles), summary_pickles=pickles, **memos)


def plan_edits(plan: PreviewPlan, sources: SourceSet, cache: BuildCache) -> Edits:
    """The pages of the preview's last plan that show a changed briefing in full.

    Exact, not a guess: a page's fingerprint depends on the summaries it lists and
    the full content it shows, and only the latter changed.
    """
    changed = {slug for slug, key in sources.keys.items() if plan.content_keys[slug] != key}
    # Keep the summary objects the planned pages refer to (their content is equal).
    store = BriefingStore(cache, plan.summaries, sources.keys, sources.in_memory)
    todo = [(number, None) for number in plan.pages_showing(changed)]
    # Fingerprints need only the keys of the briefings these pages name.
    named = {slug for number, _ in todo
             for slug in (*plan.pages[number].sources, *plan.pages[number].full)}
    fingerprint = PageFingerprints(
        plan.site_key, plan.templates,
        {slug: sources.summary_keys[slug] for slug in named if slug in sources.summary_keys},
        {slug: sources.keys[slug] for slug in named if slug in sources.keys})
    return Edits(plan.pages, todo, store, fingerprint)


def state_after_planned(previous: BuildState, plan: PreviewPlan, sources: SourceSet,
                        outputs: dict, input_key: str) -> BuildState:
    """The state after a body-only build from the preview's plan."""
    plan.content_keys = dict(sources.keys)
    return dataclasses.replace(
        previous, input_key=input_key, sources=sources.states, outputs=outputs,
        summaries={sources.keys[slug]: summary for slug, summary in plan.summaries.items()},
        summary_pickles=sources.pickles)


def render_over(config: SiteConfig, previous: BuildState, edits: Edits, renderer: Renderer,
                jobs: int, progress: Callable[[int], None] | None,
                trusted: bool = False) -> OutputWriter:
    """Render ``edits`` over the last build's output, keeping every other file it
    wrote, and commit."""
    with OutputWriter(config.output_path, previous.outputs, trust_previous=trusted) as out:
        job = RenderJob(edits.pages, renderer, edits.store, out.stager, edits.fingerprint)
        render_all(job, edits.todo, out, jobs, progress)
        out.keep_the_rest()
        out.commit()
    return out
