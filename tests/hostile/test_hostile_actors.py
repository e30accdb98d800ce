"""Actors claimed twice: warnings with both places; a very large registry still loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.sources.actors import load_registry

pytestmark = pytest.mark.hostile


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def warnings_of(root: Path) -> list[str]:
    result = Builder(load_config(root=root), jobs=1).build()
    return [str(w) for w in result.warnings if "base_url" not in w.message]


REGISTRY = ("putin:\n  name: Vladimir Putin\n  aliases: [Putin, The President]\n"
            "peskov:\n  name: Dmitry Peskov\n  aliases:\n    - Peskov\n    - the president\n"
            "other:\n  name: vladimir  putin\n")
BRIEFING = "---\ntitle: X\ndate: 2025-01-01\n---\n[Putin]{.actor} and [Peskov]{.actor}.\n"


def test_a_name_or_alias_two_actors_claim_is_a_warning_with_both_lines(tmp_path):
    root = write(tmp_path, {"content/actors.yaml": REGISTRY,
                            "content/briefings/x.md": BRIEFING})
    assert warnings_of(root) == [
        ("content/actors.yaml:8: 'the president' names both actor 'peskov' and actor "
        "'putin' (content/actors.yaml:3); text that says 'the president' links to 'putin': "
        "write [the president]{.actor ref=peskov} for the other, or drop one claim"),
        ("content/actors.yaml:10: 'vladimir  putin' names both actor 'other' and actor "
        "'putin' (content/actors.yaml:2); text that says 'vladimir  putin' links to 'putin': "
        "write [vladimir  putin]{.actor ref=other} for the other, or drop one claim"),
    ]


def local(actor: str) -> str:
    return (f"---\ntitle: T\ndate: 2025-01-01\nactors:\n  first: First\n  zed:\n    {actor}\n"
            "---\n[Zed]{.actor ref=zed}.\n")


def test_a_local_actor_defined_differently_in_two_briefings_is_a_warning(tmp_path):
    root = write(tmp_path, {"content/briefings/a.md": local("name: Zed Zulu"),
                            "content/briefings/b.md": local("name: Zed Zebra"),
                            "content/briefings/c.md": local("name: Zed Zulu")})
    assert warnings_of(root) == [
        ("content/briefings/b.md:6: actor 'zed' is defined here differently from "
        "content/briefings/a.md:6; its page shows only one of them: define it once in "
        "actors.yaml, or give one another id"),
    ]


def test_40000_actors_load(tmp_path):
    """A large newsroom registry is no alias bomb: it loads whole, one pass per check."""
    count = 40_000
    registry = "".join(f"actor-{i}:\n  name: Person {i}\n  role: Official\n"
                       f"  aliases: [P{i}, Number {i}]\n" for i in range(count))
    registry += "dup:\n  name: Someone\n  aliases: [P7]\n"
    path = tmp_path / "content/actors.yaml"
    write(tmp_path, {"content/actors.yaml": registry})
    actors, problems = load_registry(path, "content/actors.yaml")
    assert [str(p) for p in problems] == [] and len(actors) == count + 1
    warnings: list = []
    load_registry(path, "content/actors.yaml", warnings)
    assert [w.line for w in warnings] == [4 * count + 3]
    assert "actor 'actor-7' (content/actors.yaml:32)" in warnings[0].message
