"""Finding quoted speech and its speaker.

A quote is text in curly or straight double quotes of at least two words. Its
speaker is the nearest person named in the same sentence (before the quote, else
after it); failing that, "he said"/"she said" points to the last person named.
"""

from __future__ import annotations

import re

from briefgen.draft.sentences import Block, split_sentences
from briefgen.draft.spans import Suggestion

_QUOTE = re.compile(r"“[^“”]{2,2000}?”|\"[^\"]{2,2000}?\"")
_PRONOUN_SPEECH = re.compile(r"\b(?:he|she|they)\s+(?:said|says|told|added|wrote|warned)\b",
                             re.IGNORECASE)

Mention = tuple[int, int, int, str, str]  # block, start, end, actor id, kind


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span of the sentences the quote touches."""
    inside = [s for s in sentences if s[0] < end and start < s[1]] or [(start, end)]
    return inside[0][0], inside[-1][1]


def _speaker(block: int, start: int, end: int, sentence: tuple[int, int],
             mentions: list[Mention], text: str) -> str:
    """The actor id of the quote's speaker, or ''."""
    people = [m for m in mentions if m[0] == block and m[4] == "person"
              and not (start <= m[1] < end)]
    before = [m for m in people if sentence[0] <= m[1] < start]
    if before:
        return before[-1][3]
    after = [m for m in people if end <= m[1] < sentence[1]]
    if after:
        return after[0][3]
    if _PRONOUN_SPEECH.search(text, sentence[0], sentence[1]):
        earlier = [m for m in mentions if m[4] == "person" and (m[0], m[1]) < (block, start)]
        if earlier:
            return earlier[-1][3]
    return ""


def find_quotes(blocks: list[Block], mentions: list[Mention]) -> list[Suggestion]:
    """Quote suggestions, attributed where the text names the speaker."""
    found: list[Suggestion] = []
    for number, block in enumerate(blocks):
        if not (block.annotate and block.kind == "para"):
            continue
        sentences = split_sentences(block.text)
        for match in _QUOTE.finditer(block.text):
            inner = match.group()[1:-1].strip()
            if len(inner.split()) < 2:
                continue
            sentence = _sentence_of(sentences, match.start(), match.end())
            by = _speaker(number, match.start(), match.end(), sentence, mentions, block.text)
            attrs = (("by", by),) if by else ()
            found.append(Suggestion(number, match.start(), match.end(), "quote", attrs))
    return found
