"""Listing pages that show what each is for: the home page's hierarchy, the timeline by
day with key figures, topic descriptions and related topics, actors' company; and none
of it moves an older numbered page when a briefing is added."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from itertools import combinations
from pathlib import Path

from conftest import parse_html, run_briefgen, write_files
from test_pagination import build, hashes

from briefgen.indexes import ActorEntry, build_index
from briefgen.model import Actor, Briefing, Mention
from briefgen.render.neighbours import co_appearing, related_topics

ACTORS = """
alpha: {name: Ada Alpha, kind: person, role: Minister}
beta: {name: Bo Beta, kind: person, role: Envoy}
gamma: {name: Gammaland, kind: country}
delta: {name: Dee Delta, kind: person, role: Mayor}
"""
CONFIG = """\
title: Listings
base_url: https://example.org/
paginate: 3
home_limit: 8
topics:
  Trade:
    description: Goods, tariffs and the deals that move them.
  energy:
    description: Gas, oil and power.
"""
START = dt.date(2025, 1, 6)


def day_of(i: int) -> dt.date:
    return START + dt.timedelta(days=5 * (7 if i == 8 else i))   # b07 and b08 share a day


def briefing(i: int, day: dt.date | None = None) -> str:
    topics = ["Trade"] + (["Energy"] if i % 2 == 0 else []) + (["Security"] if i % 3 == 0
                                                               else [])
    people = ["[Alpha]{.actor ref=alpha" + (' role="Chair"' if i == 1 else "") + "} spoke."]
    people += ["[Beta]{.actor ref=beta} listened."] if i % 2 == 0 else []
    people += ["[Gammaland]{.actor ref=gamma} hosted."] if i % 3 == 0 else []
    people += ["[Delta]{.actor ref=delta} came."] if i == 1 else []
    return (f"---\ntitle: Briefing {i}\ndate: {(day or day_of(i)).isoformat()}\n"
            f"topics: [{', '.join(topics)}]\nsummary:\n  - Point one of {i}.\n"
            f"  - Point two of {i}.\n---\n"
            f"{' '.join(people)} The fund holds [€{i + 1} million]{{.figure label=\"Fund {i}\"}}"
            f" after [{i + 2} days]{{.figure label=\"Talks {i}\"}}.\n")


def make_site(root: Path, count: int = 10) -> Path:
    return write_files(root, {"content/actors.yaml": ACTORS, "briefgen.yaml": CONFIG,
                              **{f"content/briefings/b{i:02d}.md": briefing(i)
                                 for i in range(count)}})


def texts(doc, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in doc.select(selector)]


def test_the_home_page_has_a_lead_story_then_cards_then_a_list(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "briefgen.yaml").write_text(CONFIG.replace("paginate: 3", "paginate: 50"))
    home = parse_html(build(site) / "index.html")
    lead = home.select_one(".home-lead .lead")
    assert texts(lead, ".lead__title") == ["Briefing 9"]
    assert texts(lead, ".lead__gist li") == ["Point one of 9.", "Point two of 9."]
    assert lead.select_one(".lead__figure .figure-value").get_text() == "€10 million"
    assert home.select_one(".home-lead h2").get_text() == "Top story"
    # b07 and b08 share a day (then go by slug).
    assert texts(home, ".home-top .card__title") == ["Briefing 7", "Briefing 8", "Briefing 6"]
    assert texts(home, ".home-more .briefing-list li > a") == [
        "Briefing 5", "Briefing 4", "Briefing 3", "Briefing 2"]   # home_limit 8 in all
    # One h1, then a heading per block, titles one level below: a real outline.
    assert [h.name for h in home.select("main h1, main h2")] == ["h1", "h2", "h2", "h2"]


def test_the_timeline_groups_each_page_by_day_with_each_briefing_figure(tmp_path: Path) -> None:
    from briefgen.build import load_site
    from briefgen.config import load_config

    site = make_site(tmp_path)
    public = build(site)
    briefings, _, _ = load_site(load_config(site / "briefgen.yaml"))
    figure = {b.title: b.key_figure.text for b in briefings}
    page = parse_html(public / "timeline/page/3/index.html")   # b07, b08 (same day), b06
    days = page.select(".timeline__day")
    assert [d.select_one("h3 time")["datetime"] for d in days] == [
        day_of(8).isoformat(), day_of(6).isoformat()]
    assert texts(days[0], ".timeline__title") == ["Briefing 7", "Briefing 8"]
    for item in page.select(".timeline__item"):
        title = item.select_one(".timeline__title").get_text()
        assert item.select_one(".figure-value").get_text() == figure[title]


def test_topic_pages_show_their_description_and_related_topics(tmp_path: Path) -> None:
    public = build(make_site(tmp_path))
    trade = parse_html(public / "topics/trade/index.html")
    assert texts(trade, ".topic__description") == ["Goods, tariffs and the deals that move them."]
    # Filed with Trade: Energy in 5 briefings, Security in 4; most shared first.
    assert texts(trade, ".listing__aside li") == ["Energy 5 in common", "Security 4 in common"]
    assert [a["href"] for a in trade.select(".listing__aside a")] == [
        "../../topics/energy/", "../../topics/security/"]
    # A card's kicker is another of its topics, never the page's own.
    assert "Trade" not in texts(trade, ".card .kicker")
    assert texts(trade, ".card .kicker")[0] == "Security"   # b09: Trade, Security
    numbered = parse_html(public / "topics/trade/page/1/index.html")
    assert texts(numbered, ".topic__description") == texts(trade, ".topic__description")
    assert numbered.select(".listing__aside") == []   # related topics: the root only
    energy = parse_html(public / "topics/energy/index.html")
    assert texts(energy, ".listing__aside li") == ["Trade 5 in common", "Security 2 in common"]
    security = parse_html(public / "topics/security/index.html")
    assert security.select(".topic__description") == []   # none configured
    index = parse_html(public / "topics/index.html")
    assert texts(index, ".tag-list__description") == ["Gas, oil and power.",
                                                      "Goods, tariffs and the deals that move them."]


def test_actor_pages_list_the_company_they_keep(tmp_path: Path) -> None:
    public = build(make_site(tmp_path))
    alpha = parse_html(public / "actors/alpha/index.html")
    assert texts(alpha, ".lede") == ["Minister"]
    assert texts(alpha, ".listing__aside li") == [
        "Bo Beta Envoy · 5 briefings", "Gammaland 4 briefings", "Dee Delta Mayor · 1 briefing"]
    # Its role is said once; an entry shows only a role that differs ("Chair" in b01).
    assert texts(alpha, "#appearances ~ ol .role, .timeline .role") == []
    first = parse_html(public / "actors/alpha/page/1/index.html")
    assert texts(first, ".timeline .role") == ["Chair"]
    assert first.select(".listing__aside") == []   # the company: the root only
    beta = parse_html(public / "actors/beta/index.html")
    assert texts(beta, ".listing__aside li a") == ["Ada Alpha", "Gammaland"]


def test_a_new_briefing_changes_related_lists_on_roots_only(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = hashes(build(site))
    newest = day_of(9) + dt.timedelta(days=3)
    # Trade gains a Diplomacy neighbour, Alpha gains Delta twice over: the roots change.
    write_files(site, {"content/briefings/b10.md": briefing(10, newest).replace(
        "topics: [Trade, Energy]", "topics: [Trade, Energy, Diplomacy]").replace(
        "hosted.", "hosted. [Delta]{.actor ref=delta} came.")})
    after = hashes(build(site))
    run_briefgen("build", "--quiet", "--clean", cwd=site, check=True)
    assert hashes(site / "public") == after   # the incremental build missed nothing
    changed = {p for p in after if before.get(p) != after[p]}
    assert {"topics/trade/index.html", "actors/alpha/index.html"} <= changed
    trade = parse_html(site / "public/topics/trade/index.html")
    assert "Diplomacy 1 in common" in texts(trade, ".listing__aside li")
    # No listing crossed a page boundary (Trade 10 -> 11, Alpha 10 -> 11, paginate 3):
    # every numbered page is as it was, byte for byte.
    numbered = [p for p in before if "/page/" in p]
    assert len(numbered) > 15
    assert [p for p in numbered if before[p] != after[p]] == []


def test_topic_settings_are_checked(tmp_path: Path) -> None:
    site = make_site(tmp_path, 1)
    (site / "briefgen.yaml").write_text(
        "topics:\n  Trade: {descripton: x}\n  trade: {}\n  Energy: [x]\n  Oil: {description: 3}\n")
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    problems = [line.split(": ", 1)[1] for line in proc.stderr.splitlines()[:-1]]
    assert problems == [
        "unknown key 'topics.Trade.descripton' (did you mean 'description'?)",
        "'topics.trade' names the same topic as another entry ('trade')",
        "'topics.Energy' must be a mapping (e.g. description: …)",
        "'topics.Oil.description' must be a str",
    ]


# --- the counting itself ------------------------------------------------------------------


def _briefing(slug: str, day: int, topics=(), actors=()) -> Briefing:
    return Briefing(slug=slug, title=slug, date=dt.date(2025, 1, 1) + dt.timedelta(days=day),
                    source_path=f"{slug}.md", topics=list(topics),
                    mentions=[Mention(a, count=1) for a in actors])


def test_related_topics_match_counting_every_pair() -> None:
    rng = random.Random(20)
    names = [f"Topic {c}" for c in "ABCDEFGH"]
    briefings = [_briefing(f"b{i}", i, rng.sample(names, rng.randint(0, 4))) for i in range(300)]
    index = build_index(briefings, {})
    pairs: Counter = Counter()
    for b in briefings:
        for x, y in combinations({t.lower().replace(" ", "-") for t in b.topics}, 2):
            pairs[x, y] += 1
            pairs[y, x] += 1
    related = related_topics(index, limit=3)
    for slug in index.topics:
        expected = sorted(((-n, index.topics[y].name.casefold(), y)
                           for (x, y), n in pairs.items() if x == slug))[:3]
        assert [(n.item.slug, n.count) for n in related.get(slug, [])] == [
            (y, -n) for n, _, y in expected]


def test_company_is_counted_over_the_newest_briefings_only() -> None:
    actors = {aid: ActorEntry(Actor(aid, aid.title())) for aid in ("me", "old", "new")}
    me = actors["me"]
    # Newest first, as the index keeps them: "new" in the 2 newest, "old" in the 3 oldest.
    me.briefings = [_briefing(f"n{i}", 10 - i, actors=("me", "new")) for i in range(2)]
    me.briefings += [_briefing(f"o{i}", 5 - i, actors=("me", "old")) for i in range(3)]
    assert [(n.item.actor.id, n.count) for n in co_appearing(me, actors)] == [
        ("old", 3), ("new", 2)]
    assert [(n.item.actor.id, n.count) for n in co_appearing(me, actors, window=2)] == [
        ("new", 2)]
    assert [n.item.actor.id for n in co_appearing(me, actors, limit=1)] == ["old"]


def test_an_old_briefing_edited_updates_the_related_lists_it_counts_in(tmp_path: Path) -> None:
    """b01 is on no root page, yet its topics and actors count in Trade's related topics
    and Alpha's company: the incremental build renders those roots again."""
    site = make_site(tmp_path)
    build(site)
    path = site / "content/briefings/b01.md"
    path.write_text(path.read_text().replace("topics: [Trade]", "topics: [Trade, Diplomacy]")
                    .replace("came.", "came. [Gammaland]{.actor ref=gamma} hosted."))
    after = hashes(build(site))
    run_briefgen("build", "--quiet", "--clean", cwd=site, check=True)
    assert hashes(site / "public") == after
    trade = parse_html(site / "public/topics/trade/index.html")
    assert "Diplomacy 1 in common" in texts(trade, ".listing__aside li")
    alpha = parse_html(site / "public/actors/alpha/index.html")
    assert "Gammaland 5 briefings" in texts(alpha, ".listing__aside li")
