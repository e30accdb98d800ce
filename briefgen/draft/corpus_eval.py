"""Scoring drafts against a labelled public news corpus kept outside the repository.

The labels (YAML, see tests/draft_eval/) name each article by its corpus file and
opening words; the text is read from a folder the developer provides, so no
article text is ever copied into the project. Entities are matched by name (an
alias list after "|", a person also by surname), one found actor per label.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefgen.draft.pipeline import draft_text
from briefgen.draft.scoring import Score, match_texts, normalise, overlap
from briefgen.errors import SourceError

ENTITY_KINDS = {"people": ("person",), "organisations": ("organisation",),
                "places": ("country",)}
KINDS = ("people", "organisations", "places", "figures", "quotes", "speaker")
# Spans do not nest: a figure inside a found quote cannot be annotated, so it is
# counted apart ("nested") and left out of figure recall.
SPLITS = ("dev", "test")


@dataclass
class Found:
    """One actor of a draft: its name, kind and the texts it was found as."""

    id: str
    name: str
    kind: str
    surfaces: set[str] = field(default_factory=set)


@dataclass
class Result:
    """Scores of one article, plus its false people (found persons no label names)."""

    name: str
    split: str
    scores: dict[str, Score]
    false_people: list[str]


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("'s ", " ")
    return " ".join(re.sub(r"[^\w&' -]", " ", text).split()).casefold().removeprefix("the ")


def _aliases(label: str) -> list[str]:
    return [_fold(a) for a in label.split("|") if a.strip()]


def _names(found: Found) -> set[str]:
    return {_fold(found.name)} | {_fold(s) for s in found.surfaces}


def _same(label: str, found: Found, person: bool, loose: bool) -> bool:
    names = _names(found)
    for alias in _aliases(label):
        if alias in names:
            return True
        if loose and person and alias.split()[-1] in {n.split()[-1] for n in names if n}:
            return True
        if loose and not person and any(re.search(rf"\b{re.escape(n)}\b", alias) or
                                        re.search(rf"\b{re.escape(alias)}\b", n)
                                        for n in names if len(n) > 2):
            return True
    return False


def match_entities(labels: list[str], found: list[Found], person: bool) -> Score:
    """One-to-one matching of labelled names to found actors: exact names first."""
    score, left, pending = Score(), list(found), list(labels)
    for loose in (False, True):
        still = []
        for label in pending:
            hit = next((f for f in left if _same(label, f, person, loose)), None)
            if hit is None:
                still.append(label)
            else:
                score.tp += 1
                left.remove(hit)
        pending = still
    score.fn, score.misses = len(pending), pending
    score.fp, score.extras = len(left), [f.name for f in left]
    return score


def _found_actors(draft) -> dict[str, Found]:
    actors: dict[str, Found] = {}
    for s in draft.suggestions:
        if s.kind != "actor":
            continue
        ref = s.attr("ref")
        info = draft.actors.get(ref)
        if info is None:
            continue
        entry = actors.setdefault(ref, Found(ref, info.name, info.kind))
        entry.surfaces.add(draft.blocks[s.block].text[s.start:s.end])
    return actors


def _speaker_score(expected: list[dict], quotes: list, actors: dict[str, Found]) -> Score:
    """Labelled quotes found with the right speaker; a quote labelled without ``by``
    (its source is not named) is right when found and given no speaker."""
    score = Score()
    for q in expected:
        hit = next((s for s, t in quotes if overlap(q["text"], t)), None)
        by = actors.get(hit.attr("by")) if hit is not None else None
        if q.get("by") is None:   # the text names no source: right when the draft names none
            right = hit is not None and by is None
        else:
            right = by is not None and _same(q["by"], by, by.kind == "person", True)
        if right:
            score.tp += 1
        else:
            score.fn += 1
            said = by.name if by is not None else ("no speaker" if hit else "no quote")
            score.misses.append(f"“{q['text'][:28]}…” ({said})")
    return score


def score_article(entry: dict, text: str, name: str, recogniser=None) -> Result:
    """Draft one article's text and score it against its labels."""
    draft = draft_text(text, registry={}, recogniser=recogniser)
    actors = _found_actors(draft)
    scores: dict[str, Score] = {}
    for kind, actor_kinds in ENTITY_KINDS.items():
        found = [f for f in actors.values() if f.kind in actor_kinds]
        scores[kind] = match_entities(list(entry.get(kind) or []), found, kind == "people")
    spans = [(s, draft.blocks[s.block].text[s.start:s.end]) for s in draft.suggestions]
    figures = [t for s, t in spans if s.kind == "figure"]
    quotes = [(s, t) for s, t in spans if s.kind == "quote"]
    expected_quotes = list(entry.get("quotes") or [])
    scores["figures"] = match_texts(list(entry.get("figures") or []), figures)
    nested = [f for f in scores["figures"].misses if any(overlap(f, t) or normalise(f) in
                                                          normalise(t) for _, t in quotes)]
    scores["figures"].fn -= len(nested)
    scores["figures"].misses = [f for f in scores["figures"].misses if f not in nested]
    scores["nested"] = Score(tp=len(nested), misses=nested)
    scores["quotes"] = match_texts([q["text"] for q in expected_quotes], [t for _, t in quotes])
    scores["speaker"] = _speaker_score(expected_quotes, quotes, actors)
    return Result(name, entry["split"], scores, scores["people"].extras)


def _split_by_rule(articles: list[dict], spent: tuple[str, ...] = ()) -> list[str]:
    """dev for the 1st, 3rd… article of each category in file order, test otherwise;
    every article of a later batch (labelled for more development signal) is dev, and
    every article of a held-out batch (named ``holdout…``: labelled after tuning, scored
    once) is test, until the labels file lists that batch under ``spent`` (scored once,
    then used for development): then it is dev."""
    seen: dict[str, int] = defaultdict(int)
    splits = []
    for entry in articles:
        batch = entry.get("batch", 1)
        if batch != 1:
            held_out = str(batch).startswith("holdout") and str(batch) not in spent
            splits.append("test" if held_out else "dev")
            continue
        splits.append(SPLITS[seen[entry["category"]] % 2])
        seen[entry["category"]] += 1
    return splits


def _corpus_texts(folder: Path, file: str) -> list[str]:
    path = folder / file
    if not path.is_file():
        raise SourceError(str(path), None, "corpus file not found; put the corpus CSV named "
                                           "in the labels there")
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle) if row.get("text")]


def evaluate_corpus(labels_path: Path, folder: Path, recogniser=None,
                    splits: tuple[str, ...] = SPLITS, skip_missing: bool = False,
                    skipped: list[str] | None = None) -> list[Result]:
    """Score every labelled article of ``splits``; its text is looked up in ``folder``.

    Articles of other splits are never drafted, so tuning on dev never runs the test half.
    An article whose text is not in the corpus copy is an error, or, with
    ``skip_missing``, left out and named in ``skipped``.
    """
    spec = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    articles = spec["articles"]
    where = str(labels_path)
    spent = spec.get("spent") or {}
    if not isinstance(spent, dict):
        raise SourceError(where, None, "spent: a mapping of held-out batch to the date it "
                                       "was scored, e.g. {holdout: 2026-12-05}")
    texts: dict[str, list[str]] = {}
    results = []
    for entry, rule in zip(articles, _split_by_rule(articles, tuple(map(str, spent))),
                           strict=True):
        if entry["split"] != rule:
            raise SourceError(where, None, f"{entry['opening']!r}: split is {entry['split']}, "
                                           f"the rule gives {rule}")
        if entry["split"] not in splits:
            continue
        pool = texts.setdefault(entry["file"], _corpus_texts(folder, entry["file"]))
        opening = " ".join(entry["opening"].split())
        text = next((t for t in pool if " ".join(t.split()).startswith(opening)), None)
        if text is None:
            if skip_missing:
                if skipped is not None:
                    skipped.append(f"{where}: {opening}")
                continue
            raise SourceError(where, None, f"{entry['opening']!r}: no article in "
                                           f"{entry['file']} starts like this")
        results.append(score_article(entry, text, opening, recogniser))
    return results


def summary(results: list[Result], split: str) -> str:
    """A Markdown table of precision and recall per kind for one split."""
    chosen = [r for r in results if r.split == split]
    totals = {kind: Score() for kind in KINDS}
    for r in chosen:
        for kind in KINDS:
            totals[kind].add(r.scores[kind])
    rows = [f"{split} half: {len(chosen)} articles", "",
            "| kind | expected | found | correct | precision | recall |",
            "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        s = totals[kind]
        label = "quotes with the right speaker" if kind == "speaker" else kind
        found = "" if kind == "speaker" else str(s.tp + s.fp)
        precision = "" if kind == "speaker" else f"{s.precision:.0%}"
        rows.append(f"| {label} | {s.tp + s.fn} | {found} | {s.tp} | {precision} | "
                    f"{s.recall:.0%} |")
    nested = sum(r.scores["nested"].tp for r in chosen)
    rows.append(f"\nFigures inside a found quote (spans do not nest, so not annotatable; "
                f"left out of figure recall): {nested}")
    false_people = sum(len(r.false_people) for r in chosen)
    rows.append(f"\nFalse people per article: {false_people / max(1, len(chosen)):.2f} "
                f"({false_people} in {len(chosen)} articles)")
    return "\n".join(rows)


def misses(results: list[Result], split: str) -> str:
    """Every miss and false person of one split, one line per article."""
    lines = []
    for r in results:
        if r.split != split:
            continue
        parts = [f"{kind}: {', '.join(r.scores[kind].misses)}" for kind in KINDS
                 if r.scores[kind].misses]
        if r.false_people:
            parts.append(f"false people: {', '.join(r.false_people)}")
        if parts:
            lines.append(f"- *{r.name}* — " + "; ".join(parts))
    return "\n".join(lines)
