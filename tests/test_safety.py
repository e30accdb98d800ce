"""Safe by default: raw HTML escaped, script-bearing URLs and on* attributes never output."""

from __future__ import annotations

import re
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

[plain](javascript:alert(3)) [encoded](jav&#x61;script:alert(4))
[spaced](java
script:alert(5)) [vb](vbscript:msgbox(6)) [data](data:text/html;base64,PHNjcmlwdD4=)
[upper](JAVASCRIPT:alert(7)) [tab](java&#9;script:alert(8))

<a href="javascript:alert(9)" onmouseover="alert(10)">html link</a>

[span]{.figure label="x" onclick="alert(11)" style="color:red"}
"""


def all_output(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in folder.rglob("*") if p.is_file() and p.suffix in
                     (".html", ".xml", ".json", ".txt"))


def assert_no_script(text: str) -> None:
    lowered = text.lower()
    assert "<script>alert" not in lowered
    assert "javascript:" not in lowered
    assert "vbscript:" not in lowered
    assert "data:text/html" not in lowered
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", lowered), "an on* attribute reached the output"


def test_hostile_source_is_neutralised(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/hostile.md": HOSTILE})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert_no_script(all_output(site / "public"))
    page = (site / "public/briefings/hostile/index.html").read_text()
    assert "&lt;script&gt;" in page  # shown as text, not run


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
    assert_no_script(all_output(site / "public"))
