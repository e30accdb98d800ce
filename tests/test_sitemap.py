"""sitemap.xml lists exactly the public pages with lastmod; robots.txt points to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from example_builds import ABSOLUTE_BASE, DRAFT_SLUG, build_example

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
UNLISTED = {"404.html", "search/index.html"}


@pytest.fixture(scope="module")
def absolute(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("abs"), "--base-url", ABSOLUTE_BASE)


def sitemap(out: Path) -> dict[str, str | None]:
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = url.findtext("sm:lastmod", namespaces=NS)
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
    entries = sitemap(absolute)
    assert all(loc.startswith(ABSOLUTE_BASE) for loc in entries)
    listed = {loc[len(ABSOLUTE_BASE):] for loc in entries}
    assert listed == public_pages(absolute)
    assert not any(DRAFT_SLUG in loc for loc in listed)


def test_lastmod_is_the_date_content_last_changed(absolute: Path) -> None:
    entries = sitemap(absolute)
    assert entries[ABSOLUTE_BASE + "briefings/trump-presses-moscow-ceasefire/"] == "2025-04-12"
    assert entries[ABSOLUTE_BASE + "briefings/witkoff-putin-talks/"] == "2025-04-11"
    assert entries[ABSOLUTE_BASE] == "2025-04-12"  # the home page shows the updated briefing
    assert entries[ABSOLUTE_BASE + "actors/peskov/"] == "2025-04-12"
    assert all(lastmod is None or len(lastmod) == 10 for lastmod in entries.values())


def test_robots_points_to_the_sitemap(absolute: Path, built_example: Path) -> None:
    robots = (absolute / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {ABSOLUTE_BASE}sitemap.xml" in robots
    assert "Sitemap: /sitemap.xml" in (built_example / "robots.txt").read_text(encoding="utf-8")


def test_relative_base_url_sitemap_still_parses(built_example: Path) -> None:
    entries = sitemap(built_example)
    assert {loc.removeprefix("/") for loc in entries} == public_pages(built_example)


def test_unlisted_pages_say_noindex(built_example: Path) -> None:
    for rel in UNLISTED:
        assert '<meta name="robots" content="noindex">' in (built_example / rel).read_text(
            encoding="utf-8")
    assert "noindex" not in (built_example / "index.html").read_text(encoding="utf-8")
