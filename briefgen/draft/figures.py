"""Finding figures: money, percentages, counts with units, durations, ordinals, dates.

Each figure gets a label made from the clause it sits in, with the number taken
out ("promises of €21 billion in support led by …" -> "Promises of support led
by …"), for the author to polish.
"""

from __future__ import annotations

import re

from briefgen.draft import gazetteer as gz
from briefgen.draft.sentences import Block, split_sentences
from briefgen.draft.spans import Suggestion

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
            r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
            r"seventy|eighty|ninety|hundred|a dozen|dozens|hundreds|thousands|millions")
_ANYNUM = rf"(?:{_NUM}|{_WORDNUM}|one(?=\s(?:million|billion|thousand|hundred)))"
_SCALE = r"(?:\s?(?:trillion|billion|million|thousand|bn|tn|m|k)\b)?"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_APPROX = (r"(?:(?:about|around|nearly|almost|roughly|some|more than|less than|over|up to|"
           r"at least|just over|just under)\s)?")
_ORDINAL = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
            r"twelfth|\d+(?:st|nd|rd|th)")
_EVENT = (r"meeting|engagement|round|exchange|visit|summit|term|call|talks|session|"
          r"attempt|trip|election|conference|package|year|week|month|quarter|day|time|"
          r"anniversary|consecutive|straight|deal|strike|wave|sanctions|attack|vote|trial|"
          r"dose|phase|stage|edition|acquisition|takeover|loss|win|victory|defeat|record|"
          r"album|title|place|position|seed|successive|world record|studio album|goal|try|cap|"
          r"season|set|race|match|game|final|nomination|award|prize|half|lap|hole|birthday")
_CURRENCY = (r"(?:(?:Swiss|US|Hong Kong|Australian|Canadian|Singapore|New Zealand|Saudi|"
             r"Indian|South African)\s)?(?:euros?|dollars?|pounds?|roubles?|rubles?|yen|"
             r"francs?|riyals?|rupees?|yuan|pesos?|rand|kronor|kroner|krona|dinars?|"
             r"dirhams?|shekels?|lira|zlotys?|hryvnias?|baht|ringgit|won)")
_MEASURE = (r"m|km|cm|mm|kg|g|lb|lbs|ft|in|secs?|s|mph|km/h|kph|Mbps|Gbps|GB|MB|TB|"
            r"GHz|MHz|p|megapixels?|metres|meters|miles|tonnes|tons|seconds|litres|"
            r"barrels|acres|hectares|degrees|sq ft|square metres|square miles")
_UNIT_STOP = frozenset(["of", "in", "and", "to", "the", "a", "an", "per", "percent", "or", "as", "at", "on", "for", "by", "with", "from", "is", "are", "was", "were", "has", "have", "had", "that", "this", "these", "those", "it", "its", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes", "decades", "decade", "said", "says", "told", "added", "will", "would", "could", "should", "may", "might", "can", "must", "did", "does", "do", "be", "been", "being", "not", "still", "early", "late", "later", "earlier", "ago", "whom", "which", "who", "them", "they", "their", "than", "more", "less", "each", "only", "also", "just", "after", "before", "into", "over", "under", "up", "down", "out", "off", "so", "but", "if", "when", "while", "all", "both", "other", "others", "such", "then", "there", "here", "we", "he", "she", "i", "you", "his", "her", "our", "my", "your"])
_NOT_UNITS = frozenset(w.casefold() for e in gz.COUNTRIES
                       for w in (e.name, *e.aliases, *e.demonyms) if " " not in w)
# Capitalised words that may open a sentence before a number ("The 35 of the companies"),
# unlike a name before one ("Commodore 64").
_OPENERS = frozenset(["The", "A", "An", "All", "Some", "Only", "About", "Around", "Nearly",
                      "Almost", "Over", "Just", "Another", "Those", "These", "Its", "Their"])
_TIME_UNITS = frozenset(["years", "months", "weeks", "days", "hours", "minutes", "decades"])
_RANGE = rf"{_APPROX}(?:between\s)?{_ANYNUM}{_SCALE}(?:\s?(?:-|–|to|or|and)\s?){_ANYNUM}{_SCALE}"

PATTERNS = (
    ("range", re.compile(
        rf"\b{_RANGE}\s?(?:%|per ?cent\b|{_CURRENCY}\b|(?P<unit>[a-z][a-z-]{{2,}})\b)",
        re.IGNORECASE)),
    ("money", re.compile(
        rf"{_APPROX}(?:US\$|A\$|C\$|HK\$|S\$|[€$£¥₽])\s?(?:{_NUM}){_SCALE}"
        rf"(?:\s?(?:-|–|to)\s?(?:[€$£¥₽])?(?:{_NUM}){_SCALE})?"
        rf"|{_APPROX}(?:{_NUM}|{_ANYNUM}){_SCALE}\s{_CURRENCY}\b"
        rf"|\b\d+(?:\.\d+)?p\b", re.IGNORECASE)),
    ("percent", re.compile(
        rf"{_APPROX}(?:{_NUM}|{_WORDNUM})\s?(?:%|per ?cent\b|percentage points?\b)",
        re.IGNORECASE)),
    ("score", re.compile(r"(?<![\w$£€.-])\d{1,2}-\d{1,2}(?:\s\(\d{1,2}-\d{1,2}\))?"
                         r"(?:\s\d{1,2}-\d{1,2}){0,4}(?![\w%-])")),
    ("odds", re.compile(r"(?<![\w/])\d{1,3}/\d{1,3}(?![\w/])")),
    ("date", re.compile(
        rf"\b(?:\d{{1,2}}\s{_MONTH}\s\d{{4}}|{_MONTH}\s\d{{1,2}},?\s\d{{4}}"
        rf"|{_MONTH}\s(?:19|20)\d{{2}})\b")),
    ("day", re.compile(rf"\b(?:\d{{1,2}}\s{_MONTH}|{_MONTH}\s\d{{1,2}})\b")),
    ("duration", re.compile(
        rf"\b{_APPROX}(?:{_NUM}|{_WORDNUM}|one)(?:\sand\sa\shalf)?[\s-](?:years?|months?|"
        rf"weeks?|days?|hours?|minutes?|decades?)(?:-old)?\b", re.IGNORECASE)),
    ("measure", re.compile(rf"\b{_APPROX}(?:{_NUM})\s?(?:{_MEASURE})(?![\w/])")),
    ("fraction", re.compile(
        r"\b(?:nearly |almost |about |more than |less than )?(?:a|one|two|three) "
        r"(?:quarter|third|half|fifth|tenth)s?\b|\b(?:\w+) out of (?:\d+|ten)\b",
        re.IGNORECASE)),
    ("rank", re.compile(rf"\bnumber (?:\d{{1,3}}|one|{_WORDNUM})\b|\btop \d{{1,3}}\b")),
    ("ordinal", re.compile(rf"\b(?:{_ORDINAL})\s(?:[a-z]{{3,12}}\s)?(?:{_EVENT})s?\b",
                           re.IGNORECASE)),
    ("rank", re.compile(r"\b\d{1,3}(?:st|nd|rd|th)\b(?!\s(?:[A-Z]|century|centuries))")),
    ("range", re.compile(
        rf"(?<!from )(?<![\w.,])\b{_APPROX}(?:between\s)?(?:{_ANYNUM}|one)\s(?:to|or)\s(?:{_ANYNUM}|one)\b"
        rf"(?!\s?(?:%|per ?cent))", re.IGNORECASE)),
    ("fraction", re.compile(
        rf"\b(?:one|two|three|four)-(?:quarters?|thirds?|fifths?|tenths?)\b"
        rf"|\bhalf (?:of (?:the |those |all |its |their )?[a-z]+|a (?:million|billion|dozen))\b"
        rf"|\b(?:\d{{1,3}}|one|{_WORDNUM}) (?:in|of the|out of the) (?:\d{{1,3}}|{_WORDNUM})\b(?!,?\d)",
        re.IGNORECASE)),
    ("age", re.compile(r"\bage of \d{1,3}\b|(?<=[A-Za-z], )\d{1,2}(?=, )")),
    # A count of some of a group, or of more like it: "35 of the companies", "five other
    # barristers", "30 such large-scale construction projects".
    ("count", re.compile(
        rf"\b{_APPROX}(?:{_NUM}|{_WORDNUM})\s(?:other|more(?!\s+than\b)|such|of the|of its|"
        rf"of their)\s"
        rf"(?:[A-Za-z][a-z-]+\s){{0,3}}?(?P<unit>[a-z][a-z-]{{2,}}s)\b", re.IGNORECASE)),
    # A share in words after a qualifier: "almost half", "more than a third".
    ("fraction", re.compile(
        r"\b(?:nearly|almost|about|around|roughly|more than|less than|over|under|just over|"
        r"just under|some)\s(?:half|a third|a quarter|a fifth|two-thirds|three-quarters)\b",
        re.IGNORECASE)),
    # A span of time named by "a": "a decade", "an entire month", "almost a whole minute".
    ("duration", re.compile(
        # not a frequency: "once a week", "twice a month", "£500 a month"
        rf"(?<!once )(?<!twice )(?<!times )(?<!\d )(?<!\d[km] )(?<!\dbn )"
        rf"\b{_APPROX}(?:a|an)\s(?:entire\s|whole\s|full\s)?(?:decade|century|month|"
        rf"fortnight|week)\b(?!\s(?:ago|earlier|later|before|after|on)\b)", re.IGNORECASE)),
    ("compound", re.compile(
        rf"\b(?:\d{{1,3}}|{_WORDNUM})-(?!year-old|years?-old)[a-z]{{3,}}\s[a-z]{{3,}}\b",
        re.IGNORECASE)),
    ("multiple", re.compile(rf"\b(?:{_NUM}|{_WORDNUM})\stimes\b", re.IGNORECASE)),
    ("count", re.compile(
        rf"\b{_APPROX}(?:{_ANYNUM}){_SCALE}\s(?P<unit>[a-z][a-z-]{{2,}})\b"
        rf"|\b(?:dozens|hundreds|thousands|millions) of (?P<unit2>[a-z][a-z-]{{2,}})\b"
        rf"|\b\d{{1,3}}(?:,\d{{3}})+\b", re.IGNORECASE)),
    ("decimal", re.compile(r"(?<![\w.$£€¥-])\d{1,4}\.\d{1,3}(?![\w.%])")),
)
# A rate after a figure belongs to it: "$1m a week", "43 minutes per month".
_RATE = re.compile(r"\sper\s[a-z]{3,12}\b|\s(?:a|an|each|every)\s(?:year|month|week|day|hour|"
                   r"minute|second|share|head|person|child|barrel|tonne)\b")

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
    """Filters the regexes cannot express: enumerations, bare years, stop-word units,
    model numbers ("Commodore 64"), a day without a year (a date, never a figure)."""
    if kind == "ordinal":
        following = text[match.end():match.end() + 1]
        numeric = match.group()[:1].isdigit()
        return not (match.group().lower().startswith("first time")
                    or (following == "," and not numeric))
    if kind in ("count", "range", "measure", "multiple", "decimal"):
        before = text[:match.start()].rstrip().split(" ")[-1:]
        if before and before[0][:1].isupper() and before[0].isalpha() \
                and before[0] not in _OPENERS \
                and match.start() > 0 and text[match.start() - 1] == " " \
                and not text[:match.start()].rstrip().endswith((".", ":")):
            return False
    if kind == "measure" and _is_year(re.sub(r"\D.*", "", match.group())):
        return False  # "the 1980s"
    if kind in ("count", "range"):
        raw = match.groupdict().get("unit") or match.groupdict().get("unit2") or ""
        unit, number = raw.lower(), match.group().split()[0]
        if raw[:1].isupper() and (number[:1].isupper() or unit in _NOT_UNITS):
            return False  # "Six Nations", "two Indian firms"
        stop = unit in _UNIT_STOP and not (kind == "range" and unit in _TIME_UNITS)
        return not (stop or _is_year(number))
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
                    if kind == "day":  # taken, so "12 March" is never a count of "March"
                        taken.append((match.start(), match.end()))
                        continue
                    if not _accept(kind, match, sentence):
                        continue
                    end = match.end()
                    rate = _RATE.match(sentence, end, min(len(sentence), end + 16))
                    if rate and kind not in ("date", "rank", "age", "score", "odds"):
                        end = rate.end()
                    taken.append((match.start(), end))
                    keep = match.group().split()[-1] if kind == "ordinal" else ""
                    label = label_for(sentence, match.start(), end, keep)
                    found.append(Suggestion(number, s_start + match.start(),
                                            s_start + end, "figure",
                                            (("label", label),)))
    return sorted(found, key=lambda s: (s.block, s.start))
