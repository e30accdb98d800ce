"""What changed since the last build, decided once, as data: :func:`classify`.

After the sources are read, a build is one of four kinds (:class:`ChangeKind`):
nothing changed; only briefing bodies changed and the saved outline places them;
only bodies changed and the preview's last plan in memory places them; or anything
else, which runs the whole pipeline. The orchestrator dispatches on the kind.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.incremental.cache import BuildState, digest
from briefgen.build.memory import SiteInputs
from briefgen.build.read import FEW_CHANGED, SourceSet
from briefgen.model import Briefing


class ChangeKind(enum.Enum):
    """How much of the last build a build can keep."""

    NOTHING = "nothing"                # every input as before, its output intact
    BODIES = "bodies"                  # body edits, placed by the saved site outline
    PREVIEW_BODIES = "preview-bodies"  # body edits, placed by the preview's last plan
    SITE = "site"                      # anything else: the whole pipeline


@dataclass(frozen=True)
class Change:
    """The kind of a build, with what its dispatch needs."""

    kind: ChangeKind
    edited: dict[str, Briefing] = field(default_factory=dict)  # BODIES: source -> summary


@dataclass
class PreviewPlan:
    """What a preview builder remembers of its last full build to redo only bodies."""

    site_key: str
    templates: dict[str, str]
    statics: str
    pages: list
    summary_keys: dict[str, str]         # source (as shown) -> summary key
    content_keys: dict[str, str]         # slug -> content key
    summaries: dict[str, Briefing]       # slug -> summary
    showing: dict[str, list[int]] | None = None   # slug -> pages showing it in full

    def pages_showing(self, slugs: set[str]) -> list[int]:
        """The numbers of the planned pages that show one of ``slugs`` in full, in order."""
        if self.showing is None:
            self.showing = {}
            for number, page in enumerate(self.pages):
                for slug in page.full:
                    self.showing.setdefault(slug, []).append(number)
        return sorted({n for slug in slugs for n in self.showing.get(slug, ())})


@dataclass(frozen=True)
class BuildFacts:
    """What :func:`classify` looks at."""

    previous: BuildState | None
    sources: SourceSet
    inputs: SiteInputs
    input_key: str
    output: Path
    trusted: bool    # the preview wrote the last output itself, and nothing else does
    outline: bool    # a saved outline may be used (builds that persist their state)
    plan: PreviewPlan | None


def classify(facts: BuildFacts) -> Change:
    """The kind of this build: what of the last one it can keep."""
    previous = facts.previous
    if previous is not None and (previous.schedule is None
                                 or previous.schedule.crossed(facts.inputs.now)):
        # Time is an input: a scheduled, embargoed or expiring briefing changed the set
        # of published briefings since the last full build (no file changed).
        return Change(ChangeKind.SITE)
    if previous is not None and previous.input_key == facts.input_key and (
            facts.trusted or intact(facts.output, previous)):
        return Change(ChangeKind.NOTHING)
    if facts.outline and previous is not None:
        edited = _outline_edits(facts, previous)
        if edited is not None:
            return Change(ChangeKind.BODIES, edited)
    plan = facts.plan
    if (facts.trusted and plan is not None and facts.output.is_dir()
            and (plan.site_key, plan.templates, plan.statics) == facts.inputs.keys
            and plan.summary_keys == summary_keys(facts.sources)):
        return Change(ChangeKind.PREVIEW_BODIES)
    return Change(ChangeKind.SITE)


def summary_keys(sources: SourceSet) -> dict[str, str]:
    """Each source's summary key (a summary's key covers its slug and source path)."""
    return {display: state.summary_key for display, state in sources.states.items()}


def _outline_edits(facts: BuildFacts, previous: BuildState) -> dict[str, Briefing] | None:
    """The edited sources and their new summaries when every change is a body edit
    that the last full build's outline can place (every summary as before, no source
    added or removed, the config, registry, templates and static files as then, the
    output untouched); None otherwise."""
    outline, sources = previous.outline, facts.sources
    if (outline is None or previous.related is None or not previous.outputs
            or (outline.site_key, outline.templates, outline.statics_key) != facts.inputs.keys
            or sources.states.keys() != previous.sources.keys()
            or len(sources.redone) > FEW_CHANGED):
        return None
    edited: dict[str, Briefing] = {}
    for display in sources.redone:
        old, now = previous.sources[display], sources.states[display]
        if now.key == old.key:
            continue   # touched, same bytes
        summary = sources.by_display.get(display)
        if (summary is None or now.summary_key != old.summary_key
                or summary.slug in outline.full_elsewhere):
            return None
        edited[display] = summary
    if any(sources.states[d].key not in sources.pickles for d in edited):
        return None
    return edited if intact(facts.output, previous) else None


def input_key(inputs: SiteInputs, sources: SourceSet) -> str:
    """One digest of everything the output depends on."""
    parts = [inputs.site_key, *(f"{n}={k}" for n, k in sorted(inputs.templates.items()))]
    parts += [f"{d}={s.key}" for d, s in sorted(sources.states.items())]
    parts.append(inputs.statics_key)
    return digest(*parts)


def intact(output: Path, state: BuildState) -> bool:
    """True when every file the last build wrote is still there, untouched."""
    if not state.outputs:
        return True
    if os.stat not in os.supports_dir_fd:
        return _intact(state, str(output) + os.sep, None)
    # 100,000s of files: each looked up from the output folder, not from the root
    # (a third less time in the kernel than a whole path each).
    try:
        folder = os.open(output, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return _intact(state, "", folder)
    finally:
        os.close(folder)


def _intact(state: BuildState, prefix: str, folder: int | None) -> bool:
    stat = os.stat
    for rel, out in state.outputs.items():
        try:
            st = stat(prefix + rel, dir_fd=folder)
        except OSError:
            return False
        if st.st_size != out.size or st.st_mtime_ns != out.mtime_ns:
            return False
    return True
