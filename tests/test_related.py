"""Related briefings: earlier coverage ranked by shared actors, then shared topics, then
recency; a bounded window per actor and topic, never all pairs."""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.build.parallel.forked import forked_map
from briefgen.indexes import RelatedRanker, build_index, compute_related, sort_key
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
        make("unrelated", 5, "ef", ("sport",)),
        make("three-actors", 4, "abc"),
        make("later-three-actors", 11, "abc"),
    ]
    index = build_index(briefings, REGISTRY)
    assert [b.slug for b in index.related["me"]] == [
        "three-actors",
        "two-actors-old",
        "one-actor-two-topics",
        "one-actor-one-topic-new",
        "one-actor-one-topic-old",
    ]  # at most five; "topic-only" is sixth, "unrelated" never, "later-…" is not earlier
    assert [b.slug for b in index.related["unrelated"]] == []
    assert "me" not in [b.slug for b in index.related["me"]]
    assert [b.slug for b in index.related["later-three-actors"]][:2] == ["me", "three-actors"]


def test_recency_breaks_ties_and_topics_match_by_slug() -> None:
    briefings = [
        make("me", 10, "", ("Ukraine war",)),
        make("older", 1, "", ("ukraine-war",)),
        make("newer", 5, "", ("Ukraine War",)),
    ]
    index = build_index(briefings, REGISTRY)
    assert [b.slug for b in index.related["me"]] == ["newer", "older"]
    assert [b.slug for b in index.related["older"]] == []   # nothing earlier


class CountingList(list):
    """A posting list that counts how many entries are read from it."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            CountingList.reads += 1
            yield item

    def __getitem__(self, index):
        got = super().__getitem__(index)
        CountingList.reads += len(got) if isinstance(index, slice) else 1
        return got


def test_cost_per_briefing_is_bounded_by_the_window() -> None:
    # 2,000 briefings, one actor and one topic shared by all: comparing every pair (or
    # reading whole posting lists) would read 4,000,000 entries; each briefing reads
    # at most a window of its actor's list (and of its topic's, to fill the list).
    briefings = [make(f"b{i:04d}", 1 + i % 28, "a", ("war",)) for i in range(2000)]
    ordered = sorted(briefings, key=sort_key)
    positions = list(range(len(ordered)))
    ranker = RelatedRanker(ordered, {"a": CountingList(positions)},
                           {"war": CountingList(positions)}, window=20)
    CountingList.reads = 0
    related = {b.slug: ranker.rank(b) for b in briefings}
    assert CountingList.reads <= 2000 * (20 + 11)   # the window, and a binary search
    assert sum(1 for r in related.values() if len(r) == 5) == 2000 - 5
    newest = ordered[0]
    assert related[newest.slug] == list(ordered[1:6])   # the latest earlier ones


def brute_related(briefings: list[Briefing], window: int) -> dict[str, list[str]]:
    """The definition, checked the slow way: for each actor (and, to fill the list,
    each topic) the ``window`` latest earlier briefings are candidates; ranked by the
    number of actor windows a candidate is in, shared topics, recency, slug."""
    # Topics fill the list only when fewer than five briefings share an actor.
    ordered = sorted(briefings, key=sort_key)
    out = {}
    for i, me in enumerate(ordered):
        earlier = ordered[i + 1:]
        counts: dict[str, int] = {}
        for actor in dict.fromkeys(me.actor_ids):
            for other in [b for b in earlier if actor in b.actor_ids][:window]:
                counts[other.slug] = counts.get(other.slug, 0) + 1
        pool = set(counts)
        own = {t for t in me.topics}
        if len(pool) < 5:
            for topic in own:
                pool |= {b.slug for b in [b for b in earlier if topic in b.topics][:window]}
        by_slug = {b.slug: (n, b) for n, b in enumerate(ordered)}

        def key(slug: str) -> tuple:
            n, other = by_slug[slug]
            return (-counts.get(slug, 0), -len(own & set(other.topics)), n)
        out[me.slug] = sorted(pool, key=key)[:5]
    return out


def test_ranking_equals_the_definition() -> None:
    """The posting-list ranker gives exactly the order the slow definition gives."""
    rng = random.Random(11)
    topics = ("war", "aid", "trade", "energy")
    briefings = [make(f"b{i:03d}", 1 + rng.randrange(28), "".join(rng.sample("abcdef",
                      rng.randint(0, 4))), tuple(rng.sample(topics, rng.randint(0, 3))))
                 for i in range(150)]
    for window in (100, 7):
        ordered = sorted(briefings, key=sort_key)
        memo = compute_related(ordered, *postings(ordered), window=window)
        expected = brute_related(briefings, window)
        for me in briefings:
            assert list(memo.related[me.slug]) == expected[me.slug], (window, me.slug)


def postings(ordered: list[Briefing]) -> tuple[dict, dict]:
    by_actor: dict[str, list[Briefing]] = {}
    by_topic: dict[str, list[Briefing]] = {}
    for b in ordered:
        for a in dict.fromkeys(b.actor_ids):
            by_actor.setdefault(a, []).append(b)
        for t in dict.fromkeys(b.topics):
            by_topic.setdefault(t, []).append(b)
    return by_actor, by_topic


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


def test_adding_and_removing_briefings_updates_exactly_with_a_small_window() -> None:
    rng = random.Random(3)
    briefings = random_briefings(rng, 80, 3)
    window = 4
    ordered = sorted(briefings, key=sort_key)
    memo = compute_related(ordered, *postings(ordered), window=window)
    for step in range(60):
        action = step % 3
        if action == 0:     # a new briefing, at any date
            briefings.append(make(f"n{step:03d}", 1 + rng.randrange(28),
                                  "".join(rng.sample("abcdef", rng.randint(0, 3))),
                                  tuple(rng.sample(("war", "aid", "trade"), rng.randint(0, 2)))))
        elif action == 1:   # one removed
            briefings.remove(rng.choice(briefings))
        else:               # one moved in time and retold
            target = rng.choice(briefings)
            target.date = dt.date(2025, 1, 1 + rng.randrange(28))
            target.topics = rng.sample(("war", "aid", "trade"), rng.randint(0, 2))
        ordered = sorted(briefings, key=sort_key)
        updated = compute_related(ordered, *postings(ordered), memo=memo, window=window)
        fresh = compute_related(ordered, *postings(ordered), window=window)
        assert updated.related == fresh.related, step
        # Shapes taken from the memo for the briefings the step left alone: the same.
        touched = {briefings[-1].slug} if action == 0 else {target.slug} if action == 2 \
            else set()
        unchanged = {b.slug for b in ordered} - touched
        reused = compute_related(ordered, *postings(ordered), memo=memo, window=window,
                                 unchanged=unchanged)
        assert reused.related == fresh.related and reused.shapes == fresh.shapes, step
        memo = updated


def test_a_new_latest_briefing_reranks_only_itself() -> None:
    briefings = random_briefings(random.Random(5), 200, 4)
    ordered = sorted(briefings, key=sort_key)
    memo = compute_related(ordered, *postings(ordered))
    ranked: list[str] = []

    def mapper(rank, slugs):
        ranked.extend(slugs)
        return [rank(s) for s in slugs]
    latest = make("latest", 28, "abcd", ("war",))
    latest.date = dt.date(2025, 2, 1)
    briefings.append(latest)
    ordered = sorted(briefings, key=sort_key)
    updated = compute_related(ordered, *postings(ordered), memo=memo, mapper=mapper)
    assert ranked == ["latest"]
    assert {s: r for s, r in updated.related.items() if s != "latest"} == memo.related


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
