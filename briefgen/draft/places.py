"""Place names bundled with the drafter (every country, US states, big cities).

Countries become country actors; cities and regions only keep a capitalised run
from being read as a person or an organisation. Read once per process from
``places.txt`` (about 40 KB); see its header for the source and licence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

COMPASS = frozenset(["north", "south", "east", "west", "northern", "southern", "eastern",
                     "western", "central", "greater", "upper", "lower", "new", "san", "santa",
                     "st", "saint", "los", "las", "el", "la", "le", "fort", "port", "mount"])


@dataclass(frozen=True)
class Places:
    """Folded names: countries, and every other place."""

    countries: dict[str, str]  # folded name -> display name
    others: frozenset[str]

    def is_place(self, folded: str) -> bool:
        return folded in self.others or folded in self.countries


@cache
def places() -> Places:
    """The bundled places, loaded once (read-only afterwards)."""
    text = resources.files("briefgen.draft").joinpath("places.txt").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    others: set[str] = set()
    for line in text.splitlines():
        kind, _, name = line.partition(": ")
        if line.startswith("#") or not name:
            continue
        if kind == "country":
            countries[name.casefold()] = name
        else:
            others.add(name.casefold())
    return Places(countries, frozenset(others))
