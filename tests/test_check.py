"""``briefgen check``: each problem kind on purpose-made output trees and sites."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files

from briefgen.check import check_output
from briefgen.check.model import facts_from_model
from briefgen.check.report import CheckProblem
from briefgen.indexes import build_index
from briefgen.model import Actor, Briefing, Figure, FigureValue, Mention, Quote


def html(title: str | None = "A page", body: str = "", head: str = "") -> str:
    title_tag = "" if title is None else f"<title>{title}</title>"
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8>{title_tag}{head}"
            f"</head><body>{body}</body></html>")


def messages(report, page: str) -> list[str]:
    return [p.message for p in report.problems if p.page == page]


@pytest.fixture
def clean_tree(tmp_path: Path) -> Path:
    """A small site with every kind of internal reference, all resolving."""
    css = '<link rel="stylesheet" href="{up}assets/style.css">'
    return write_files(tmp_path / "public", {
        "index.html": html("Home", '<a href="briefings/talks/">talks</a>'
                                   '<a href="briefings/talks/#fig-1">fig</a>'
                                   '<a href="archive">archive (no slash)</a>'
                                   '<a href="#main">skip</a><main id="main"></main>'
                                   '<a href="#top">top</a>'
                                   '<img src="assets/logo.svg" srcset="assets/logo.svg 2x">'
                                   '<a href="https://example.org/x">out</a>'
                                   '<a href="mailto:a@example.org">mail</a>',
                           css.format(up="")),
        "briefings/talks/index.html": html(
            "Talks", '<mark class="figure" id="fig-1">€21 billion</mark>'
                     '<a href="../../actors/putin/">Putin</a><a href="../../">home</a>'
                     '<script src="../../assets/app.js"></script>',
            css.format(up="../../")),
        "actors/putin/index.html": html("Putin", '<a href="../../briefings/talks/">talks</a>'),
        "archive/index.html": html("Archive"),
        "404.html": html("Not found", '<a href="/">home</a>'),
        "assets/style.css": "body { background: url('bg.png') } @import 'more.css';",
        "assets/more.css": "h1 { color: red }",
        "assets/bg.png": b"\x89PNG",
        "assets/logo.svg": "<svg/>",
        "assets/app.js": "",
        "googleabc.html": "google-site-verification: googleabc.html",
    })


def test_clean_tree_has_no_problems(clean_tree: Path) -> None:
    report = check_output(clean_tree)
    assert report.problems == []
    assert report.pages == 6
    assert [str(e) for e in report.external] == ["index.html: https://example.org/x"]


def test_broken_internal_link(clean_tree: Path) -> None:
    write_files(clean_tree, {"archive/index.html": html("Archive",
                                                        '<a href="../actors/nobody/">x</a>')})
    report = check_output(clean_tree)
    assert messages(report, "archive/index.html") == [
        "link '../actors/nobody/' resolves nowhere"]
    assert not report.ok


def test_link_climbing_out_of_the_site(clean_tree: Path) -> None:
    write_files(clean_tree, {"archive/index.html": html("Archive", '<a href="../../x/">x</a>')})
    [message] = messages(check_output(clean_tree), "archive/index.html")
    assert "climbs above the site root" in message


def test_broken_anchors_same_page_and_other_page(clean_tree: Path) -> None:
    write_files(clean_tree, {"archive/index.html": html(
        "Archive", '<a href="#nowhere">a</a><a href="../briefings/talks/#fig-9">b</a>')})
    found = messages(check_output(clean_tree), "archive/index.html")
    assert found == [
        ("anchor '#fig-9' in '../briefings/talks/#fig-9' resolves nowhere: no element with "
         "that id on 'briefings/talks/index.html'"),
        "anchor '#nowhere' in '#nowhere' resolves nowhere: no element with that id on this page",
    ]


@pytest.mark.parametrize("snippet, expected", [
    ('<img src="../assets/missing.png">', "image '../assets/missing.png' resolves nowhere"),
    ('<img srcset="../assets/x2.png 2x">', "image '../assets/x2.png' resolves nowhere"),
    ('<link rel="stylesheet" href="../assets/gone.css">',
     "stylesheet '../assets/gone.css' resolves nowhere"),
    ('<script src="../assets/gone.js"></script>', "script '../assets/gone.js' resolves nowhere"),
    ('<link rel="icon" href="../favicon.svg">', "asset '../favicon.svg' resolves nowhere"),
])
def test_missing_assets(clean_tree: Path, snippet: str, expected: str) -> None:
    write_files(clean_tree, {"archive/index.html": html("Archive", snippet)})
    assert messages(check_output(clean_tree), "archive/index.html") == [expected]


def test_missing_file_referenced_from_css(clean_tree: Path) -> None:
    write_files(clean_tree, {"assets/more.css": "h1 { background: url(\"../img/gone.webp\") }"})
    assert messages(check_output(clean_tree), "assets/more.css") == [
        "asset '../img/gone.webp' resolves nowhere"]


@pytest.mark.parametrize("title", [None, "", "   "])
def test_page_without_title(clean_tree: Path, title: str | None) -> None:
    write_files(clean_tree, {"archive/index.html": html(title)})
    assert messages(check_output(clean_tree), "archive/index.html") == ["page has no title"]


def test_paths_differing_only_by_case_collide(clean_tree: Path) -> None:
    write_files(clean_tree, {"actors/Putin/index.html": html("Putin again")})
    report = check_output(clean_tree)
    assert messages(report, "actors/Putin/index.html") == [
        ("duplicate output path: collides with 'actors/putin/index.html' "
         "(differs only by case or Unicode normal form)")]
    assert len(messages(report, "actors/putin/index.html")) == 1


def test_paths_differing_only_by_unicode_form_collide(tmp_path: Path) -> None:
    nfc, nfd = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))
    assert nfc != nfd
    out = write_files(tmp_path / "public", {f"topics/{nfc}/index.html": html("a"),
                                            f"topics/{nfd}/index.html": html("b")})
    report = check_output(out)
    assert len(report.problems) == 2
    assert all("duplicate output path" in p.message for p in report.problems)


def test_near_miss_by_case_is_explained(clean_tree: Path) -> None:
    write_files(clean_tree, {"archive/index.html": html("A", '<a href="../actors/PUTIN/">p</a>')})
    [message] = messages(check_output(clean_tree), "archive/index.html")
    assert "only 'actors/putin/index.html' exists" in message


def test_root_relative_links_follow_base_url(clean_tree: Path) -> None:
    write_files(clean_tree, {"404.html": html("Not found",
                                              '<a href="/briefs/archive/">a</a><a href="/x/">b</a>'
                                              '<link rel="canonical" '
                                              'href="https://example.org/briefs/archive/">'
                                              '<a href="https://example.org/briefs/gone/">g</a>')})
    report = check_output(clean_tree, base_url="https://example.org/briefs/")
    assert messages(report, "404.html") == [
        "link '/x/' points outside the site (base_url path is '/briefs/')",
        "link 'https://example.org/briefs/gone/' resolves nowhere",
    ]
    assert not any("example.org/briefs" in e.url for e in report.external)


# --- the model: source files, figures, actors --------------------------------------------


def briefing(slug: str, **fields) -> Briefing:
    return Briefing(slug=slug, title=slug.title(), date=dt.date(2025, 3, 1),
                    source_path=f"content/briefings/{slug}.md", **fields)


ACTORS_YAML = "putin:\n  name: Vladimir Putin\nlonely:\n  name: Nobody Mentions Me\n"


def model_facts(tmp_path: Path, briefings: list[Briefing]):
    registry = {"putin": Actor("putin", "Vladimir Putin"),
                "lonely": Actor("lonely", "Nobody Mentions Me")}
    return facts_from_model(tmp_path, build_index(briefings, registry), registry,
                            "content/actors.yaml", ACTORS_YAML)


def test_model_problems_name_page_source_and_line(tmp_path: Path) -> None:
    talks = briefing(
        "talks",
        mentions=[Mention("putin", count=1, first_line=4), Mention("ghost", first_line=6)],
        figures=[Figure("fig-1", "€21 billion", "aid", FigureValue(21e9, "EUR", "currency"),
                        line=5),
                 Figure("fig-2", "a great many", "troops", FigureValue(), line=9)],
        quotes=[Quote("q-1", "No.", by="nobody", line=11)])
    facts = model_facts(tmp_path, [talks])
    found = sorted(str(p) for p in facts.problems)
    assert found == [
        ("actors/lonely/index.html: actor page lists no briefings: 'lonely' is defined but no "
         "published briefing mentions it (source content/actors.yaml:3)"),
        ("briefings/talks/index.html: actor mention refers to 'ghost', which is not in the "
         "registry or front matter (source content/briefings/talks.md:6)"),
        ("briefings/talks/index.html: figure 'a great many' (troops): the value cannot be parsed "
         "as a number, amount, percentage, duration or date (source content/briefings/talks.md:9)"),
        ("briefings/talks/index.html: quote attributed to 'nobody', which is not in the registry "
         "or front matter (source content/briefings/talks.md:11)"),
    ]


def test_output_problems_are_located_in_their_source(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/briefings/talks.md": "---\ntitle: T\n---\n\n"
                                                         "See [this](../../actors/nobody/).\n"})
    facts = model_facts(tmp_path, [briefing("talks", mentions=[Mention("putin")]),
                                   briefing("other", mentions=[Mention("lonely")])])
    located = facts.locate(CheckProblem("briefings/talks/index.html",
                                        "link resolves nowhere", subject="../../actors/nobody/"))
    assert (located.source, located.line) == ("content/briefings/talks.md", 5)
    template_made = facts.locate(CheckProblem("briefings/talks/index.html", "x",
                                              subject="../../assets/gone.css"))
    assert (template_made.source, template_made.line) == ("content/briefings/talks.md", None)
    actor = facts.locate(CheckProblem("actors/lonely/index.html", "page has no title"))
    assert str(actor) == ("actors/lonely/index.html: page has no title "
                          "(source content/actors.yaml:3)")
    unknown = facts.locate(CheckProblem("archive/index.html", "page has no title"))
    assert str(unknown) == "archive/index.html: page has no title"
    assert facts.problems == []


# --- the command ----------------------------------------------------------------------------


def test_check_without_a_build_says_so(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    proc = run_briefgen("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert "run 'briefgen build' first" in proc.stderr


def test_check_command_on_a_broken_output(tmp_path: Path, clean_tree: Path) -> None:
    write_files(clean_tree, {"archive/index.html": html(None, '<a href="../nope/">x</a>')})
    proc = run_briefgen("check", "--external", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "archive/index.html: page has no title" in proc.stderr
    assert "archive/index.html: link '../nope/' resolves nowhere" in proc.stderr
    assert "error: check found 2 problems" in proc.stderr
    assert "index.html: external https://example.org/x" in proc.stdout


def test_check_command_on_a_clean_output(tmp_path: Path, clean_tree: Path) -> None:
    proc = run_briefgen("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "no problems" in proc.stdout
    assert "https://" not in proc.stdout


# --- real builds --------------------------------------------------------------------------


def test_example_site_links_assets_titles_are_whole(built_example: Path) -> None:
    proc = run_briefgen("check", "--external", cwd=built_example.parent)
    other = [line for line in proc.stderr.splitlines()
             if "actor page lists no briefings" not in line and not line.startswith("error:")]
    assert other == []
    assert "external https://" in proc.stdout


def test_example_site_checks_clean(built_example: Path) -> None:
    proc = run_briefgen("check", cwd=built_example.parent)
    assert proc.returncode == 0, proc.stderr


BROKEN_SITE = {
    "content/actors.yaml": "putin:\n  name: Vladimir Putin\nlonely:\n  name: Nobody\n",
    "content/briefings/talks.md": """\
        ---
        title: Talks
        date: 2025-03-01
        ---

        [Putin]{.actor ref=putin} said [a great many]{.figure label="troops"} would go.

        See [the other page](../../actors/nobody/) and [this bit](#nowhere).

        ![map](../../assets/map.png)

        [€21 billion]{.figure label="aid"} was pledged.
        """,
    "static/extra.html": "<!doctype html><html><head></head><body>no title</body></html>",
    "static/Archive/index.html": "<!doctype html><title>Shadow archive</title>",
}


def test_strict_build_and_check_report_every_kind_with_its_source(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", BROKEN_SITE)
    build = run_briefgen("build", "--strict", cwd=site)
    assert build.returncode == 1
    assert "Built " in build.stdout  # the build itself succeeded; the check failed it
    check = run_briefgen("check", cwd=site)
    assert check.returncode == 1
    build_problems = "".join(line + "\n" for line in build.stderr.splitlines()
                             if ": warning: " not in line)
    assert check.stderr == build_problems
    lines = check.stderr.splitlines()
    talks, source = "briefings/talks/index.html", "content/briefings/talks.md"
    expected = [
        f"{talks}: link '../../actors/nobody/' resolves nowhere (source {source}:8)",
        (f"{talks}: anchor '#nowhere' in '#nowhere' resolves nowhere: no element with that id "
         f"on this page (source {source}:8)"),
        f"{talks}: image '../../assets/map.png' resolves nowhere (source {source}:10)",
        (f"{talks}: figure 'a great many' (troops): the value cannot be parsed as a number, "
         f"amount, percentage, duration or date (source {source}:6)"),
        ("actors/lonely/index.html: actor page lists no briefings: 'lonely' is defined but no "
         "published briefing mentions it (source content/actors.yaml:3)"),
        "extra.html: page has no title",
        ("Archive/index.html: duplicate output path: collides with 'archive/index.html' "
         "(differs only by case or Unicode normal form)"),
    ]
    for line in expected:
        assert line in lines
    # ...and the other half of the colliding pair; nothing else.
    assert lines[-1].startswith(f"error: check found {len(expected) + 1} problems in ")


def test_strict_build_of_a_clean_site_passes(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n",
        "content/briefings/talks.md": BROKEN_SITE["content/briefings/talks.md"].split("[Putin]")[0]
        + "[Putin]{.actor ref=putin} met [€21 billion]{.figure label=\"aid\"}.\n",
    })
    proc = run_briefgen("build", "--strict", cwd=site)
    assert proc.returncode == 0, proc.stderr
