"""File names with newlines, colons, quotes and terminal escape sequences: every message
stays one line, with the name escaped and quoted so ``path:line`` is never ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_briefgen, write_files

from briefgen.errors import Problem, one_line, shown_path

pytestmark = pytest.mark.hostile

BROKEN = "no front matter here\n"
GOOD = "---\ntitle: Good\ndate: 2025-01-01\n---\n\nFine.\n"
# name in content/briefings -> how it is shown
HOSTILE = {
    "bad\nname.md": '"content/briefings/bad\\nname.md"',
    "crlf\r\n.md": '"content/briefings/crlf\\r\\n.md"',
    "clear\x1b[2J\x1b[Hscreen.md": '"content/briefings/clear\\x1b[2J\\x1b[Hscreen.md"',
    "bell\x07.md": '"content/briefings/bell\\x07.md"',
    "c1\x9b31m.md": '"content/briefings/c1\\x9b31m.md"',
    "a.md:12:3.md": '"content/briefings/a.md:12:3.md"',
    'quote".md': '"content/briefings/quote\\".md"',
    "back\\slash.md": '"content/briefings/back\\\\slash.md"',
    "rtl\u202edm.txt.md": '"content/briefings/rtl\\u202edm.txt.md"',
    "line\u2028sep.md": '"content/briefings/line\\u2028sep.md"',
    "tab\there.md": '"content/briefings/tab\\there.md"',
    "plain é ü.md": "content/briefings/plain é ü.md",
}


def test_build_errors_stay_one_line_per_problem(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/briefings/good.md": GOOD,
                           **{f"content/briefings/{name}": BROKEN for name in HOSTILE}})
    proc = run_briefgen("build", "--quiet", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[-1].startswith(f"error: build failed with {len(HOSTILE)} problems")
    assert sorted(line.split(":1: ")[0] for line in lines[:-1]) == sorted(HOSTILE.values())
    assert all(line.endswith("missing front matter: start the file with a '---' line, then "
                             "title: and date:, then another '---'") for line in lines[:-1])
    assert not any(ch in proc.stderr for ch in "\x1b\x07\x9b\r\u202e\u2028\t")


def test_check_messages_stay_one_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/briefings/good.md": GOOD,
                           "static/odd\nname:1.html": "<p>no title</p><a href='gone/'>x</a>\n"})
    run_briefgen("build", "--quiet", cwd=tmp_path, check=True)
    proc = run_briefgen("check", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[:-1] == ['"odd\\nname:1.html": link \'gone/\' resolves nowhere']
    assert lines[-1].startswith("error: check found 1 problem")


@pytest.mark.parametrize("path, shown", [
    ("content/x.md", "content/x.md"),
    ("/abs/path/x.md", "/abs/path/x.md"),
    ("C:/site/x.md", "C:/site/x.md"),
    ("C:/site/a:b.md", '"C:/site/a:b.md"'),
    ("x\x00y", '"x\\x00y"'),
    ("x\x7fy", '"x\\x7fy"'),
    ("bidi\u2066x\u2069", '"bidi\\u2066x\\u2069"'),
])
def test_shown_path(path: str, shown: str) -> None:
    assert shown_path(path) == shown


def test_messages_are_one_line_and_paths_quoted_only_when_needed() -> None:
    assert str(Problem("a:b.md", 3, "bad\nthing\x1b[0m", 2)) == '"a:b.md":3:2: bad\\nthing\\x1b[0m'
    assert str(Problem("a.md", None, "ok")) == "a.md: ok"
    assert one_line("plain: text \\n") == "plain: text \\n"
