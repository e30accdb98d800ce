"""Site-wide indexes over parsed briefings: actors, topics, archive months, neighbours,
related briefings.

Everything is built in one pass over the briefings (and their mentions), never by
comparing briefings pairwise, so cost grows with the size of the archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
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
    related: dict[str, list[Briefing]] = field(default_factory=dict)

    def actor(self, actor_id: str) -> Actor | None:
        """The actor definition for an id (registry or a briefing's own)."""
        entry = self.actors.get(actor_id)
        return entry.actor if entry else None

    def topic_slug(self, name: str) -> str:
        return slugify(name)


def sort_key(briefing: Briefing) -> tuple:
    """Newest first; ties broken by slug so the order is stable across builds."""
    return (-briefing.date.toordinal(), briefing.slug)


RELATED_LIMIT = 5


def related_briefings(
    briefing: Briefing,
    by_actor: Mapping[str, Sequence[Briefing]],
    by_topic: Mapping[str, Sequence[Briefing]],
    limit: int = RELATED_LIMIT,
) -> list[Briefing]:
    """Up to ``limit`` briefings sharing actors or topics with ``briefing``, best first.

    Ranked by shared actors, then shared topics, then recency (then slug, for a stable
    order). Candidates come only from the posting lists of the briefing's own actors and
    topics, so the cost is the length of those lists, never every pair of briefings.
    """
    scores: dict[str, list] = {}
    for postings, slot in ((by_actor, 0), (by_topic, 1)):
        keys = briefing.actor_ids if slot == 0 else [slugify(t) for t in briefing.topics]
        for key in dict.fromkeys(keys):
            for other in postings.get(key, ()):
                if other.slug == briefing.slug:
                    continue
                score = scores.setdefault(other.slug, [0, 0, other])
                score[slot] += 1
    ranked = sorted(scores.values(), key=lambda s: (-s[0], -s[1], sort_key(s[2])))
    return [s[2] for s in ranked[:limit]]


def _postings(entries: Iterable[tuple[str, list[Briefing]]]) -> dict[str, list[Briefing]]:
    return {key: briefings for key, briefings in entries if briefings}


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
    by_actor = _postings((aid, entry.briefings) for aid, entry in actors.items())
    by_topic = _postings((slug, topic.briefings) for slug, topic in topics.items())
    related = {b.slug: related_briefings(b, by_actor, by_topic) for b in ordered}
    return SiteIndex(
        briefings=ordered,
        by_slug={b.slug: b for b in ordered},
        actors=dict(sorted(actors.items(), key=lambda kv: kv[1].actor.name.casefold())),
        topics=dict(sorted(topics.items(), key=lambda kv: kv[1].name.casefold())),
        months=[months[k] for k in sorted(months, reverse=True)],
        previous=previous,
        next=following,
        related=related,
    )
