"""Measure the drafter against hand-made expected annotations.

``python -m briefgen.draft.evaluate [DIR]`` reads every ``*.yaml`` in DIR
(default: tests/draft_corpus), drafts its article and prints precision and
recall per kind as a Markdown table (pasted into docs/draft.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefgen.draft.pipeline import MARKDOWN_SUFFIXES, draft_text
from briefgen.sources.actors import load_registry

KINDS = ("actor", "figure", "quote", "speaker")


@dataclass
class Score:
    """True positives, false positives and false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").strip("“”\"' .").split()).casefold()


def _overlap(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _match_texts(expected: list[str], found: list[str]) -> Score:
    score = Score()
    unmatched = list(found)
    for item in expected:
        hit = next((f for f in unmatched if _overlap(item, f)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(item)
        else:
            score.tp += 1
            unmatched.remove(hit)
    score.fp = len(unmatched)
    score.extras = unmatched
    return score


def evaluate_case(spec_path: Path) -> dict[str, Score]:
    """Draft one corpus article and score it against its expected annotation."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    article = (spec_path.parent / spec["article"]).resolve()
    registry = {}
    if spec.get("registry"):
        registry, _ = load_registry(spec_path.parent / spec["registry"], spec["registry"])
    markdown = article.suffix.lower() in MARKDOWN_SUFFIXES
    text = article.read_text(encoding="utf-8")
    draft = draft_text(text, registry=registry, markdown=markdown)
    blocks = draft.blocks
    spans = {kind: [(s, blocks[s.block].text[s.start:s.end]) for s in draft.suggestions
                    if s.kind == kind] for kind in ("actor", "figure", "quote")}
    found_ids = sorted({s.attr("ref") for s, _ in spans["actor"]})
    expected_ids = list(spec.get("actors", []))
    actors = Score(tp=len(set(found_ids) & set(expected_ids)),
                   fp=len(set(found_ids) - set(expected_ids)),
                   fn=len(set(expected_ids) - set(found_ids)),
                   misses=sorted(set(expected_ids) - set(found_ids)),
                   extras=sorted(set(found_ids) - set(expected_ids)))
    figures = _match_texts(spec.get("figures", []), [t for _, t in spans["figure"]])
    quotes_expected = spec.get("quotes", [])
    quotes = _match_texts([q["text"] for q in quotes_expected], [t for _, t in spans["quote"]])
    speaker = Score()
    for q in quotes_expected:
        hit = next((s for s, t in spans["quote"] if _overlap(q["text"], t)), None)
        if hit is not None and hit.attr("by") == q.get("by", ""):
            speaker.tp += 1
        else:
            speaker.fn += 1
            speaker.misses.append(q["text"][:30])
    return {"actor": actors, "figure": figures, "quote": quotes, "speaker": speaker}


def table(results: dict[str, dict[str, Score]]) -> str:
    """A Markdown table: one row per article and kind, plus totals."""
    rows = [("| article | kind | expected | found | correct | precision | recall | missed | "
             "extra |"), "|---|---|---:|---:|---:|---:|---:|---|---|"]
    totals = {kind: Score() for kind in KINDS}
    for name, scores in results.items():
        for kind in KINDS:
            s = scores[kind]
            totals[kind].add(s)
            rows.append(_row(name, kind, s, ", ".join(s.misses), ", ".join(s.extras)))
    for kind in KINDS:
        rows.append(_row("**all**", kind, totals[kind], "", ""))
    return "\n".join(rows)


def _row(name: str, kind: str, s: Score, misses: str, extras: str) -> str:
    label = "quote with speaker" if kind == "speaker" else kind
    found = s.tp + s.fp
    return (f"| {name} | {label} | {s.tp + s.fn} | {found} | {s.tp} | {s.precision:.0%} | "
            f"{s.recall:.0%} | {misses} | {extras} |")


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation table for a corpus folder."""
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0] if argv else "tests/draft_corpus")
    specs = sorted(p for p in folder.glob("*.yaml") if p.name != "actors.yaml")
    results = {p.stem: evaluate_case(p) for p in specs}
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
