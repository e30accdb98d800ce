"""Splitting a raw article into blocks, sentences and word tokens, with offsets.

Offsets are into each block's own text, so annotations can be inserted later
without re-parsing. Everything here is a single left-to-right pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "st", "sen", "rep", "gen", "col", "lt", "sgt", "gov", "prof", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "approx"])

_SENTENCE_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"'(\[]{0,2}[A-Z0-9])")
_WORD = re.compile(r"\w+(?:(?:[’'&.-])\w+)*")
_POSSESSIVE = re.compile(r"[’']s$")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass
class Block:
    """One paragraph (or passed-through Markdown block) of the article."""

    text: str
    annotate: bool = True
    kind: str = "para"  # para | heading | code | raw


@dataclass(frozen=True)
class Token:
    """A word: its text (possessive ``’s`` stripped) and offsets in the block."""

    text: str
    start: int
    end: int
    sentence: int


def _block_kind(chunk: str) -> str:
    first = chunk.lstrip()
    if first.startswith("#"):
        return "heading"
    if _FENCE.match(first) or chunk.startswith("    "):
        return "code"
    if first.startswith(("<", "|", ":::")):
        return "raw"
    return "para"


def split_blocks(text: str, markdown: bool) -> list[Block]:
    """Paragraphs of the article.

    Markdown: blocks separated by blank lines (fenced code kept whole and never
    annotated). Plain text: the same when it has blank lines, else one paragraph
    per line, as in pasted articles; wrapped lines of a paragraph are joined.
    """
    if not markdown:
        chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
        return [Block(" ".join(c.split())) for c in chunks if c.strip()]
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if _FENCE.match(lines[i].lstrip()):
            j = i + 1
            while j < len(lines) and not _FENCE.match(lines[j].lstrip()):
                j += 1
            blocks.append(Block("\n".join(lines[i:j + 1]), annotate=False, kind="code"))
            i = j + 1
            continue
        j = i
        while j < len(lines) and lines[j].strip() and not _FENCE.match(lines[j].lstrip()):
            j += 1
        chunk = "\n".join(lines[i:j])
        kind = _block_kind(chunk)
        blocks.append(Block(chunk, annotate=kind in ("para", "heading"), kind=kind))
        i = j
    return blocks


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` closes an abbreviation or an initial."""
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].lower().rstrip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def tokenize(text: str, sentences: list[tuple[int, int]]) -> list[Token]:
    """Word tokens of a paragraph, each tagged with its sentence index."""
    tokens: list[Token] = []
    index = 0
    for match in _WORD.finditer(text):
        while index < len(sentences) - 1 and match.start() >= sentences[index][1]:
            index += 1
        word = match.group()
        end = match.end()
        possessive = _POSSESSIVE.search(word)
        if possessive and len(word) > 2:
            word = word[:possessive.start()]
            end = match.start() + len(word)
        if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word) and text[end:end + 1] == ".":
            word += "."
            end += 1
        tokens.append(Token(word, match.start(), end, index))
    return tokens
