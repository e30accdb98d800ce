"""Feeds: Atom and JSON Feed 1.1 for the site, Atom per topic and per actor."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from conftest import run_briefgen, write_files
from example_builds import ABSOLUTE_BASE, DRAFT_SLUG, build_example, public_slugs
from scale_sites import many_briefings

from briefgen.config import SiteConfig
from briefgen.render.api import load_schema
from briefgen.render.feeds import absolutize, site_warnings


@pytest.fixture(scope="module")
def absolute(tmp_path_factory) -> Path:
    """The example built for https://example.org/briefs/."""
    return build_example(tmp_path_factory.mktemp("abs"), "--base-url", ABSOLUTE_BASE)


def atom(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    return parsed


def test_site_atom_feed_parses_with_every_public_briefing(built_example: Path) -> None:
    feed = atom(built_example / "feed.xml")
    slugs = {e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries}
    assert slugs == public_slugs()
    assert DRAFT_SLUG not in slugs
    entry = next(e for e in feed.entries if e.link.endswith("/witkoff-putin-talks/"))
    assert entry.summary.startswith("The US envoy")
    content = entry.content[0]
    assert content.type == "text/html"
    assert "The gist" in content.value and "€21 billion" in content.value
    assert "Key factors" in content.value  # sidebars travel with the entry


def test_updated_is_honoured(built_example: Path) -> None:
    feed = atom(built_example / "feed.xml")
    entry = next(e for e in feed.entries if "trump-presses-moscow-ceasefire" in e.link)
    assert entry.published.startswith("2025-04-11")
    assert entry.updated.startswith("2025-04-12")
    assert feed.feed.updated.startswith("2025-04-12")


def test_topic_and_actor_feeds_are_linked_and_complete(built_example: Path) -> None:
    diplomacy = atom(built_example / "topics/diplomacy/feed.xml")
    topic_page = (built_example / "topics/diplomacy/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in topic_page
    assert 'href="../../topics/diplomacy/feed.xml"' in topic_page
    assert len(diplomacy.entries) == topic_page.count('class="card"')
    peskov = atom(built_example / "actors/peskov/feed.xml")
    assert {e.link.rstrip("/").rsplit("/", 1)[-1] for e in peskov.entries} == {
        "witkoff-putin-talks", "trump-presses-moscow-ceasefire"}
    actor_page = (built_example / "actors/peskov/index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="Dmitry Peskov' in actor_page
    # Every topic and every actor with a briefing has a feed that parses.
    for path in built_example.glob("*/*/feed.xml"):
        atom(path)
    assert len(list(built_example.glob("topics/*/feed.xml"))) == len(
        list(built_example.glob("topics/*/index.html")))


def test_json_feed_is_valid_json_feed_1_1(built_example: Path) -> None:
    data = json.loads((built_example / "feed.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("jsonfeed.json"),
                        format_checker=jsonschema.FormatChecker())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert {i["url"].rstrip("/").rsplit("/", 1)[-1] for i in data["items"]} == public_slugs()
    talks = next(i for i in data["items"] if i["url"].endswith("/witkoff-putin-talks/"))
    assert talks["date_published"] == "2025-04-11T00:00:00Z"
    assert talks["date_modified"] == "2025-04-12T09:00:00Z"   # its correction's time
    assert "€21 billion" in talks["content_html"] and talks["summary"]
    assert "<h2>Corrections</h2>" in talks["content_html"]


def test_absolute_base_url_gives_absolute_links_everywhere(absolute: Path) -> None:
    feed = atom(absolute / "feed.xml")
    assert feed.feed.link == ABSOLUTE_BASE
    assert any(link.href == ABSOLUTE_BASE + "feed.xml" and link.rel == "self"
               for link in feed.feed.links)
    for entry in feed.entries:
        assert entry.link.startswith(ABSOLUTE_BASE + "briefings/")
        assert entry.id == entry.link
        hrefs = [part.split('"', 1)[0] for part in entry.content[0].value.split('href="')[1:]]
        assert hrefs
        assert all(h.startswith(("https://", "http://", "#")) for h in hrefs), hrefs
        assert any(h.startswith(ABSOLUTE_BASE + "actors/") for h in hrefs)
    data = json.loads((absolute / "feed.json").read_text(encoding="utf-8"))
    assert data["feed_url"] == ABSOLUTE_BASE + "feed.json"
    assert all(i["url"].startswith(ABSOLUTE_BASE) and i["id"] == i["url"] for i in data["items"])
    for path in absolute.glob("*/*/feed.xml"):
        assert all(e.link.startswith(ABSOLUTE_BASE) for e in atom(path).entries)


def test_relative_base_url_feeds_stay_valid_with_stable_ids(relative_example: Path) -> None:
    feed = atom(relative_example / "feed.xml")
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    assert all(e.link.startswith("/briefings/") for e in feed.entries)
    assert site_warnings(SiteConfig(root=Path("."), base_url="/"))
    assert site_warnings(SiteConfig(root=Path("."), base_url=ABSOLUTE_BASE)) == []


def test_limit_and_drafts(tmp_path: Path) -> None:
    files = {"briefgen.yaml": "title: Small\nbase_url: https://s.example/\nfeeds:\n  limit: 2\n"}
    for day in range(1, 5):
        files[f"content/briefings/b{day}.md"] = (
            f"---\ntitle: Briefing {day}\ndate: 2025-01-0{day}\n---\nText {day}.\n")
    files["content/briefings/wip.md"] = ("---\ntitle: Secret draft\ndate: 2025-02-01\n"
                                         "draft: true\n---\nHidden.\n")
    site = write_files(tmp_path, files)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    feed = atom(site / "public/feed.xml")
    assert [e.title for e in feed.entries] == ["Briefing 4", "Briefing 3"]
    data = json.loads((site / "public/feed.json").read_text(encoding="utf-8"))
    assert [i["title"] for i in data["items"]] == ["Briefing 4", "Briefing 3"]
    # Even a preview build with --drafts keeps drafts out of the feeds.
    run_briefgen("build", "--quiet", "--drafts", cwd=site, check=True)
    assert "Secret draft" in (site / "public/index.html").read_text(encoding="utf-8")
    assert "Secret draft" not in (site / "public/feed.xml").read_text(encoding="utf-8")


def test_hostile_text_cannot_break_the_xml(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "content/briefings/x.md": ('---\ntitle: "A </content> & <b>bold</b> ]]> title"\n'
                                   'date: 2025-01-01\ndek: "Dek with \\u0001 a control char"\n'
                                   "topics: [\"<i>T</i>\"]\n---\nBody <script>x</script>\n"),
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    feed = atom(site / "public/feed.xml")
    assert feed.entries[0].title == "A </content> & <b>bold</b> ]]> title"
    (topic_feed,) = (site / "public/topics").glob("*/feed.xml")
    assert atom(topic_feed).entries[0].tags[0].term == "<i>T</i>"


def test_absolutize_resolves_relative_links_only() -> None:
    html = ('<a href="../../actors/x/">X</a> <a href="#fn1">1</a> '
            '<a href="https://e.org/?a=1&amp;b=2">e</a> <img src="../../img/a.png" alt="">')
    out = absolutize(html, "https://s.example/briefings/b/")
    assert 'href="https://s.example/actors/x/"' in out
    assert 'href="#fn1"' in out
    assert 'href="https://e.org/?a=1&amp;b=2"' in out
    assert 'src="https://s.example/img/a.png"' in out


def test_epoch_for_an_empty_feed(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/actors.yaml": "a:\n  name: A\n"})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    feed = atom(site / "public/feed.xml")
    assert feed.entries == [] and feed.feed.updated.startswith(dt.date(1970, 1, 1).isoformat())


def test_every_feed_holds_the_newest_limit_entries(tmp_path: Path) -> None:
    # 12 briefings, one a day; alpha is in all of them, each topic in 6, beta and gamma in 4.
    site = many_briefings(tmp_path, 12, "feeds:\n  limit: 5\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    counts = {}
    for path in out.rglob("feed.xml"):
        feed = atom(path)
        dates = [e.published for e in feed.entries]
        assert dates == sorted(dates, reverse=True)
        counts[path.relative_to(out).as_posix()] = len(feed.entries)
    assert counts == {"feed.xml": 5, "topics/economy/feed.xml": 5, "topics/defence/feed.xml": 5,
                      "actors/alpha/feed.xml": 5, "actors/beta/feed.xml": 4,
                      "actors/gamma/feed.xml": 4, "corrections/feed.xml": 0}
    newest = [e.title for e in atom(out / "feed.xml").entries]
    assert newest == [f"Story {n}" for n in range(12, 7, -1)]
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert [i["title"] for i in data["items"]] == newest
