"""Finding actors without a model: capitalised runs, a role lexicon, a gazetteer.

A person is a run of capitalised words such as "Steve Witkoff"; the words before
it that form a role ("US Special Envoy", "Kremlin spokesman") become its role.
Later mentions by surname ("Witkoff") merge with the full name. Names are linked
to the site's registry by name or alias; the rest are proposed as new actors.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from briefgen.draft import gazetteer as gz
from briefgen.draft.names import ActorInfo, Candidate, NameIndex, first_names, fold
from briefgen.draft.resolve import resolve_people
from briefgen.draft.sentences import Block, Token, split_sentences, tokenize
from briefgen.draft.spans import Suggestion
from briefgen.model import Actor

__all__ = ["ActorFindings", "ActorInfo", "find_actors", "fold"]

CONNECTORS = frozenset({"of", "the", "de", "van", "von", "bin", "al", "da", "du", "la", "le",
                        "den", "der", "della", "di", "dos", "das", "ter", "ten"})
PARTICLES = CONNECTORS - {"of", "the"}  # inside people's names ("Albert van den Bergh")
LOCATIVES = frozenset({"in", "at", "near", "outside", "across", "into"})
_NICKNAME_GAP = re.compile(r"^\s+['‘]$|^['’]\s+$")  # Brian 'Head' Welch
# Family words before a name ("his wife, Sheila"): the name is a person's.
KIN_NOUNS = frozenset({"wife", "husband", "son", "daughter", "father", "mother", "brother",
                       "sister", "widow", "widower", "uncle", "aunt", "partner", "girlfriend",
                       "boyfriend", "fiancee", "fiancé", "fiancée", "grandson",
                       "granddaughter", "nephew", "niece", "cousin"})
# A surname after an honorific anywhere in the article ("Mr King"); "Dr" is a title.
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+([A-Z](?:[\w-]|['’](?!s\b))+)")


@dataclass
class ActorFindings:
    """Actor spans plus the actors they refer to, keyed by id."""

    suggestions: list[Suggestion] = field(default_factory=list)
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    # (block, start, end, actor id, kind) of every mention, for quote attribution
    mentions: list[tuple[int, int, int, str, str]] = field(default_factory=list)


def _is_cap(token: Token) -> bool:
    word = token.text
    if not word[:1].isupper() or any(ch.isdigit() for ch in word):
        return False
    return "-" not in word or all(p[:1].isupper() and (p[1:].islower() or len(p) == 1)
                                  for p in word.split("-"))  # "Jean-Pierre", "Jay-Z"


def _runs(text: str, tokens: list[Token]) -> list[list[int]]:
    """Indices of maximal runs of adjacent capitalised tokens (connectors inside)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, token in enumerate(tokens):
        gap = text[tokens[current[-1]].end:token.start] if current else ""
        nickname = bool(_NICKNAME_GAP.match(gap)) and not (
            gap[:1] in "'’" and tokens[current[-1]].text.endswith("s"))  # Welles' Macbeth
        adjacent = bool(current) and (gap.isspace() or nickname) \
            and tokens[current[-1]].sentence == token.sentence
        if _is_cap(token):
            if current and not adjacent:
                runs.append(current)
                current = []
            current.append(i)
        elif current and adjacent and token.text in CONNECTORS and _cap_after(tokens, i):
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [_trim_connectors(run, tokens) for run in runs]


def _cap_after(tokens: list[Token], i: int) -> bool:
    """Whether a capitalised word follows the connector at ``i`` (after particles:
    "van den Bergh")."""
    j = i + 1
    while j < len(tokens) and j - i < 3 and tokens[j].text in PARTICLES:
        j += 1
    return j < len(tokens) and _is_cap(tokens[j])




def _without_post_nominals(run: list[int], tokens: list[Token]) -> list[int]:
    """A run without the post-nominals that close it, when two words stay before them:
    "Nicholas Blake QC" names Nicholas Blake."""
    end = len(run)
    while end > 2 and tokens[run[end - 1]].text in gz.POST_NOMINALS:
        end -= 1
    return run[:end]


# A team list, as sports reports close with: six or more players in a row, by surname
# (or initial and surname), with their substitutes or captaincy, separated by commas or
# by semicolons between the lines of the team ("Faye (Berkovic 83), Berger, LuaLua",
# "G Murphy; G Dempsey, B O'Driscoll", "J Robinson (capt); M Cueto").
_PLAYER = r"(?:[A-Z] )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?: \([\w'’ -]+\))?"
_TEAM_RUN = re.compile(rf"\b{_PLAYER}(?:[,;] {_PLAYER})*")
_TEAM_SIZE = 6


def _team_lists(text: str) -> list[tuple[int, int]]:
    """Spans of the team lists in ``text``: runs of at least ``_TEAM_SIZE`` players that
    end a sentence or a line of the team ("…, X and Y" is a list of names, no team), cut
    back to the last semicolon when the run goes on otherwise. Each run is matched once,
    without backtracking, so this stays linear on a paragraph of any length."""
    spans = []
    for m in _TEAM_RUN.finditer(text):
        start, end = m.span()
        if text[end:end + 1] not in (".", ";"):
            cut = text.rfind("; ", start, end)
            if cut < 0:
                continue
            end = cut
        run = text[start:end]
        if run.count(", ") + run.count("; ") + 1 >= _TEAM_SIZE:
            spans.append((start, end))
    return spans


def _bare_surname_in(run: list[int], tokens: list[Token], lists: list[tuple[int, int]]) -> bool:
    """Whether a run is a surname alone (or after an initial: "G Easterby") inside a team
    list: a player named elsewhere in full is found there; the list adds no one."""
    words = [tokens[i].text for i in run]
    if not (len(words) == 1 or (len(words) == 2 and _initials(words[0]))):
        return False
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    return any(a <= start and end <= b for a, b in lists)


def _trim_connectors(run: list[int], tokens: list[Token]) -> list[int]:
    while run and tokens[run[-1]].text in CONNECTORS:
        run = run[:-1]
    return run


class _BlockScanner:
    """Finds person/organisation candidates and gazetteer mentions in one block."""

    def __init__(self, index: NameIndex, number: int, text: str,
                 hints: list[tuple[int, int, str]] | None = None,
                 lower: set[str] | None = None, honoured: set[str] | None = None):
        self.index = index
        self.lower = lower or set()  # words the article writes in lower case
        self.honoured = honoured or set()  # surnames the article gives an honorific
        self.number = number
        self.text = text
        self.tokens = tokenize(text, split_sentences(text))
        self.used: set[int] = set()
        self.hints = hints or []
        self.hint_starts = [h[0] for h in self.hints]

    def hint(self, start: int, end: int) -> str:
        """The recogniser's kind for an entity overlapping ``start:end``, or ''."""
        i = bisect_right(self.hint_starts, end - 1) - 1
        if i >= 0 and self.hints[i][1] > start:
            return self.hints[i][2]
        return ""

    def role_before(self, first: int) -> tuple[str, int]:
        """The role phrase that ends right before token ``first`` and its first token."""
        i = first - 1
        start = first
        comma_ok = True
        while i >= 0:
            gap = self.text[self.tokens[i].end:self.tokens[i + 1].start]
            if gap.strip() == "," and comma_ok and start == first:
                comma_ok = False
            elif gap.strip() not in ("", "’s", "'s"):
                break
            if not self.index.role_word(self.tokens[i].text):
                break
            start = i
            i -= 1
        words = [t.text for t in self.tokens[start:first]]
        while words and fold(words[0]) in ("the", "of", "a", "an"):
            words, start = words[1:], start + 1
        if not any(fold(w) in gz.TITLE_WORDS for w in words):
            return "", first
        end = self.tokens[first - 1].end
        role = self.text[self.tokens[start].start:end].rstrip(",")
        return " ".join(role.split()), start

    def speaks_after(self, last: int) -> bool:
        """Whether a speech verb follows the name ("Peskov said")."""
        nxt = last + 1
        return nxt < len(self.tokens) and fold(self.tokens[nxt].text) in gz.SPEECH_VERBS

    def candidates(self) -> list[Candidate]:
        """Person and organisation candidates, in text order."""
        found: list[Candidate] = []
        lists = _team_lists(self.text)
        for run in _runs(self.text, self.tokens):
            run = _without_post_nominals(run, self.tokens)
            for n, part in enumerate(self._split_connectors(run)):
                candidate = self._from_run(part) or self._person_inside(part)
                if candidate is not None and candidate.kind == "person" and lists \
                        and _bare_surname_in(part, self.tokens, lists):
                    continue
                if candidate is not None and n > 0:
                    candidate.speaks = False  # "Okafor of Redburn said": Okafor speaks
                if candidate is not None:
                    found.append(candidate)
        return found

    def _person_inside(self, run: list[int]) -> Candidate | None:
        """A person named inside an event's name, "Jesse Owens Awards": a common
        first name, a surname and an event word."""
        words = [self.tokens[i].text for i in run]
        if len(words) != 3 or fold(words[-1]) not in gz.EVENT_WORDS \
                or not self._first_name(words[0]) or self.index.lookup(" ".join(words)) \
                or fold(words[1]) in gz.EVENT_WORDS or self.index.role_word(words[1]):
            return None
        return self._candidate(run[:2])

    def _split_connectors(self, run: list[int]) -> list[list[int]]:
        """A run like "Tom Okafor of Redburn" is two names unless it is a known name
        or an organisation ("Bank of England")."""
        words = [self.tokens[i].text for i in run]
        if not any(w in CONNECTORS for w in words) or self.index.lookup(" ".join(words)):
            return [run]
        of = words.index("of") if "of" in words else 0
        if 2 <= of <= 3 and of + 1 < len(words) and self._first_name(words[0]) \
                and not any(self.index.role_word(w) or fold(w) in gz.ORG_WORDS
                            for w in words[:of]):
            return [run[:of], run[of + 1:]]  # "Mark Bailin of Rymer International Seafood"
        if any(fold(w) in gz.ORG_WORDS for w in words):
            return [run]
        if not any(w in ("of", "the") for w in words):
            return [run]
        parts: list[list[int]] = [[]]
        for i in run:
            if self.tokens[i].text in ("of", "the"):
                parts.append([])
            else:
                parts[-1].append(i)
        return [p for p in parts if p]

    def _from_run(self, run: list[int]) -> Candidate | None:
        words = [self.tokens[i].text for i in run]
        known = None
        while run:
            known = self.index.lookup(" ".join(words))
            if known is not None or not _dropped_first(words, self.tokens[run[0]], run, self):
                break
            run, words = run[1:], words[1:]
        if not run or (known is not None and known.kind != "person"):
            return None
        core = run[self._core_start(run):]
        return self._candidate(core) if core else None

    def _core_start(self, run: list[int]) -> int:
        """Where the name starts inside a run: after the last role word (a quoted
        nickname is no role: Brian 'Head' Welch)."""
        if fold(self.tokens[run[-1]].text) in gz.ORG_WORDS:
            return 0  # "General Motors", "Home Office": the role word is part of the name
        cut = 0
        for k, i in enumerate(run[:-1]):
            word = self.tokens[i].text
            start = self.tokens[i].start
            quoted = start > 0 and self.text[start - 1] in "'‘"
            if self.index.role_word(word) and fold(word) not in CONNECTORS and not quoted:
                cut = k + 1
        return cut

    def _first_name(self, word: str) -> bool:
        """Whether a word is a common first name the article never writes in lower case."""
        folded = fold(word)
        return folded in first_names() and folded not in self.lower

    def person_context(self, core: list[int], names: bool = True) -> bool:
        """Whether the text says a run names a person: a person noun right before it
        ("rapper Twista", "artists such as Jay-Z"), a family word ("his wife, Sheila"),
        a role in apposition after it ("KK Mittal, a fund manager with…"), a surname
        given an honorific elsewhere ("Mr King"), or a common first name before a
        surname ("Paul King"; left out with ``names=False``)."""
        words = [self.tokens[i].text for i in core]
        if names and len(words) > 1 and self._first_name(words[0]) and not words[-1].isupper() \
                and fold(words[-1]) not in self.lower and fold(words[-1]) not in gz.NOT_NAMES:
            return True
        if fold(words[-1]) in self.honoured:
            return True
        first = self.tokens[core[0]]
        j = core[0] - 1
        if j >= 0 and self.tokens[j].sentence == first.sentence:
            noun = self.tokens[j]
            gap = self.text[noun.end:first.start]
            word = fold(noun.text)
            owner = fold(self.tokens[j - 1].text) if j > 0 else ""
            if noun.text[:1].islower() and (gap == " " and word in gz.PERSON_NOUNS
                                            and word not in KIN_NOUNS):
                return True
            if gap in (" ", ", ") and word in KIN_NOUNS and (
                    owner in ("his", "her", "their", "my", "our") or owner.endswith("'s")):
                return True  # "his wife, Sheila"; not "the sister Xiluodu dam"
        if self._listed_as_people(first.start):
            return True
        return bool(_APPOSITION_ROLE.match(self.text, self.tokens[core[-1]].end))

    def _listed_as_people(self, start: int) -> bool:
        """Whether a name, first in a list or further down, follows "people such as" (or a
        person noun: "artists such as Ludacris") or an artist's "work of" ("People such
        as Matisse and Stravinsky", "the work of Caravaggio, Stubbs and Rubens")."""
        prefix = self.text[max(0, start - 160):start]
        such = _SUCH_AS_LIST.search(prefix)
        if such is not None:
            noun = fold(such.group(1))
            return noun == "people" or noun.removesuffix("s") in gz.PERSON_NOUNS
        return bool(_WORK_OF_LIST.search(prefix))

    def _candidate(self, core: list[int]) -> Candidate | None:
        words = [self.tokens[i].text for i in core]
        first, last = self.tokens[core[0]], self.tokens[core[-1]]
        if len(words) > 5 or fold(words[-1]) in gz.PLACE_WORDS:
            return None
        if self.index.place_like(words) and not (len(words) == 1 and self.named_like_place(core)):
            # a place unless listed with organisations ("Juventus, Lyon"; resolve decides)
            return Candidate(self.number, first.start, last.end, words, kind="place",
                             initial=core[0] == 0
                             or self.tokens[core[0] - 1].sentence != first.sentence)
        model = self.hint(first.start, last.end)
        role, _ = self.role_before(core[0])
        person = (bool(role) and len(words) > 1) or self.person_context(core)
        if not person and not role and self.index.landmark_like(words) \
                and not self.speaks_after(core[-1]):
            return Candidate(self.number, first.start, last.end, words, kind="place",
                             initial=core[0] == 0
                             or self.tokens[core[0] - 1].sentence != first.sentence)
        own_org = _org_like(words, self.index)
        if own_org and person and len(words) == 2 and _initials(words[0]) \
                and fold(words[1]) not in gz.ORG_WORDS:
            own_org = False  # "KK Mittal, a fund manager"
        if person and not own_org and model in ("organisation", "place"):
            model = ""  # the rules' evidence for a person outweighs the recogniser
        organisation = own_org or model == "organisation"
        if model == "place" and not organisation:
            return None
        if not organisation and any(fold(w) in gz.EVENT_WORDS for w in words):
            return None
        kind = "organisation" if organisation else "person"
        if kind == "person" and not _person_like(words, self.index, role, person):
            return None
        if kind == "person" and not role and self.titled_work(core) \
                and not self.person_context(core, names=False):  # a first name is no evidence here
            return None
        previous = fold(self.tokens[core[0] - 1].text) \
            if core[0] > 0 and self.tokens[core[0] - 1].sentence == first.sentence else ""
        if not role and kind == "person" and previous in LOCATIVES and len(words) > 1:
            return None
        self.used.update(range(core[0], core[-1] + 1))  # a known name in the role still counts
        initial = core[0] == 0 or self.tokens[core[0] - 1].sentence != first.sentence
        return Candidate(self.number, first.start, last.end, words, role, kind,
                          self.speaks_after(core[-1]), initial,
                          self.org_context(core, bool(role) and len(core) > 1), model,
                          person_context=person and kind == "person")

    def titled_work(self, core: list[int]) -> bool:
        """Whether the words around a run make it the title of a work, a programme or an
        event, not a person: a work noun right before it ("the comedy Fat Albert",
        "classics such as Space Invaders"), a capital "The" inside the sentence ("The
        Rebel Billionaire"), or a work noun, "by" and a name, or "about" right after it
        ("the Future Face exhibition", "Biscuit Bear by Mini Grey", "Spilled Water, about
        a girl"); a work noun after it only when it does not open with a common first
        name ("the Ben Stiller comedy")."""
        first, last = self.tokens[core[0]], self.tokens[core[-1]]
        if self.text[last.end:last.end + 2] in ("'s", "’s"):
            return False  # "the film, Ice Cube's road-trip comedy": a possessor
        j = core[0] - 1
        if j >= 0 and self.tokens[j].sentence == first.sentence:
            before = self.tokens[j]
            word = fold(before.text)
            if before.text == "The" and j > 0 and self.tokens[j - 1].sentence == first.sentence:
                return True
            if before.text[:1].islower() and word in WORK_NOUNS \
                    and self.text[before.end:first.start] in (" ", ", "):
                return True
            if j >= 2 and [fold(t.text) for t in self.tokens[j - 1:j + 1]] == ["such", "as"] \
                    and fold(self.tokens[j - 2].text).removesuffix("s") in WORK_NOUNS:
                return True
        end = min(len(self.text), last.end + 40)
        if _WORK_AFTER.match(self.text, last.end, end):
            return True
        return not self._first_name(first.text) and bool(
            _WORK_NOUN_AFTER.match(self.text, last.end, end))

    def named_like_place(self, core: list[int]) -> bool:
        """Whether a place's name stands for an organisation here: an organisation
        noun in apposition ("Halifax, the country's biggest mortgage lender") or a
        role at it ("Group Economist at Halifax")."""
        before = [fold(t.text) for t in self.tokens[max(0, core[0] - 2):core[0]]]
        return bool(_ORG_APPOSITION_RE.match(self.text, self.tokens[core[-1]].end)) or (
            len(before) == 2 and before[1] == "at" and before[0] in gz.TITLE_WORDS)

    def org_context(self, core: list[int], person_role: bool = False) -> bool:
        """Whether the words around a name make it an organisation: an organisation
        noun before it ("firm X"), "shares in X", a role and a name after it ("Wasps
        flanker Johnny O'Connor", "GM chairman Rick Wagoner"), or words after it ("X
        said in a statement"), which do not outweigh a person's role in front."""
        before = [fold(t.text) for t in self.tokens[max(0, core[0] - 2):core[0]]]
        if before and before[-1] in gz.ORG_NOUNS:
            return True
        start = self.tokens[core[0]].start
        if _BASED.search(self.text, max(0, start - 60), start):
            return True
        if len(core) == 1 and _PRODUCT_AFTER.match(self.text, self.tokens[core[0]].end):
            return True  # "Sony's Playstation"
        if before[-2:] == ["shares", "in"] or (len(before) == 2 and before[1] == "at" and (
                before[0] in gz.TITLE_WORDS or before[0] in gz.PERSON_NOUNS)):
            return True
        if self._role_and_name_after(core):
            return True
        end = self.tokens[core[-1]].end
        if person_role or _APPOSITION_ROLE.match(self.text, end):
            return False   # "X, a spokesman for the campaign group Liberty": a person
        return bool(_ORG_AFTER.match(self.text[end:end + 80]))

    def _role_and_name_after(self, core: list[int]) -> bool:
        """Whether lower-case role words and then a capitalised name follow the name
        ("Ulster wing Tommy Bowe"): the name is the person's team or employer. A lone
        word opening a sentence counts only as an acronym ("Reggae star Sizzla" does
        not)."""
        first = self.tokens[core[0]]
        initial = core[0] == 0 or self.tokens[core[0] - 1].sentence != first.sentence
        if initial and len(core) == 1 and not first.text.isupper():
            return False
        if " ".join(fold(self.tokens[i].text) for i in core) in self.index.demonyms:
            return False
        j, roles, noun = core[-1] + 1, 0, False
        while j < len(self.tokens) and roles < 3:
            token = self.tokens[j]
            word = fold(token.text)
            if token.sentence != first.sentence or not token.text[:1].islower() or \
                    word in CONNECTORS or not (word in gz.PERSON_NOUNS or word in gz.TITLE_WORDS
                                               or word in gz.ROLE_MODIFIERS):
                break
            if self.text[self.tokens[j - 1].end:token.start] != " ":
                return False
            noun = word in gz.PERSON_NOUNS or word in gz.TITLE_WORDS
            roles, j = roles + 1, j + 1
        return (noun and j < len(self.tokens) and _is_cap(self.tokens[j])
                and self.tokens[j].sentence == first.sentence
                and self.text[self.tokens[j - 1].end:self.tokens[j].start] == " ")

    def known_mentions(self) -> list[tuple[int, int, ActorInfo]]:
        """Countries and organisations by name (longest match), outside roles."""
        found = []
        i = 0
        while i < len(self.tokens):
            match = None
            if i not in self.used and _may_open_known(self.tokens[i]):
                for n in range(min(6, len(self.tokens) - i), 0, -1):
                    span = self.tokens[i:i + n]
                    if any(k in self.used for k in range(i, i + n)):
                        continue
                    if not all(self.text[a.end:b.start] == " " for a, b in pairwise(span)):
                        continue
                    if n == 1 and not span[0].text.isupper() and fold(span[0].text) in \
                            gz.NOT_NAMES:
                        continue
                    info = self.index.lookup(self.text[span[0].start:span[-1].end])
                    if info is not None and info.kind != "person":
                        match = (span[0].start, span[-1].end, info, n)
                        break
            if match:
                found.append(match[:3])
                i += match[3]
            else:
                i += 1
        return found


def _may_open_known(token: Token) -> bool:
    """Whether a token can open a known name: a capitalised word, or one with digits
    ("G7", "MI5") or a lower-case article ("al-Qaeda")."""
    return _is_cap(token) or (token.text[:1].isupper() and token.text.isalnum()) \
        or token.text.startswith("al-")


def _dropped_first(words: list[str], token: Token, run: list[int],
                   scanner: _BlockScanner) -> bool:
    """Whether a run's first word is not part of the name: a word that never names,
    a sentence opener ("Often Pipex"), or an acronym glued before a person's name
    ("PC Nicholas Negroponte" after a headline)."""
    first = fold(words[0])
    if first in gz.NOT_NAMES:
        return True
    initial = run[0] == 0 or scanner.tokens[run[0] - 1].sentence != token.sentence
    if first in gz.OPENER_WORDS and (initial or len(words) > 1):
        return True
    return (len(words) >= 3 and words[0].isupper() and len(words[0]) > 1
            and not any(fold(w) in gz.ORG_WORDS for w in words[1:]))


# Pronouns, auxiliaries and particles: no person's name holds one.
_FUNCTION_WORDS = frozenset(["i", "me", "my", "you", "your", "we", "our", "us", "it", "its",
                             "are", "is", "was", "were", "be", "been", "do", "does", "don't",
                             "dont", "can't", "won't", "isn't", "yet", "up", "back", "there",
                             "here", "what", "who", "how", "why", "where", "when", "this",
                             "that", "these", "those", "not", "no", "all", "get", "got", "go"])
_ROLES = "|".join(sorted((gz.TITLE_WORDS | gz.PERSON_NOUNS) - KIN_NOUNS - {"mr", "mrs", "ms"}))
_APPOSITION_ROLE = re.compile(
    gz.POST_NOMINAL_TAIL
    + r",\s+(?:(?:(?:a|an|the|its|his|her|their)\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:(?:"
    + _ROLES + r")(?=\s+(?:at|of|with|for|in)\s+[A-Z]|[,.;])"
    + r"|spokes(?:man|woman|person)\s+(?:at|of|with|for)\s+(?:the\s+)?[a-z])"
    # a role with no article before a preposition: "Nick Turner, analyst at brokers …"
    + r"|(?!(?:a|an|the|its|his|her|their)\s)(?:[a-z][\w-]*\s+){0,2}?(?:" + _ROLES
    + r")\s+(?:at|of|with|for|in)\s)")
# "KK Mittal, a fund manager with…", "Barry Hugill, a spokesman for the campaign group"
_PRODUCT_AFTER = re.compile(r"[’']s\s+[A-Z][\w-]+")
_LOWER = re.compile(r"\b[a-z][a-z’'-]+\b")
_ORG_APPOSITION = (  # "Halifax, the country's biggest mortgage lender"
    r"^,\s+(?:the|a|an|one of (?:the\s+)?(?:[\w-]+[’']s\s+)?)\s*(?:[\w’'-]+\s+){0,4}?(?:"
    + "|".join(sorted(gz.ORG_NOUNS)) + r"|producers?|lenders?)(?:s|es)?\b(?![’'])")
_ORG_AFTER = re.compile(_ORG_APPOSITION + "|"
    r"^,\s+which\b|^(?:[’']s)?\s+(?:shares|stock|said in a statement|shareholders|profits?|"
    r"chief executive|boss|chairman|spokesman|spokeswoman|board|directors|newspaper|"
    r"website|channel|network|brand|label)\b")
_ORG_APPOSITION_RE = re.compile(_ORG_APPOSITION)
_BASED = re.compile(r"[\w.]-based\s+$")  # "Santa Monica-based Activision"
# Nouns that stand before or after the title of a work, a programme or a product.
WORK_NOUNS = frozenset(["film", "films", "movie", "comedy", "thriller", "drama", "show", "programme",
                        "series", "sitcom", "soap", "book", "novel", "game", "games", "album",
                        "single", "song", "musical", "opera", "play", "sequel", "prequel",
                        "biopic", "documentary", "exhibition", "screenplay", "story", "classic",
                        "classics", "title", "titles", "blockbuster", "cartoon", "format",
                        "franchise", "trilogy", "console", "magazine", "column", "track",
                        "shows", "programmes", "dramas", "comedies", "sitcoms", "plays",
                        "novels", "books", "songs", "albums", "movies", "singles"])
_WORK_NOUN_AFTER = re.compile(
    r"\s+(?:" + "|".join(sorted(WORK_NOUNS - {"play", "show", "title", "story", "track"}))
    + r")\b")
_WORK_AFTER = re.compile(
    r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}(?:story|novel|book|film|game|tale|show)\b"
    r"|,?\s+about\s+(?:a|an|the)\s|\s+by\s+[A-Z][a-z]+\s+[A-Z]")


# Names in a list, up to the one that follows: "Matisse and ", "Caravaggio, Stubbs and ".
_NAMES_SO_FAR = r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}(?:,\s+|\s+and\s+|\s+or\s+))*$"
_SUCH_AS_LIST = re.compile(r"\b(\w+)\s+such\s+as\s+" + _NAMES_SO_FAR)
_WORK_OF_LIST = re.compile(r"\b(?:works?|paintings?|portraits?|sculptures?|drawings?|"
                           r"compositions?|symphon(?:y|ies)|concertos?|operas?)\s+(?:of|by)\s+"
                           + _NAMES_SO_FAR)
# A website's name: "Computerandvideogames.com", "Lastminute.com".
_DOMAIN = re.compile(r"\w\.(?:com|net|org|co\.uk|org\.uk|tv|info|biz)$", re.IGNORECASE)


def _initials(word: str) -> bool:
    """One or two capitals standing for given names ("KK", "G")."""
    return word.isalpha() and word.isupper() and len(word) <= 2


def _person_like(words: list[str], index: NameIndex, role: str, person: bool = False) -> bool:
    """Whether a run can be a person's name: at most four words besides particles,
    no "of"/"the" or title-case "The", not only role words ("Lord Chancellor"),
    not opening with an -ing word ("Being Digital")."""
    folded = [fold(w) for w in words]
    names = [w for w in folded if w not in PARTICLES]
    if len(names) > 4 or any(w in ("of", "the", "and") for w in folded) or "The" in words:
        return False
    if all(w in gz.TITLE_WORDS or w in gz.ROLE_MODIFIERS or w in gz.PERSON_NOUNS
           or w in {"justice", "lord", "lady", "sir"} for w in folded):
        return False
    if " ".join(folded) in index.demonyms or " ".join(folded).removesuffix("s") in index.demonyms:
        return False   # "Bangladeshi", "Sri Lankans"
    if len(words) > 1 and (any(w in _FUNCTION_WORDS for w in folded)
                           or (folded[-1] in gz.TITLE_WORDS and not person)):
        return False  # titles of works ("Are We There Yet"), offices ("High Commissioner")
    return bool(role) or len(words) == 1 or not (folded[0].endswith("ing") and len(folded[0]) > 4)


def _org_like(words: list[str], index: NameIndex) -> bool:
    """Whether a capitalised run names an organisation by its own words: an
    organisation word ("Foods", "Ltd"), an acronym ("BBC Sport", "LSE"), or a
    country or demonym with other words ("Air China")."""
    if any(fold(w) in gz.ORG_WORDS or _DOMAIN.search(w) for w in words):
        return True   # "Foods", "Ltd", "Computerandvideogames.com"
    if any(len(w) > 1 and w.isupper() and w not in ("II", "III", "IV") for w in words):
        return True
    return len(words) > 1 and index.has_place(words)

def find_actors(blocks: list[Block], registry: dict[str, Actor],
                hints: dict[int, list[tuple[int, int, str]]] | None = None) -> ActorFindings:
    """Actor suggestions for every annotatable paragraph, and the actors they name;
    ``hints`` are a recogniser's entity kinds by block, when one is installed."""
    index = NameIndex(registry)
    hints = hints or {}
    lower = {w for b in blocks for w in _LOWER.findall(b.text)}
    honoured = {fold(m) for b in blocks for m in _HONORIFIC.findall(b.text)}
    scanners = [_BlockScanner(index, n, b.text, hints.get(n), lower, honoured)
                for n, b in enumerate(blocks) if b.annotate and b.kind == "para"]
    candidates = [c for s in scanners for c in s.candidates()]
    known = {s.number: s.known_mentions() for s in scanners}
    # Known organisations join the lists too ("Arsenal, Juventus, Lyon": a club).
    listed = sorted([*candidates, *(Candidate(s.number, start, end, [s.text[start:end]],
                                              kind="organisation")
                                    for s in scanners for start, end, info in known[s.number]
                                    if info.kind == "organisation")],
                    key=lambda c: (c.block, c.start))
    _link_lists(listed, {s.number: s.text for s in scanners})
    people = resolve_people(candidates, index, lower)
    findings = ActorFindings()
    for n, c in enumerate(candidates):
        info = people.get(n)
        if info is not None:
            _add(findings, c.block, c.start, c.end, info, c.role)
    for scanner in scanners:
        for start, end, info in known[scanner.number]:
            _add(findings, scanner.number, start, end, info, "")
    return findings


_LIST_GAP = re.compile(r"^(?:,\s*|,?\s+(?:and|or)\s+)(?:the\s+)?$")
_PLAIN_LIST_GAP = re.compile(r"^(?:,\s*|,?\s+and\s+)$")
_AFTER_LOCATIVE = re.compile(r"\b(?:" + "|".join(sorted(LOCATIVES | {"from", "to", "of"}))
                             + r")\s+(?:the\s+)?$", re.IGNORECASE)


def _link_lists(candidates: list[Candidate], texts: dict[int, str]) -> None:
    """Mark names listed together ("the GMB and Unison", "Intel, Samsung and Sony"):
    they share a kind when one of them has it and the others have no evidence."""
    for a, b in pairwise(candidates):
        if a.block != b.block:
            continue
        text = texts[a.block]
        if "place" in (a.kind, b.kind) and (
                not _PLAIN_LIST_GAP.match(text[a.end:b.start])
                or any(_AFTER_LOCATIVE.search(text, max(0, c.start - 20), c.start) for c in (a, b)
                       if c.kind == "place")):
            continue  # "In Europe, the Smart", "London and the South East, the Halifax"
        if _LIST_GAP.match(text[a.end:b.start]):
            a.listed.append(b)
            b.listed.append(a)


def _add(findings: ActorFindings, block: int, start: int, end: int, info: ActorInfo,
         role: str) -> None:
    attrs = [("ref", info.id)]
    if role and info.kind == "person":
        attrs.append(("role", role))
    findings.suggestions.append(Suggestion(block, start, end, "actor", tuple(attrs)))
    findings.actors.setdefault(info.id, info)
    findings.mentions.append((block, start, end, info.id, info.kind))
