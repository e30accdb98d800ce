"""Site-wide indexes over parsed briefings: actors, topics, archive months, neighbours,
related briefings.

Everything is built in one pass over the briefings (and their mentions), never by
comparing briefings pairwise, so cost grows with the size of the archive.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import operator
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress

from briefgen.model import Actor, Author, Briefing, Quote
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
    authors: dict[str, Author] = field(default_factory=dict)   # content/authors.yaml
    # Each taxonomy's terms (see ``file_under``), by taxonomy name then term slug.
    terms: dict[str, dict[str, Topic]] = field(default_factory=dict)

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


_TOPICS = operator.attrgetter("topics")
RELATED_LIMIT = 5
RELATED_WINDOW = 100   # the latest earlier briefings of each actor and topic looked at


@functools.lru_cache(maxsize=16384)
def topic_keys(topics: tuple[str, ...]) -> frozenset[str]:
    """The slugs of a briefing's topics, which is how topics match."""
    return frozenset(slugify(t) for t in topics)


class RelatedRanker:
    """Ranks a briefing's related briefings among the earlier ones.

    ``ordered`` is the archive (newest first, then by slug), which is also the final
    tie-break, so a briefing is its position there and an earlier briefing is a
    larger position. Related briefings are earlier coverage: for each of a
    briefing's actors (and topics, when actors give too few) only the ``window``
    latest briefings before it are candidates. So ranking one briefing costs at most
    ``window`` per actor and topic whatever the archive's size, and a new briefing
    changes no older briefing's list: older pages keep their bytes.
    """

    def __init__(self, ordered: Sequence[Briefing], by_actor: Mapping[str, Sequence[int]],
                 by_topic: Mapping[str, Sequence[int]], window: int = RELATED_WINDOW):
        self.ordered = ordered
        self.position = {b.slug: i for i, b in enumerate(ordered)}
        self.topic_sets = _TopicSets(ordered)
        self.by_actor = by_actor
        self.by_topic = by_topic
        self.window = window

    @classmethod
    def from_postings(cls, ordered: Sequence[Briefing],
                      by_actor: Mapping[str, Sequence[Briefing]],
                      by_topic: Mapping[str, Sequence[Briefing]],
                      window: int = RELATED_WINDOW) -> RelatedRanker:
        """A ranker over posting lists of briefings (each list in archive order); a list
        becomes positions when a ranking first reads it, so ranking one new briefing
        does not convert the lists of every actor and topic of the archive."""
        ranker = cls(ordered, {}, {}, window)
        ranker.by_actor = _Positions(by_actor, ranker.position)
        ranker.by_topic = _Positions(by_topic, ranker.position)
        return ranker

    def _earlier(self, postings: Sequence[int] | None, me: int) -> Sequence[int]:
        """The ``window`` latest positions of ``postings`` earlier than ``me``."""
        if not postings:
            return ()
        start = bisect.bisect_right(postings, me)
        return postings[start:start + self.window]

    def rank(self, briefing: Briefing, limit: int = RELATED_LIMIT) -> list[Briefing]:
        """Up to ``limit`` earlier briefings sharing actors or topics, best first.

        Ranked by shared actors, then shared topics, then recency (then slug). Reads
        the windows of the briefing's own actors; its topics' windows only when fewer
        than ``limit`` briefings share an actor with it.
        """
        me = self.position[briefing.slug]
        actors: Counter[int] = Counter()
        for key in dict.fromkeys(briefing.actor_ids):
            actors.update(self._earlier(self.by_actor.get(key), me))
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
                    topical.update(self._earlier(self.by_topic.get(key), me))
                pool += [p for p in topical if p not in actors]
        topic_sets = self.topic_sets
        best = heapq.nsmallest(limit, pool, key=lambda p: (-actors.get(p, 0),
                                                             -len(own & topic_sets[p]), p))
        return [self.ordered[p] for p in best]

    def reached_by(self, keys: Iterable[tuple[str, str]], at: int) -> set[int]:
        """Positions whose lists can see a briefing at position ``at`` (present or
        not) through one of ``keys`` (``("a", actor)`` or ``("t", topic)``): the
        ``window`` + 1 latest briefings before ``at`` in each key's list."""
        reached: set[int] = set()
        for kind, key in keys:
            postings = (self.by_actor if kind == "a" else self.by_topic).get(key)
            if postings:
                end = bisect.bisect_left(postings, at)
                reached.update(postings[max(0, end - self.window - 1):end])
        return reached


class _Positions(dict):
    """Posting lists as archive positions, each converted when first read."""

    def __init__(self, postings: Mapping[str, Sequence[Briefing]], position: dict[str, int]):
        super().__init__()
        self._postings = postings
        self._position = position

    def __missing__(self, key: str) -> list[int]:
        position = self._position
        positions = self[key] = [position[b.slug] for b in self._postings[key]]
        return positions

    def get(self, key: str, default: Sequence[int] | None = None) -> Sequence[int] | None:
        return self[key] if key in self._postings else default

    def fill(self) -> None:
        """Convert every list now (before forked workers share them)."""
        for key in self._postings:
            self[key]   # converts it and keeps it


class _TopicSets(dict):
    """The topic slugs of the briefing at each archive position, worked out when read."""

    def __init__(self, ordered: Sequence[Briefing]):
        super().__init__()
        self._ordered = ordered

    def __missing__(self, at: int) -> frozenset[str]:
        topics = self[at] = topic_keys(tuple(self._ordered[at].topics))
        return topics

    def fill(self) -> None:
        """Work out every position's set now (before forked workers share them)."""
        for at in range(len(self._ordered)):
            self[at]   # works it out and keeps it


@dataclass
class RelatedMemo:
    """The related lists of a previous build and what they were computed from.

    A build ranks again only the lists a change can reach (see ``compute_related``)
    instead of ranking every briefing again.
    """

    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shapes: dict[str, tuple] = field(default_factory=dict)


def _shape(briefing: Briefing) -> tuple:
    """What a briefing's place in other briefings' related lists depends on."""
    topics = tuple(sorted({slugify(t) for t in briefing.topics}))
    return (sort_key(briefing)[:-1], topics, tuple(sorted(set(briefing.actor_ids))))


Mapper = Callable[[Callable[[str], tuple[str, ...]], Sequence[str]], list[tuple[str, ...]]]


def _map(func: Callable[[str], tuple[str, ...]], slugs: Sequence[str]) -> list[tuple[str, ...]]:
    return [func(slug) for slug in slugs]


def _to_redo(ranker: RelatedRanker, memo: RelatedMemo, shapes: dict[str, tuple]) -> list[str]:
    """The briefings whose related lists a change since ``memo`` can reach.

    A list depends on the briefing's own shape and on the briefings in its windows,
    so a briefing that came, went or changed shape reaches, through each actor and
    topic it had or has, the ``window`` latest briefings before it (where it is now
    and where it was): exact, and nothing when the change is a new latest briefing.
    """
    keys_sorted: list[tuple] | None = None   # worked out only to place a former shape
    redo: set[int] = set()
    changed = [s for s in shapes if shapes[s] != memo.shapes.get(s)]
    gone = [s for s in memo.shapes if s not in shapes]
    for slug in changed + gone:
        for shape in (memo.shapes.get(slug), shapes.get(slug)):
            if shape is None:
                continue
            keys = [("a", a) for a in shape[2]] + [("t", t) for t in shape[1]]
            if shape is shapes.get(slug):
                at = ranker.position[slug]   # where it is now
            else:
                if keys_sorted is None:
                    keys_sorted = [sort_key(b) for b in ranker.ordered]
                at = bisect.bisect_left(keys_sorted, (*shape[0], slug))   # its place then
            redo |= ranker.reached_by(keys, at)
    position = ranker.position
    redo.update(position[s] for s in changed)
    return [ranker.ordered[p].slug for p in sorted(redo)]


# Ranking more briefings than this converts every list first, once, in this process:
# forked workers then share the lists instead of each converting what it reads.
_FILL_AT = 1000


def _prepare(ranker: RelatedRanker, slugs: Sequence[str]) -> None:
    if len(slugs) >= _FILL_AT:
        for lazy in (ranker.by_actor, ranker.by_topic, ranker.topic_sets):
            if hasattr(lazy, "fill"):
                lazy.fill()


def compute_related(ordered: list[Briefing], by_actor: Mapping[str, Sequence[Briefing]],
                    by_topic: Mapping[str, Sequence[Briefing]],
                    memo: RelatedMemo | None = None,
                    mapper: Mapper | None = None,
                    window: int = RELATED_WINDOW,
                    unchanged: Container[str] = ()) -> RelatedMemo:
    """Every briefing's related list, updated from ``memo`` where that is exact.

    ``mapper(rank, slugs)`` ranks many briefings at once (``forked_map`` shares the
    work between processes); the default ranks them one after the other here.
    ``unchanged`` names briefings whose summary is the one ``memo`` was made from:
    their shapes are taken from it.
    """
    mapper = mapper or _map
    by_slug = {b.slug: b for b in ordered}
    known = memo.shapes if memo is not None and unchanged else {}
    shapes = {b.slug: known[b.slug] if b.slug in unchanged and b.slug in known else _shape(b)
              for b in ordered}
    if memo is not None and memo.shapes == shapes:
        return RelatedMemo(memo.related, shapes)
    ranker = RelatedRanker.from_postings(ordered, by_actor, by_topic, window)

    def rank(slug: str) -> tuple[str, ...]:
        return tuple(b.slug for b in ranker.rank(by_slug[slug]))

    if memo is None:
        slugs = list(shapes)
        _prepare(ranker, slugs)
        return RelatedMemo(dict(zip(slugs, mapper(rank, slugs))), shapes)
    related = {s: memo.related[s] for s in shapes if s in memo.related}
    slugs = _to_redo(ranker, memo, shapes)
    _prepare(ranker, slugs)
    related.update(zip(slugs, mapper(rank, slugs)))
    return RelatedMemo({s: related[s] for s in shapes}, shapes)


def _postings(entries: Iterable[tuple[str, list[Briefing]]]) -> dict[str, list[Briefing]]:
    return {key: briefings for key, briefings in entries if briefings}


def file_under(ordered: Sequence[Briefing],
               names_of: Callable[[Briefing], Iterable[str]]) -> dict[str, Topic]:
    """The terms ``names_of`` gives each briefing of ``ordered`` (newest first), each
    with its briefings, by slug in name order: a topic, a region, a desk. A term is
    named as its oldest briefing spells it, so a new briefing never renames it."""
    terms: dict[str, Topic] = {}
    for briefing in ordered:
        for name in names_of(briefing):
            slug = slugify(name)
            term = terms.setdefault(slug, Topic(slug, name))
            term.name = name   # the last one set is the oldest briefing's
            if not term.briefings or term.briefings[-1] is not briefing:
                term.briefings.append(briefing)
    return dict(sorted(terms.items(), key=lambda kv: kv[1].name.casefold()))


def build_index(briefings: list[Briefing], registry: dict[str, Actor],
                related_memo: RelatedMemo | None = None,
                mapper: Mapper | None = None, *, authors: dict[str, Author] | None = None,
                taxonomies: Sequence[str] = (), unchanged: Container[str] = ()) -> SiteIndex:
    """Connect briefings to actors, topics, ``taxonomies`` and months.

    ``related_memo`` (the previous build's ``index.related_memo``) lets related lists
    be updated rather than ranked again for every briefing; ``mapper`` ranks many
    at once; ``unchanged`` names the briefings whose summaries made that memo (see
    ``compute_related``). ``authors`` are the site's bylines.
    """
    ordered = sorted(briefings, key=sort_key)
    actors: dict[str, ActorEntry] = {aid: ActorEntry(actor) for aid, actor in registry.items()}
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
        key = (briefing.date.year, briefing.date.month)
        months.setdefault(key, Month(*key)).briefings.append(briefing)
    topics = file_under(ordered, _TOPICS)
    previous: dict[str, Briefing | None] = {}
    following: dict[str, Briefing | None] = {}
    for i, briefing in enumerate(ordered):
        # "previous" is the older briefing, "next" the newer one.
        previous[briefing.slug] = ordered[i + 1] if i + 1 < len(ordered) else None
        following[briefing.slug] = ordered[i - 1] if i > 0 else None
    by_actor = _postings((aid, entry.briefings) for aid, entry in actors.items())
    by_topic = _postings((slug, topic.briefings) for slug, topic in topics.items())
    memo = compute_related(ordered, by_actor, by_topic, related_memo, mapper,
                           unchanged=unchanged)
    by_slug = {b.slug: b for b in ordered}
    related = {slug: [by_slug[s] for s in others] for slug, others in memo.related.items()}
    return SiteIndex(
        briefings=ordered,
        by_slug=by_slug,
        actors=dict(sorted(actors.items(), key=lambda kv: kv[1].actor.name.casefold())),
        topics=topics,
        months=[months[k] for k in sorted(months, reverse=True)],
        previous=previous,
        next=following,
        related=related,
        related_memo=memo,
        authors=dict(authors or {}),
        terms={name: file_under(ordered, functools.partial(Briefing.terms_in, taxonomy=name))
               for name in taxonomies},
    )
