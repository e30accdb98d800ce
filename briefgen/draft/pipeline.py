"""Drafting one article: read it, find the suggestions, write the source.

The steps read like the result: blocks -> actors -> figures -> quotes ->
enumerations -> gist -> emit. Each lives in its own module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from briefgen.draft.actors import ActorInfo, find_actors
from briefgen.draft.cleanup import glued_headline, repair
from briefgen.draft.emit import body, front_matter
from briefgen.draft.figures import find_figures
from briefgen.draft.gist import Sentence, make_gist
from briefgen.draft.quotes import find_quotes
from briefgen.draft.recogniser import Recogniser
from briefgen.draft.sentences import Block, split_blocks, split_sentences
from briefgen.draft.sidebars import find_enumerations
from briefgen.draft.spans import Suggestion, without_overlaps
from briefgen.errors import Problem, SourceError
from briefgen.files import read_regular
from briefgen.model import Actor
from briefgen.sources.text import decode_source

MAX_DRAFT_BYTES = 2 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_ANNOTATED = re.compile(r"\]\{\.(?:actor|figure|quote)\b|^:::", re.MULTILINE)
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_FULL_DATE = re.compile(
    r"\b(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2}) ([A-Z][a-z]+) (\d{4})|([A-Z][a-z]+) (\d{1,2}), (\d{4}))\b")


@dataclass
class Draft:
    """A drafted source and what it found; ``unchanged`` when the input was annotated."""

    text: str
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # the suggestions' offsets refer here
    unchanged: bool = False

    @property
    def new_actors(self) -> list[ActorInfo]:
        """Actors the draft refers to that the registry does not have."""
        return [a for a in self.actors.values() if not a.linked]


def _too_large(display: str, size: int) -> Problem:
    return Problem(display, None, f"too large to draft ({size:,} bytes; the limit is "
                                  f"{MAX_DRAFT_BYTES // (1024 * 1024)} MiB); is this one article?")


def read_article(path: Path, display: str) -> str:
    """Decode an article for drafting; empty, binary, oversized files and anything but
    a regular file (a FIFO, /dev/zero, a terminal) are errors; never reads more than
    the limit."""
    data = read_regular(path, display, MAX_DRAFT_BYTES, oversize=partial(_too_large, display))
    text = decode_source(data, display)
    if not text.strip():
        raise SourceError(display, None, "empty file: nothing to draft")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > 8:
        raise SourceError(display, None, "looks like a binary file, expected text")
    return text


def is_annotated(text: str) -> bool:
    """A source that already has front matter or annotation spans."""
    if text.startswith("---\n") and re.search(r"^(?:---|\.\.\.)\s*$", text[4:], re.MULTILINE):
        return True
    return bool(_ANNOTATED.search(text))


def _headline(blocks: list[Block], markdown: bool) -> str:
    """Take a leading headline (a block of its own, or glued to the first sentence)
    out of ``blocks`` and return its text."""
    if not blocks:
        return ""
    first = blocks[0]
    if markdown and first.kind == "heading" and re.match(r"#\s", first.text):
        blocks.pop(0)
        return first.text.lstrip("#").strip()
    glued = glued_headline(first.text) if first.kind == "para" and first.annotate else 0
    if glued:
        blocks[0] = Block(first.text[glued:], first.annotate, first.kind)
        return " ".join(first.text[:glued].split())
    words = first.text.split()
    if first.kind == "para" and 0 < len(words) <= 14 and not first.text.rstrip().endswith(
            (".", "!", "?", ":", "”", '"')) and len(blocks) > 1:
        blocks.pop(0)
        return " ".join(words)
    return ""


def find_date(blocks: list[Block]) -> dt.date | None:
    """The first full date in the first two paragraphs (a dateline), if any."""
    for block in blocks[:2]:
        for m in _FULL_DATE.finditer(block.text):
            try:
                if m.group(1):
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                day, month, year = (m.group(4), m.group(5), m.group(6)) if m.group(4) else (
                    m.group(8), m.group(7), m.group(9))
                if month.lower() in _MONTHS:
                    return dt.date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
            except ValueError:
                continue
    return None


def _sentences(blocks: list[Block], items: list[Suggestion]) -> list[Sentence]:
    """The article's sentences, each with the distinct actors and the figures the
    drafter found in it (one merge pass over sentences and sorted suggestions)."""
    found = sorted((s for s in items if s.kind in ("actor", "figure")),
                   key=lambda s: (s.block, s.start))
    result: list[Sentence] = []
    k = 0
    for n, block in enumerate(blocks):
        if not (block.kind == "para" and block.annotate):
            continue
        for start, end in split_sentences(block.text):
            while k < len(found) and (found[k].block, found[k].start) < (n, start):
                k += 1
            refs: set[str] = set()
            figures = 0
            while k < len(found) and (found[k].block, found[k].start) < (n, end):
                if found[k].kind == "figure":
                    figures += 1
                else:
                    refs.add(found[k].attr("ref"))
                k += 1
            result.append(Sentence(block.text[start:end], len(refs), figures))
    return result


def _referenced(items: list[Suggestion]) -> set[str]:
    return {s.attr("ref") or s.attr("by") for s in items} - {""}


def draft_text(text: str, *, registry: dict[str, Actor], markdown: bool = False,
               today: dt.date | None = None, source: dict[str, str] | None = None,
               local_actors: bool = True, recogniser: Recogniser | None = None) -> Draft:
    """Draft an annotated briefing source from a raw article's text.

    ``local_actors``: define new actors in the draft's front matter (so it builds on
    its own); off when they are added to the registry instead. ``recogniser``: an
    optional entity recogniser whose labels settle people, organisations and places.
    """
    if is_annotated(text):
        return Draft(text, unchanged=True)
    blocks = split_blocks(repair(text), markdown)
    headline = _headline(blocks, markdown)
    hints = recogniser.hints(blocks) if recogniser is not None else None
    found = find_actors(blocks, registry, hints)
    items = found.suggestions + find_figures(blocks)
    items += find_quotes(blocks, found.mentions)
    items = without_overlaps(items)
    used = _referenced(items)
    actors = {k: v for k, v in found.actors.items() if k in used}
    gist = make_gist(_sentences(blocks, items), headline)
    date = find_date(blocks) or today or dt.date.today()
    local = [a for a in actors.values() if not a.linked] if local_actors else []
    head = front_matter(gist, date, local, source)
    out = head + "\n" + body(blocks, items, find_enumerations(blocks), not markdown)
    return Draft(out, actors=actors, suggestions=items, blocks=blocks)
