"""Site-wide indexes over parsed briefings: actors, topics, archive months, neighbours.

Everything is built in one pass over the briefings (and their mentions), never by
comparing briefings pairwise, so cost grows with the size of the archive.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from briefgen.model import Actor, Briefing, Quote
from briefgen.slugs import slugify


@dataclass
class Topic:
    """A topic and the briefings filed under it (newest first)."""

    slug: str
    name: str
    briefings: list[Briefing] = field(default_factory=list)


@dataclass
class ActorEntry:
    """An actor with every briefing it appears in (newest first) and its quotes."""

    actor: Actor
    briefings: list[Briefing] = field(default_factory=list)
    quotes: list[tuple[Briefing, Quote]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


@dataclass
class Month:
    """One month of the archive."""

    year: int
    month: int
    briefings: list[Briefing] = field(default_factory=list)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class SiteIndex:
    """Everything the renderer needs to connect briefings."""

    briefings: list[Briefing]
    by_slug: dict[str, Briefing]
    actors: dict[str, ActorEntry]
    topics: dict[str, Topic]
    months: list[Month]
    previous: dict[str, Briefing | None]
    next: dict[str, Briefing | None]

    def actor(self, actor_id: str) -> Actor | None:
        """The actor definition for an id (registry or a briefing's own)."""
        entry = self.actors.get(actor_id)
        return entry.actor if entry else None

    def topic_slug(self, name: str) -> str:
        return slugify(name)


def sort_key(briefing: Briefing) -> tuple:
    """Newest first; ties broken by slug so the order is stable across builds."""
    return (-briefing.date.toordinal(), briefing.slug)


def build_index(briefings: list[Briefing], registry: dict[str, Actor]) -> SiteIndex:
    """Connect briefings to actors, topics and months in one pass."""
    ordered = sorted(briefings, key=sort_key)
    actors: dict[str, ActorEntry] = {aid: ActorEntry(actor) for aid, actor in registry.items()}
    topics: dict[str, Topic] = {}
    months: dict[tuple[int, int], Month] = {}
    for briefing in ordered:
        for mention in briefing.mentions:
            entry = actors.get(mention.actor_id)
            if entry is None:
                local = briefing.local_actors.get(mention.actor_id)
                if local is None:
                    continue
                entry = actors[mention.actor_id] = ActorEntry(local)
            entry.briefings.append(briefing)
            if mention.role and mention.role not in entry.roles:
                entry.roles.append(mention.role)
        for quote in briefing.quotes:
            if quote.by and quote.by in actors:
                actors[quote.by].quotes.append((briefing, quote))
        for name in briefing.topics:
            slug = slugify(name)
            topic = topics.setdefault(slug, Topic(slug, name))
            topic.briefings.append(briefing)
        key = (briefing.date.year, briefing.date.month)
        months.setdefault(key, Month(*key)).briefings.append(briefing)
    previous: dict[str, Briefing | None] = {}
    following: dict[str, Briefing | None] = {}
    for i, briefing in enumerate(ordered):
        # "previous" is the older briefing, "next" the newer one.
        previous[briefing.slug] = ordered[i + 1] if i + 1 < len(ordered) else None
        following[briefing.slug] = ordered[i - 1] if i > 0 else None
    return SiteIndex(
        briefings=ordered,
        by_slug={b.slug: b for b in ordered},
        actors=dict(sorted(actors.items(), key=lambda kv: kv[1].actor.name.casefold())),
        topics=dict(sorted(topics.items(), key=lambda kv: kv[1].name.casefold())),
        months=[months[k] for k in sorted(months, reverse=True)],
        previous=previous,
        next=following,
    )
