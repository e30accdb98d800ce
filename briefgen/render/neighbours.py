"""What a topic's or an actor's page offers next: the topics filed most often with a
topic, the actors that appear most often with an actor. Pure: no Jinja.

Both count co-occurrence within briefings, never by comparing topics or actors
pairwise over the archive: related topics by counting, for each topic, the topics of
its own briefings (briefings × topics per briefing in all, counted in C), co-appearing
actors over the actor's own newest ``CO_WINDOW`` briefings, so an actor page costs the
same at 100 or 100,000 briefings.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from briefgen.indexes import ActorEntry, SiteIndex
from briefgen.slugs import slugify

RELATED_TOPICS = 5    # related topics a topic's page links
CO_ACTORS = 8         # actors an actor's page lists as appearing with it
CO_WINDOW = 200       # an actor's newest briefings its co-appearances are counted over

_TOPICS = attrgetter("topics")
_ACTOR_IDS = attrgetter("actor_ids")


@dataclass(frozen=True)
class Neighbour:
    """A topic (:class:`Topic`) or actor (:class:`ActorEntry`) and how many briefings
    it shares with the page's own."""

    item: Any
    count: int


def related_topics(index: SiteIndex, limit: int = RELATED_TOPICS) -> dict[str, list[Neighbour]]:
    """For every topic (by slug), the ``limit`` topics most often filed with it in the
    same briefing, most shared first, then by name. Each topic counts the topic names
    of its own briefings (a C-level count, briefings × topics each in all), then folds
    spellings into slugs."""
    topics = index.topics
    slug_of: dict[str, str] = {}
    related = {}
    for slug, topic in topics.items():
        counted: Counter[str] = Counter()
        for name, times in Counter(chain.from_iterable(map(_TOPICS, topic.briefings))).items():
            other = slug_of.get(name) or slug_of.setdefault(name, slugify(name))
            if other != slug and other in topics:
                counted[other] += times
        best = heapq.nsmallest(limit, counted.items(),
                               key=lambda kv: (-kv[1], topics[kv[0]].name.casefold(), kv[0]))
        if best:
            related[slug] = [Neighbour(topics[other], count) for other, count in best]
    return related


def co_appearing(entry: ActorEntry, actors: dict[str, ActorEntry], limit: int = CO_ACTORS,
                 window: int = CO_WINDOW) -> list[Neighbour]:
    """The ``limit`` actors that appear most often in the same briefings as ``entry``
    among its newest ``window`` briefings, most shared first, then by name (a briefing
    mentions each actor once, so counting its actor ids counts briefings)."""
    counter = Counter(chain.from_iterable(map(_ACTOR_IDS, entry.briefings[:window])))
    counter.pop(entry.actor.id, None)
    best = heapq.nsmallest(limit, (kv for kv in counter.items() if kv[0] in actors),
                           key=lambda kv: (-kv[1], actors[kv[0]].actor.name.casefold(), kv[0]))
    return [Neighbour(actors[other], count) for other, count in best]


def neighbours_key(neighbours: Sequence[Neighbour], shown_of: Callable[[Any], Any]) -> str:
    """A digest of what a list of neighbours shows (``shown_of`` each one: its link and
    name; and its count), the ``key`` of the page that shows it: that page is rendered
    again when the list changes, and only then, whichever briefings changed it."""
    shown = "\n".join(f"{shown_of(n.item)!r}\x00{n.count}" for n in neighbours)
    return hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()
