"""The gist: a title, a dek and 2–4 summary bullets.

The lead sentence gives the dek (and the title when the article has no
headline). Bullets are the sentences that carry the story: each scores by the
distinct actors it names and the figures it gives (what the drafter found in
it), a little by its position and by TextRank centrality (sentences are nodes
linked by shared content words, Mihalcea & Tarau, 2004). A sentence that
repeats the lead or a chosen bullet (most content words shared) is skipped.
Only the first ``MAX_SENTENCES`` sentences are ranked, and similarities are
counted through a word index, so a huge input still finishes quickly.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

MAX_SENTENCES = 300
ITERATIONS = 30
DAMPING = 0.85

_STOP = frozenset(["a", "an", "the", "and", "or", "but", "if", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "this", "that", "these", "those", "it", "its", "they", "them", "their", "he", "she", "his", "her", "we", "our", "you", "your", "i", "not", "no", "also", "than", "then", "there", "here", "which", "who", "whom", "what", "when", "where", "while", "into", "over", "under", "about", "after", "before", "more", "most", "such", "so", "very", "many", "much", "other", "some", "any", "all", "each", "both", "only", "own", "same", "just", "even", "still", "however", "moreover", "this", "year", "says", "said"])
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_DISCOURSE = re.compile(
    r"^(?:moreover|however|meanwhile|notably|furthermore|in addition|in conclusion|"
    r"in short|in sum|overall|moving forward|as a result|finally|additionally|"
    r"in assessing the present climate|importantly),\s+", re.IGNORECASE)
_INTRO = re.compile(r"^(?:in|on|at|with|after|amid|amidst|as|for|following)\b[^,]{0,80},\s+",
                    re.IGNORECASE)
_TRAILING_CLAUSE = re.compile(r",\s+(?:[a-z]+ing|which|wherein|while)\b[^,]*[.!?]?$")
_TITLE_BREAK = frozenset(["comes", "is", "was", "are", "were", "has", "have", "had", "will", "says", "said", "marks", "remains", "came"])


@dataclass
class Gist:
    """What goes in the front matter besides the date."""

    title: str = ""
    dek: str = ""
    summary: list[str] = field(default_factory=list)


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(sentence: str) -> set[str]:
    """Stemmed words that carry meaning."""
    return {_stem(w) for w in _WORD.findall(sentence) if w.lower() not in _STOP and len(w) > 2}


def rank(sentences: list[str]) -> list[float]:
    """TextRank scores of ``sentences`` (only the first MAX_SENTENCES get a score > 0)."""
    words = [content_words(s) for s in sentences[:MAX_SENTENCES]]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            by_word[w].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in by_word.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                shared[ids[a], ids[b]] += 1
    edges: list[dict[int, float]] = [{} for _ in words]
    for (i, j), count in shared.items():
        norm = math.log(len(words[i]) + 1) + math.log(len(words[j]) + 1)
        weight = count / norm if norm else 0.0
        edges[i][j] = edges[j][i] = weight
    totals = [sum(e.values()) or 1.0 for e in edges]
    scores = [1.0] * len(words)
    for _ in range(ITERATIONS):
        scores = [(1 - DAMPING) + DAMPING * sum(w * scores[j] / totals[j]
                                                for j, w in edges[i].items())
                  for i in range(len(words))]
    return scores + [0.0] * (len(sentences) - len(words))


def tidy(sentence: str) -> str:
    """A sentence as a bullet: discourse openers and a trailing "-ing" clause removed
    (kept when it names someone or gives a figure)."""
    text = _DISCOURSE.sub("", " ".join(sentence.split()))
    tail = _TRAILING_CLAUSE.search(text)
    carries = tail is not None and re.search(r"[\d€$£¥]|\s[A-Z]", tail.group())
    if tail and not carries and len(text[:tail.start()].split()) >= 10:
        text = text[:tail.start()] + "."
    return text[:1].upper() + text[1:]


def title_from(sentence: str) -> str:
    """A headline from a lead sentence: its subject, about a dozen words."""
    text = _INTRO.sub("", tidy(sentence)).rstrip(".!? ")
    words = text.split()
    for k, word in enumerate(words[3:14], start=3):
        if word.lower() in _TITLE_BREAK:
            words = words[:k]
            break
    else:
        words = words[:12]
    title = " ".join(words).rstrip(",;:")
    return title[:1].upper() + title[1:]


def _usable(sentence: str) -> bool:
    n = len(sentence.split())
    low = sentence.lower()
    return 8 <= n <= 45 and "?" not in sentence and "this article" not in low \
        and not re.search(r"\b(?:we|our)\b", low)


@dataclass
class Sentence:
    """A sentence of the article with what the drafter found in it."""

    text: str
    actors: int = 0  # distinct actors named
    figures: int = 0


def _near_duplicate(words: set[str], chosen: list[set[str]]) -> bool:
    return any(len(words & other) >= 0.5 * min(len(words), len(other)) for other in chosen)


def make_gist(sentences: list[Sentence], headline: str = "") -> Gist:
    """Title, dek and summary bullets for an article's sentences (in order)."""
    if not sentences:
        return Gist(title=headline or "Untitled draft")
    texts = [s.text for s in sentences]
    central = rank(texts)
    top = max(central) or 1.0
    lead_index = next((i for i, s in enumerate(texts[:5]) if _usable(s)), 0)
    lead = texts[lead_index]
    count = min(4, max(2, len(texts) // 10))

    def score(i: int) -> float:
        s = sentences[i]
        return (2.0 * min(s.actors, 4) + 1.5 * min(s.figures, 3) + 1.0 / (1 + i / 8)
                + central[i] / top)

    order = sorted((i for i, s in enumerate(texts[:MAX_SENTENCES])
                    if _usable(s) and i != lead_index), key=lambda i: -score(i))
    seen = [content_words(lead)]
    chosen: list[int] = []
    for i in order:
        words = content_words(texts[i])
        if len(chosen) == count:
            break
        if not _near_duplicate(words, seen):
            chosen.append(i)
            seen.append(words)
    return Gist(
        title=headline or title_from(lead),
        dek=tidy(_INTRO.sub("", tidy(lead))),
        summary=[tidy(texts[i]) for i in sorted(chosen)],
    )
