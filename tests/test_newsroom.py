"""The lead figure and the site's own sections, end to end in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import parse_html, run_briefgen, write_files

TWO_STORIES = {
    "content/briefings/talks.md": """\
        ---
        title: Talks
        date: 2026-11-02
        ---

        Talks since [February 2022]{.figure label="the invasion"} reached a
        [third]{.figure label="round"} round; [40%]{.figure label="turnout"} voted and
        [€21 billion]{.figure label="aid" lead=true} was pledged.
        """,
    "content/briefings/dates.md": """\
        ---
        title: Dates only
        date: 2026-11-01
        ---

        Since [24 February 2022]{.figure label="the invasion"}, the
        [third meeting]{.figure label="meeting"}; [1,200 troops]{.figure label="sent"}.
        """,
}


def card_figures(out: Path) -> dict[str, str]:
    doc = parse_html(out / "index.html")
    figures = {}
    for card in doc.select(".lead, .card"):
        value = card.select_one(".figure-value")
        figures[card.select_one(".lead__title, .card__title").get_text(strip=True)] = \
            value.get_text() if value else ""
    return figures


def test_the_authors_lead_figure_wins_and_a_date_is_never_chosen(tmp_path: Path) -> None:
    site = write_files(tmp_path, TWO_STORIES)
    run_briefgen("build", cwd=site, check=True)
    figures = card_figures(site / "public")
    assert figures["Talks"] == "€21 billion"            # lead=true, not "February 2022"
    assert figures["Dates only"] == "1,200 troops"      # not the date, not "third meeting"
    api = json.loads((site / "public" / "api" / "briefings" / "page-1.json").read_text())
    keys = {b["slug"]: b["key_figure"]["text"] for b in api["briefings"]}
    assert keys == {"talks": "€21 billion", "dates": "1,200 troops"}


def test_key_figure_in_front_matter_and_its_did_you_mean(tmp_path: Path) -> None:
    files = dict(TWO_STORIES)
    files["content/briefings/dates.md"] = files["content/briefings/dates.md"].replace(
        "date: 2026-11-01\n", "date: 2026-11-01\n        key_figure: third meeting\n")
    site = write_files(tmp_path, files)
    run_briefgen("build", cwd=site, check=True)
    assert card_figures(site / "public")["Dates only"] == "third meeting"
    bad = files["content/briefings/dates.md"].replace("key_figure: third meeting",
                                                      "key_figure: 1200 troops")
    write_files(site, {"content/briefings/dates.md": bad})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert ("content/briefings/dates.md:4: key_figure '1200 troops' matches no figure of the "
            "text; did you mean '1,200 troops'? the figures are '24 February 2022' (line 7), "
            "'third meeting' (line 8), '1,200 troops' (line 8)") in proc.stderr
    assert "Traceback" not in proc.stderr


AXIOS = {
    "briefgen.yaml": """\
        sections:
          - {name: big-picture, heading: The big picture, placement: lead}
          - {name: by-the-way, heading: By the way, placement: aside}
          - {name: go-deeper, heading: Go deeper}
          - name: whats-next
        """,
    "content/briefings/one.md": """\
        ---
        title: One
        date: 2026-11-02
        summary: [A point.]
        ---

        ::: go-deeper
        Deeper.
        :::

        ::: whats-next
        Next.
        :::

        The story.

        ::: by-the-way
        Aside.
        :::

        ::: big-picture
        Big.
        :::
        """,
}


def test_declared_sections_render_in_declared_order_and_place(tmp_path: Path) -> None:
    site = write_files(tmp_path, AXIOS)
    run_briefgen("build", cwd=site, check=True)
    doc = parse_html(site / "public" / "briefings" / "one" / "index.html")
    headings = [h.get_text(strip=True) for h in doc.select("article.briefing h2")]
    assert headings[:5] == ["The gist", "The big picture", "The full story", "By the way",
                            "Go deeper"]
    assert headings[5] == "What's next"
    assert doc.select_one(".briefing__lead .section--big-picture")
    assert doc.select_one(".briefing__extras aside.section--by-the-way")
    main = [s["class"][1] for s in doc.select(".briefing__end .section")]
    assert main == ["section--go-deeper", "section--whats-next"]


def test_an_undeclared_section_fails_with_did_you_mean(tmp_path: Path) -> None:
    files = dict(AXIOS)
    files["content/briefings/one.md"] = files["content/briefings/one.md"].replace(
        "::: go-deeper", "::: go-deepr").replace("::: whats-next\nNext.\n:::\n", "")
    site = write_files(tmp_path, files)
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert ("content/briefings/one.md:7: unknown block '::: go-deepr' (expected sidebar, "
            "big-picture, by-the-way, go-deeper or whats-next; did you mean '::: go-deeper'?)"
            in proc.stderr)
    # The default set is not declared here: why-it-matters is unknown on this site.
    files["content/briefings/one.md"] = AXIOS["content/briefings/one.md"].replace(
        "::: go-deeper", "::: why-it-matters")
    write_files(site, files)
    proc = run_briefgen("build", cwd=site)
    assert "unknown block '::: why-it-matters'" in proc.stderr


def test_bad_sections_config_is_reported(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"briefgen.yaml": """\
        sections:
          - {name: big-picture, placement: top}
          - {name: sidebar}
        """, "content/briefings/one.md": AXIOS["content/briefings/one.md"]})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "'sections[1].placement' must be one of lead, main, aside, not 'top'" in proc.stderr
    assert "'sections[2]': the section 'sidebar' is reserved" in proc.stderr
