"""Related briefings: shared actors, then shared topics, then recency; never all pairs."""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.build.parallel.forked import forked_map
from briefgen.indexes import RelatedRanker, build_index, sort_key
from briefgen.model import Actor, Briefing, Mention
from briefgen.render import plan_pages

REGISTRY = {aid: Actor(aid, aid.title()) for aid in ("a", "b", "c", "d", "e", "f")}


def make(slug: str, day: int, actors: str = "", topics: tuple[str, ...] = ()) -> Briefing:
    return Briefing(slug=slug, title=slug, date=dt.date(2025, 1, day), source_path=slug,
                    topics=list(topics), mentions=[Mention(a, "", 1) for a in actors])


def test_ranked_by_shared_actors_then_topics_then_recency() -> None:
    briefings = [
        make("me", 10, "abc", ("war", "aid")),
        make("two-actors-old", 1, "ab"),
        make("one-actor-two-topics", 2, "a", ("war", "aid")),
        make("one-actor-one-topic-new", 9, "c", ("war",)),
        make("one-actor-one-topic-old", 3, "b", ("aid",)),
        make("topic-only", 8, "", ("war",)),
        make("unrelated", 11, "ef", ("sport",)),
        make("three-actors", 4, "abc"),
    ]
    index = build_index(briefings, REGISTRY)
    assert [b.slug for b in index.related["me"]] == [
        "three-actors",
        "two-actors-old",
        "one-actor-two-topics",
        "one-actor-one-topic-new",
        "one-actor-one-topic-old",
    ]  # at most five; "topic-only" is sixth, "unrelated" never
    assert [b.slug for b in index.related["unrelated"]] == []
    assert "me" not in [b.slug for b in index.related["me"]]


def test_recency_breaks_ties_and_topics_match_by_slug() -> None:
    briefings = [
        make("me", 10, "", ("Ukraine war",)),
        make("older", 1, "", ("ukraine-war",)),
        make("newer", 5, "", ("Ukraine War",)),
    ]
    index = build_index(briefings, REGISTRY)
    assert [b.slug for b in index.related["me"]] == ["newer", "older"]


class CountingList(list):
    """A posting list that counts how many entries are read from it."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            CountingList.reads += 1
            yield item


def test_cost_is_the_posting_lists_not_all_pairs() -> None:
    # 400 briefings in 100 disjoint groups of 4 (one actor, one topic each): all pairs
    # would be 160,000 comparisons; the inverted index reads only the group's lists.
    briefings = [make(f"b{i:03d}", 1 + i % 28, "", (f"topic-{i // 4}",)) for i in range(400)]
    for i, b in enumerate(briefings):
        b.mentions = [Mention(f"actor-{i // 4}", "", 1)]
    ordered = sorted(briefings, key=sort_key)
    position = {b.slug: i for i, b in enumerate(ordered)}
    by_actor: dict[str, CountingList] = {}
    by_topic: dict[str, CountingList] = {}
    for b in ordered:
        by_actor.setdefault(b.actor_ids[0], CountingList()).append(position[b.slug])
        by_topic.setdefault(b.topics[0], CountingList()).append(position[b.slug])
    ranker = RelatedRanker(ordered, by_actor, by_topic)
    CountingList.reads = 0
    related = {b.slug: ranker.rank(b) for b in briefings}
    # Each briefing reads its actor's list; with 3 candidates for 5 slots, its topic's too.
    assert CountingList.reads == 400 * (4 + 4)
    assert all(len(r) == 3 for r in related.values())


def test_ranking_equals_comparing_every_pair() -> None:
    """The posting-list ranker gives exactly the order a brute-force ranking gives."""
    rng = random.Random(11)
    topics = ("war", "aid", "trade", "energy")
    briefings = [make(f"b{i:03d}", 1 + rng.randrange(28), "".join(rng.sample("abcdef",
                      rng.randint(0, 4))), tuple(rng.sample(topics, rng.randint(0, 3))))
                 for i in range(150)]
    index = build_index(briefings, REGISTRY)

    def brute(me: Briefing) -> list[str]:
        scored = []
        for other in briefings:
            if other is me:
                continue
            actors = len(set(me.actor_ids) & set(other.actor_ids))
            shared = len({t for t in me.topics} & set(other.topics))
            if actors or shared:
                scored.append(((-actors, -shared, -other.date.toordinal(), other.slug), other))
        return [b.slug for _, b in sorted(scored, key=lambda s: s[0])[:5]]

    for me in briefings:
        assert [b.slug for b in index.related[me.slug]] == brute(me), me.slug


def test_briefing_page_shows_related_and_declares_them() -> None:
    briefings = [make("me", 10, "ab"), make("other", 5, "a"), make("far", 1, "f")]
    index = build_index(briefings, REGISTRY)
    config = SiteConfig(root=Path("."))
    page = next(p for p in plan_pages(config, index) if p.path == "briefings/me/index.html")
    assert [b.slug for b in page.context["related"]] == ["other"]
    assert "other" in page.sources
    data = next(p for p in plan_pages(config, index) if p.path == "briefings/me/index.json")
    assert "other" in data.sources


def random_briefings(rng: random.Random, count: int, most_actors: int) -> list[Briefing]:
    """``count`` briefings with random dates, actors (of "abcdef") and topics."""
    return [make(f"b{i:03d}", 1 + i % 28, "".join(rng.sample("abcdef", rng.randint(0, most_actors))),
                 tuple(rng.sample(("war", "aid", "trade"), rng.randint(0, 2))))
            for i in range(count)]


def test_updating_related_equals_ranking_again() -> None:
    rng = random.Random(7)
    actors = "abcdef"
    briefings = random_briefings(rng, 60, 3)
    index = build_index(briefings, REGISTRY)
    memo = index.related_memo
    for step in range(40):
        target = rng.choice(briefings)
        target.mentions = [Mention(a, "", 1)
                           for a in rng.sample(actors, rng.randint(0, 3))]
        if step % 10 == 9:  # sometimes a date or topic moves too
            target.date = dt.date(2025, 2, 1 + step % 20)
        updated = build_index(briefings, REGISTRY, memo)
        fresh = build_index(briefings, REGISTRY)
        assert updated.related_memo.related == fresh.related_memo.related, step
        memo = updated.related_memo


def test_ranking_shared_between_processes_gives_the_same_lists(monkeypatch) -> None:
    from briefgen.build.parallel import forked

    # Ranking shared by forked children: the lists must not depend on the split (the
    # test session has threads of its own by now, which would otherwise forbid forking;
    # the children only rank and send back).
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    briefings = random_briefings(random.Random(11), 400, 4)
    alone = build_index(briefings, REGISTRY)
    shared = build_index(briefings, REGISTRY, mapper=functools.partial(forked_map, jobs=3))
    assert len(forks) == 2
    assert shared.related_memo.related == alone.related_memo.related
    assert list(shared.related) == list(alone.related)
