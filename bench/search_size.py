"""How big the sharded search index gets, and what a query downloads.

Either generates the benchmark corpus (bench/corpus.py, briefgen shape) into a
temporary folder and builds the index in memory exactly as the build does
(``--size``), or reads the ``search/`` folder of a site already built (``--output``).
Prints the manifest's size, the number of files, the largest file of each kind and,
for sample queries, the files and bytes the search page would fetch: it picks terms
as search.js does (the word itself, up to four completions, terms one edit away when
the word is not found) and counts the term lists, postings, the facets file and the
document chunks of the first 20 results. Targets: the manifest well under 100 KB, and a
query under 300 KB at 100,000 briefings.

Usage: ``python bench/search_size.py [--size 2000] [--output public] [--query "…"]…``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from briefgen.render.jsontext import compact_json
from briefgen.render.search_index import MANIFEST_PATH, file_key, fold_words

QUERIES = ("regional markets", "dennorren", "denorren", "migration", "talks elections",
           "vargorstan withdrawal")
PAGE, COMPLETIONS, TYPOS, MIN_TYPO = 20, 4, 3, 4      # as in search.js


def built_files(size: int) -> dict[str, bytes]:
    """The index of a generated corpus of ``size`` briefings, as path -> bytes."""
    from corpus import write_corpus

    from briefgen.build import load_site
    from briefgen.config import load_config
    from briefgen.indexes import build_index
    from briefgen.render.renderer import resolve_context
    from briefgen.render.search_index import search_files

    with tempfile.TemporaryDirectory() as tmp:
        site = write_corpus(Path(tmp), size, shapes=("briefgen",))["briefgen"]
        briefings, registry, _ = load_site(load_config(site / "briefgen.yaml"))
    index = build_index([b for b in briefings if not b.draft], registry)
    started = time.perf_counter()
    files = search_files(index, index.briefings)
    planned = time.perf_counter() - started
    out = {f.path: (compact_json(resolve_context({"d": f.data})["d"]) + "\n").encode("utf-8")
           for f in files}
    print(f"{len(index.briefings):,} briefings; index planned in {planned:.1f} s, "
          f"encoded in {time.perf_counter() - started - planned:.1f} s")
    return out


def read_files(output: Path) -> dict[str, bytes]:
    """The ``search/`` JSON files of a built site, as path -> bytes."""
    root = output / "search"
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in root.rglob("*.json")}


def within_one(a: str, b: str) -> bool:
    """Optimal string alignment distance at most 1 (search.js ``withinOne``)."""
    if abs(len(a) - len(b)) > 1:
        return False
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            d = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if prev2 and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, prev2[j - 2] + 1)
            row.append(d)
        prev2, prev = prev, row
    return prev[len(b)] <= 1


def query_cost(files: dict[str, bytes], query: str) -> tuple[int, int, int]:
    """(files fetched, bytes fetched, briefings found) for ``query``, as search.js does."""
    manifest = json.loads(files[MANIFEST_PATH])
    stop, prefixes = set(manifest["stop"]), set(manifest["terms"])
    fetched = {"search/facets.json"}
    matches: set[int] | None = None
    for word in (w for w in fold_words(query) if len(w) > 1 and w not in stop):
        scores: set[int] = set()
        if word[:2] in prefixes:
            path = f"search/terms/{file_key(word[:2])}.json"
            fetched.add(path)
            terms = json.loads(files[path])
            picked = [word] if word in terms else []
            picked += sorted((t for t in terms if len(t) > len(word) and t.startswith(word)),
                             key=lambda t: (len(t), t))[:COMPLETIONS]
            if not picked and len(word) >= MIN_TYPO:
                picked = sorted(t for t in terms if len(t) >= MIN_TYPO - 1
                                and within_one(word, t))[:TYPOS]
            for term in picked:
                path = f"search/postings/{terms[term]}.json"
                fetched.add(path)
                ident = 0
                for code in json.loads(files[path])[term]:
                    ident += code >> 2
                    scores.add(ident)
        matches = scores if matches is None else matches & scores
    found = sorted(matches or (), reverse=True)
    fetched |= {f"search/docs/{i // manifest['chunk']}.json" for i in found[:PAGE]}
    return len(fetched), sum(len(files[p]) for p in fetched), len(found)


def report(files: dict[str, bytes], queries: tuple[str, ...]) -> None:
    kinds = Counter(p.split("/")[1] if p.count("/") > 1 else "top" for p in files)
    total = sum(map(len, files.values()))
    print(f"manifest: {len(files[MANIFEST_PATH]):,} bytes; facets: "
          f"{len(files['search/facets.json']):,} bytes; {len(files):,} files, {total:,} bytes")
    for kind in sorted(kinds):
        sizes = [len(b) for p, b in files.items() if p.startswith(f"search/{kind}/")]
        if sizes:
            print(f"  {kind:<9} {kinds[kind]:>7,} files, largest {max(sizes):>9,} bytes, "
                  f"mean {sum(sizes) // len(sizes):>7,}")
    for query in queries:
        count, size, found = query_cost(files, query)
        print(f"query {query!r}: {count} files, {size:,} bytes ({size / 1024:.0f} KiB), "
              f"{found:,} briefings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="number of briefings")
    parser.add_argument("--output", type=Path, help="a built site's output folder instead")
    parser.add_argument("--query", action="append", help="a sample query (repeatable)")
    args = parser.parse_args(argv)
    files = read_files(args.output) if args.output else built_files(args.size)
    report(files, tuple(args.query) if args.query else QUERIES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
