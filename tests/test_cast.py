"""The briefing's Who's who (grouped, by prominence), which actor mentions are links
(``link_actors``), and the footnotes' heading and back-link labels: built from Markdown."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import parse_html, run_briefgen, write_files

ACTORS = """\
putin: {name: Vladimir Putin, kind: person, role: Russian President}
peskov: {name: Dmitry Peskov, kind: person, role: Kremlin spokesman}
kremlin: {name: the Kremlin, kind: organisation}
ukraine: {name: Ukraine, kind: country}
russia: {name: Russia, kind: country}
"""
BRIEFING = """\
---
title: Talks
date: 2025-04-11
summary: [Talks were held.]
---
[Ukraine]{.actor} first, then [Peskov]{.actor ref=peskov} for the [Kremlin]{.actor ref=kremlin}.
[Putin]{.actor ref=putin} spoke; [Putin]{.actor ref=putin} again; [Putin]{.actor ref=putin}
once more, about [Russia]{.actor} and [Ukraine]{.actor ref=ukraine}.[^1]

::: sidebar Timeline
[Putin]{.actor ref=putin} and [Ukraine]{.actor ref=ukraine} in the box.
:::

::: why-it-matters
[Ukraine]{.actor ref=ukraine} matters; so does [Ukraine]{.actor ref=ukraine}.
:::

[^1]: A note, cited once.
"""


def build(tmp_path: Path, config: str = "", body: str = BRIEFING) -> Path:
    site = write_files(tmp_path / "site", {
        "briefgen.yaml": config,
        "content/actors.yaml": ACTORS,
        "content/briefings/talks.md": body,
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    return site / "public" / "briefings" / "talks" / "index.html"


def links_in(doc, selector: str) -> list[str]:
    return [a["data-actor"] for a in doc.select(f"{selector} a.actor")]


def test_whos_who_groups_people_then_organisations_then_places_by_prominence(tmp_path):
    doc = parse_html(build(tmp_path))
    groups = doc.select(".cast .cast__group")
    assert [g.h3.get_text() for g in groups] == ["People", "Organisations", "Places"]
    people = [(li.a.get_text(), li.get_text()) for li in groups[0].select("li")]
    # Putin has four mentions, Peskov one: the most mentioned first, role on the same line.
    assert people == [("Vladimir Putin", "Vladimir Putin, Russian President"),
                      ("Dmitry Peskov", "Dmitry Peskov, Kremlin spokesman")]
    assert [a.get_text() for a in groups[1].select("a")] == ["the Kremlin"]
    chips = groups[2].select("a.chip")
    assert [a.get_text() for a in chips] == ["Ukraine", "Russia"]   # 5 mentions, then 1
    assert chips[0]["href"] == "../../actors/ukraine/"
    assert not doc.select(".cast__kind")   # no "PERSON" line under each name


def test_actor_links_only_on_the_first_mention_in_each_section_by_default(tmp_path):
    doc = parse_html(build(tmp_path))
    assert links_in(doc, ".story") == ["ukraine", "peskov", "kremlin", "putin", "russia"]
    assert links_in(doc, ".sidebar") == ["putin", "ukraine"]
    assert links_in(doc, ".section--why-it-matters") == ["ukraine"]
    # Later mentions stay marked (for styles and scripts) but are not links.
    later = doc.select(".story span.actor")
    assert [s["data-actor"] for s in later] == ["putin", "putin", "ukraine"]
    assert [s.get_text() for s in later] == ["Putin", "Putin", "Ukraine"]


@pytest.mark.parametrize(("mode", "story", "sidebar", "why"), [
    ("first", ["peskov", "kremlin", "putin", "russia"], [], ["ukraine"]),
    ("all", ["ukraine", "peskov", "kremlin", "putin", "putin", "putin", "russia", "ukraine"],
     ["putin", "ukraine"], ["ukraine", "ukraine"]),
])
def test_link_actors_setting(tmp_path, mode, story, sidebar, why):
    doc = parse_html(build(tmp_path, f"link_actors: {mode}\n"))
    # "first" counts in reading order: why it matters comes before the story.
    assert links_in(doc, ".section--why-it-matters") == why
    assert links_in(doc, ".story") == story
    assert links_in(doc, ".sidebar") == sidebar


def test_an_unknown_link_actors_value_is_a_clear_error(tmp_path):
    site = write_files(tmp_path / "site", {"briefgen.yaml": "link_actors: first-only\n"})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "'link_actors' must be one of first-in-section, first, all, not 'first-only'" \
        in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("raw_html", [False, True])
def test_footnotes_have_a_heading_and_labelled_back_links(tmp_path, raw_html):
    # With raw HTML allowed and present, the whole body passes the sanitiser: the
    # footnotes' labels must survive it.
    config, body = ("markdown: {allow_html: true}\n", BRIEFING.replace(
        "first, then", "<b>first</b>, then")) if raw_html else ("", BRIEFING)
    doc = parse_html(build(tmp_path, config, body))
    assert (doc.select_one(".story b") is not None) == raw_html
    notes = doc.select_one("section.footnotes")
    heading = notes.find("h2")
    assert heading.get_text() == "Notes"
    assert notes["aria-labelledby"] == heading["id"]
    back = notes.select_one("a.footnote-backref")
    assert back["aria-label"] == "Back to reference 1"
    assert back["href"] == "#fnref1" and doc.find(id="fnref1") is not None


@pytest.mark.vnu
def test_the_page_with_footnotes_has_no_validator_warning(tmp_path, vnu_jar):
    page = build(tmp_path)
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", str(page)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert json.loads(proc.stderr or "{}").get("messages", []) == []
