"""The JSON API and the search index validate against the shipped schemas; no draft leaks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import run_briefgen, write_files
from example_builds import DRAFT_SLUG, public_slugs

from briefgen.render.api import load_schema, schema_name

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "briefgen" / "schemas"


def validate_tree(out: Path) -> int:
    """Validate every JSON file of an output tree against its schema; return how many."""
    checker = jsonschema.FormatChecker()
    count = 0
    for path in sorted(out.rglob("*.json")):
        rel = path.relative_to(out).as_posix()
        name = schema_name(rel)
        assert name is not None, f"{rel} has no schema"
        schema = load_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema,
                            cls=jsonschema.Draft202012Validator, format_checker=checker)
        count += 1
    return count


def test_every_json_file_validates(built_example: Path) -> None:
    slugs = public_slugs()
    search = len(list((built_example / "search").rglob("*.json")))
    assert search > 10   # manifest, facets, days, term lists, postings, chunks, filters
    assert validate_tree(built_example) == len(slugs) + 3 + search  # + feed, briefings, actors
    assert {p.name for p in SCHEMA_DIR.glob("*.json")} == {
        "briefing.json", "briefings.json", "actors.json", "search-index.json", "jsonfeed.json"}


def test_briefing_json_is_the_structured_model(built_example: Path) -> None:
    data = json.loads((built_example / "briefings/witkoff-putin-talks/index.json").read_text())
    aid = next(f for f in data["figures"] if f["text"] == "€21 billion")
    assert (aid["value"], aid["unit"], aid["kind"]) == (21e9, "EUR", "currency")
    peskov = next(a for a in data["actors"] if a["id"] == "peskov")
    assert peskov == {"id": "peskov", "name": "Dmitry Peskov", "kind": "person",
                      "role": "Kremlin spokesman", "count": 1, "path": "actors/peskov/"}
    assert any(q["by"] == "peskov" and "breakthroughs" in q["text"] for q in data["quotes"])
    assert any("Key factors" in s["title"] for s in data["sidebars"])
    assert data["sections"] and data["body_html"].startswith("<")
    assert data["related"] and DRAFT_SLUG not in data["related"]


def test_indexes_list_every_public_briefing_and_actor(built_example: Path) -> None:
    index = json.loads((built_example / "api/briefings.json").read_text())
    assert {b["slug"] for b in index["briefings"]} == public_slugs()
    dates = [b["date"] for b in index["briefings"]]
    assert dates == sorted(dates, reverse=True)
    for item in index["briefings"]:
        assert (built_example / item["json"]).is_file()
    actors = json.loads((built_example / "api/actors.json").read_text())
    peskov = next(a for a in actors["actors"] if a["id"] == "peskov")
    assert set(peskov["briefings"]) == {"witkoff-putin-talks", "trump-presses-moscow-ceasefire"}


def test_include_body_is_ignored_with_a_warning(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "briefgen.yaml": "search:\n  include_body: true\n",
        "content/briefings/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nUnusualword here.\n",
    })
    done = run_briefgen("build", cwd=site, check=True)
    assert "search.include_body is ignored" in done.stdout + done.stderr
    validate_tree(site / "public")
    terms = json.loads((site / "public/search/terms/un.json").read_text()) if (
        site / "public/search/terms/un.json").exists() else {}
    assert "unusualword" not in terms


def test_drafts_appear_nowhere_in_the_output(built_example: Path) -> None:
    draft = (Path(__file__).resolve().parent.parent / "content/briefings"
             / f"{DRAFT_SLUG}.md").read_text(encoding="utf-8")
    assert "\ndraft: true" in draft
    title = next(line for line in draft.splitlines() if line.startswith("title:"))
    title = title.split(":", 1)[1].strip().strip('"')
    needles = [DRAFT_SLUG, title, json.dumps(title)[1:-1]]
    leaks = []
    for path in built_example.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += [(path.relative_to(built_example).as_posix(), n) for n in needles
                      if n in text]
    assert leaks == []
    assert not (built_example / "briefings" / DRAFT_SLUG).exists()
