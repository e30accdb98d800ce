"""What the site model adds to an output check: each page's source, and annotation problems.

Annotation problems are found on the model, not the HTML: figures whose value could
not be parsed, actor pages that list no briefing, and quotes or mentions naming an
actor that exists nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.check.report import CheckProblem
from briefgen.errors import BriefgenError
from briefgen.indexes import SiteIndex
from briefgen.model import Actor, Briefing
from briefgen.sources.text import read_source_text


def briefing_page(slug: str) -> str:
    return f"briefings/{slug}/index.html"


def actor_page(actor_id: str) -> str:
    return f"actors/{actor_id}/index.html"


@dataclass
class SiteFacts:
    """Page → source file, plus the problems only the model can see."""

    root: Path
    page_sources: dict[str, str] = field(default_factory=dict)
    page_lines: dict[str, int] = field(default_factory=dict)
    problems: list[CheckProblem] = field(default_factory=list)
    _texts: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def locate(self, problem: CheckProblem) -> CheckProblem:
        """The problem with its page's source file, and the line naming its subject if any."""
        source = self.page_sources.get(problem.page)
        if source is None or problem.source is not None:
            return problem
        line = self._find_line(source, problem.subject) or self.page_lines.get(problem.page)
        return problem.located(source, line)

    def _find_line(self, source: str, subject: str) -> int | None:
        if not subject:
            return None
        if source not in self._texts:
            path = Path(source) if Path(source).is_absolute() else self.root / source
            try:
                self._texts[source] = read_source_text(path, source).splitlines()
            except BriefgenError:
                self._texts[source] = []
        for number, text in enumerate(self._texts[source], 1):
            if subject in text:
                return number
        return None


def registry_lines(text: str) -> dict[str, int]:
    """Line of each top-level ``id:`` key in actors.yaml (for pointing at an actor)."""
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"""^(['"]?)([\w-]+)\1\s*:""", line)
        if match:
            lines.setdefault(match.group(2), number)
    return lines


def _local_definer(briefings: list[Briefing], actor_id: str) -> Briefing | None:
    return next((b for b in briefings if actor_id in b.local_actors), None)


def annotation_problems(briefing: Briefing, known: set[str]) -> list[CheckProblem]:
    """Unparsed figures, and quotes or mentions naming an actor defined nowhere."""
    page, source = briefing_page(briefing.slug), briefing.source_path
    problems = []
    for figure in briefing.figures:
        if figure.parsed.kind is None:
            label = f" ({figure.label})" if figure.label else ""
            problems.append(CheckProblem(page, f"figure '{figure.text}'{label}: the value "
                                               "cannot be parsed as a number, amount, "
                                               "percentage, duration or date",
                                         source, figure.line or None, figure.text))
    for mention in briefing.mentions:
        if mention.actor_id not in known and mention.actor_id not in briefing.local_actors:
            problems.append(CheckProblem(page, f"actor mention refers to '{mention.actor_id}', "
                                               "which is not in the registry or front matter",
                                         source, mention.first_line or None, mention.actor_id))
    for quote in briefing.quotes:
        if quote.by and quote.by not in known and quote.by not in briefing.local_actors:
            problems.append(CheckProblem(page, f"quote attributed to '{quote.by}', which is "
                                               "not in the registry or front matter",
                                         source, quote.line or None, quote.by))
    return problems


def facts_from_model(root: Path, index: SiteIndex, registry: dict[str, Actor],
                     actors_source: str, actors_text: str = "") -> SiteFacts:
    """Source of every page the model knows, and its annotation problems."""
    facts = SiteFacts(root)
    id_lines = registry_lines(actors_text)
    known = set(index.actors)
    for briefing in index.briefings:
        facts.page_sources[briefing_page(briefing.slug)] = briefing.source_path
        facts.problems += annotation_problems(briefing, known)
    for actor_id, entry in index.actors.items():
        page = actor_page(actor_id)
        if actor_id in registry:
            facts.page_sources[page] = actors_source
            if actor_id in id_lines:
                facts.page_lines[page] = id_lines[actor_id]
        else:
            definer = _local_definer(index.briefings, actor_id)
            if definer is not None:
                facts.page_sources[page] = definer.source_path
        if not entry.briefings:
            facts.problems.append(CheckProblem(
                page, f"actor page lists no briefings: '{actor_id}' is defined but no "
                      "published briefing mentions it",
                facts.page_sources.get(page), facts.page_lines.get(page), actor_id))
    return facts
