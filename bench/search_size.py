"""How big the search index gets: build it for a generated corpus and print its size.

Writes the benchmark corpus (bench/corpus.py, briefgen shape) to a temporary folder,
parses it with briefgen's own parser, builds the site index and the search index
exactly as the build does, and prints the size of search/index.json uncompressed
and gzipped, with and without the body text. The target is under 1.5 MB
uncompressed for 2,000 briefings without the body.

Usage: ``python bench/search_size.py [--size 2000]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from briefgen.build import load_site
from briefgen.config import load_config
from briefgen.indexes import build_index
from briefgen.render.search_index import search_index

LIMIT = 1.5 * 1000 * 1000


def index_bytes(data: dict) -> bytes:
    """The index as the build writes it (compact separators, UTF-8)."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="number of briefings")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = write_corpus(Path(tmp), args.size, shapes=("briefgen",))["briefgen"]
        briefings, registry, _ = load_site(load_config(site / "briefgen.yaml"))
    index = build_index([b for b in briefings if not b.draft], registry)
    print(f"{len(index.briefings)} briefings, {len(index.actors)} actors, "
          f"{len(index.topics)} topics")
    ok = True
    for body in (False, True):
        raw = index_bytes(search_index(index, index.briefings, include_body=body))
        packed = len(gzip.compress(raw, 9))
        label = "with body   " if body else "without body"
        print(f"search/index.json {label}: {len(raw):>10,} bytes "
              f"({len(raw) / 1e6:.2f} MB; {len(raw) / len(index.briefings):.0f} B a briefing), "
              f"gzip {packed:,} bytes")
        if not body and len(raw) >= LIMIT:
            ok = False
    print("within the 1.5 MB budget" if ok else "OVER the 1.5 MB budget")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
