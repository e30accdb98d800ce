"""Precision and recall of drafted spans against hand-made labels.

Shared by the project's own test articles and the labelled public news corpus.
Texts match when one contains the other after normalising quotes, case, spaces
and mojibake ("Â£5m" is "£5m").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    """True positives, false positives and false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def normalise(text: str) -> str:
    """Case-, quote- and space-insensitive form of a span's text."""
    text = text.replace("Â£", "£").replace("â‚¬", "€").replace("’", "'").replace("''", "")
    return " ".join(text.strip("“”\"' .,").split()).casefold()


def overlap(a: str, b: str) -> bool:
    """Whether two span texts refer to the same span (one contains the other)."""
    a, b = normalise(a), normalise(b)
    return bool(a) and bool(b) and (a in b or b in a)


def match_texts(expected: list[str], found: list[str]) -> Score:
    """One-to-one matching of expected texts to found span texts."""
    score = Score()
    unmatched = list(found)
    for item in expected:
        hit = next((f for f in unmatched if overlap(item, f)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(item)
        else:
            score.tp += 1
            unmatched.remove(hit)
    score.fp = len(unmatched)
    score.extras = unmatched
    return score
