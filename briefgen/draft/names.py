"""Names the drafter knows: actor info, candidates, and the index of known names.

The index holds the site's registry first, then the bundled gazetteer and every
country; it answers "who is this name" and "is this run a place".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from briefgen.draft import gazetteer as gz
from briefgen.draft.places import COMPASS, places
from briefgen.model import Actor


@dataclass
class ActorInfo:
    """An actor the draft refers to: a registry id (``linked``) or a new proposal."""

    id: str
    name: str
    kind: str
    role: str = ""
    linked: bool = False


@dataclass
class Candidate:
    """A capitalised run that may name an actor, with what its context says."""

    block: int
    start: int
    end: int
    words: list[str]
    role: str = ""
    kind: str = "person"
    speaks: bool = False
    initial: bool = False  # first word of its sentence
    org_context: bool = False  # "firm X", "shares in X", "X said in a statement"
    model_kind: str = ""  # the recogniser's label: person, organisation or place
    person_context: bool = False  # "rapper Twista", "his wife, Sheila", "X, a fund manager"
    listed: list[Candidate] = field(default_factory=list, repr=False, compare=False)


@cache
def first_names() -> frozenset[str]:
    """Common first names (folded), read once from the bundled ``first_names.txt``."""
    text = resources.files("briefgen.draft").joinpath("first_names.txt").read_text(
        encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def companies() -> tuple[tuple[str, ...], ...]:
    """Well-known organisations, each its name and other names, read once from the
    bundled ``companies.txt``."""
    text = resources.files("briefgen.draft").joinpath("companies.txt").read_text(
        encoding="utf-8")
    return tuple(tuple(line.split("|")) for line in text.splitlines()
                 if line and not line.startswith("#"))


def fold(text: str) -> str:
    """Case-, apostrophe- and space-insensitive key of a name."""
    return " ".join(text.replace("’", "'").split()).casefold().removeprefix("the ")


def ascii_slug(text: str) -> str:
    """A lowercase ASCII id: ``Ksenia Karelina`` -> ``ksenia-karelina``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "actor"


# Points of the compass that open or close a place's name ("West Lothian", "Dundee
# East"); a name ending in "West" is as often a person's (Kanye West).
_POINTS = frozenset(["north", "south", "east", "west"])
# Last words of landmarks and districts that are also surnames ("Windsor Castle", "Bethnal
# Green"; but "Barbara Castle", "Nick Park"): a place unless a first name opens the run.
_LANDMARKS = frozenset(["castle", "towers", "beach", "park", "green", "gardens", "abbey",
                        "pier", "zoo", "hamlets", "common", "heath"])


class NameIndex:
    """Known names (registry first, then the gazetteer) -> actor info."""

    def __init__(self, registry: dict[str, Actor]):
        self.registry = registry
        self.names: dict[str, ActorInfo] = {}
        self.demonyms: set[str] = set()
        for entry in (*gz.COUNTRIES, *gz.ORGANISATIONS):
            info = ActorInfo(entry.id, entry.name, entry.kind)
            for name in (entry.name, *entry.aliases):
                self.names.setdefault(fold(name), info)
            self.demonyms.update(fold(d) for d in entry.demonyms)
        for name, *aliases in companies():
            info = ActorInfo(ascii_slug(name), name, "organisation")
            for each in (name, *aliases):
                self.names.setdefault(fold(each), info)
        self.places = places()
        for folded, name in self.places.countries.items():
            self.names.setdefault(fold(folded), ActorInfo(ascii_slug(name), name, "country"))
        for actor in registry.values():
            info = ActorInfo(actor.id, actor.name, actor.kind, actor.role, linked=True)
            for name in (actor.name, *actor.aliases):
                self.names[fold(name)] = info
        self.surnames: dict[str, list[Actor]] = {}
        for actor in registry.values():
            if actor.kind == "person":
                self.surnames.setdefault(fold(actor.name.split()[-1]), []).append(actor)

    def lookup(self, name: str) -> ActorInfo | None:
        """The actor with this name or alias."""
        return self.names.get(fold(name))

    def person(self, words: list[str]) -> ActorInfo | None:
        """A registry person matching a full name or a bare surname."""
        exact = self.lookup(" ".join(words))
        if exact is not None and exact.kind == "person":
            return exact
        same = self.surnames.get(fold(words[-1]), [])
        if len(words) > 1:
            same = [a for a in same if fold(a.name.split()[0])[:1] == fold(words[0])[:1]]
        if len(same) == 1:
            actor = same[0]
            return ActorInfo(actor.id, actor.name, actor.kind, actor.role, linked=True)
        return None

    def place_like(self, words: list[str]) -> bool:
        """Whether a run is a place or made of place words ("Greater London")."""
        folded = [fold(w) for w in words]
        if self.places.is_place(" ".join(folded)) or "-".join(folded) in gz.PLACES:
            return True
        if len(folded) > 1 and (folded[0] in _POINTS or (
                folded[-1] in _POINTS - {"west"} and folded[0] not in first_names())):
            return True   # "East Renfrewshire", "South West Edinburgh", "Dundee East"
        return all(w in COMPASS or w in self.demonyms or self.places.is_place(w)
                   or w in gz.PLACES for w in folded)

    def landmark_like(self, words: list[str]) -> bool:
        """Whether a run has a landmark's or a district's shape ("Windsor Castle", "Tower
        Hamlets"): a last word such as Castle or Green after a word that is no common
        first name (the caller checks the text does not make it a person: "Kemi Green
        said")."""
        folded = [fold(w) for w in words]
        return len(folded) > 1 and folded[-1] in _LANDMARKS and folded[0] not in first_names()

    def has_place(self, words: list[str]) -> bool:
        """Whether a word of a run is a country or a demonym ("Air China")."""
        return any(fold(w) in self.places.countries or fold(w) in self.demonyms
                   or (self.lookup(w) is not None and self.lookup(w).kind == "country")
                   for w in words)

    def role_word(self, word: str) -> bool:
        """Whether a word can be part of a role phrase."""
        low = fold(word)
        return (low in gz.TITLE_WORDS or low in gz.ROLE_MODIFIERS or low in self.demonyms
                or low in self.names)


