"""Safe by default: raw HTML escaped, script-bearing URLs and on* attributes never output."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_briefgen, write_files

HOSTILE = """
---
title: "<script>alert('title')</script> Hostile"
date: 2025-01-01
dek: "<img src=x onerror=alert(1)>"
summary:
  - "<b onclick=alert(1)>bold</b>"
  - second
sources:
  - {title: Fine, url: "https://example.org/a"}
---
Raw <script>alert(1)</script> and <img src=x onerror="alert(2)"> in text.

<a href="javascript:alert(9)" onmouseover="alert(10)">html link</a>
"""

UNSAFE_LINKS = """
---
title: Links
date: 2025-01-01
---
[plain](javascript:alert(3)) [encoded](jav&#x61;script:alert(4))
[vb](vbscript:msgbox(6)) [data](data:text/html;base64,PHNjcmlwdD4=)
[upper](JAVASCRIPT:alert(7)) [tab](java&#9;script:alert(8))

<javascript:alert(9)> and [ref]

[ref]: java%73cript:alert(10)
"""


def output_pages(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".html", ".xml")]


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset")


def assert_no_active_content(folder: Path) -> None:
    """No script element with source text, no on* attribute, no script-bearing URL: in
    every HTML page, and in every XML file (feeds, sitemaps), parsed as XML, including
    the HTML a feed carries escaped in its entries."""
    from bs4 import BeautifulSoup

    for path in output_pages(folder):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".xml":
            assert_safe_xml(path, text)
        else:
            assert_safe_html(path, BeautifulSoup(text, "html5lib"))


def assert_safe_xml(path: Path, text: str) -> None:
    import xml.etree.ElementTree as ET

    from bs4 import BeautifulSoup

    from briefgen.links import safe_url

    for element in ET.fromstring(text).iter():
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.lower().startswith("on"), f"{path}: {element.tag} has {name}"
            if local in URL_ATTRIBUTES:
                assert safe_url(value), f"{path}: unsafe {name}={value!r}"
        if element.get("type") == "html" and element.text:
            assert_safe_html(path, BeautifulSoup(element.text, "html5lib"))


def assert_safe_html(path: Path, soup) -> None:
    from briefgen.links import safe_url

    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"{path}: {tag.name} has {name}"
            if name in URL_ATTRIBUTES:
                assert safe_url(str(value)), f"{path}: unsafe {name}={value!r}"
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            json.loads(tag.string or "null")  # data, and still well-formed
            assert "</" not in (tag.string or ""), f"{path}: JSON-LD could close its tag"
        elif tag.name == "script":
            assert "alert" not in (tag.string or ""), f"{path}: source script ran"


def test_hostile_source_is_neutralised(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/hostile.md": HOSTILE})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert_no_active_content(site / "public")
    page = (site / "public/briefings/hostile/index.html").read_text()
    assert "&lt;script&gt;" in page  # shown as text, not run


def test_unsafe_links_are_errors_with_lines(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/links.md": UNSAFE_LINKS})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if "unsafe link" in line]
    assert [line.split(":")[1] for line in lines] == ["5", "5", "6", "6", "7", "7", "9", "9"]
    assert not (site / "public").exists()


def test_unsafe_source_url_is_an_error(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/a.md": """
        ---
        title: A
        date: 2025-01-01
        sources:
          - title: Evil
            url: "jav&#x61;script:alert(1)"
        ---
        Text
        """})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "content/briefings/a.md:5: unsafe source url" in proc.stderr


def test_allow_html_keeps_html_but_not_scripts(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "briefgen.yaml": "markdown:\n  allow_html: true\n",
        "content/briefings/a.md": """
        ---
        title: A
        date: 2025-01-01
        ---
        Some <abbr title="North Atlantic Treaty Organization">NATO</abbr> text.

        <div class="note" onclick="alert(1)">note <script>alert(2)</script></div>

        <a href="javascript:alert(3)">x</a>
        """})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    page = (site / "public/briefings/a/index.html").read_text()
    assert "<abbr" in page
    assert_no_active_content(site / "public")


def test_event_attributes_on_spans_are_errors(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/a.md": """
        ---
        title: A
        date: 2025-01-01
        ---
        [€1]{.figure label="x" onclick="alert(1)"}
        """})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "content/briefings/a.md:5: unknown attribute 'onclick'" in proc.stderr


def test_allow_html_comments_cannot_smuggle_markup(tmp_path: Path) -> None:
    """Browsers end a comment at ``<!-->``, ``<!--->`` and ``--!>``: what follows is live."""
    site = write_files(tmp_path, {
        "briefgen.yaml": "markdown:\n  allow_html: true\n",
        "content/briefings/a.md": """
        ---
        title: A
        date: 2025-01-01
        ---
        Intro <!--> <img src=x onerror=alert(1)> -->

        <!---> <script>alert(2)</script> -->

        <!-- --!> <svg onload=alert(3)> -->

        Tail <noembed><img title="</noembed><img src=x onerror=alert(4)>"></noembed>
        """})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert_no_active_content(site / "public")
    page = (site / "public/briefings/a/index.html").read_text(encoding="utf-8")
    assert "<!--" not in page.split("<main", 1)[1] and "Intro" in page and "Tail" in page
