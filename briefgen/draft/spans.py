"""The suggestions the drafter makes: spans to wrap in a block's text."""

from __future__ import annotations

from dataclasses import dataclass

PRIORITY = {"quote": 0, "figure": 1, "actor": 2}


@dataclass(frozen=True)
class Suggestion:
    """Wrap ``text[start:end]`` of block ``block`` as ``[…]{.kind attrs}``."""

    block: int
    start: int
    end: int
    kind: str  # actor | figure | quote
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str:
        """The value of one attribute, or ''."""
        return dict(self.attrs).get(key, "")


def without_overlaps(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Spans may not nest: keep quotes over figures over actors, then the earlier one."""
    chosen: list[Suggestion] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    for item in sorted(suggestions, key=lambda s: (PRIORITY[s.kind], s.block, s.start)):
        ranges = taken.setdefault(item.block, [])
        if any(item.start < end and start < item.end for start, end in ranges):
            continue
        ranges.append((item.start, item.end))
        chosen.append(item)
    return sorted(chosen, key=lambda s: (s.block, s.start))
