"""Regions as pages and the site's own taxonomies (``taxonomies:`` in briefgen.yaml): a
page and an Atom feed per term, an index of terms, sitemap entries, the JSON API, and
front matter checked against the declared keys."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import parse_html, run_briefgen, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/news/"
CONFIG = f"""\
title: Terms
base_url: {BASE}
paginate: 2
taxonomies:
  region:
    terms:
      Europe: {{description: The continent.}}
  desk:
    title: Desks
    singular: Desk
    path: desks
    description: The newsroom's desks.
"""


def briefing(title: str, day: str, fields: str) -> str:
    return f"---\ntitle: {title}\ndate: {day}\n{fields}---\n{title} happened.\n"


def make_site(root: Path, config: str = CONFIG) -> Path:
    return write_files(root, {
        "briefgen.yaml": config,
        "content/briefings/a.md": briefing("Alpha", "2025-01-01", "region: Europe\ndesk: Politics\n"),
        "content/briefings/b.md": briefing("Bravo", "2025-01-02",
                                           "region: Asia\ndesk: [Politics, Economy]\n"),
        "content/briefings/c.md": briefing("Charlie", "2025-01-03", "region: Europe\n"),
        "content/briefings/d.md": briefing("Delta", "2025-01-04", "region: europe\n"),
        "content/briefings/e.md": briefing("Echo", "2025-01-05", "topics: [Trade]\n"),
    })


def cards(page: Path) -> list[str]:
    return [a.get_text() for a in parse_html(page).select(".card__title a")]


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("terms"))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    return site / "public"


def test_region_pages_list_the_right_briefings(public: Path) -> None:
    # Named as its oldest briefing spells it; "europe" files under the same term.
    europe = parse_html(public / "regions/europe/index.html")
    assert europe.select_one("h1").get_text() == "Europe"
    assert europe.select_one(".topic__description").get_text() == "The continent."
    # Paginated from the oldest: page 1 holds two, the root the newest.
    assert cards(public / "regions/europe/index.html") == ["Delta"]
    assert cards(public / "regions/europe/page/1/index.html") == ["Charlie", "Alpha"]
    assert cards(public / "regions/asia/index.html") == ["Bravo"]
    index = parse_html(public / "regions/index.html")
    assert [a.get_text() for a in index.select(".tag-list a")] == ["Asia", "Europe"]
    feed = ET.parse(public / "regions/europe/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "Delta", "Charlie", "Alpha"]
    # The briefing page links its region.
    meta = parse_html(public / "briefings/a/index.html").select(".briefing__meta a")
    assert ("Europe", "../../regions/europe/") in [(a.get_text(), a["href"]) for a in meta]


def test_a_declared_taxonomy_gets_pages_feeds_an_index_and_api_terms(public: Path) -> None:
    assert cards(public / "desks/politics/index.html") == ["Bravo", "Alpha"]
    assert cards(public / "desks/economy/index.html") == ["Bravo"]
    politics = parse_html(public / "desks/politics/index.html")
    assert politics.select_one(".kicker a").get_text() == "Desk"
    assert politics.select_one(".kicker a")["href"] == "../../desks/"
    index = parse_html(public / "desks/index.html")
    assert index.select_one("h1").get_text() == "Desks"
    assert index.select_one(".lede").get_text() == "The newsroom's desks."
    assert [a.get_text() for a in index.select(".tag-list a")] == ["Economy", "Politics"]
    feed = ET.parse(public / "desks/economy/feed.xml").getroot()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}desks/economy/feed.xml"
    meta = parse_html(public / "briefings/b/index.html").select_one(".briefing__meta")
    assert "Desk: Politics, Economy" in " ".join(meta.get_text().split())
    document = json.loads((public / "briefings/b/index.json").read_text())
    assert document["terms"] == {"desk": ["Politics", "Economy"]}
    assert document["region"] == "Asia"
    listed = json.loads((public / "api/briefings/page-1.json").read_text())["briefings"]
    assert {b["slug"]: b["terms"] for b in listed}["a"] == {"desk": ["Politics"]}


def test_term_pages_are_in_the_sitemap(public: Path) -> None:
    urls = {loc.text for f in public.glob("sitemap-*.xml")
            for loc in ET.parse(f).getroot().iter(f"{SITEMAP}loc")}
    for path in ("regions/", "regions/europe/", "regions/europe/page/1/", "desks/",
                 "desks/politics/"):
        assert BASE + path in urls, path


def test_no_regions_and_none_declared_means_no_index_of_regions(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {
        "briefgen.yaml": f"base_url: {BASE}\n",
        "content/briefings/a.md": briefing("Alpha", "2025-01-01", ""),
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert not (site / "public/regions").exists()


def test_front_matter_of_taxonomies_is_checked(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    write_files(site, {"content/briefings/f.md": briefing("F", "2025-01-06",
                                                          "desk: {a: b}\ndesks: Politics\n")})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "content/briefings/f.md:4: 'desk' must be one name or a list of names" \
        in proc.stderr, proc.stderr
    # A near miss of a declared key is kept for templates, with a did-you-mean.
    write_files(site, {"content/briefings/f.md": briefing("F", "2025-01-06", "desks: Politics\n")})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert ("content/briefings/f.md:4: warning: unknown key 'desks' (did you mean "
            "'desk'?)") in proc.stderr


@pytest.mark.parametrize(("taxonomies", "message"), [
    ("topics: {}", "'taxonomies.topics': a taxonomy's name is its front matter key"),
    ("desk: {path: archive}", "'taxonomies.desk.path' must be a folder name"),
    ("desk: {titel: Desks}", "unknown key 'taxonomies.desk.titel' (did you mean 'title'?)"),
    ("desk: {path: regions}", ("'taxonomies.desk.path': 'regions' is already the folder of "
                              "'region'")),
    ("desk: {terms: {Politics: {about: x}}}",
     "unknown key 'taxonomies.desk.terms.Politics.about'"),
])
def test_bad_taxonomy_settings_are_config_errors(tmp_path: Path, taxonomies: str,
                                                 message: str) -> None:
    site = make_site(tmp_path / "site", f"base_url: {BASE}\ntaxonomies:\n  {taxonomies}\n")
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
