"""Enumerations ("First, … Second, … Third, …") proposed as a sidebar list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.draft.sentences import Block, split_sentences

_MARKERS = ("first", "second", "third", "fourth", "fifth", "sixth")
_MARKER = re.compile(r"^(first|second|third|fourth|fifth|sixth|finally|lastly)(?:ly)?,\s+",
                     re.IGNORECASE)
_TOPIC = re.compile(r"\b((?:(?:key|main|several|important|three|four|five)\s+)?"
                    r"(?:factors|points|reasons|steps|questions|issues|lessons|risks|"
                    r"challenges|priorities|considerations|options|areas|things))\b", re.IGNORECASE)


@dataclass
class Enumeration:
    """A run of enumerated sentences in one block: item offsets (without the marker)."""

    block: int
    start: int
    end: int
    title: str
    items: list[tuple[int, int]] = field(default_factory=list)


def _title(intro: str) -> str:
    match = _TOPIC.search(intro)
    if not match:
        return "Key points"
    text = match.group(1)
    return text[:1].upper() + text[1:]


def _enumeration(block: int, text: str) -> Enumeration | None:
    sentences = split_sentences(text)
    items: list[tuple[int, int]] = []
    first_sentence = None
    for k, (start, end) in enumerate(sentences):
        match = _MARKER.match(text[start:end])
        expected = _MARKERS[len(items)] if len(items) < len(_MARKERS) else None
        word = match.group(1).lower() if match else ""
        if match and (word == expected or (items and word in ("finally", "lastly"))):
            if not items:
                first_sentence = k
            items.append((start + match.end(), end))
        elif len(items) >= 2:
            break
        else:
            items = []
    if len(items) < 2 or first_sentence is None:
        return None
    intro = text[sentences[first_sentence - 1][0]:sentences[first_sentence - 1][1]] \
        if first_sentence else ""
    return Enumeration(block, sentences[first_sentence][0], items[-1][1], _title(intro), items)


def find_enumerations(blocks: list[Block]) -> list[Enumeration]:
    """At most one enumeration per paragraph."""
    found = []
    for number, block in enumerate(blocks):
        if block.annotate and block.kind == "para":
            enumeration = _enumeration(number, block.text)
            if enumeration is not None:
                found.append(enumeration)
    return found
