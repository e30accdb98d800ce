"""Bylines: authors.yaml, ``authors:`` and ``default_author``; the briefing's byline, the
author pages and feeds, JSON-LD ``author``, the JSON API, located errors, and incremental
builds that re-render exactly the pages that show an edited author."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import parse_html, run_briefgen, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/news/"
AUTHORS = """\
jdoe:
  name: Jane Doe
  role: Europe editor
  bio: Jane covers the European Union.
  url: https://jane.example/
rroe:
  name: Rick Roe
  title: Reporter
desk:
  name: The Desk
  type: organization
"""


def briefing(title: str, day: str, authors: str = "", extra: str = "") -> str:
    line = f"authors: {authors}\n" if authors else ""
    return (f"---\ntitle: {title}\ndate: {day}\n{line}topics: [Trade]\n{extra}"
            f"summary:\n  - About {title}.\n---\n{title} happened.\n")


def make_site(root: Path, *, config: str = "") -> Path:
    return write_files(root, {
        "briefgen.yaml": f"title: Bylines\nbase_url: {BASE}\ndefault_author: desk\n{config}",
        "content/authors.yaml": AUTHORS,
        "content/briefings/one.md": briefing("One", "2025-01-01", "jdoe"),
        "content/briefings/two.md": briefing("Two", "2025-01-02", "[jdoe, rroe]"),
        "content/briefings/three.md": briefing("Three", "2025-01-03", "rroe"),
        "content/briefings/four.md": briefing("Four", "2025-01-04"),   # the default
    })


def build(site: Path, *args: str) -> Path:
    run_briefgen("build", "--quiet", *args, cwd=site, check=True)
    return site / "public"


def hashes(public: Path) -> dict[str, str]:
    return {p.relative_to(public).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(public.rglob("*")) if p.is_file()}


def byline(public: Path, slug: str) -> list[tuple[str, str]]:
    soup = parse_html(public / f"briefings/{slug}/index.html")
    return [(a.get_text(), a["href"]) for a in soup.select(".briefing__byline a")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("bylines"))
    build(site)
    return site


def test_the_briefing_shows_its_bylines_linked_to_author_pages(site: Path) -> None:
    public = site / "public"
    assert byline(public, "one") == [("Jane Doe", "../../authors/jdoe/")]
    assert byline(public, "two") == [("Jane Doe", "../../authors/jdoe/"),
                                     ("Rick Roe", "../../authors/rroe/")]
    assert byline(public, "four") == [("The Desk", "../../authors/desk/")]   # default
    text = parse_html(public / "briefings/one/index.html").select_one(".briefing__byline")
    assert " ".join(text.get_text().split()) == "By Jane Doe, Europe editor"
    two = parse_html(public / "briefings/two/index.html").select_one(".briefing__byline")
    assert " ".join(two.get_text().split()) == "By Jane Doe and Rick Roe"


def test_an_author_page_lists_their_briefings_with_bio_role_and_feed(site: Path) -> None:
    public = site / "public"
    soup = parse_html(public / "authors/jdoe/index.html")
    assert soup.select_one("h1").get_text() == "Jane Doe"
    assert soup.select_one(".lede").get_text() == "Europe editor"
    assert soup.select_one(".profile__description").get_text() == "Jane covers the European Union."
    assert soup.select_one(".profile__link a")["href"] == "https://jane.example/"
    assert [a.get_text() for a in soup.select(".card__title a")] == ["Two", "One"]
    feed_link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]'
                                '[href$="authors/jdoe/feed.xml"]')
    assert feed_link is not None
    rroe = parse_html(public / "authors/rroe/index.html")
    assert rroe.select_one(".lede").get_text() == "Reporter"   # title: means role:
    index = parse_html(public / "authors/index.html")
    assert [a.get_text() for a in index.select(".tag-list a")] == [
        "Jane Doe", "Rick Roe", "The Desk"]


def test_an_author_feed_holds_their_briefings_and_every_feed_names_authors(site: Path) -> None:
    public = site / "public"
    feed = ET.parse(public / "authors/rroe/feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Three", "Two"]
    two = entries[1]
    assert [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
            for a in two.findall(f"{ATOM}author")] == [
        ("Jane Doe", f"{BASE}authors/jdoe/"), ("Rick Roe", f"{BASE}authors/rroe/")]
    site_feed = ET.parse(public / "feed.xml").getroot()
    four = next(e for e in site_feed.findall(f"{ATOM}entry")
                if e.findtext(f"{ATOM}title") == "Four")
    assert [a.findtext(f"{ATOM}name") for a in four.findall(f"{ATOM}author")] == ["The Desk"]
    items = json.loads((public / "feed.json").read_text())["items"]
    assert {i["title"]: [a["name"] for a in i["authors"]] for i in items}["Two"] == [
        "Jane Doe", "Rick Roe"]


def test_json_ld_author_is_a_person_or_organization_with_url(site: Path) -> None:
    from pyld import jsonld

    public = site / "public"

    def authors_of(slug: str) -> list[dict]:
        soup = parse_html(public / f"briefings/{slug}/index.html")
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        # Expand against an inline schema.org context (no network): author keeps its
        # type and url as IRIs.
        data["@context"] = {"@vocab": "https://schema.org/",
                            "url": {"@id": "https://schema.org/url", "@type": "@id"}}
        article = jsonld.expand(data)[0]
        return article["https://schema.org/author"]

    two = authors_of("two")
    assert [a["@type"] for a in two] == [["https://schema.org/Person"]] * 2
    assert [a["https://schema.org/url"][0]["@id"] for a in two] == [
        f"{BASE}authors/jdoe/", f"{BASE}authors/rroe/"]
    assert two[0]["https://schema.org/jobTitle"][0]["@value"] == "Europe editor"
    assert two[0]["https://schema.org/sameAs"][0]["@value"] == "https://jane.example/"
    four = authors_of("four")
    assert four[0]["@type"] == ["https://schema.org/Organization"]
    assert four[0]["https://schema.org/name"][0]["@value"] == "The Desk"


def test_the_json_api_carries_authors(site: Path) -> None:
    public = site / "public"
    document = json.loads((public / "briefings/two/index.json").read_text())
    assert document["authors"] == [
        {"id": "jdoe", "name": "Jane Doe", "type": "person", "role": "Europe editor",
         "bio": "Jane covers the European Union.", "url": "https://jane.example/",
         "path": "authors/jdoe/"},
        {"id": "rroe", "name": "Rick Roe", "type": "person", "role": "Reporter",
         "path": "authors/rroe/"}]
    page = json.loads((public / "api/briefings/page-1.json").read_text())
    assert {b["slug"]: b["authors"] for b in page["briefings"]} == {
        "one": ["jdoe"], "two": ["jdoe", "rroe"], "three": ["rroe"], "four": ["desk"]}


def test_an_unknown_author_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    write_files(site, {"content/briefings/five.md": briefing("Five", "2025-01-05", "[jdoe, jdo]")})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "content/briefings/five.md:4: unknown author 'jdo' (did you mean 'jdoe'?)" \
        in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (site / "public").exists()   # a failed build writes nothing
    # The site's default must name an author too.
    (site / "content/briefings/five.md").unlink()
    (site / "briefgen.yaml").write_text(f"base_url: {BASE}\ndefault_author: dsk\n")
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "briefgen.yaml: default_author: unknown author 'dsk' (did you mean 'desk'?)" \
        in proc.stderr, proc.stderr


def test_a_bad_authors_file_is_a_located_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    write_files(site, {"content/authors.yaml": AUTHORS + "bad:\n  name: Bad\n  bio_: x\n"
                                                          "  type: robot\n"})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "content/authors.yaml:14: unknown author field 'bio_' (did you mean 'bio'?)" \
        in proc.stderr, proc.stderr
    assert "content/authors.yaml:15: author 'bad': type must be one of person, organization" \
        in proc.stderr


def test_editing_authors_yaml_re_renders_exactly_what_shows_the_author(tmp_path: Path) -> None:
    from briefgen.build.orchestrator import build as build_site
    from briefgen.config import load_config

    site = make_site(tmp_path / "site")
    config = load_config(root=site)
    first = build_site(config, jobs=1)
    before = hashes(site / "public")
    (site / "content/authors.yaml").write_text(AUTHORS.replace("Rick Roe", "Richard Roe"))
    result = build_site(config, jobs=1)
    after = hashes(site / "public")
    changed = {path for path in after if after[path] != before.get(path)}
    # Rick's briefings, his page, the authors index and the feeds that carry his entries.
    for path in ("briefings/two/index.html", "briefings/three/index.html",
                 "briefings/two/index.json", "authors/rroe/index.html",
                 "authors/rroe/feed.xml", "authors/index.html", "feed.xml", "feed.json",
                 "authors/jdoe/feed.xml", "topics/trade/feed.xml"):
        assert path in changed, path
    for path in ("briefings/one/index.html", "briefings/four/index.html",
                 "briefings/one/index.json", "authors/jdoe/index.html",
                 "authors/desk/index.html", "archive/index.html", "index.html",
                 "topics/trade/index.html", "api/briefings/page-1.json"):
        assert path not in changed, path
    assert set(result.written_paths) == changed
    assert result.rendered < first.rendered / 2, (result.rendered, first.rendered)
    assert byline(site / "public", "three") == [("Richard Roe", "../../authors/rroe/")]
    # Exact: the same bytes as a clean build of the same inputs.
    clean = tmp_path / "clean"
    build_site(config.with_overrides(output_dir=str(clean)), jobs=1, clean=True)
    assert hashes(clean) == after


def test_a_body_edit_keeps_the_byline(tmp_path: Path) -> None:
    """A body-only build plans the briefing page from the saved outline: its byline too."""
    from briefgen.build.orchestrator import build as build_site
    from briefgen.config import load_config

    # One entry per feed, so that the oldest briefing is shown in full on its own pages
    # only, and a body edit to it is a body-only build.
    site = make_site(tmp_path / "site", config="feeds: {limit: 1}\n")
    config = load_config(root=site)
    build_site(config, jobs=1)
    before = hashes(site / "public")
    path = site / "content/briefings/one.md"
    path.write_text(path.read_text().replace("One happened.", "One happened today."))
    result = build_site(config, jobs=1)
    assert result.body_only
    after = hashes(site / "public")
    assert {p for p in after if after[p] != before[p]} == {
        "briefings/one/index.html", "briefings/one/index.json"}
    assert byline(site / "public", "one") == [("Jane Doe", "../../authors/jdoe/")]
    assert json.loads((site / "public/briefings/one/index.json").read_text())["authors"][0][
        "name"] == "Jane Doe"


def test_author_links_resolve_under_a_sub_path(site: Path) -> None:
    proc = run_briefgen("check", cwd=site)
    assert proc.returncode == 0, proc.stderr
    public = site / "public"
    for page in ("briefings/two/index.html", "authors/index.html", "authors/jdoe/index.html"):
        soup = parse_html(public / page)
        for a in soup.select(".briefing__byline a, .tag-list a, .card__title a, .kicker a"):
            target = (public / page).parent / a["href"]
            assert (target / "index.html").resolve().is_file(), (page, a["href"])
    canonical = parse_html(public / "authors/jdoe/index.html").select_one('link[rel="canonical"]')
    assert canonical["href"] == f"{BASE}authors/jdoe/"
