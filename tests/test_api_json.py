"""The JSON API and the search index validate against the shipped schemas; no draft leaks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
from conftest import run_briefgen, write_files
from example_builds import DRAFT_SLUG, public_slugs
from scale_sites import add_briefing, changed, many_briefings, snapshot

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


SCHEMA_FILES = {"briefing.json", "briefings.json", "briefings-page.json", "actor.json",
                "actors.json", "actors-page.json", "search-index.json", "jsonfeed.json"}


def test_every_json_file_validates(built_example: Path) -> None:
    slugs = public_slugs()
    actors = len(list((built_example / "actors").glob("*/index.json")))
    assert actors > 10
    search = len(list((built_example / "search").rglob("*.json")))
    assert search > 10   # manifest, facets, days, term lists, postings, chunks, filters
    # + feed, and the two indexes with one page each
    assert validate_tree(built_example) == len(slugs) + actors + 5 + search
    assert {p.name for p in SCHEMA_DIR.glob("*.json")} == SCHEMA_FILES


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


def walk_pages(out: Path, kind: str) -> tuple[dict, list[dict]]:
    """The index of ``api/<kind>.json`` and its pages, followed by their ``next`` links;
    checks that the index lists the same pages, with their counts and ranges."""
    index = json.loads((out / f"api/{kind}.json").read_text())
    pages, at = [], index["first"]
    while at is not None:
        page = json.loads((out / at).read_text())
        assert page["page"] == len(pages) + 1 and page["index"] == f"api/{kind}.json"
        assert page["prev"] == (pages[-1]["path"] if pages else None)
        page["path"] = at
        pages.append(page)
        at = page["next"]
    assert [p["path"] for p in index["pages"]] == [p["path"] for p in pages]
    assert index["last"] == (pages[-1]["path"] if pages else None)
    key = "date" if kind == "briefings" else "id"
    for listed, page in zip(index["pages"], pages, strict=True):
        items = page[kind]
        assert 0 < listed["count"] == len(items) <= index["per_page"]
        assert (listed["from"], listed["to"]) == (items[0][key], items[-1][key])
    assert index["total"] == sum(len(p[kind]) for p in pages)
    return index, pages


def test_indexes_list_every_public_briefing_and_actor(built_example: Path) -> None:
    _, pages = walk_pages(built_example, "briefings")
    items = [b for page in pages for b in page["briefings"]]
    assert sorted(b["slug"] for b in items) == sorted(public_slugs())
    assert [(b["date"], b["slug"]) for b in items] == sorted((b["date"], b["slug"]) for b in items)
    for item in items:
        assert (built_example / item["json"]).is_file()
    _, pages = walk_pages(built_example, "actors")
    actors = [a for page in pages for a in page["actors"]]
    assert [a["id"] for a in actors] == sorted({a["id"] for a in actors})
    peskov = next(a for a in actors if a["id"] == "peskov")
    assert peskov["briefing_count"] == 2 and peskov["json"] == "actors/peskov/index.json"
    document = json.loads((built_example / peskov["json"]).read_text())
    assert set(document["briefings"]) == {"witkoff-putin-talks", "trump-presses-moscow-ceasefire"}
    on_disk = {p.parent.name for p in (built_example / "actors").glob("*/index.json")}
    assert on_disk == {a["id"] for a in actors}


def test_pages_hold_per_page_items_and_only_the_last_page_changes(tmp_path: Path) -> None:
    site = many_briefings(tmp_path, 10, "api:\n  per_page: 3\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    out = site / "public"
    assert validate_tree(out) > 10
    index, pages = walk_pages(out, "briefings")
    assert [p["path"] for p in pages] == [f"api/briefings/page-{n}.json" for n in (1, 2, 3, 4)]
    assert [b["slug"] for p in pages for b in p["briefings"]] == [
        f"b{n:03d}" for n in range(1, 11)]
    assert index["total"] == 10 and index["per_page"] == 3
    _, actor_pages = walk_pages(out, "actors")
    assert [a["id"] for p in actor_pages for a in p["actors"]] == ["alpha", "beta", "gamma"]

    before = snapshot(out)
    add_briefing(site, 11, dt.date(2026, 12, 10))      # page 4 has room: b010, b011
    run_briefgen("build", "--quiet", cwd=site, check=True)
    after = snapshot(out)
    assert changed(before, after, "api/briefings") == {"api/briefings.json",
                                                       "api/briefings/page-4.json"}
    add_briefing(site, 12, dt.date(2026, 12, 11))      # fills page 4
    add_briefing(site, 13, dt.date(2026, 12, 12))      # starts page 5
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert changed(after, snapshot(out), "api/briefings") == {
        "api/briefings.json", "api/briefings/page-4.json", "api/briefings/page-5.json"}
    _, pages = walk_pages(out, "briefings")
    assert [b["slug"] for b in pages[-1]["briefings"]] == ["b013"]
    validate_tree(out)


def test_bad_per_page_is_refused(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"briefgen.yaml": "api:\n  per_page: 0\n"})
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1 and "'api.per_page' must be at least 1" in proc.stderr


def test_include_body_is_ignored_with_a_warning(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "briefgen.yaml": "search:\n  include_body: true\n",
        "content/briefings/a.md": "---\ntitle: Alpha report\ndate: 2025-01-01\n---\n"
                                  "Unusualword here.\n",
    })
    done = run_briefgen("build", cwd=site, check=True)
    assert "search.include_body is ignored" in done.stdout + done.stderr
    validate_tree(site / "public")
    # One briefing is not yet sealed: its terms are in the recent file of their letter.
    recent = json.loads((site / "public/search/recent/u.json").read_text()) if (
        site / "public/search/recent/u.json").exists() else {}
    assert not (site / "public/search/terms/un.json").exists()
    assert "unusualword" not in recent
    assert "alpha" in json.loads((site / "public/search/recent/a.json").read_text())


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


def test_actor_pages_follow_a_new_role_and_count_as_a_clean_build_does(tmp_path: Path) -> None:
    site = many_briefings(tmp_path, 10, "api:\n  per_page: 2\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    write_files(site, {"content/briefings/b011.md": (
        "---\ntitle: Story 11\ndate: 2026-12-10\ntopics: [Economy]\n---\n"
        "Text about [Beta]{.actor ref=beta role=\"regulator\"}.\n")})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    incremental = snapshot(site / "public")
    _, pages = walk_pages(site / "public", "actors")
    beta = next(a for p in pages for a in p["actors"] if a["id"] == "beta")
    assert "regulator" in beta["roles"] and beta["latest"] == "2026-12-10"
    run_briefgen("build", "--quiet", "--clean", cwd=site, check=True)
    assert snapshot(site / "public") == incremental
