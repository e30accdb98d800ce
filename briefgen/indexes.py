"""Site-wide indexes over parsed briefings: actors, topics, archive months, neighbours,
related briefings.

Everything is built in one pass over the briefings (and their mentions), never by
comparing briefings pairwise, so cost grows with the size of the archive.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress

from briefgen.model import Actor, Briefing, Quote
from briefgen.slugs import slugify


@dataclass
class Topic:
    """A topic and the briefings filed under it (newest first). Its name is the
    spelling of its oldest briefing, so a new briefing never renames it."""

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
    related_memo: RelatedMemo | None = None

    def actor(self, actor_id: str) -> Actor | None:
        """The actor definition for an id (registry or a briefing's own)."""
        entry = self.actors.get(actor_id)
        return entry.actor if entry else None

    def actor_in(self, briefing: Briefing, actor_id: str) -> Actor | None:
        """The actor an id names in ``briefing``: the briefing's own definition wins
        there (over the registry and other briefings' definitions), else ``actor``."""
        return briefing.local_actors.get(actor_id) or self.actor(actor_id)

    def topic_slug(self, name: str) -> str:
        return slugify(name)


def sort_key(briefing: Briefing) -> tuple:
    """Newest first (by day, then by local time of day where the source gave one); ties
    broken by slug so the order is stable across builds."""
    published = briefing.published
    at = published.at if published is not None else None
    seconds = at.hour * 3600 + at.minute * 60 + at.second if at is not None else 0
    return (-briefing.date.toordinal(), -seconds, briefing.slug)


RELATED_LIMIT = 5


@functools.lru_cache(maxsize=16384)
def topic_keys(topics: tuple[str, ...]) -> frozenset[str]:
    """The slugs of a briefing's topics, which is how topics match."""
    return frozenset(slugify(t) for t in topics)


class RelatedRanker:
    """Ranks related briefings from posting lists of positions in the archive order.

    ``ordered`` is the archive (newest first, then by slug), which is also the final
    tie-break, so a briefing is its position there: counting shared actors over
    the posting lists is one C-level ``Counter.update`` per actor, and only the
    candidates that can still reach the top are looked at one by one.
    """

    def __init__(self, ordered: Sequence[Briefing], by_actor: Mapping[str, Sequence[int]],
                 by_topic: Mapping[str, Sequence[int]]):
        self.ordered = ordered
        self.position = {b.slug: i for i, b in enumerate(ordered)}
        self.topic_sets = [topic_keys(tuple(b.topics)) for b in ordered]
        self.by_actor = by_actor
        self.by_topic = by_topic

    @classmethod
    def from_postings(cls, ordered: Sequence[Briefing],
                      by_actor: Mapping[str, Sequence[Briefing]],
                      by_topic: Mapping[str, Sequence[Briefing]]) -> RelatedRanker:
        """A ranker over posting lists of briefings (each list in archive order)."""
        position = {b.slug: i for i, b in enumerate(ordered)}
        return cls(ordered,
                   {key: [position[b.slug] for b in lst] for key, lst in by_actor.items()},
                   {key: [position[b.slug] for b in lst] for key, lst in by_topic.items()})

    def rank(self, briefing: Briefing, limit: int = RELATED_LIMIT) -> list[Briefing]:
        """Up to ``limit`` briefings sharing actors or topics with ``briefing``, best first.

        Ranked by shared actors, then shared topics, then recency (then slug). Reads the
        posting lists of the briefing's own actors; its topics' lists only when fewer
        than ``limit`` briefings share an actor with it.
        """
        me = self.position[briefing.slug]
        actors: Counter[int] = Counter()
        for key in dict.fromkeys(briefing.actor_ids):
            actors.update(self.by_actor.get(key, ()))
        actors.pop(me, None)
        own = self.topic_sets[me]
        if len(actors) > limit:
            # Only candidates sharing at least as many actors as the limit-th best can
            # reach the top: the topic and recency tie-breaks are needed for those alone.
            floor = sorted(actors.values(), reverse=True)[limit - 1]
            pool = list(compress(actors.keys(), map(floor.__le__, actors.values())))
        else:
            pool = list(actors)
            if len(pool) < limit and own:   # briefings sharing only topics fill the rest
                topical: Counter[int] = Counter()
                for key in own:
                    topical.update(self.by_topic.get(key, ()))
                topical.pop(me, None)
                pool += [p for p in topical if p not in actors]
        topic_sets = self.topic_sets
        best = heapq.nsmallest(limit, pool, key=lambda p: (-actors.get(p, 0),
                                                             -len(own & topic_sets[p]), p))
        return [self.ordered[p] for p in best]


@dataclass
class RelatedMemo:
    """The related lists of a previous build and what they were computed from.

    A build whose briefings kept their dates and topics (the common case while an
    author edits text and annotations) updates only the lists a change can reach
    instead of ranking every briefing again.
    """

    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shapes: dict[str, tuple] = field(default_factory=dict)


def _shape(briefing: Briefing) -> tuple:
    """What a briefing's place in other briefings' related lists depends on."""
    topics = tuple(sorted({slugify(t) for t in briefing.topics}))
    return (briefing.date.toordinal(), topics, tuple(sorted(set(briefing.actor_ids))))


def _rank_key(briefing: Briefing, other: Briefing) -> tuple:
    """``other``'s rank among ``briefing``'s related (smaller ranks higher)."""
    actors = len(set(briefing.actor_ids).intersection(other.actor_ids))
    topics = len(topic_keys(tuple(briefing.topics)) & topic_keys(tuple(other.topics)))
    return (-actors, -topics, -other.date.toordinal(), other.slug)


Mapper = Callable[[Callable[[str], tuple[str, ...]], Sequence[str]], list[tuple[str, ...]]]


def _map(func: Callable[[str], tuple[str, ...]], slugs: Sequence[str]) -> list[tuple[str, ...]]:
    return [func(slug) for slug in slugs]


def compute_related(ordered: list[Briefing], by_actor: Mapping[str, Sequence[Briefing]],
                    by_topic: Mapping[str, Sequence[Briefing]],
                    memo: RelatedMemo | None = None,
                    mapper: Mapper | None = None) -> RelatedMemo:
    """Every briefing's related list, updated from ``memo`` where that is exact.

    ``mapper(rank, slugs)`` ranks many briefings at once (``forked_map`` shares the
    work between processes); the default ranks them one after the other here.
    """
    mapper = mapper or _map
    by_slug = {b.slug: b for b in ordered}
    shapes = {b.slug: _shape(b) for b in ordered}

    @functools.cache
    def ranker() -> RelatedRanker:   # only built when some list must be ranked
        return RelatedRanker.from_postings(ordered, by_actor, by_topic)

    def rank(slug: str) -> tuple[str, ...]:
        return tuple(b.slug for b in ranker().rank(by_slug[slug]))

    changed = [] if memo is None else [s for s in shapes if shapes[s] != memo.shapes.get(s)]
    if (memo is None or memo.shapes.keys() != shapes.keys()
            or any(shapes[s][:2] != memo.shapes[s][:2] for s in changed)):
        # Briefings came, went, or moved in date or topics: rank everything again.
        slugs = list(shapes)
        if slugs:
            ranker()   # built once, before any worker shares the ranking
        return RelatedMemo(dict(zip(slugs, mapper(rank, slugs))), shapes)
    related = dict(memo.related)
    linked_from: dict[str, set[str]] = {}
    for slug, others in memo.related.items():
        for other in others:
            linked_from.setdefault(other, set()).add(slug)
    redo = set(changed)
    for slug in changed:
        redo |= linked_from.get(slug, set())
        actor_ids = set(memo.shapes[slug][2]) | set(shapes[slug][2])
        candidates = {b.slug for aid in actor_ids for b in by_actor.get(aid, ())}
        for other in candidates - redo - {slug}:
            current = related[other]
            if len(current) < RELATED_LIMIT or _rank_key(by_slug[other], by_slug[slug]) < \
                    _rank_key(by_slug[other], by_slug[current[-1]]):
                redo.add(other)
    slugs = sorted(redo)
    if slugs:
        ranker()
    related.update(zip(slugs, mapper(rank, slugs)))
    return RelatedMemo(related, shapes)


def _postings(entries: Iterable[tuple[str, list[Briefing]]]) -> dict[str, list[Briefing]]:
    return {key: briefings for key, briefings in entries if briefings}


def build_index(briefings: list[Briefing], registry: dict[str, Actor],
                related_memo: RelatedMemo | None = None,
                mapper: Mapper | None = None) -> SiteIndex:
    """Connect briefings to actors, topics and months in one pass.

    ``related_memo`` (the previous build's ``index.related_memo``) lets related lists
    be updated rather than ranked again for every briefing; ``mapper`` ranks many
    at once (see ``compute_related``).
    """
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
            topic.name = name   # the last one set is the oldest briefing's
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
    memo = compute_related(ordered, by_actor, by_topic, related_memo, mapper)
    by_slug = {b.slug: b for b in ordered}
    related = {slug: [by_slug[s] for s in others] for slug, others in memo.related.items()}
    return SiteIndex(
        briefings=ordered,
        by_slug=by_slug,
        actors=dict(sorted(actors.items(), key=lambda kv: kv[1].actor.name.casefold())),
        topics=dict(sorted(topics.items(), key=lambda kv: kv[1].name.casefold())),
        months=[months[k] for k in sorted(months, reverse=True)],
        previous=previous,
        next=following,
        related=related,
        related_memo=memo,
    )
