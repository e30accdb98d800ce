"""``briefgen draft``: suggestions on the seed and the corpus, the CLI, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.draft import draft_text
from briefgen.draft.evaluate import evaluate_case
from briefgen.draft.gist import rank
from tests.conftest import REPO, run_briefgen, write_files

CORPUS = REPO / "tests" / "draft_corpus"
SEED = REPO / "seeds" / "witkoff-putin-talks.txt"
CASES = sorted(p for p in CORPUS.glob("*.yaml") if p.name != "actors.yaml")


def test_seed_meets_the_acceptance_bar():
    scores = evaluate_case(CORPUS / "witkoff-putin-talks.yaml")
    assert scores["actor"].recall >= 0.9 and scores["figure"].recall >= 0.9
    assert scores["actor"].fp <= 2
    assert scores["speaker"].recall == 1.0


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_corpus_articles(case):
    scores = evaluate_case(case)
    assert scores["actor"].recall >= 0.9, scores["actor"].misses
    assert scores["figure"].recall >= 0.9, scores["figure"].misses
    assert scores["actor"].fp <= 2, scores["actor"].extras
    assert scores["quote"].recall == 1.0, scores["quote"].misses


def test_seed_draft_shape():
    text = draft_text(SEED.read_text(encoding="utf-8"), registry={},
                      today=dt.date(2025, 4, 11)).text
    assert text.startswith("---\ntitle: ")
    assert "date: 2025-04-11" in text
    assert '[Steve Witkoff]{.actor ref=witkoff role="US Special Envoy"}' in text
    assert '[Dmitry Peskov]{.actor ref=peskov role="Kremlin spokesman"}' in text
    assert "[Witkoff]{.actor ref=witkoff}" in text
    assert "[“no breakthroughs”]{.quote by=peskov}" in text
    assert "karelina: {name: \"Ksenia Karelina\", kind: person}" in text
    assert "::: sidebar Key factors\n- The humanitarian impact" in text
    summary = text.split("summary:\n")[1].split("topics:")[0]
    assert 2 <= summary.count("\n  - ") + summary.startswith("  - ") <= 4


def test_registry_actors_are_linked_not_redefined():
    from briefgen.sources.actors import load_registry

    registry, problems = load_registry(CORPUS / "actors.yaml", "actors.yaml")
    assert not problems
    draft = draft_text(SEED.read_text(encoding="utf-8"), registry=registry)
    front = draft.text.split("\n---\n")[0]
    assert "  witkoff:" not in front and "  karelina:" in front
    assert {a.id for a in draft.new_actors} == {"trump", "karelina", "germany", "ukraine"}


def test_annotated_source_round_trips():
    annotated = (REPO / "content" / "briefings" / "witkoff-putin-talks.md")
    text = annotated.read_text(encoding="utf-8") if annotated.exists() else \
        draft_text(SEED.read_text(encoding="utf-8"), registry={}).text
    assert draft_text(text, registry={}).text == text
    once = draft_text(SEED.read_text(encoding="utf-8"), registry={}).text
    assert draft_text(once, registry={}).text == once


def test_markdown_input_keeps_code_and_uses_heading_as_title():
    text = "# A headline here\n\nSteve Witkoff said \"we will meet again\".\n\n```\nPutin\n```\n"
    out = draft_text(text, registry={}, markdown=True).text
    assert 'title: "A headline here"' in out
    assert "```\nPutin\n```" in out


def test_textrank_is_bounded_on_a_huge_input():
    sentences = [f"Sentence number {i} mentions Ukraine and aid." for i in range(20000)]
    scores = rank(sentences)
    assert len(scores) == len(sentences) and scores[-1] == 0.0


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary\x00" * 50, "binary"),
    (b"caf\xe9 au lait\n", "not valid UTF-8"),
    (b"word " * (1024 * 1024 + 10), "too large to draft"),
], ids=["empty", "binary", "latin-1", "5-MB"])
def test_bad_input_is_a_clear_error(tmp_path, content, message):
    write_files(tmp_path, {"seeds/bad.txt": content})
    proc = run_briefgen("draft", "seeds/bad.txt", "--stdout", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: seeds/bad.txt") and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_writes_and_never_overwrites(tmp_path):
    write_files(tmp_path, {"seeds/witkoff-putin-talks.txt": SEED.read_text(encoding="utf-8")})
    run_briefgen("draft", "seeds/witkoff-putin-talks.txt", cwd=tmp_path, check=True)
    target = tmp_path / "content" / "briefings" / "witkoff-putin-talks.md"
    first = target.read_text(encoding="utf-8")
    again = run_briefgen("draft", "seeds/witkoff-putin-talks.txt", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    proc = run_briefgen("draft", "seeds/witkoff-putin-talks.txt", "--stdout", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.split("\n---\n")[1] == first.split("\n---\n")[1]
    redraft = run_briefgen("draft", str(target), "--stdout", cwd=tmp_path, check=True)
    assert redraft.stdout == first


def test_update_actors_appends_to_the_registry(tmp_path):
    write_files(tmp_path, {"seeds/a.txt": "Kremlin spokesman Dmitry Peskov said “no deal "
                                          "today” on Friday, as Ukraine waited.\n",
                           "content/actors.yaml": "ukraine:\n  name: Ukraine\n  kind: country\n"})
    run_briefgen("draft", "seeds/a.txt", "--update-actors", cwd=tmp_path, check=True)
    registry = (tmp_path / "content" / "actors.yaml").read_text(encoding="utf-8")
    assert "peskov:\n  name: \"Dmitry Peskov\"" in registry
    draft = (tmp_path / "content" / "briefings" / "a.md").read_text(encoding="utf-8")
    assert "actors:" not in draft.split("\n---\n")[0]


@pytest.mark.parametrize("article", [SEED, *(CORPUS / p.stem for p in CASES)],
                         ids=lambda p: Path(p).stem)
def test_drafts_build(tmp_path, article):
    spec_name = Path(article).stem
    source = next((p for p in CORPUS.glob(spec_name + ".*") if p.suffix != ".yaml"), SEED)
    write_files(tmp_path, {f"seeds/{source.name}": source.read_text(encoding="utf-8")})
    run_briefgen("draft", f"seeds/{source.name}", cwd=tmp_path, check=True)
    proc = run_briefgen("build", "--quiet", "--drafts", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pages = list((tmp_path / "public" / "briefings").glob("*/index.html"))
    assert len(pages) == 1
    # Unreviewed suggestions are drafts: a plain build leaves them out.
    run_briefgen("build", "--quiet", cwd=tmp_path, check=True)
    assert not list((tmp_path / "public" / "briefings").glob("*/index.html"))
