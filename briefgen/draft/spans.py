"""The suggestions the drafter makes: spans to wrap in a block's text."""

from __future__ import annotations

from bisect import bisect_left
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
    """Spans may not nest: keep quotes over figures over actors, then the earlier one.

    The kept spans of a block are disjoint, so one bisect finds the only one that
    could overlap a new span: a long one-paragraph article stays fast.
    """
    chosen: list[Suggestion] = []
    taken: dict[int, tuple[list[int], list[int]]] = {}
    for item in sorted(suggestions, key=lambda s: (PRIORITY[s.kind], s.block, s.start)):
        starts, ends = taken.setdefault(item.block, ([], []))
        i = bisect_left(starts, item.end)
        if i > 0 and ends[i - 1] > item.start:
            continue
        starts.insert(i, item.start)
        ends.insert(i, item.end)
        chosen.append(item)
    return sorted(chosen, key=lambda s: (s.block, s.start))
