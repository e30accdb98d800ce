"""Rendering: pages planned from a hand-built index, checked with a real HTML5 parser."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefgen.config import SiteConfig
from briefgen.figures import parse_figure
from briefgen.indexes import build_index
from briefgen.model import Actor, Briefing, Figure, Mention, Quote, Section, Sidebar, Source
from briefgen.render import Page, Renderer, plan_pages
from briefgen.render.filters import date_long, iso, month_name
from briefgen.render.urls import absolute_url, root_for, url_maker

REGISTRY = {
    "putin": Actor(
        "putin",
        "Vladimir Putin",
        "person",
        "President of Russia",
        description="President of the Russian Federation since 2012.",
        url="https://en.wikipedia.org/wiki/Vladimir_Putin",
    ),
    "witkoff": Actor("witkoff", "Steve Witkoff", "person", "US special envoy"),
    "peskov": Actor("peskov", "Dmitry Peskov", "person", "Kremlin spokesman"),
    "uk": Actor("uk", "United Kingdom", "country"),
    "nato": Actor("nato", "NATO", "organisation", "Military alliance"),
}

BODY = (
    '<p><a class="actor" href="../../actors/witkoff/">Steve Witkoff</a> met '
    '<a class="actor" href="../../actors/putin/">Vladimir Putin</a> as allies pledged '
    '<mark class="figure" id="fig-1">€21 billion</mark> in military aid. '
    '<a class="actor" href="../../actors/peskov/">Dmitry Peskov</a> said '
    '<q class="quote" id="q-1">no breakthroughs</q> were expected.</p>\n'
    '<p>Ksenia Karelina had faced <mark class="figure" id="fig-2">12 years</mark> '
    "in a Russian jail.</p>\n"
)


def make_briefings() -> list[Briefing]:
    talks = Briefing(
        slug="witkoff-putin-talks",
        title="Witkoff meets Putin as Europe raises aid to Ukraine",
        date=dt.date(2026, 11, 25),
        updated=dt.date(2026, 11, 26),
        source_path="content/briefings/witkoff-putin-talks.md",
        dek="A third round of talks, with no breakthrough expected.",
        summary=[
            "The US envoy met Putin for the third time this year.",
            "European allies pledged €21 billion in military aid.",
        ],
        topics=["Ukraine war", "Diplomacy"],
        region="Europe",
        sources=[
            Source("Envoy meets Putin", "https://example.org/a", "Example News"),
            Source("Kremlin readout", "", "Kremlin"),
        ],
        body_html=BODY,
        mentions=[
            Mention("witkoff", "Negotiator for Washington", 2),
            Mention("putin", "", 3),
            Mention("peskov", "Sets expectations", 1),
            Mention("ghost", "Not in any registry", 1),
        ],
        figures=[
            Figure(
                "fig-1",
                "€21 billion",
                "in military aid pledged",
                parsed=parse_figure("€21 billion"),
                note="Led by the UK and Germany",
                source="Allied statement",
            ),
            Figure("fig-2", "12 years", "Karelina's jail sentence"),
        ],
        quotes=[
            Quote("q-1", "No breakthroughs are expected.", "peskov"),
            Quote("q-2", "Get moving on a ceasefire.", ""),
        ],
        sidebars=[Sidebar("sidebar-1", "The prisoner swap", "<p>Karelina was freed.</p>")],
        sections=[
            Section("why-it-matters", "Why it matters", "<p>Peace talks have stalled.</p>"),
            Section("whats-next", "What's next", "<p>More talks in December.</p>"),
        ],
        word_count=690,
    )
    earlier = Briefing(
        slug="aid-package",
        title="UK and Germany lead €21bn aid package",
        date=dt.date(2026, 10, 2),
        source_path="content/briefings/aid-package.md",
        dek="The largest European pledge yet.",
        topics=["Ukraine war"],
        mentions=[Mention("uk", "Lead donor", 1)],
        figures=[Figure("fig-1", "€21bn", "pledged")],
        word_count=300,
        body_html='<p>The <mark class="figure" id="fig-1">€21bn</mark> package.</p>',
    )
    oldest = Briefing(
        slug="prisoner-swap",
        title="Karelina freed in prisoner swap",
        date=dt.date(2026, 9, 14),
        source_path="content/briefings/prisoner-swap.md",
        topics=["Diplomacy"],
        mentions=[Mention("putin", "Signed the pardon", 1)],
        word_count=120,
    )
    return [earlier, talks, oldest]


def make_config(root: Path, **changes) -> SiteConfig:
    return SiteConfig(
        root=root, title="The Brief", description="Policy briefings, daily.", **changes
    )


@pytest.fixture
def site(tmp_path: Path):
    config = make_config(tmp_path)
    index = build_index(make_briefings(), REGISTRY)
    pages = {p.path: p for p in plan_pages(config, index)}
    renderer = Renderer(config)
    return config, index, pages, renderer


def html_pages(pages: dict[str, Page]):
    """The HTML pages among planned pages (feeds, sitemap and JSON are tested elsewhere)."""
    return [(path, page) for path, page in pages.items() if page.format == "html"]


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html5lib")


def render(site, path: str) -> BeautifulSoup:
    _, _, pages, renderer = site
    return soup_of(renderer.render(pages[path]))


# --- planning ---------------------------------------------------------------


def test_plan_lists_every_page_lazily(site):
    config, index, pages, _ = site
    html = {path for path, page in pages.items() if page.format == "html"}
    assert html == {
        "index.html",
        "archive/index.html",
        "archive/2026/index.html",
        *(f"archive/2026/{month}/index.html" for month in ("09", "10", "11")),
        "timeline/index.html",
        "actors/index.html",
        "topics/index.html",
        "search/index.html",
        "404.html",
        "corrections/index.html",
        "briefings/witkoff-putin-talks/index.html",
        "briefings/aid-package/index.html",
        "briefings/prisoner-swap/index.html",
        *(f"actors/{aid}/index.html" for aid in REGISTRY),
        "topics/ukraine-war/index.html",
        "topics/diplomacy/index.html",
    }
    assert iter(plan_pages(config, index)) is not None
    assert pages["briefings/aid-package/index.html"].kind == "briefing"
    assert pages["briefings/aid-package/index.html"].template == "briefing.html"
    assert isinstance(pages["404.html"], Page)


def test_page_sources_name_the_briefings_shown(site):
    _, _, pages, _ = site
    assert pages["topics/diplomacy/index.html"].sources == ("witkoff-putin-talks", "prisoner-swap")
    assert pages["actors/putin/index.html"].sources == ("witkoff-putin-talks", "prisoner-swap")
    assert pages["404.html"].sources == ()


def test_home_respects_home_limit(tmp_path):
    config = make_config(tmp_path, home_limit=2)
    index = build_index(make_briefings(), REGISTRY)
    home = next(p for p in plan_pages(config, index) if p.kind == "home")
    assert [b.slug for b in home.context["briefings"]] == ["witkoff-putin-talks", "aid-package"]
    doc = soup_of(Renderer(config).render(home))
    titles = [a.get_text(strip=True) for a in doc.select(".lead__title a, .card__title a")]
    assert titles == [
        "Witkoff meets Putin as Europe raises aid to Ukraine",
        "UK and Germany lead €21bn aid package",
    ]
    first = doc.select_one(".lead")
    assert first.select_one(".kicker a")["href"] == "topics/ukraine-war/"
    assert first.select_one(".figure-value").get_text() == "€21 billion"
    assert first.select_one("time")["datetime"] == "2026-11-25"


# --- the briefing page ------------------------------------------------------


def test_briefing_head_and_landmarks(site):
    doc = render(site, "briefings/witkoff-putin-talks/index.html")
    assert doc.html["lang"] == "en"
    assert doc.title.get_text() == "Witkoff meets Putin as Europe raises aid to Ukraine · The Brief"
    assert doc.find("meta", attrs={"name": "viewport"})
    assert doc.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert doc.find("meta", attrs={"name": "description"})["content"].startswith("A third round")
    assert doc.find("link", rel="stylesheet")["href"] == "../../assets/style.css"
    assert doc.find("link", rel="icon")["href"] == "../../favicon.svg"
    for tag in ("header", "nav", "main", "footer"):
        assert doc.find(tag), tag
    assert len(doc.find_all("h1")) == 1
    assert doc.select_one("a.skip-link")["href"] == "#main"
    assert doc.find(id="main").name == "main"


def test_briefing_header_dates_and_kicker(site):
    doc = render(site, "briefings/witkoff-putin-talks/index.html")
    kicker = [(a.get_text(), a["href"]) for a in doc.select(".briefing__header .kicker a")]
    assert kicker == [
        ("Ukraine war", "../../topics/ukraine-war/"),
        ("Diplomacy", "../../topics/diplomacy/"),
    ]
    times = {t.get_text(): t["datetime"] for t in doc.select(".briefing__meta time")}
    assert times == {"25 November 2026": "2026-11-25", "26 November 2026": "2026-11-26"}
    assert "3 min read" in doc.select_one(".briefing__meta").get_text()
    gist = [li.get_text() for li in doc.select(".gist li")]
    assert gist[1] == "European allies pledged €21 billion in military aid."


def test_briefing_numbers_link_to_the_text(site):
    doc = render(site, "briefings/witkoff-putin-talks/index.html")
    cards = doc.select(".numbers .number")
    assert [c.select_one(".number__value").get_text() for c in cards] == ["€21 billion", "12 years"]
    assert cards[0].select_one("a")["href"] == "#fig-1"
    assert doc.find(id="fig-1").name == "mark"  # the target exists, in the text
    assert "Led by the UK and Germany · Source: Allied statement" in cards[0].get_text()


def test_briefing_whos_who_roles_and_links(site):
    doc = render(site, "briefings/witkoff-putin-talks/index.html")
    groups = doc.select(".cast__group")
    assert [g.h3.get_text() for g in groups] == ["People"]
    cast = [
        (
            li.select_one(".cast__name").get_text(),
            li.select_one(".cast__name")["href"],
            li.select_one(".cast__role").get_text(),
        )
        for li in doc.select(".cast__item")
    ]
    assert cast == [   # most mentioned first; the unknown "ghost" is left out
        ("Vladimir Putin", "../../actors/putin/", ", President of Russia"),  # fallback
        ("Steve Witkoff", "../../actors/witkoff/", ", Negotiator for Washington"),
        ("Dmitry Peskov", "../../actors/peskov/", ", Sets expectations"),
    ]


def test_briefing_quotes_sidebars_sections_sources(site):
    doc = render(site, "briefings/witkoff-putin-talks/index.html")
    quotes = doc.select("figure.pullquote")
    assert quotes[0].blockquote.get_text(strip=True) == "No breakthroughs are expected."
    speaker = quotes[0].figcaption.a
    assert (speaker.get_text(), speaker["href"]) == ("Dmitry Peskov", "../../actors/peskov/")
    assert "Unattributed" in quotes[1].figcaption.get_text()

    aside = doc.select_one("aside.sidebar")
    assert aside.h2.get_text() == "The prisoner swap"
    assert aside.find("p").get_text() == "Karelina was freed."  # html kept, not escaped

    sections = doc.select("section.section")
    assert [s.h2.get_text() for s in sections] == ["Why it matters", "What's next"]
    assert "section--why-it-matters" in sections[0]["class"]

    sources = doc.select(".sources__list li")
    assert sources[0].a["href"] == "https://example.org/a"
    assert "Example News" in sources[0].get_text()
    assert sources[1].find("a") is None and "Kremlin readout" in sources[1].get_text()

    assert doc.select_one(".story a.actor")["href"] == "../../actors/witkoff/"


def test_briefing_previous_and_next(site):
    doc = render(site, "briefings/aid-package/index.html")
    prev, nxt = doc.select_one("a[rel=prev]"), doc.select_one("a[rel=next]")
    assert prev["href"] == "../../briefings/prisoner-swap/"
    assert nxt["href"] == "../../briefings/witkoff-putin-talks/"
    newest = render(site, "briefings/witkoff-putin-talks/index.html")
    assert newest.select_one("a[rel=next]") is None
    assert newest.select_one("a[rel=prev]")["href"] == "../../briefings/aid-package/"


def test_headings_are_in_order_and_never_empty(site):
    _, _, pages, renderer = site
    for path, page in html_pages(pages):
        doc = soup_of(renderer.render(page))
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, path
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
        assert all(h.get_text(strip=True) for h in doc.find_all(re.compile(r"^h[1-6]$"))), path


def test_ids_unique_and_lists_hold_only_items(site):
    _, _, pages, renderer = site
    for path, page in html_pages(pages):
        doc = soup_of(renderer.render(page))
        ids = [t["id"] for t in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), path
        for lst in doc.find_all(["ul", "ol"]):
            assert all(c.name == "li" for c in lst.find_all(recursive=False)), path
        assert not doc.select("a a"), path


# --- other pages ------------------------------------------------------------


def test_actor_page(site):
    doc = render(site, "actors/putin/index.html")
    assert doc.h1.get_text() == "Vladimir Putin"
    assert "President of the Russian Federation" in doc.get_text()
    assert doc.find("a", href="https://en.wikipedia.org/wiki/Vladimir_Putin")
    items = doc.select(".timeline li")
    # The actor's own role is said once, under its name; an entry shows only another.
    roles = [(li.a["href"], [r.get_text() for r in li.select(".role")]) for li in items]
    assert roles == [
        ("../../briefings/witkoff-putin-talks/", []),
        ("../../briefings/prisoner-swap/", ["Signed the pardon"]),
    ]
    assert doc.select_one(".lede").get_text() == "President of Russia"
    peskov = render(site, "actors/peskov/index.html")
    quote = peskov.select_one("figure.pullquote")
    assert quote.blockquote.get_text(strip=True) == "No breakthroughs are expected."
    assert quote.figcaption.a["href"] == "../../briefings/witkoff-putin-talks/#q-1"


def test_actor_without_briefings_still_has_a_page(site):
    doc = render(site, "actors/nato/index.html")
    assert doc.h1.get_text() == "NATO"
    assert "does not appear in any briefing" in doc.get_text()


def test_actors_index_lists_only_actors_with_briefings_by_kind(site):
    doc = render(site, "actors/index.html")
    groups = {
        s.h2.get_text(): [li.select_one(".actor-list__name").get_text() for li in s.select("li")]
        for s in doc.select("section.actor-group")
    }
    assert groups == {
        "People": ["Dmitry Peskov", "Steve Witkoff", "Vladimir Putin"],
        "Countries": ["United Kingdom"],
    }
    putin = doc.find("a", href="putin/") or doc.find("a", href="../actors/putin/")
    assert "2 briefings" in putin.parent.get_text()


def test_topic_pages(site):
    doc = render(site, "topics/diplomacy/index.html")
    assert doc.h1.get_text() == "Diplomacy"
    assert [a["href"] for a in doc.select(".card__title a")] == [
        "../../briefings/witkoff-putin-talks/",
        "../../briefings/prisoner-swap/",
    ]
    topics = render(site, "topics/index.html")
    assert [a.get_text() for a in topics.select(".tag-list li > a")] == ["Diplomacy", "Ukraine war"]


def test_archive_by_month_newest_first(site):
    doc = render(site, "archive/index.html")
    months = [(h.get_text(), h.time["datetime"]) for h in doc.select(".archive-month h2")]
    assert months == [
        ("November 2026", "2026-11"),
        ("October 2026", "2026-10"),
        ("September 2026", "2026-09"),
    ]


def test_404_links_back_to_the_site(site):
    doc = render(site, "404.html")
    assert doc.h1.get_text() == "Page not found"
    assert doc.find("a", href="./")
    assert doc.find("base")["href"] == "/"


def test_404_base_is_the_path_of_base_url_alone(tmp_path):
    """So the page works on a preview, staging or local host, not only production's."""
    config = make_config(tmp_path, base_url="https://example.org/brief/")
    index = build_index(make_briefings(), REGISTRY)
    page = next(p for p in plan_pages(config, index) if p.kind == "404")
    doc = soup_of(Renderer(config).render(page))
    assert doc.find("base")["href"] == "/brief/"
    home = next(p for p in plan_pages(config, index) if p.kind == "home")
    canonical = soup_of(Renderer(config).render(home)).find("link", rel="canonical")
    assert canonical["href"] == "https://example.org/brief/"


# --- URLs, overrides, escaping ------------------------------------------------


def test_every_link_is_relative(site):
    _, _, pages, renderer = site
    for path, page in html_pages(pages):
        doc = soup_of(renderer.render(page))
        for tag in doc.find_all(href=True) + doc.find_all(src=True):
            link = tag.get("href") or tag.get("src")
            if link.startswith(("http://", "https://")) or tag.name == "base":
                continue   # the 404 page's <base> is the one root-relative URL
            assert not link.startswith("/"), (path, link)
            assert link, (path, tag)
        root = root_for(path)
        assert doc.find("link", rel="stylesheet")["href"] == root + "assets/style.css"


def test_url_helper():
    assert url_maker("index.html")("") == "./"
    assert url_maker("index.html")("actors/putin/") == "actors/putin/"
    assert url_maker("briefings/x/index.html")("") == "../../"
    assert url_maker("briefings/x/index.html")("/actors/putin/") == "../../actors/putin/"
    assert url_maker("topics/index.html")("topics/a b/") == "../topics/a%20b/"
    assert url_maker("index.html")("topics/économie/#x?a=1&b=~") == "topics/%C3%A9conomie/#x?a=1&b=~"
    assert absolute_url("https://x.org/b", "/topics/a b/") == "https://x.org/b/topics/a%20b/"


def test_filters():
    day = dt.date(2026, 11, 25)
    assert date_long(day) == "25 November 2026"
    assert iso(day) == "2026-11-25"
    assert month_name(day) == month_name(11) == "November"


def test_site_template_overrides_the_theme_file_by_file(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost at {{ site.title }}</h1>{% endblock %}',
        encoding="utf-8",
    )
    config = make_config(tmp_path)
    index = build_index(make_briefings(), REGISTRY)
    pages = {p.kind: p for p in plan_pages(config, index)}
    renderer = Renderer(config)
    assert soup_of(renderer.render(pages["404"])).h1.get_text() == "Lost at The Brief"
    # Everything else still comes from the theme.
    assert soup_of(renderer.render(pages["home"])).select(".card")


def test_autoescape_everywhere_but_trusted_html(tmp_path):
    briefing = Briefing(
        slug="x",
        title="<script>alert(1)</script> & more",
        date=dt.date(2026, 1, 2),
        source_path="x.md",
        dek='"quoted" <b>dek</b>',
        summary=["<img src=x onerror=1>"],
        topics=["<i>t</i>"],
        body_html="<p><em>trusted</em></p>",
        sources=[Source('Bad" onclick="x', "https://e.org/?a=1&b=2")],
    )
    config = SiteConfig(root=tmp_path, title="A <b>site</b>")
    index = build_index([briefing], {})
    renderer = Renderer(config)
    for page in plan_pages(config, index):
        if page.format == "json":
            continue  # data, not markup: JSON strings hold the text as it is
        html = renderer.render(page)
        assert "<script>alert" not in html, page.path
        assert "<b>site</b>" not in html and "<b>dek</b>" not in html, page.path
        assert "<img" not in html and "<i>t</i>" not in html, page.path
        assert 'onclick="x' not in html, page.path
    html = renderer.render(next(p for p in plan_pages(config, index) if p.kind == "briefing"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<p><em>trusted</em></p>" in html
    assert 'href="https://e.org/?a=1&amp;b=2"' in html


def test_empty_site_renders(tmp_path):
    config = make_config(tmp_path)
    index = build_index([], REGISTRY)
    renderer = Renderer(config)
    for page in plan_pages(config, index):
        if page.format != "html":
            renderer.render(page)
            continue
        doc = soup_of(renderer.render(page))
        assert len(doc.find_all("h1")) == 1, page.path
