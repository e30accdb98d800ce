"""Scheduled, expiring and embargoed briefings, with an injected clock: held out of every
output until their time, published by a build run after it (no file changed), and the
next moment the site changes written for cron and CI."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import subprocess
from pathlib import Path

import pytest
from conftest import parse_html, run_briefgen, serve_cli, write_files
from test_api_json import validate_tree

UTC = dt.timezone.utc
ACTORS = """\
kremlin:
  name: The Kremlin
  kind: organisation
nato:
  name: NATO
  kind: organisation
"""


def epoch(moment: dt.datetime) -> str:
    return str(int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp()))


def briefing(title: str, date: str, extra: str = "", body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ntopics: [Diplomacy]\n{extra}---\n{body}\n"


SECRET_BODY = ("[The Kremlin]{.actor} said [\u201cthe zebra sleeps at dawn\u201d]{.quote by=kremlin}"
               " after [€987 billion]{.figure label=\"Quokka fund\"} moved.")


def held_site(root: Path) -> Path:
    """Published, embargoed (with figure and quote), scheduled and expiring briefings."""
    return write_files(root, {
        "briefgen.yaml": "title: Desk\nbase_url: https://news.example.org/desk/\n"
                         "timezone: Europe/Paris\npaginate: 2\n",
        "content/actors.yaml": ACTORS,
        "content/briefings/open-one.md": briefing(
            "Open one", "2026-03-01", body="[The Kremlin]{.actor} and [NATO]{.actor} met."),
        "content/briefings/open-two.md": briefing("Open two", "2026-03-02T08:00:00Z"),
        "content/briefings/walrus-embargo.md": briefing(
            "Walrus secret summit", "2026-03-03", "embargo: 2026-03-10T06:00:00Z\n",
            SECRET_BODY),
        "content/briefings/later.md": briefing(
            "Pelican scheduled", "2026-03-12T09:30:00+01:00",
            body="[NATO]{.actor} will meet."),
        "content/briefings/fading.md": briefing(
            "Ostrich expiring", "2026-02-20", "expires: 2026-03-08T00:00:00\n"),
    })


def build(site: Path, now: dt.datetime, monkeypatch, *flags: str) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(now))
    return run_briefgen("build", "--timings", *flags, cwd=site, check=True).stdout


def files_holding(out: Path, *needles: str) -> dict[str, list[str]]:
    """Every output file whose bytes hold one of ``needles`` (as text or JSON-escaped)."""
    found: dict[str, list[str]] = {}
    forms = {n: {n.encode(), json.dumps(n)[1:-1].encode()} for n in needles}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits = [n for n, variants in forms.items() if any(v in data for v in variants)]
            if hits:
                found[path.relative_to(out).as_posix()] = hits
    return found


SECRETS = ("Walrus", "walrus-embargo", "€987 billion", "987", "Quokka", "zebra sleeps")
MARCH_5 = dt.datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
BEFORE_LIFT = dt.datetime(2026, 3, 10, 5, 0, tzinfo=UTC)   # the embargo lifts at 06:00 UTC


@pytest.mark.parametrize("flags", [(), ("--future",), ("--future", "--expired", "--drafts")])
def test_an_embargoed_briefing_is_in_no_byte_of_the_output(tmp_path: Path, monkeypatch,
                                                           flags: tuple[str, ...]) -> None:
    site = held_site(tmp_path)
    build(site, MARCH_5, monkeypatch, *flags)
    out = site / "public"
    assert (out / "briefings/open-one/index.html").is_file()
    kinds = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert {".html", ".xml", ".json"} <= kinds and (out / "search").is_dir()
    assert files_holding(out, *SECRETS) == {}
    if "--future" in flags:   # the scheduled one is let in, the embargoed one is not
        assert (out / "briefings/later/index.html").is_file()


def test_embargoed_shows_with_its_flag_under_a_banner(tmp_path: Path, monkeypatch) -> None:
    site = held_site(tmp_path)
    build(site, MARCH_5, monkeypatch, "--embargoed")
    page = parse_html(site / "public/briefings/walrus-embargo/index.html")
    banner = page.select_one(".held-banner--embargoed")
    assert banner is not None
    assert " ".join(banner.get_text().split()).startswith(
        "EMBARGOED until 10 March 2026, 07:00 CET")
    assert banner.time["datetime"] == "2026-03-10T07:00:00+01:00"
    # Published briefings carry no banner.
    assert parse_html(site / "public/briefings/open-one/index.html").select(".held-banner") == []


def test_scheduled_and_expired_leave_every_output(tmp_path: Path, monkeypatch) -> None:
    site = held_site(tmp_path)
    build(site, MARCH_5, monkeypatch)
    out = site / "public"
    assert files_holding(out, "Pelican", "briefings/later/") == {}
    # The expiring one is still up on 5 March.
    assert (out / "briefings/fading/index.html").is_file()
    nato = json.loads((out / "actors/nato/index.json").read_text())
    assert nato["briefings"] == ["open-one"]   # the scheduled one is not counted

    build(site, dt.datetime(2026, 3, 8, 12, 0, tzinfo=UTC), monkeypatch)
    assert files_holding(out, "Ostrich", "briefings/fading/") == {}
    assert not (out / "briefings/fading").exists()

    build(site, dt.datetime(2026, 3, 8, 12, 0, tzinfo=UTC), monkeypatch, "--expired")
    assert (out / "briefings/fading/index.html").is_file()
    assert parse_html(out / "briefings/fading/index.html").select_one(".held-banner--expired")
    doc = json.loads((out / "briefings/fading/index.json").read_text())
    assert doc["expires"] == "2026-03-08T00:00:00+01:00"
    assert validate_tree(out) > 5   # every JSON file still matches its schema


def test_a_build_after_the_time_publishes_with_no_file_changed(tmp_path: Path,
                                                               monkeypatch) -> None:
    site = held_site(tmp_path)
    out = site / "public"
    # All on one UTC day, so the news sitemap's window (also a clock input) stays put:
    # only the embargo's moment can make the second build differ.
    first = build(site, BEFORE_LIFT, monkeypatch)
    assert "site build" in first
    # Nothing crossed a boundary: nothing to do, nothing written.
    again = build(site, BEFORE_LIFT + dt.timedelta(minutes=30), monkeypatch)
    assert "nothing build" in again and "0 files written" in again
    assert not (out / "briefings/walrus-embargo").exists()

    lifted = build(site, dt.datetime(2026, 3, 10, 6, 0, tzinfo=UTC), monkeypatch)
    assert "site build" in lifted
    page = parse_html(out / "briefings/walrus-embargo/index.html")
    assert page.h1.get_text(strip=True) == "Walrus secret summit"
    assert page.select(".held-banner") == []
    for listing in ("index.html", "archive/index.html", "topics/diplomacy/index.html",
                    "actors/kremlin/index.html", "feed.xml", "sitemap-briefings-1.xml",
                    "api/briefings/page-1.json"):
        assert "walrus-embargo" in (out / listing).read_text(encoding="utf-8"), listing
    shards = "".join(p.read_text() for p in (out / "search").rglob("*.json"))
    assert "Walrus" in shards
    # Previous/next links now pass through it: open-two's neighbour is the new briefing.
    neighbours = parse_html(out / "briefings/open-two/index.html").select(".pager__link")
    assert any("walrus-embargo" in a["href"] for a in neighbours)

    settled = build(site, dt.datetime(2026, 3, 10, 7, 0, tzinfo=UTC), monkeypatch)
    assert "nothing build" in settled and "0 files written" in settled


def test_next_change_names_the_earliest_pending_moment(tmp_path: Path, monkeypatch) -> None:
    site = held_site(tmp_path)
    next_file = site / ".briefgen-cache/next-change"
    steps = [
        (MARCH_5, "2026-03-07T23:00:00Z"),                               # expiry (Paris)
        (dt.datetime(2026, 3, 8, tzinfo=UTC), "2026-03-10T06:00:00Z"),   # embargo lifts
        (dt.datetime(2026, 3, 10, 6, tzinfo=UTC), "2026-03-12T08:30:00Z"),  # scheduled
    ]
    for now, expected in steps:
        out = build(site, now, monkeypatch)
        assert f"Next change: {expected}" in out
        assert next_file.read_text() == expected + "\n"
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(now))
        printed = run_briefgen("build", "--print-next-change", cwd=site, check=True).stdout
        assert printed == expected + "\n"
    build(site, dt.datetime(2026, 4, 1, tzinfo=UTC), monkeypatch)
    assert not next_file.exists()
    # Past its time, the scheduled briefing is everywhere the others are.
    out = site / "public"
    assert parse_html(out / "briefings/later/index.html").h1.get_text() == "Pelican scheduled"
    for listing in ("index.html", "feed.xml", "sitemap-briefings-1.xml"):
        assert "briefings/later/" in (out / listing).read_text(encoding="utf-8"), listing
    assert "later" in json.loads((out / "actors/nato/index.json").read_text())["briefings"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.datetime(2026, 4, 1, tzinfo=UTC)))
    assert run_briefgen("build", "--print-next-change", cwd=site, check=True).stdout == ""


def test_a_body_edit_across_a_boundary_still_publishes(tmp_path: Path, monkeypatch) -> None:
    """An edit that could be a body-only build does not hide a lifted embargo."""
    site = held_site(tmp_path)
    config = site / "briefgen.yaml"   # open-one in no feed in full: its edit is body-only
    config.write_text(config.read_text() + "feeds:\n  limit: 1\n")
    build(site, BEFORE_LIFT, monkeypatch)
    source = site / "content/briefings/open-one.md"
    source.write_text(source.read_text().replace("met.", "met at last."))
    assert "bodies build" in build(site, BEFORE_LIFT + dt.timedelta(minutes=10), monkeypatch)
    source.write_text(source.read_text().replace("at last.", "at last, again."))
    lifted = build(site, BEFORE_LIFT + dt.timedelta(hours=1, minutes=30), monkeypatch)
    assert "site build" in lifted
    assert "Walrus" in (site / "public/index.html").read_text()


def test_serve_shows_an_embargoed_briefing_under_its_banner(tmp_path: Path,
                                                            monkeypatch) -> None:
    site = held_site(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(MARCH_5))
    with serve_cli(site) as (_, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/briefings/walrus-embargo/")
        response = conn.getresponse()
        body = response.read().decode("utf-8")
        conn.close()
    assert response.status == 200
    assert "EMBARGOED" in body and "10 March 2026, 07:00 CET" in body
    # The preview never touched the site's own output.
    assert not (site / "public").exists()


@pytest.mark.vnu
def test_banner_and_corrections_pages_are_valid_html(tmp_path: Path, monkeypatch,
                                                     vnu_jar: Path) -> None:
    site = held_site(tmp_path)
    write_files(site, {"content/briefings/fixed.md": briefing(
        "Fixed", "2026-03-04T10:00:00Z",
        "corrections:\n  - {at: 2026-03-04T12:00:00Z, text: A name was misspelled.}\n"
        "updates:\n  - {at: 2026-03-04T11:00:00Z, text: Adds a reply.}\n")})
    build(site, MARCH_5, monkeypatch, "--embargoed", "--future", "--expired", "--drafts")
    pages = sorted(str(p) for p in (site / "public").rglob("*.html"))
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only",
                           *pages], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []


def test_publish_refuses_an_embargoed_preview(tmp_path: Path, monkeypatch) -> None:
    site = held_site(tmp_path / "site")
    www = tmp_path / "www"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(MARCH_5))
    proc = run_briefgen("publish", "dir", str(www), "--embargoed", cwd=site)
    assert proc.returncode == 2 and "never published" in proc.stderr
    assert not www.exists() and not (site / "public").exists()
    done = run_briefgen("publish", "dir", str(www), cwd=site, check=True)
    assert "Next change: 2026-03-07T23:00:00Z" in done.stdout
    assert files_holding(www, *SECRETS) == {}
