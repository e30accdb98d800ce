"""Finding quoted speech and its speaker.

Quote marks are read as typeset news uses them: an opening mark with no closing
one before the next opening mark (or the paragraph's end) is a quote that runs to
the end of its paragraph and goes on in the next one; the passage shares one
speaker. The speaker comes from "…," said X / X said: "…" / according to X /
X told Y: "…" (X, never the medium Y told); a pronoun ("he said") is the last
sentence subject named before. An unattributed quote right after an attributed
one goes on with its speaker. Speakers are people or organisations.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from briefgen.draft import gazetteer as gz
from briefgen.draft.sentences import Block, split_sentences
from briefgen.draft.spans import Suggestion

Mention = tuple[int, int, int, str, str]  # block, start, end, actor id, kind

_MARK = re.compile(r"“|”|\"|''")
VERBS = ("said|says|told|tells|added|adds|wrote|writes|argued|argues|warned|warns|stated|"
         "claimed|claims|insisted|insists|noted|notes|asked|asks|urged|urges|replied|"
         "announced|suggested|explained|joked|recalled|admitted|conceded|continued|"
         "revealed|countered|acknowledged|saying|described|described it as|explains|admits|"
         "recalls|jokes|reveals|continues|concedes|suggests|announces|replies|describes|"
         "stressed|stresses|predicted|predicts|commented|comments|observed|observes|"
         "remarked|declared|declares|pointed out|points out|agreed|agrees|reckons|reckoned|"
         "maintained|maintains|responded|responds|cautioned|cautions|complained|complains|"
         "confirmed|confirms|emphasised|emphasises|emphasized|quipped|boasted|predicting|"
         "adding|telling|insisting|warning|arguing|explaining")
_VERB = re.compile(rf"\b(?:{VERBS})\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|it)\s*$", re.IGNORECASE)
_AFTER_PRONOUN = re.compile(rf"^[\s,—–-]*(he|she|they|it)\s+(?:later\s+|once\s+)?(?:{VERBS})\b",
                            re.IGNORECASE)
_AFTER_VERB = re.compile(rf"^[\s,—–-]*(?:{VERBS})\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+$|\baccording to\b", re.IGNORECASE)
# Between a quote and its speaker's name: nothing, a title or a capitalised role
# ('"…," Finance Minister Antonio Palocci told…').
# ('"…" Authenti-corp's CEO, Cynthia Musselman, told…').
_ROLE_GAP = re.compile(r"^[\s,]*(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|the|[A-Z][\w'’-]*)[.,]?\s+){0,4}$")
_SUBJECT_GAP = 60
_NAME_VERB = re.compile(rf"^{gz.POST_NOMINAL_TAIL},?\s+(?:later\s+|once\s+|also\s+)?(?:{VERBS})\b",
                        re.IGNORECASE)
# '"…," Barry Beal, security manager for Capgemini, told…': a name, an apposition, a verb
# (the apposition's closing comma is often left out: '…, editor of X told BBC News').
_APPOSITION_VERB = re.compile(rf"^{gz.POST_NOMINAL_TAIL},(?!\s*(?:who|whose|which|where)\b)"
                              rf"[^,“”\".!?]{{2,90}}?,?\s+(?:later\s+|also\s+)?(?:{VERBS})\b",
                              re.IGNORECASE)
# '"…," said the report' / '"…," a spokesman said': the speaker is the last
# organisation named as a subject.
_BODY_WORDS = ("report|statement|spokesman|spokeswoman|spokesperson|company|firm|group|bank|"
               "ministry|department|club|union|agency|fund|team|mission|organisation|"
               "organization|board|committee|regulator")
_BODY = re.compile(rf"^[\s,]*(?:(?:{VERBS})\s+)?(?:the|a|an|its|their)\s+(?:\w+\s+)?"
                   rf"(?:{_BODY_WORDS})\b(?:\s+(?:{VERBS})\b)?", re.IGNORECASE)
# A relative clause after the speaker names others ('said X, who plays in the Y Cup').
_RELATIVE = re.compile(r",\s+(?:who|which|whose|where)\b")
# 'said the 22-year-old' / 'said the champion': a person described, not named.
_DESCRIBED = re.compile(rf"^[\s,]*(?:{VERBS})\s+the\s+(?:[a-z][\w-]*\s+){{0,2}}?"
                        r"(?:\d+-year-old|[a-z][\w-]*)\s*(?:[,.]|$)")
# A name after a preposition or a verb of beating is no sentence subject ('went down
# to France's Nathalie Dechy'); one after "according to" is the source of what is said.
_OBJECT = re.compile(r"\b(?:(?<!according )to|by|with|against|over|from|beat|beating|"
                     r"defeated|than)\s+(?:[A-Z][\w'’-]*\s+){0,2}$")
_NONE: Mention = (0, 0, 0, "", "")
_PRONOUN_REACH = 500  # beyond this a pronoun means the article's main person
_INHERIT_CHARS = 400  # an unattributed quote this close after an attributed one shares it


@dataclass
class _Quote:
    block: int
    start: int
    end: int
    open_ended: bool  # no closing mark: the passage goes on in the next quote
    by: str = ""


def _marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, role) of each quote mark: "open", "close", or "either" for a
    straight mark between two spaces, which closes an open quote and else opens one."""
    marks = []
    for m in _MARK.finditer(text):
        mark, before = m.group(), text[m.start() - 1:m.start()]
        after = text[m.end():m.end() + 1]
        spaced_before = not before or before.isspace() or before in "([—–-"
        spaced_after = not after or after.isspace() or after in ",.;:)"
        if mark == "“" or (mark != "”" and spaced_before and not spaced_after):
            role = "open"
        elif mark == "”" or not spaced_before:
            role = "close"
        else:
            role = "either"
        marks.append((m.start(), m.end(), role))
    return marks


def _pair(number: int, text: str) -> list[_Quote]:
    """Quotes of one paragraph; an unclosed quote ends before the next opening mark."""
    quotes: list[_Quote] = []
    opened: int | None = None
    for start, end, role in _marks(text):
        if role == "open" or (role == "either" and opened is None):
            if opened is not None:
                quotes.append(_Quote(number, opened, len(text[:start].rstrip()), True))
            opened = start
        elif opened is not None:
            quotes.append(_Quote(number, opened, end, False))
            opened = None
    if opened is not None:
        quotes.append(_Quote(number, opened, len(text.rstrip()), True))
    return [q for q in quotes if len(_inner(text, q).split()) >= 2]


def _inner(text: str, q: _Quote) -> str:
    return _MARK.sub(" ", text[q.start:q.end])


class _Speakers:
    """Resolves a quote's speaker from the mentions around it (bisect lookups, so the
    work stays linear in the article)."""

    def __init__(self, blocks: list[Block], mentions: list[Mention], quotes: list[_Quote]):
        self.blocks = blocks
        self.mentions = _outside(sorted(mentions), quotes)
        self.keys = [(m[0], m[1]) for m in self.mentions]
        self.sentences = {n: split_sentences(b.text) for n, b in enumerate(blocks)}
        self.starts = {n: [s for s, _ in spans] for n, spans in self.sentences.items()}
        self.subjects: dict[str, list[Mention]] = {"person": [], "organisation": []}
        seen: set[tuple[int, int, str]] = set()
        for m in self.mentions:
            sentence = (m[0], self.sentence(m[0], m[1])[0], m[4])
            if m[4] in self.subjects and sentence not in seen and not _OBJECT.search(
                    blocks[m[0]].text, max(sentence[1], m[1] - 60), m[1]):
                seen.add(sentence)
                self.subjects[m[4]].append(m)
        self.subject_keys = {k: [(m[0], m[1]) for m in v] for k, v in self.subjects.items()}
        self.people = _people(self.mentions)
        self.people_keys = [(m[0], m[1]) for m in self.people]
        self.main = _running_main(self.people)

    def sentence(self, block: int, pos: int) -> tuple[int, int]:
        i = bisect_right(self.starts[block], pos) - 1
        spans = self.sentences[block]
        return spans[i] if 0 <= i < len(spans) else (0, len(self.blocks[block].text))

    def _in(self, block: int, start: int, end: int) -> list[Mention]:
        lo = bisect_left(self.keys, (block, start))
        hi = bisect_left(self.keys, (block, end))
        return self.mentions[lo:hi]

    def subject(self, block: int, pos: int, kind: str = "person") -> str:
        """The last sentence subject (its first person or organisation) before ``pos``."""
        i = bisect_left(self.subject_keys[kind], (block, pos))
        return self.subjects[kind][i - 1][3] if i else ""

    def pronoun(self, word: str, block: int, pos: int) -> str:
        """"He"/"she": the last sentence subject, or the article's most named person
        when that subject is far back; "it": the last organisation subject."""
        if word.lower() == "it":
            return self.subject(block, pos, "organisation")
        i = bisect_left(self.subject_keys["person"], (block, pos))
        last = self.subjects["person"][i - 1] if i else None
        if last is not None and last[0] == block and pos - last[1] <= _PRONOUN_REACH:
            return last[3]
        j = bisect_left(self.people_keys, (block, pos))
        return self.main[j - 1] if j else (last[3] if last else "")

    def after(self, q: _Quote) -> str:
        """'"…," said X' / '"…," he said' / '"…" X said'."""
        text = self.blocks[q.block].text
        _, s_end = self.sentence(q.block, max(q.end - 1, q.start))
        window = text[q.end:max(s_end, q.end + 1) + 120]
        inner = text[q.start:q.end].rstrip("”\"' ")
        continues = inner.endswith((",", "?", "!", "…", "...", "-", "—")) or \
            bool(re.match(r"^[\s,—–-]*[a-z]", window))
        m = _AFTER_PRONOUN.match(window)
        if m and continues:
            return self.pronoun(m.group(1), q.block, q.start)
        body = _BODY.match(window) if continues else None
        if _AFTER_VERB.match(window) and continues:
            stop = q.end + _sentence_stop(window)
            relative = _RELATIVE.search(window, 0, stop - q.end)
            found = self._in(q.block, q.end, q.end + relative.start() if relative else stop)
            if found or not body:
                if not found and _DESCRIBED.match(window):   # 'said the 22-year-old'
                    return self.pronoun("he", q.block, q.start)
                return (_people(found) or found or [_NONE])[0][3]
        if body and _VERB.search(window, 0, body.end()):
            return self.subject(q.block, q.start, "organisation")
        for m in self._in(q.block, q.end, q.end + 60) if continues else ():
            if _ROLE_GAP.match(text[q.end:m[1]]) and (
                    _NAME_VERB.match(text[m[2]:m[2] + 40])
                    or _APPOSITION_VERB.match(text[m[2]:m[2] + 120])):
                return m[3]
        return ""

    def before(self, q: _Quote) -> str:
        """'X said: "…"' / 'X told Y: "…"' (never Y) / 'according to X'."""
        text = self.blocks[q.block].text
        s_start, _ = self.sentence(q.block, q.start)
        prefix = text[s_start:q.start]
        verbs = list(_VERB.finditer(prefix))
        if verbs:
            speaker = self._said_by(q.block, s_start, s_start + verbs[-1].start(), q.start)
            if speaker:
                return speaker
        according = list(_ACCORDING.finditer(prefix))
        if according:
            found = self._in(q.block, s_start + according[-1].end(), q.start)
            if found:
                return found[0][3]
        if not prefix.strip() and s_start:
            return self._leading(q.block, s_start)
        return ""

    def _said_by(self, block: int, start: int, verb: int, pos: int) -> str:
        """Who says ``verb`` (a speech verb at that offset) in the text from ``start``:
        a pronoun right before it ("he said"), else the first person named before it,
        else a name close before it; ``pos`` is where a pronoun is read from."""
        text = self.blocks[block].text
        found = self._in(block, start, verb)
        pronoun = _PRONOUN.search(text[start:verb].rstrip())
        if pronoun and (not found or found[-1][2] < start + pronoun.start()):
            return self.pronoun(pronoun.group(1), block, pos)
        people = _people(found)
        near = [m for m in found if verb - m[2] <= _SUBJECT_GAP]
        return (people or near or [_NONE])[0][3]

    def _leading(self, block: int, s_start: int) -> str:
        """A quote that opens its sentence, after a sentence whose person says something
        ('Mr Curry says, people were bored. "Listen to…'): that person."""
        p_start, _ = self.sentence(block, s_start - 1)
        verb = _VERB.search(self.blocks[block].text, p_start, s_start)
        return self._said_by(block, p_start, verb.start(), p_start) if verb else ""

    def nearest(self, q: _Quote) -> str:
        """The first person named before the quote in its sentence, its subject
        ("Peskov's comments suggesting “no breakthroughs”")."""
        s_start, _ = self.sentence(q.block, q.start)
        before = _people(self._in(q.block, s_start, q.start))
        return (before[:1] or [_NONE])[0][3]


def _running_main(people: list[Mention]) -> list[str]:
    """For each person mention, the person named most often up to it."""
    counts: dict[str, int] = {}
    main: list[str] = []
    best = ""
    for m in people:
        counts[m[3]] = counts.get(m[3], 0) + 1
        if not best or counts[m[3]] > counts[best]:
            best = m[3]
        main.append(best)
    return main


def _people(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m[4] == "person"]


def _outside(mentions: list[Mention], quotes: list[_Quote]) -> list[Mention]:
    """Mentions not inside a quote (both lists in text order: one merge pass)."""
    spans = sorted((q.block, q.start, q.end) for q in quotes)
    kept, i = [], 0
    for m in mentions:
        while i < len(spans) and (spans[i][0], spans[i][2]) <= (m[0], m[1]):
            i += 1
        if i < len(spans) and spans[i][0] == m[0] and spans[i][1] <= m[1] < spans[i][2]:
            continue
        kept.append(m)
    return kept


def _sentence_stop(window: str) -> int:
    m = re.search(r"[.!?:](?:\s|$)", window)
    return m.end() if m else len(window)


def find_quotes(blocks: list[Block], mentions: list[Mention]) -> list[Suggestion]:
    """Quote suggestions, attributed where the text names the speaker."""
    quotes = [q for n, b in enumerate(blocks) if b.annotate and b.kind == "para"
              for q in _pair(n, b.text)]
    speakers = _Speakers(blocks, mentions, quotes)
    for q in quotes:
        q.by = speakers.after(q) or speakers.before(q) or speakers.nearest(q)
    _share_passages(quotes)
    return [Suggestion(q.block, q.start, q.end, "quote", (("by", q.by),) if q.by else ())
            for q in quotes]


def _share_passages(quotes: list[_Quote]) -> None:
    """A passage (quotes chained by open endings) and an unattributed quote right
    after an attributed one share the speaker."""
    start = 0
    for i, q in enumerate(quotes):
        if q.open_ended and i + 1 < len(quotes):
            continue
        passage = quotes[start:i + 1]
        by = next((p.by for p in passage if p.by), "")
        for p in passage:
            p.by = p.by or by
        start = i + 1
    for prev, q in pairwise(quotes):
        near = q.block == prev.block and q.start - prev.end < _INHERIT_CHARS
        if not q.by and prev.by and (near or q.block - prev.block == 1):
            q.by = prev.by
