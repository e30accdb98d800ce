"""Measure the drafter against hand-made expected annotations.

``python -m briefgen.draft.evaluate [DIR]`` reads every ``*.yaml`` in DIR
(default: tests/draft_corpus), drafts its article and prints precision and
recall per kind as a Markdown table (pasted into docs/draft.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from briefgen.draft import corpus_eval
from briefgen.draft.pipeline import MARKDOWN_SUFFIXES, draft_text
from briefgen.draft.recogniser import load_recogniser
from briefgen.draft.scoring import Score, match_texts, overlap
from briefgen.errors import SourceError
from briefgen.sources.actors import load_registry

KINDS = ("actor", "figure", "quote", "speaker")
LABELS_FOLDER = Path("tests/draft_eval")


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
    figures = match_texts(spec.get("figures", []), [t for _, t in spans["figure"]])
    quotes_expected = spec.get("quotes", [])
    quotes = match_texts([q["text"] for q in quotes_expected], [t for _, t in spans["quote"]])
    speaker = Score()
    for q in quotes_expected:
        hit = next((s for s, t in spans["quote"] if overlap(q["text"], t)), None)
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
    """Print the evaluation tables: the project's articles, or a labelled corpus."""
    parser = argparse.ArgumentParser(prog="python -m briefgen.draft.evaluate")
    parser.add_argument("folder", nargs="?", default="tests/draft_corpus",
                        help="articles written for the project, with expected YAML beside")
    parser.add_argument("--corpus", type=Path,
                        help="folder holding the public corpus file(s) the labels name")
    parser.add_argument("--labels", type=Path, action="append",
                        help="labels file (repeatable; default: every labels file of "
                             "tests/draft_eval, whose splits say which articles are dev)")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--skip-missing", action="store_true",
                        help="leave out (and name) labelled articles absent from the corpus copy")
    parser.add_argument("--recogniser", metavar="MODEL",
                        help="also draft with this spaCy pipeline (name or package)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.corpus is None:
        folder = Path(args.folder)
        specs = sorted(p for p in folder.glob("*.yaml") if p.name != "actors.yaml")
        print(table({p.stem: evaluate_case(p) for p in specs}))
        return 0
    recogniser = None
    if args.recogniser:
        recogniser = load_recogniser(args.recogniser)
        if recogniser is None:
            print(f"error: {args.recogniser}: spaCy or this pipeline is not installed",
                  file=sys.stderr)
            return 1
    labels = args.labels or sorted(LABELS_FOLDER.glob("*.yaml"))
    skipped: list[str] = []
    try:
        splits = ("dev", "test") if args.split == "both" else (args.split,)
        results = [r for path in labels for r in corpus_eval.evaluate_corpus(
            path, args.corpus, recogniser, splits, args.skip_missing, skipped)]
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name in skipped:
        print(f"warning: {name}: not in the corpus copy, left out", file=sys.stderr)
    print(f"path: {'recogniser ' + recogniser.name if recogniser else 'rules only'}\n")
    for split in ("dev", "test") if args.split == "both" else (args.split,):
        print(corpus_eval.summary(results, split), end="\n\n")
        if args.misses:
            print(corpus_eval.misses(results, split), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
