"""Every kind of bad input gives a one-line ``path:line: message`` error, exit code 1,
no traceback, and leaves the previous output exactly as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import run_briefgen, write_files

ACTORS = """
putin:
  name: Vladimir Putin
  kind: person
  role: Russian President
  aliases: [Putin]
peskov:
  name: Dmitry Peskov
  aliases: [Peskov]
"""

GOOD = """
---
title: Talks in Moscow
date: 2025-02-12
topics: [Diplomacy]
---
[Putin]{.actor} met the envoy. ["no breakthroughs"]{.quote by=peskov}
"""


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes and its mtime."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        + f":{p.stat().st_mtime_ns}"
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    site = write_files(tmp_path / "site", {
        "content/actors.yaml": ACTORS,
        "content/briefings/good.md": GOOD,
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert (site / "public" / "briefings" / "good" / "index.html").exists()
    return site


def fails_with(site: Path, *expected: str) -> str:
    """Build ``site``; assert it fails with each expected stderr line and keeps the output."""
    before = tree_digest(site / "public")
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for line in expected:
        assert line in proc.stderr, f"expected {line!r} in:\n{proc.stderr}"
    assert tree_digest(site / "public") == before, "the previous output was changed"
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".public")]
    assert leftovers == [], f"staging folders left behind: {leftovers}"
    return proc.stderr


CASES = {
    "invalid yaml": ("---\ntitle: [unclosed\ndate: 2025-01-01\n---\nText\n",
                     "content/briefings/bad.md:3: invalid YAML"),
    "missing title": ("---\ndate: 2025-01-01\n---\nText\n",
                      "content/briefings/bad.md:1: missing title"),
    "missing date": ("---\ntitle: A\n---\nText\n", "content/briefings/bad.md:1: missing date"),
    "bad date": ("---\ntitle: A\ndate: 2025-13-45\n---\nText\n",
                 "content/briefings/bad.md:3: invalid date '2025-13-45'"),
    "bad date text": ("---\ntitle: A\ndate: next tuesday\n---\nText\n",
                      "content/briefings/bad.md:3: bad date 'next tuesday'"),
    "unknown actor": ("---\ntitle: A\ndate: 2025-01-01\n---\n\nFirst paragraph.\n\n"
                      "Second paragraph,\nwhere [Putn]{.actor ref=putn} appears.\n",
                      "content/briefings/bad.md:9: unknown actor 'putn' (did you mean 'putin'?)"),
    "unknown div": ("---\ntitle: A\ndate: 2025-01-01\n---\nText\n\n::: sidebarr Facts\n"
                    "- one\n:::\n", "content/briefings/bad.md:7: unknown block"),
    "unclosed div": ("---\ntitle: A\ndate: 2025-01-01\n---\nText\n\n::: sidebar Facts\n- one\n",
                     "content/briefings/bad.md:7: unclosed"),
    "unclosed span": ("---\ntitle: A\ndate: 2025-01-01\n---\nText\nand [Putin]{.actor ref=putin "
                      "went on\n", "content/briefings/bad.md:6: unclosed"),
    "python tag": ("---\ntitle: !!python/object/apply:os.system [echo hi]\ndate: 2025-01-01\n---\n",
                   "content/briefings/bad.md:2: unsupported YAML tag"),
    "duplicate key": ("---\ntitle: A\ndate: 2025-01-01\ntitle: B\n---\nText\n",
                      "content/briefings/bad.md:4: duplicate key 'title'"),
    "no front matter": ("Just text\n", "content/briefings/bad.md:1: missing front matter"),
    "unclosed front matter": ("---\ntitle: A\ndate: 2025-01-01\nText\n",
                              "content/briefings/bad.md:1: front matter is not closed"),
    "crlf line numbers": ("---\r\ntitle: A\r\ndate: 2025-01-01\r\n---\r\n\r\n"
                          "[X]{.actor ref=nobody}\r\n", "content/briefings/bad.md:6: unknown actor"),
    "bom": ("\ufeff---\ntitle: A\ndate: 2025-01-01\n---\n[X]{.actor ref=nobody}\n",
            "content/briefings/bad.md:5: unknown actor"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_source_reports_line_and_keeps_output(built_site: Path, name: str) -> None:
    text, expected = CASES[name]
    (built_site / "content/briefings/bad.md").write_bytes(text.encode("utf-8"))
    fails_with(built_site, expected)


def test_non_utf8_file(built_site: Path) -> None:
    data = "---\ntitle: A\ndate: 2025-01-01\n---\nCaf\xe9 au lait\n".encode("latin-1")
    (built_site / "content/briefings/latin.md").write_bytes(data)
    fails_with(built_site, "content/briefings/latin.md:5:4: not valid UTF-8")


def test_alias_bomb_is_refused(built_site: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "---\ntitle: A\ndate: 2025-01-01\n" + "\n".join(bomb) + "\n---\nText\n"
    (built_site / "content/briefings/bomb.md").write_text(text)
    fails_with(built_site, "content/briefings/bomb.md:", "alias")


def test_deep_nesting_is_an_error_not_lost_text(built_site: Path) -> None:
    deep = "> " * 200 + "deep text\n"
    (built_site / "content/briefings/deep.md").write_text(
        "---\ntitle: A\ndate: 2025-01-01\n---\n" + deep)
    fails_with(built_site, "content/briefings/deep.md:5:", "nested too deeply")


def test_all_errors_reported_together(built_site: Path) -> None:
    (built_site / "content/briefings/one.md").write_text("---\ntitle: A\n---\n")
    (built_site / "content/briefings/two.md").write_text(
        "---\ntitle: B\ndate: 2025-01-01\n---\n[Z]{.actor ref=zz}\n")
    stderr = fails_with(built_site, "content/briefings/one.md:1: missing date",
                        "content/briefings/two.md:5: unknown actor 'zz'")
    assert "2 problems" in stderr


def test_duplicate_slug_by_override(built_site: Path) -> None:
    (built_site / "content/briefings/other.md").write_text(
        "---\ntitle: B\ndate: 2025-01-01\nslug: good\n---\nText\n")
    fails_with(built_site, "duplicate slug 'good'", "content/briefings/good.md",
               "content/briefings/other.md")


def test_duplicate_slug_by_case(built_site: Path) -> None:
    (built_site / "content/briefings/Good.md").write_text(
        "---\ntitle: B\ndate: 2025-01-01\n---\nText\n")
    fails_with(built_site, "duplicate slug", "content/briefings/Good.md")


def test_duplicate_slug_by_unicode_form(built_site: Path) -> None:
    nfc, nfd = "caf\u00e9", "cafe\u0301"
    for name in (nfc, nfd):
        (built_site / f"content/briefings/{name}.md").write_text(
            f"---\ntitle: {name}\ndate: 2025-01-01\n---\nText\n", encoding="utf-8")
    fails_with(built_site, "duplicate slug")


def test_invalid_actor_registry(built_site: Path) -> None:
    (built_site / "content/actors.yaml").write_text(ACTORS + "putin:\n  name: Again\n")
    fails_with(built_site, "content/actors.yaml:", "duplicate key 'putin'")


def test_config_unknown_key(built_site: Path) -> None:
    (built_site / "briefgen.yaml").write_text("titel: My site\nmarkdown:\n  allow_htm: true\n")
    fails_with(built_site, "unknown key 'titel' (did you mean 'title'?)",
               "unknown key 'markdown.allow_htm' (did you mean 'allow_html'?)")


TEMPLATE_CASES = {
    "syntax error": ("{% extends 'base.html' %}\n{% block main %}{{ foo( }}{% endblock %}",
                     "templates/briefing.html:2: unexpected '}'"),
    "undefined attribute": ("{% extends 'base.html' %}\n{% block main %}\n"
                            "{{ briefing.nope.x }}{% endblock %}",
                            "templates/briefing.html:3: 'briefgen.model.Briefing object' "
                            "has no attribute 'nope' (while rendering "
                            "briefings/good/index.html)"),
    "missing include": ("{% extends 'base.html' %}\n{% block main %}\n\n"
                        "{% include 'nope.html' %}{% endblock %}",
                        "templates/briefing.html:4: template 'nope.html' not found"),
    "python error": ("{% extends 'base.html' %}\n{% block main %}{{ 1 / 0 }}{% endblock %}",
                     "templates/briefing.html:2: ZeroDivisionError: division by zero"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_CASES))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_template_names_its_file_and_line(built_site: Path, name: str,
                                                 jobs: str) -> None:
    """A site template's mistake is the author's input too: located, never a crash,
    also when pages render in worker processes."""
    text, expected = TEMPLATE_CASES[name]
    write_files(built_site, {"templates/briefing.html": text})
    for i in range(80):   # enough pages to render in parallel
        (built_site / f"content/briefings/more-{i:02d}.md").write_text(
            f"---\ntitle: More {i}\ndate: 2025-01-01\n---\nText\n")
    before = tree_digest(built_site / "public")
    proc = run_briefgen("build", "--jobs", jobs, cwd=built_site)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert tree_digest(built_site / "public") == before


def test_a_broken_template_no_page_uses_does_not_fail_a_parallel_build(built_site: Path) -> None:
    """Workers share templates compiled before they start; one that does not compile
    but is never rendered must not stop the build."""
    write_files(built_site, {"templates/partials/unused.html": "{% if %}never used{% endif %}"})
    for i in range(80):   # enough pages to render in parallel
        (built_site / f"content/briefings/more-{i:02d}.md").write_text(
            f"---\ntitle: More {i}\ndate: 2025-01-01\n---\nText\n")
    proc = run_briefgen("build", "--jobs", "2", cwd=built_site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (built_site / "public/briefings/more-79/index.html").exists()


@pytest.mark.parametrize("output", [".", "content", "content/out", ".."])
def test_dangerous_output_dirs_refused(built_site: Path, output: str) -> None:
    proc = run_briefgen("build", "--output", output, cwd=built_site)
    assert proc.returncode == 1
    assert "output directory" in proc.stderr and "Traceback" not in proc.stderr
    assert (built_site / "content/briefings/good.md").exists()


def test_debug_shows_traceback(built_site: Path) -> None:
    (built_site / "content/briefings/bad.md").write_text("---\ntitle: A\n---\n")
    proc = run_briefgen("build", "--debug", cwd=built_site)
    assert proc.returncode == 1 and "Traceback" in proc.stderr
