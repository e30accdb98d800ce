"""Small sites with many briefings, for the tests of what must hold at any size
(sitemap splitting, API pagination, bounded feeds)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_files

ACTORS = """\
alpha:
  name: Alpha Person
  kind: person
beta:
  name: Beta Org
  kind: organisation
gamma:
  name: Gamma Land
  kind: country
"""
START = dt.date(2026, 11, 20)


def briefing(number: int, day: dt.date, *, draft: bool = False) -> str:
    """A briefing on ``day`` mentioning one or two actors and one of two topics."""
    actor = ("alpha", "beta", "gamma")[number % 3]
    topic = ("Economy", "Defence")[number % 2]
    return (f"---\ntitle: Story {number}\ndate: {day.isoformat()}\ntopics: [{topic}]\n"
            f"{'draft: true' if draft else ''}\n---\n"
            f"Text {number} about [{actor}]{{.actor ref={actor}}} and "
            f"[Alpha]{{.actor ref=alpha}}.\n")


def many_briefings(root: Path, count: int, config: str = "", *,
                   start: dt.date = START) -> Path:
    """A site of ``count`` briefings ``b001``…, one a day from ``start``."""
    files = {"briefgen.yaml": "base_url: https://news.example.org/desk/\n" + config,
             "content/actors.yaml": ACTORS}
    for number in range(1, count + 1):
        day = start + dt.timedelta(days=number - 1)
        files[f"content/briefings/b{number:03d}.md"] = briefing(number, day)
    return write_files(root, files)


def add_briefing(site: Path, number: int, day: dt.date) -> None:
    write_files(site, {f"content/briefings/b{number:03d}.md": briefing(number, day)})


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def changed(before: dict[str, bytes], after: dict[str, bytes], prefix: str = "") -> set[str]:
    """Files under ``prefix`` added, removed or rewritten with other bytes."""
    names = {n for n in before.keys() | after.keys() if n.startswith(prefix)}
    return {n for n in names if before.get(n) != after.get(n)}
