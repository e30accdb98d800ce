"""Values that cannot become a page: names too long for a file, non-text YAML values.

Each is a located error (``path:line``) before anything is written, never a crash
while writing and never a Python repr on a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BuildError

pytestmark = pytest.mark.hostile

ACTORS = "putin:\n  name: Vladimir Putin\n  aliases: [Putin]\n"


def site(tmp_path: Path, briefing: str = "", actors: str = ACTORS) -> Path:
    root = tmp_path / "site"
    files = {"content/actors.yaml": actors,
             "content/briefings/ok.md": "---\ntitle: Fine\ndate: 2025-01-01\n---\nText.\n"}
    if briefing:
        files["content/briefings/x.md"] = "---\n" + briefing + "---\nText about [Putin]{.actor}.\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        Builder(load_config(root=root), jobs=1).build()
    assert not (root / "public").exists()
    return [str(p) for p in info.value.problems]


# --- names too long for a file ------------------------------------------------------------------

LONG_ASCII = "a" * 256
LONG_UTF8 = "é" * 128   # 128 characters, 256 bytes


@pytest.mark.parametrize("name", [LONG_ASCII, LONG_UTF8], ids=["ascii", "utf8"])
def test_long_slug_is_located(tmp_path, name):
    found = problems(site(tmp_path, f"title: X\ndate: 2025-01-01\nslug: {name}\n"))
    assert len(found) == 1 and found[0].startswith("content/briefings/x.md:4: slug '")
    assert "too long for a file name (256 bytes" in found[0]


@pytest.mark.parametrize("name", [LONG_ASCII, LONG_UTF8], ids=["ascii", "utf8"])
def test_long_topic_is_located(tmp_path, name):
    found = problems(site(tmp_path, f"title: X\ndate: 2025-01-01\ntopics: [ok, '{name}']\n"))
    assert len(found) == 1 and found[0].startswith("content/briefings/x.md:4: topic '")
    assert "too long for a file name" in found[0]


@pytest.mark.parametrize("name", [LONG_ASCII, LONG_UTF8], ids=["ascii", "utf8"])
def test_long_actor_id_is_located(tmp_path, name):
    found = problems(site(tmp_path, actors=ACTORS + f"{name}:\n  name: Long\n"))
    assert len(found) == 1 and found[0].startswith("content/actors.yaml:4: actor id '")
    local = f"title: X\ndate: 2025-01-01\nactors:\n  {name}: {{name: Long}}\n"
    found = problems(site(tmp_path, local))
    assert len(found) == 1 and found[0].startswith("content/briefings/x.md:5: actor id '")


def test_255_bytes_is_still_a_name(tmp_path):
    root = site(tmp_path, f"title: X\ndate: 2025-01-01\nslug: {'é' * 127}a\n")
    Builder(load_config(root=root), jobs=1).build()
    assert (root / "public/briefings" / ("é" * 127 + "a") / "index.html").is_file()


# --- non-text YAML values -------------------------------------------------------------------------

@pytest.mark.parametrize("field, line, message", [
    ("title: {a: 1}\n", 2, "'title' must be text, not a mapping"),
    ("title: [A, B]\n", 2, "'title' must be text, not a list"),
    ("dek: {a: 1}\n", 4, "'dek' must be text, not a mapping"),
    ("region: [a]\n", 4, "'region' must be text, not a list"),
    ("slug: [a]\n", 4, "'slug' must be text, not a list"),
    ("title: !!binary aGVsbG8=\n", 2, "unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    ("dek: !!set {a, b}\n", 4, "unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ("dek: !!omap [a: 1]\n", 4, "unsupported YAML tag 'tag:yaml.org,2002:omap'"),
    ("sources:\n  - title: {a: 1}\n    url: https://example.org/\n", 5,
     "the source's title must be text, not a mapping"),
    ("actors:\n  zed: {name: [Zed]}\n", 5, "actor 'zed': 'name' must be text, not a list"),
    ("actors:\n  zed:\n    name: Zed\n    role: {a: 1}\n", 7,
     "actor 'zed': 'role' must be text, not a mapping"),
])
def test_non_text_front_matter_is_located(tmp_path, field, line, message):
    if field.startswith("title"):
        text = field + "date: 2025-01-01\n"
    else:
        text = "title: X\ndate: 2025-01-01\n" + field
    found = problems(site(tmp_path, text))
    assert len(found) == 1, found
    assert found[0].startswith(f"content/briefings/x.md:{line}: {message}"), found


@pytest.mark.parametrize("spec, line, message", [
    ("  name: {first: Vladimir}\n", 5, "actor 'vp': 'name' must be text, not a mapping"),
    ("  name: !!binary aGVsbG8=\n", 5, "unsupported YAML tag"),
    ("  name: V\n  aliases: [V, {a: 1}]\n", 6, "actor 'vp': each alias must be text"),
    ("  name: V\n  description: [a, b]\n", 6, "actor 'vp': 'description' must be text"),
])
def test_non_text_registry_values_are_located(tmp_path, spec, line, message):
    found = problems(site(tmp_path, actors=ACTORS + "vp:\n" + spec))
    assert len(found) == 1 and found[0].startswith(f"content/actors.yaml:{line}: {message}"), found


# --- topics that would share a page ---------------------------------------------------------------

def topic_site(tmp_path: Path, topics: dict[str, str]) -> Path:
    root = site(tmp_path)
    for stem, spelled in topics.items():
        (root / f"content/briefings/{stem}.md").write_text(
            f"---\ntitle: {stem}\ndate: 2025-01-01\ntopics:\n  - Other\n  - {spelled}\n---\nText.\n",
            encoding="utf-8")
    return root


def test_topics_sharing_a_slug_name_every_spelling_and_source(tmp_path):
    root = topic_site(tmp_path, {"a": "C++", "b": "'C#'", "c": "C++", "d": "c++"})
    found = problems(root)
    assert found == [
        ("content/briefings/a.md:6: topic 'C++' (and 2 other briefings) and 'C#' at "
        "content/briefings/b.md:6 would share the page topics/c/: spell them the same, "
        "or rename one so its slug differs"),
        ("content/briefings/b.md:6: topic 'C#' and 'C++' at content/briefings/a.md:6 would "
        "share the page topics/c/: spell them the same, or rename one so its slug differs"),
    ]


def test_three_spellings_are_all_named(tmp_path):
    root = topic_site(tmp_path, {"a": "Russia–Ukraine war", "b": "Russia-Ukraine war",
                                 "c": "Russia/Ukraine war"})
    found = problems(root)
    assert len(found) == 3
    for problem in found:
        assert all(name in problem for name in ("–", "Russia-Ukraine", "Russia/Ukraine"))


@pytest.mark.parametrize("spellings", [
    ("Migration", "migration", "MIGRATION"),
    ("Energy policy", "energy  policy", "Energy-Policy", "energy_policy"),
    ("Café", "cafe\u0301"),
])
def test_case_and_spacing_variants_stay_one_topic(tmp_path, spellings):
    root = topic_site(tmp_path, {f"b{i}": name for i, name in enumerate(spellings)})
    Builder(load_config(root=root), jobs=1).build()
    pages = [p for p in (root / "public/topics").iterdir() if p.name != "index.html"]
    assert len(pages) == 2   # "Other" and the one topic
