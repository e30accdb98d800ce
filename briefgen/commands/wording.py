"""Counts as the commands print them: "1 briefing", "2 briefings", "1,204 pages"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """``count`` and ``noun``, plural unless the count is one, thousands separated."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
