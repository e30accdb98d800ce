"""Finding figures: money, percentages, counts with units, durations, ordinals, dates.

Each figure gets a label made from the clause it sits in, with the number taken
out ("promises of €21 billion in support led by …" -> "Promises of support led
by …"), for the author to polish.
"""

from __future__ import annotations

import re

from briefgen.draft.sentences import Block, split_sentences
from briefgen.draft.spans import Suggestion

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
            r"twenty|thirty|forty|fifty|hundred|a dozen|dozens|hundreds|thousands|millions")
_SCALE = r"(?:\s?(?:trillion|billion|million|thousand|bn|tn|m|k)\b)?"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_APPROX = r"(?:(?:about|around|nearly|almost|roughly|some|more than|over|up to|at least)\s)?"
_ORDINAL = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
            r"twelfth|\d+(?:st|nd|rd|th)")
_EVENT = (r"meeting|engagement|round|exchange|visit|summit|term|call|talks|session|"
          r"attempt|trip|election|conference|package|year|week|month|quarter|day|time|"
          r"anniversary|consecutive|straight|deal|strike|wave|sanctions|attack|vote|trial|"
          r"dose|phase|stage|edition|acquisition|takeover|loss|win|victory|defeat")
_UNIT_STOP = frozenset(["of", "in", "and", "to", "the", "a", "an", "per", "percent", "or", "as", "at", "on", "for", "by", "with", "from", "is", "are", "was", "were", "has", "have", "had", "that", "this", "these", "those", "it", "its", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes", "decades", "decade", "times"])

PATTERNS = (
    ("money", re.compile(
        rf"{_APPROX}(?:US\$|A\$|C\$|[€$£¥₽])\s?(?:{_NUM}){_SCALE}"
        rf"|{_APPROX}(?:{_NUM}){_SCALE}\s(?:euros?|dollars?|pounds?|roubles?|rubles?|yen)\b",
        re.IGNORECASE)),
    ("percent", re.compile(rf"{_APPROX}(?:{_NUM})\s?(?:%|per ?cent\b|percentage points?\b)",
                           re.IGNORECASE)),
    ("date", re.compile(
        rf"\b(?:\d{{1,2}}\s{_MONTH}(?:\s\d{{4}})?|{_MONTH}\s\d{{1,2}}(?:,?\s\d{{4}})?"
        rf"|{_MONTH}\s(?:19|20)\d{{2}})\b")),
    ("duration", re.compile(
        rf"\b{_APPROX}(?:{_NUM}|{_WORDNUM})[\s-](?:years?|months?|weeks?|days?|hours?|"
        rf"minutes?|decades?)\b", re.IGNORECASE)),
    ("ordinal", re.compile(rf"\b(?:{_ORDINAL})\s(?:{_EVENT})s?\b", re.IGNORECASE)),
    ("count", re.compile(
        rf"\b{_APPROX}(?:{_NUM}){_SCALE}\s(?P<unit>[a-z][a-z-]{{2,}})\b"
        rf"|\b(?:dozens|hundreds|thousands|millions) of (?P<unit2>[a-z][a-z-]{{2,}})\b")),
)

_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\s-\s")
_LEADING = re.compile(
    r"^(?:(?:and|but|or|including|with|following|after|since|amid|amidst|while|as|"
    r"which|that|who|where|when|to|of)\s+)+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+(?:in|on|of|at|by|for|to|the|a|an|and|with|from|about|"
                       r"some|nearly|around|over|as|her|his|their|its|our|that|which|who|"
                       r"comes|is|are|was|were|has|have))+$", re.IGNORECASE)
_PREPOSITION = re.compile(r"^(?:in|for|to|on)\s+", re.IGNORECASE)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", text))


def _accept(kind: str, match: re.Match[str], text: str) -> bool:
    """Filters the regexes cannot express: enumerations, bare years, stop-word units."""
    if kind == "ordinal":
        following = text[match.end():match.end() + 1]
        return not (match.group().lower().startswith("first time") or following == ",")
    if kind == "count":
        unit = (match.group("unit") or match.group("unit2") or "").lower()
        number = match.group().split()[0]
        return unit not in _UNIT_STOP and not _is_year(number)
    return True


def label_for(sentence: str, start: int, end: int, keep: str = "") -> str:
    """A label from the clause around ``sentence[start:end]``, the figure replaced by
    ``keep`` (an ordinal keeps its noun: "third engagement" -> "engagement")."""
    left = _CLAUSE_BREAK.split(sentence[:start])[-1]
    if keep:
        left = f"{left.rstrip()} {keep}"
    right = _CLAUSE_BREAK.split(sentence[end:])[0]
    left = _LEADING.sub("", left.strip())
    right = right.strip().rstrip(".!?”\"")
    if not right:
        left = _TRAILING.sub("", left)
    elif left.lower().endswith(" of") or left.lower() == "of":
        right = _PREPOSITION.sub("", right)
    label = " ".join(left.split()[-6:] + right.split()[:6])
    label = _TRAILING.sub("", label).strip(" ,.’'\"“”")
    return label[:1].upper() + label[1:] if label else "Figure"


def find_figures(blocks: list[Block]) -> list[Suggestion]:
    """Figure suggestions with labels, one per match, in text order."""
    found: list[Suggestion] = []
    for number, block in enumerate(blocks):
        if not (block.annotate and block.kind == "para"):
            continue
        for s_start, s_end in split_sentences(block.text):
            sentence = block.text[s_start:s_end]
            taken: list[tuple[int, int]] = []
            for kind, pattern in PATTERNS:
                for match in pattern.finditer(sentence):
                    if _overlaps(taken, match.start(), match.end()):
                        continue
                    if not _accept(kind, match, sentence):
                        continue
                    taken.append((match.start(), match.end()))
                    keep = match.group().split()[-1] if kind == "ordinal" else ""
                    label = label_for(sentence, match.start(), match.end(), keep)
                    found.append(Suggestion(number, s_start + match.start(),
                                            s_start + match.end(), "figure",
                                            (("label", label),)))
    return sorted(found, key=lambda s: (s.block, s.start))
