"""The newsroom's own sections: which ``::: name`` blocks a briefing may hold, their
headings, their order and where on the page each goes (``sections:`` in briefgen.yaml).

Without ``sections:`` a site has today's set: ``why-it-matters`` after the gist,
``whats-next`` and ``background`` after the story. A desk declares its own, e.g.
Axios-style ``big-picture`` and ``go-deeper``; a block no entry declares is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Where a section goes: ``lead`` after the gist, ``main`` after the story (before the
# quotes and sources), ``aside`` beside the story with the sidebars (after it on phones).
PLACEMENTS = ("lead", "main", "aside")
SECTION_KEYS = ("name", "heading", "placement")
RESERVED = ("sidebar",)
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class SectionSpec:
    """One declared section: its div name, default heading and placement."""

    name: str
    heading: str
    placement: str = "main"


DEFAULT_SECTIONS = (
    SectionSpec("why-it-matters", "Why it matters", "lead"),
    SectionSpec("whats-next", "What's next", "main"),
    SectionSpec("background", "Background", "main"),
)


def parse_sections(value: Any, problem: Callable[[str], None]) -> tuple[SectionSpec, ...]:
    """``sections:``, a list of ``{name, heading, placement}`` in the order to render."""
    example = "e.g. - {name: big-picture, heading: The big picture, placement: lead}"
    if not isinstance(value, list) or not value:
        problem(f"'sections' must be a list of sections ({example})")
        return DEFAULT_SECTIONS
    specs: list[SectionSpec] = []
    for number, item in enumerate(value, 1):
        where = f"sections[{number}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            problem(f"'{where}' must be a mapping ({example})")
            continue
        unknown = [str(k) for k in item if str(k) not in SECTION_KEYS]
        for key in unknown:
            problem(f"unknown key '{where}.{key}' (a section has {', '.join(SECTION_KEYS)})")
        name, heading = item.get("name"), item.get("heading")
        placement = item.get("placement", "main")
        if not isinstance(name, str) or not _NAME.match(name):
            problem(f"'{where}.name' must be a lowercase name with hyphens (big-picture)")
            continue
        if name in RESERVED or any(spec.name == name for spec in specs):
            problem(f"'{where}': the section '{name}' is "
                    + ("reserved" if name in RESERVED else "declared twice"))
            continue
        if heading is None:   # a default section keeps its heading; others: from the name
            known = next((spec for spec in DEFAULT_SECTIONS if spec.name == name), None)
            heading = known.heading if known else name.replace("-", " ").capitalize()
        if not isinstance(heading, str) or not heading.strip():
            problem(f"'{where}.heading' must be text")
            continue
        if placement not in PLACEMENTS:
            problem(f"'{where}.placement' must be one of {', '.join(PLACEMENTS)}, "
                    f"not '{placement}'")
            continue
        specs.append(SectionSpec(name, heading.strip(), placement))
    return tuple(specs) or DEFAULT_SECTIONS
