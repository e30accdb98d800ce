"""Site-wide indexes over parsed briefings: actors, topics, archive months, neighbours,
related briefings.

Everything is built in one pass over the briefings (and their mentions), never by
comparing briefings pairwise, so cost grows with the size of the archive.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
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
    related_memo: RelatedMemo | None = None

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
# Topic posting lists are long (a topic spans a large share of the archive) and,
# past the shared actors, topic matches rank by recency: reading the newest
# entries of each topic list is enough to fill five slots.
TOPIC_SCAN = 100


@functools.lru_cache(maxsize=16384)
def topic_keys(topics: tuple[str, ...]) -> frozenset[str]:
    """The slugs of a briefing's topics, which is how topics match."""
    return frozenset(slugify(t) for t in topics)


def related_briefings(
    briefing: Briefing,
    by_actor: Mapping[str, Sequence[Briefing]],
    by_topic: Mapping[str, Sequence[Briefing]],
    limit: int = RELATED_LIMIT,
) -> list[Briefing]:
    """Up to ``limit`` briefings sharing actors or topics with ``briefing``, best first.

    Ranked by shared actors, then shared topics, then recency (then slug, for a stable
    order). Candidates come only from the posting lists of the briefing's own actors
    (read whole) and topics (their ``TOPIC_SCAN`` newest entries, plus any actor
    candidate's topics), so the cost is bounded by those lists, never every pair.
    """
    scores: dict[str, list] = {}
    for key in dict.fromkeys(briefing.actor_ids):
        for other in by_actor.get(key, ()):
            if other.slug != briefing.slug:
                score = scores.get(other.slug)
                if score is None:
                    scores[other.slug] = score = [0, 0, other]
                score[0] += 1
    own_topics = topic_keys(tuple(briefing.topics))
    for key in own_topics:
        for seen, other in enumerate(by_topic.get(key, ())):
            if seen >= TOPIC_SCAN:
                break
            if other.slug != briefing.slug and other.slug not in scores:
                scores[other.slug] = [0, 0, other]
    # Only the groups with the most shared actors can reach the top ``limit``: work
    # out shared topics for those groups alone.
    groups: dict[int, list[list]] = {}
    for score in scores.values():
        groups.setdefault(score[0], []).append(score)
    chosen: list[list] = []
    for shared in sorted(groups, reverse=True):
        chosen.extend(groups[shared])
        if len(chosen) >= limit:
            break
    if own_topics:
        for score in chosen:
            if score[2].topics:
                score[1] = len(own_topics & topic_keys(tuple(score[2].topics)))
    best = heapq.nsmallest(limit, chosen,
                           key=lambda s: (-s[0], -s[1], -s[2].date.toordinal(), s[2].slug))
    return [s[2] for s in best if s[0] or s[1]]


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


def compute_related(ordered: list[Briefing], by_actor: Mapping[str, Sequence[Briefing]],
                    by_topic: Mapping[str, Sequence[Briefing]],
                    memo: RelatedMemo | None = None) -> RelatedMemo:
    """Every briefing's related list, updated from ``memo`` where that is exact."""
    by_slug = {b.slug: b for b in ordered}
    shapes = {b.slug: _shape(b) for b in ordered}

    def rank(slug: str) -> tuple[str, ...]:
        return tuple(b.slug for b in related_briefings(by_slug[slug], by_actor, by_topic))

    changed = [] if memo is None else [s for s in shapes if shapes[s] != memo.shapes.get(s)]
    if (memo is None or memo.shapes.keys() != shapes.keys()
            or any(shapes[s][:2] != memo.shapes[s][:2] for s in changed)):
        # Briefings came, went, or moved in date or topics: rank everything again.
        return RelatedMemo({slug: rank(slug) for slug in shapes}, shapes)
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
    for slug in redo:
        related[slug] = rank(slug)
    return RelatedMemo(related, shapes)


def _postings(entries: Iterable[tuple[str, list[Briefing]]]) -> dict[str, list[Briefing]]:
    return {key: briefings for key, briefings in entries if briefings}


def build_index(briefings: list[Briefing], registry: dict[str, Actor],
                related_memo: RelatedMemo | None = None) -> SiteIndex:
    """Connect briefings to actors, topics and months in one pass.

    ``related_memo`` (the previous build's ``index.related_memo``) lets related lists
    be updated rather than ranked again for every briefing.
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
    memo = compute_related(ordered, by_actor, by_topic, related_memo)
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
