"""Sitemaps: the index (sitemap.xml), its files split at sitemap.max_urls, the news
sitemap of the last 48 hours, and robots.txt pointing at the index."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import parse_html, run_briefgen, write_files
from example_builds import ABSOLUTE_BASE, DRAFT_SLUG, build_example
from scale_sites import add_briefing, changed, many_briefings, snapshot

from briefgen.clock import build_now
from briefgen.errors import ConfigError
from briefgen.render.news import news_language, news_window
from briefgen.render.sitemap import MAX_BYTES, chunks

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SM, "news": NEWS}
UNLISTED = {"404.html", "search/index.html"}
W3C_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?")


@pytest.fixture(scope="module")
def absolute(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("abs"), "--base-url", ABSOLUTE_BASE)


def epoch(moment: dt.datetime) -> str:
    return str(calendar.timegm(moment.utctimetuple()))


def sitemap_index(out: Path, base: str) -> list[tuple[str, str | None]]:
    """The index's (file, lastmod) entries; every file is checked to exist."""
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{{{SM}}}sitemapindex"
    entries = []
    for item in root.findall("sm:sitemap", NS):
        loc = item.findtext("sm:loc", namespaces=NS)
        assert loc.startswith(base), loc
        rel = loc[len(base):]
        assert "/" not in rel and (out / rel).is_file(), rel   # at the site root
        entries.append((rel, item.findtext("sm:lastmod", namespaces=NS)))
    return entries


def urlset(path: Path) -> dict[str, str | None]:
    """A sitemap file's ``loc -> lastmod``; no loc twice."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{SM}}}urlset"
    entries: dict[str, str | None] = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = url.findtext("sm:lastmod", namespaces=NS)
    return entries


def sitemap(out: Path, base: str, limit: int = 50_000) -> dict[str, str | None]:
    """Every URL of every sitemap file but the news one, each checked listed once."""
    entries: dict[str, str | None] = {}
    for rel, _ in sitemap_index(out, base):
        if rel == "sitemap-news.xml":
            continue
        part = urlset(out / rel)
        assert 0 < len(part) <= limit, (rel, len(part))
        assert (out / rel).stat().st_size <= MAX_BYTES
        assert not part.keys() & entries.keys(), f"{rel} repeats URLs"
        entries.update(part)
    return entries


def public_pages(out: Path) -> set[str]:
    """Every HTML page of the output as its pretty URL path, minus search and 404."""
    pages = set()
    for path in out.rglob("*.html"):
        rel = path.relative_to(out).as_posix()
        if rel not in UNLISTED:
            pages.add(rel.removesuffix("index.html"))
    return pages


def test_sitemap_lists_exactly_the_public_pages(absolute: Path) -> None:
    entries = sitemap(absolute, ABSOLUTE_BASE)
    assert all(loc.startswith(ABSOLUTE_BASE) for loc in entries)
    listed = {loc[len(ABSOLUTE_BASE):] for loc in entries}
    assert listed == public_pages(absolute)
    assert not any(DRAFT_SLUG in loc for loc in listed)


def test_lastmod_is_the_date_content_last_changed(absolute: Path) -> None:
    entries = sitemap(absolute, ABSOLUTE_BASE)
    assert entries[ABSOLUTE_BASE + "briefings/trump-presses-moscow-ceasefire/"] == "2025-04-12"
    # Corrected at 09:00 UTC the next day: the correction's full time is its lastmod.
    corrected = "2025-04-12T09:00:00+00:00"
    assert entries[ABSOLUTE_BASE + "briefings/witkoff-putin-talks/"] == corrected
    assert entries[ABSOLUTE_BASE] == corrected   # the home page shows the corrected briefing
    assert entries[ABSOLUTE_BASE + "actors/peskov/"] == corrected
    assert entries[ABSOLUTE_BASE + "briefings/karelina-prisoner-exchange/"] == "2025-04-10"
    assert all(W3C_DATE.fullmatch(lastmod or "") for lastmod in entries.values())
    assert dict(sitemap_index(absolute, ABSOLUTE_BASE))["sitemap-briefings-1.xml"] == corrected


def test_robots_points_to_the_sitemap_index(absolute: Path, relative_example: Path) -> None:
    robots = (absolute / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {ABSOLUTE_BASE}sitemap.xml" in robots
    relative = (relative_example / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: /sitemap.xml" in relative


def test_relative_base_url_sitemap_still_parses(relative_example: Path) -> None:
    entries = sitemap(relative_example, "/")
    assert {loc.removeprefix("/") for loc in entries} == public_pages(relative_example)


def robots_meta(path: Path) -> list[str]:
    return [m.get("content") for m in parse_html(path).find_all("meta", attrs={"name": "robots"})]


def test_only_drafts_say_noindex(absolute: Path, tmp_path: Path) -> None:
    """The 404 page is kept out of search engines by its status (404), not by a noindex;
    the search page may be indexed (its canonical folds every query into it) though no
    sitemap lists it. A draft built for preview must never be indexed."""
    for rel in ("index.html", *UNLISTED):
        assert robots_meta(absolute / rel) == [], rel
    search = parse_html(absolute / "search/index.html")
    assert search.find("link", rel="canonical")["href"] == ABSOLUTE_BASE + "search/"
    missing = parse_html(absolute / "404.html")
    assert missing.find("link", rel="canonical") is None
    assert missing.find("meta", property="og:url") is None
    previews = build_example(tmp_path, "--drafts")
    assert robots_meta(previews / "briefings" / DRAFT_SLUG / "index.html") == ["noindex"]


BASE = "https://news.example.org/desk/"


def test_a_low_threshold_splits_briefings_oldest_first(tmp_path: Path) -> None:
    site = many_briefings(tmp_path, 10, "sitemap:\n  max_urls: 3\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    entries = sitemap(out, BASE, limit=3)
    assert {loc[len(BASE):] for loc in entries} == public_pages(out)
    assert all(W3C_DATE.fullmatch(lastmod or "") for lastmod in entries.values())
    files = [rel for rel, _ in sitemap_index(out, BASE)]
    assert files[:4] == [f"sitemap-briefings-{n}.xml" for n in range(1, 5)]
    assert files[-1] == "sitemap-news.xml"
    assert len([f for f in files if f.startswith("sitemap-pages-")]) >= 2
    first = urlset(out / "sitemap-briefings-1.xml")
    assert list(first) == [f"{BASE}briefings/b00{n}/" for n in (1, 2, 3)]
    assert list(first.values()) == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert list(urlset(out / "sitemap-briefings-4.xml")) == [f"{BASE}briefings/b010/"]


def test_a_new_briefing_leaves_earlier_sitemap_files_alone(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.datetime(2026, 12, 20, 12)))
    site = many_briefings(tmp_path, 8, "sitemap:\n  max_urls: 3\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    before = snapshot(site / "public")
    add_briefing(site, 9, dt.date(2026, 12, 1))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    after = snapshot(site / "public")
    assert {n for n in changed(before, after) if n.startswith("sitemap")} >= {
        "sitemap.xml", "sitemap-briefings-3.xml"}
    assert not changed(before, after, "sitemap-briefings-1") | changed(
        before, after, "sitemap-briefings-2")


def test_bad_threshold_is_refused(tmp_path: Path) -> None:
    for value in ("0", "50001", "many"):
        site = write_files(tmp_path / value, {"briefgen.yaml": f"sitemap:\n  max_urls: {value}\n"})
        proc = run_briefgen("build", cwd=site)
        assert proc.returncode == 1 and "sitemap.max_urls" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_chunks_are_bounded_by_bytes_too() -> None:
    runs = chunks(list(range(10)), lambda item: 100, max_items=4, max_bytes=600)
    assert runs == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]   # 256 bytes of overhead + 3 × 100
    assert chunks([], len, 3, 600) == []


def news_sitemap(out: Path) -> list[dict[str, str]]:
    root = ET.parse(out / "sitemap-news.xml").getroot()
    assert root.tag == f"{{{SM}}}urlset"
    items = []
    for url in root.findall("sm:url", NS):
        news = url.find("news:news", NS)
        items.append({
            "loc": url.findtext("sm:loc", namespaces=NS),
            "name": news.findtext("news:publication/news:name", namespaces=NS),
            "language": news.findtext("news:publication/news:language", namespaces=NS),
            "date": news.findtext("news:publication_date", namespaces=NS),
            "title": news.findtext("news:title", namespaces=NS),
        })
    return items


def test_news_sitemap_holds_the_last_48_hours(tmp_path: Path, monkeypatch) -> None:
    # b001 … b012: 20 November … 1 December 2026. Now: 30 November, 09:30 UTC, so the
    # window (28 Nov 09:30, 30 Nov 09:30] holds 29 and 30 November; 1 December is future.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.datetime(2026, 11, 30, 9, 30)))
    site = many_briefings(tmp_path, 12, "title: The Desk\nlanguage: en-GB\n")
    write_files(site, {"content/briefings/draft.md": "---\ntitle: Hidden\ndate: 2026-11-30\n"
                       "draft: true\n---\nText.\n"})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    assert dict(sitemap_index(out, BASE))["sitemap-news.xml"] == "2026-11-30"
    items = news_sitemap(out)
    assert [i["loc"] for i in items] == [f"{BASE}briefings/b011/", f"{BASE}briefings/b010/"]
    assert items[0] == {"loc": f"{BASE}briefings/b011/", "name": "The Desk", "language": "en",
                        "date": "2026-11-30", "title": "Story 11"}

    # The same sources a day later: the incremental build renders the news sitemap again.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.datetime(2026, 12, 1, 0, 0)))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert [i["date"] for i in news_sitemap(out)] == ["2026-12-01", "2026-11-30"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.datetime(2026, 12, 9)))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert news_sitemap(out) == []
    assert dict(sitemap_index(out, BASE))["sitemap-news.xml"] is None


def test_news_sitemap_can_be_turned_off_and_bad_clock_is_refused(tmp_path: Path,
                                                                 monkeypatch) -> None:
    site = many_briefings(tmp_path, 2, "sitemap:\n  news: false\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert not (site / "public/sitemap-news.xml").exists()
    assert "sitemap-news.xml" not in dict(sitemap_index(site / "public", BASE))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1 and "SOURCE_DATE_EPOCH" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_news_window_and_language() -> None:
    utc = dt.timezone.utc
    day = dt.date
    assert news_window(dt.datetime(2026, 12, 1, 0, 0, tzinfo=utc)) == (day(2026, 11, 30),
                                                                      day(2026, 12, 1))
    assert news_window(dt.datetime(2026, 12, 1, 23, 59)) == (day(2026, 11, 30), day(2026, 12, 1))
    eastern = dt.timezone(dt.timedelta(hours=-5))   # 21:00 on 1 December there is 2 Dec UTC
    assert news_window(dt.datetime(2026, 12, 1, 21, 0, tzinfo=eastern))[1] == day(2026, 12, 2)
    assert [news_language(t) for t in ("en-GB", "pt_BR", "zh-TW", "fr", "")] == [
        "en", "pt", "zh-tw", "fr", "en"]


def test_build_clock_reads_source_date_epoch() -> None:
    assert build_now({"SOURCE_DATE_EPOCH": "86400"}) == dt.datetime(1970, 1, 2,
                                                                    tzinfo=dt.timezone.utc)
    assert build_now({}).tzinfo is dt.timezone.utc
    for bad in ("-1", "1.5", "99999999999999999999"):
        with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
            build_now({"SOURCE_DATE_EPOCH": bad})


def test_newest_of_many_sources_is_the_first_of_equal_moments_and_skips_unknown_ones():
    from briefgen.model import When
    from briefgen.render.sitemap import Newest, newest

    day = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    changed = {"a": When(day, timed=False), "b": When(day, timed=True),
               "c": When(day - dt.timedelta(days=1)), "d": When(day + dt.timedelta(hours=1))}
    of = Newest(changed)
    cases = [(), ("x",), ("c",), ("a", "b"), ("b", "a"), ("x", "c", "a", "b"), ("a", "d", "b"),
             ("c", "x", "c")]
    for sources in cases:
        expected = newest(map(changed.get, sources))
        assert of(sources) == expected
        assert of(sources) is expected or expected is None
    assert of(("b", "a")).timed and not of(("a", "b")).timed   # the first of equal moments
