"""Times with zones, and updates and corrections: shown in local time on pages, carried
whole (ISO 8601 with offsets) in feeds, JSON-LD, the sitemap and the API."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import feedparser
from conftest import parse_html, run_briefgen, write_files
from pyld import jsonld
from test_api_json import validate_tree

BASE = "https://news.example.org/desk/"


def site_with_times(root: Path, config: str = "") -> Path:
    """Paris time; briefings either side of the 2026 spring DST change (29 March)."""
    return write_files(root, {
        "briefgen.yaml": f"title: Desk\nbase_url: {BASE}\ntimezone: Europe/Paris\n{config}",
        "content/briefings/winter.md": (
            "---\ntitle: Winter talks\ndate: 2026-03-28T09:30:00\n---\nBefore the change.\n"),
        "content/briefings/summer.md": (
            "---\ntitle: Summer talks\ndate: 2026-03-29T07:30:00Z\n"
            "updated: 2026-03-29T18:00:00+02:00\n---\nAfter the change.\n"),
        "content/briefings/plain.md": "---\ntitle: Plain day\ndate: 2026-03-27\n---\nText.\n",
        "content/briefings/fixed.md": (
            "---\ntitle: Fixed story\ndate: 2026-03-20T10:00:00+01:00\n"
            "updates:\n"
            "  - at: 2026-03-20T16:00:00+01:00\n    text: Adds the minister's reply.\n"
            "corrections:\n"
            "  - at: 2026-03-21T09:00:00+01:00\n"
            "    text: An earlier version gave the wrong <b>date</b> for the vote.\n"
            "  - {at: 2026-03-30T08:15:00Z, text: \"The fund is €5 billion, not €5 million.\"}\n"
            "---\nThe vote.\n"),
    })


def meta_times(page) -> list[tuple[str, str]]:
    return [(t["datetime"], t.get_text(" ", strip=True))
            for t in page.select(".briefing__meta time")]


def test_local_time_is_shown_across_a_dst_change(tmp_path: Path) -> None:
    site = site_with_times(tmp_path)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    winter = parse_html(out / "briefings/winter/index.html")
    assert meta_times(winter) == [("2026-03-28T09:30:00+01:00", "28 March 2026, 09:30 CET")]
    summer = parse_html(out / "briefings/summer/index.html")
    assert meta_times(summer) == [("2026-03-29T09:30:00+02:00", "29 March 2026, 09:30 CEST"),
                                  ("2026-03-29T18:00:00+02:00", "29 March 2026, 18:00 CEST")]
    plain = parse_html(out / "briefings/plain/index.html")   # a date stays a date
    assert meta_times(plain) == [("2026-03-27", "27 March 2026")]


def test_machine_outputs_carry_full_times_with_offsets(tmp_path: Path) -> None:
    site = site_with_times(tmp_path)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    entries = {e.link.rsplit("/", 2)[-2]: e for e in feed.entries}
    assert entries["summer"].published == "2026-03-29T09:30:00+02:00"
    assert entries["summer"].updated == "2026-03-29T18:00:00+02:00"
    assert entries["winter"].published == "2026-03-28T09:30:00+01:00"
    assert entries["plain"].published == "2026-03-27T00:00:00+01:00"   # midnight in Paris
    items = {i["id"].rsplit("/", 2)[-2]: i
             for i in json.loads((out / "feed.json").read_text())["items"]}
    assert items["summer"]["date_published"] == "2026-03-29T09:30:00+02:00"

    (article,) = extruct.extract((out / "briefings/summer/index.html").read_text(),
                                 base_url=BASE, syntaxes=["json-ld"])["json-ld"]
    assert article["datePublished"] == "2026-03-29T09:30:00+02:00"
    assert article["dateModified"] == "2026-03-29T18:00:00+02:00"
    sitemap = (out / "sitemap-briefings-1.xml").read_text()
    assert "<lastmod>2026-03-29T18:00:00+02:00</lastmod>" in sitemap
    assert "<lastmod>2026-03-27</lastmod>" in sitemap
    doc = json.loads((out / "briefings/summer/index.json").read_text())
    assert (doc["date"], doc["published"], doc["modified"]) == (
        "2026-03-29", "2026-03-29T09:30:00+02:00", "2026-03-29T18:00:00+02:00")
    assert validate_tree(out) > 5


def test_a_utc_site_keeps_its_old_feed_times(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "content/briefings/a.md": "---\ntitle: A\ndate: 2026-03-27\n---\nText.\n"})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert "<published>2026-03-27T00:00:00Z</published>" in (
        site / "public/feed.xml").read_text()


def test_corrections_on_the_page_in_json_ld_api_and_feeds(tmp_path: Path) -> None:
    site = site_with_times(tmp_path)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    page = parse_html(out / "briefings/fixed/index.html")
    meta = page.select_one(".briefing__meta").get_text(" ", strip=True)
    assert "Updated 30 March 2026, 10:15 CEST" in meta and "Corrected" in meta
    box = page.select_one("#corrections")
    assert box.h2.get_text() == "Corrections"
    notes = [li.get_text(" ", strip=True) for li in box.select("li")]
    assert notes == ["30 March 2026, 10:15 CEST : The fund is €5 billion, not €5 million.",
                     ("21 March 2026, 09:00 CET : An earlier version gave the wrong <b>date</b> "
                      "for the vote.")]   # newest first; text stays text
    assert page.select_one("#updates li").time["datetime"] == "2026-03-20T16:00:00+01:00"

    raw = [s.string for s in page.select('script[type="application/ld+json"]')]
    expanded = jsonld.expand(json.loads(raw[0]), {"documentLoader": schema_org_loader})
    corrections = expanded[0]["http://schema.org/correction"]
    assert [c["@type"] for c in corrections] == [["http://schema.org/CorrectionComment"]] * 2
    assert corrections[0]["http://schema.org/text"][0]["@value"].startswith("The fund is")

    doc = json.loads((out / "briefings/fixed/index.json").read_text())
    assert doc["corrections"][0] == {"at": "2026-03-30T10:15:00+02:00",
                                     "text": "The fund is €5 billion, not €5 million."}
    assert doc["updates"] == [{"at": "2026-03-20T16:00:00+01:00",
                               "text": "Adds the minister's reply."}]

    entry = next(e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries
                 if e.link.endswith("/fixed/"))
    assert entry.updated == "2026-03-30T10:15:00+02:00"
    assert "The fund is €5 billion, not €5 million." in entry.content[0].value


def schema_org_loader(url: str, options=None) -> dict:
    """The schema.org context without the network: its terms in the http namespace."""
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": "http://schema.org/"}}}


def test_the_corrections_page_lists_every_correction_newest_first(tmp_path: Path) -> None:
    site = site_with_times(tmp_path, "paginate: 1\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    root = parse_html(out / "corrections/index.html")
    assert [a["href"] for a in root.select(".corrections-list a")] == [
        "../briefings/fixed/#corrections"]
    assert "The fund is" in root.select_one(".corrections-list").get_text()
    older = parse_html(out / "corrections/page/1/index.html")
    assert "wrong" in older.select_one(".corrections-list").get_text()
    assert root.select_one('link[rel="prev"]')["href"] == "../corrections/page/1/"
    assert root.select_one('link[rel="alternate"][href="../corrections/feed.xml"]')
    feed = feedparser.parse((out / "corrections/feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.updated for e in feed.entries] == ["2026-03-30T10:15:00+02:00",
                                                 "2026-03-21T09:00:00+01:00"]
    assert feed.entries[0].link == f"{BASE}briefings/fixed/#corrections"
    assert len({e.id for e in feed.entries}) == 2


BAD_TIMES = {
    "date: 2026-03-28T25:00:00": "content/briefings/bad.md:3: invalid date",
    "date: \"28/03/2026 09:30\"": "content/briefings/bad.md:3: bad date",
    "date: 2026-03-28\nembargo: tomorrow": "content/briefings/bad.md:4: bad time 'tomorrow' in "
                                           "'embargo'",
    "date: 2026-03-28\nexpires: 2026-02-30": "content/briefings/bad.md:4:",
    "date: 2026-03-28\ncorrections:\n  - at: soon\n    text: X": "content/briefings/bad.md:5: bad "
                                                               "time 'soon' in 'corrections'",
    "date: 2026-03-28\nupdates:\n  - {at: 2026-03-28}": "content/briefings/bad.md:5: an entry of "
                                                       "'updates' has no text",
    "date: 2026-03-28\nupdates: soon": "content/briefings/bad.md:4: 'updates' must be a list",
}


def test_bad_times_are_errors_at_their_line(tmp_path: Path) -> None:
    for number, (front, message) in enumerate(BAD_TIMES.items()):
        site = write_files(tmp_path / str(number), {
            "content/briefings/bad.md": f"---\ntitle: Bad\n{front}\n---\nText.\n"})
        proc = run_briefgen("build", cwd=site)
        assert proc.returncode == 1 and message in proc.stderr, (front, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_an_unknown_time_zone_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"briefgen.yaml": "title: Desk\ntimezone: Europe/Pariss\n"})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "briefgen.yaml:2: unknown time zone 'Europe/Pariss'" in proc.stderr, proc.stderr


def test_briefings_of_one_day_are_listed_by_their_time(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "briefgen.yaml": "timezone: America/New_York\n",
        "content/briefings/a-evening.md": "---\ntitle: Evening\ndate: 2026-07-01T19:00\n---\nX.\n",
        "content/briefings/b-morning.md": "---\ntitle: Morning\ndate: 2026-07-01T07:00\n---\nX.\n",
        "content/briefings/c-noon.md": "---\ntitle: Noon\ndate: 2026-07-01T16:00:00Z\n---\nX.\n",
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    home = parse_html(site / "public/index.html")
    titles = [a.get_text(strip=True) for a in home.select(".lead__title a, .card h2 a, .card h3 a")]
    assert titles == ["Evening", "Noon", "Morning"]
    noon = parse_html(site / "public/briefings/c-noon/index.html")
    assert meta_times(noon) == [("2026-07-01T12:00:00-04:00", "1 July 2026, 12:00 EDT")]
