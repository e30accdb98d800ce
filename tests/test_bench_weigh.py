"""The benchmark's archive-size helpers: files written, the output weighed, the search page's
first load, memory summed over a process tree, and the add-one and edit changes undone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import load_bench, write_files

run = load_bench("run")
measure = load_bench("measure")
weigh, corpus = run.weigh, run.corpus
BASE = "https://news.example.org/desk/"


def test_written_counts_new_and_rewritten_files_and_removed_the_deleted(tmp_path):
    write_files(tmp_path, {"a.html": "a", "b/c.html": "c", "b/d.json": "d", "gone.xml": "g"})
    before = weigh.snapshot(tmp_path)
    assert sorted(before) == ["a.html", "b/c.html", "b/d.json", "gone.xml"]
    (tmp_path / "a.html").write_text("a")   # same bytes, written again
    os.utime(tmp_path / "a.html", ns=(1, 1))
    (tmp_path / "b" / "new.html").write_text("n")
    (tmp_path / "gone.xml").unlink()
    after = weigh.snapshot(tmp_path)
    assert weigh.count_written(before, after) == 2
    assert weigh.count_removed(before, after) == 1
    assert weigh.count_written(after, weigh.snapshot(tmp_path)) == 0


SEARCH_PAGE = """<!doctype html><html lang="en"><head>
<link rel="stylesheet" href="../assets/style.css"><link rel="icon" href="/desk/favicon.svg">
<link rel="alternate" type="application/rss+xml" href="../feed.xml">
<link rel="stylesheet" href="https://cdn.example.com/x.css"></head><body>
<form data-manifest="../search/manifest.json" data-root="../"></form>
<a href="../api/briefings.json">API</a>
<script type="application/ld+json">{"@type": "WebSite"}</script>
<script type="module" src="../assets/search.js"></script></body></html>
"""


def _search_site(root: Path) -> Path:
    return write_files(root, {
        "search/index.html": SEARCH_PAGE,
        "assets/style.css": '@import "print.css"; body{background:url("img/bg.png")}',
        "assets/print.css": "a{color:#000}",
        "assets/img/bg.png": b"\x89PNG" + b"0" * 96,
        "favicon.svg": "<svg/>",
        "assets/search.js": 'import {rank} from "./rank.js";\nconst shard = "shard-" + k + ".json";',
        "assets/rank.js": 'export function rank() { return fetch("search/more-manifest.json"); }',
        "search/manifest.json": '{"shards": 2}',
        "search/more-manifest.json": "{}",
        "search/shard-a.json": "x" * 5000,
        "feed.xml": "<rss/>" * 100,
        "api/briefings.json": "[]" * 900,
        "briefings/big/index.html": "<p>" * 400,
    })


def test_search_first_load_follows_what_a_browser_fetches_and_no_shard(tmp_path):
    output = _search_site(tmp_path)
    load = weigh.search_first_load(output, "search/index.html", BASE)
    names = [name for name, _ in load.parts]
    assert sorted(names) == sorted([
        "search/index.html", "assets/style.css", "assets/print.css", "assets/img/bg.png",
        "favicon.svg", "assets/search.js", "assets/rank.js", "search/manifest.json",
        "search/more-manifest.json"])
    assert load.total == sum((output / n).stat().st_size for n in names)
    assert 0 < load.gzip
    assert load.external == ["https://cdn.example.com/x.css"] and load.missing == []


def test_output_weights_find_the_largest_page_and_data_file(tmp_path):
    output = _search_site(tmp_path)
    weights = weigh.output_weights(output, BASE, page_budget=1000)
    assert weights.largest_html == ("briefings/big/index.html", 1200)
    assert weights.html == 2 and weights.html_over == 1
    assert weights.largest_data == ("search/shard-a.json", 5000)
    assert weights.search and weights.search.page == "search/index.html"
    assert weights.files == len(weigh.snapshot(output))


def test_a_missing_asset_is_named_not_counted(tmp_path):
    write_files(tmp_path, {"search.html": '<script src="gone.js"></script>'})
    load = weigh.search_first_load(tmp_path, "search.html", "https://example.org")
    assert [n for n, _ in load.parts] == ["search.html"] and load.missing == ["gone.js"]


CHILD = """
import os, time
held = bytearray(os.urandom(24 << 20))
if os.fork() == 0:
    more = bytearray(os.urandom(16 << 20))
    time.sleep(1.0)
    os._exit(0)
time.sleep(1.0)
os.wait()
"""


def test_memory_peaks_are_summed_over_the_forked_tree():
    # As bench/run.py does, measure from a small fresh process: Linux counts the image a
    # child was forked from in its ru_maxrss, and this test process may be large.
    code = (f"import json, sys; sys.path.insert(0, {str(Path(measure.__file__).parent)!r}); "
            "import measure; print(json.dumps(measure.measure("
            f"[sys.executable, '-c', {CHILD!r}], None, 60, False, light=True)))")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    result = json.loads(done.stdout)
    assert result["rc"] == 0 and result["processes_seen"] == 2
    # Parent 24 MiB, child 16 MiB of its own plus the parent's pages it shares.
    assert result["tree_hwm_kib"] >= (24 + 24 + 16) * 1024
    assert result["tree_hwm_kib"] >= result["tree_rss_kib"]
    assert result["tree_pss_kib"] == 0   # light sampling does not walk the pages
    assert result["maxrss_kib"] < result["tree_hwm_kib"]


def test_new_article_is_newest_and_written_like_the_corpus(tmp_path):
    size = 40
    _, articles = corpus.make_corpus(size)
    assert corpus.newest_date(size) == max(a.date for a in articles)
    added = corpus.new_article(size, 1)
    assert added.date > max(a.date for a in articles)
    assert added.slug not in {a.slug for a in articles}
    folders = corpus.write_corpus(tmp_path, 3, ["briefgen", "hugo"])
    _, first = corpus.make_corpus(1)
    for shape in ("briefgen", "hugo"):
        relative, text = corpus.article_file(shape, first[0])
        assert (folders[shape] / relative).read_text(encoding="utf-8") == text


def test_changes_are_undone_byte_for_byte(tmp_path):
    corpus.write_corpus(tmp_path, 6, ["briefgen", "hugo"])
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    changes = run.Changes(tmp_path, 6, corpus.DEFAULT_SEED, ("briefgen", "hugo"))
    changes.edit(0)
    name = changes.add(0)
    assert (tmp_path / "briefgen" / "content" / "briefings" / name).is_file()
    assert (tmp_path / "hugo" / "content" / "posts" / name).is_file()
    edited = [p for p, data in before.items() if p.read_bytes() != data]
    assert {p.parent.parent.parent.name for p in edited} == {"briefgen", "hugo"}
    assert len(edited) == 2 and edited[0].name == edited[1].name
    changes.restore()
    after = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert after == before


FONT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title>
<link rel="stylesheet" href="../assets/style.css"></head>
<body><h1>Search</h1><p>Type a word.</p></body></html>
"""


def test_first_load_in_chromium_counts_only_the_fonts_the_page_uses(tmp_path, chromium_path):
    """Read statically, every ``url()`` of the stylesheet counts, fonts no text on the
    page uses included; Chromium fetches only the fonts it renders with."""
    fonts = Path(__file__).resolve().parent.parent / "themes/default/static/assets/fonts"
    used, unused = sorted(fonts.glob("*.woff2"))[:2]
    css = (f'@font-face{{font-family:"U";src:url("fonts/{used.name}") format("woff2")}}'
           f'@font-face{{font-family:"N";src:url("fonts/{unused.name}") format("woff2")}}'
           'h1,p{font-family:"U",serif} .never{font-family:"N",serif}')
    output = write_files(tmp_path / "out", {"search/index.html": FONT_PAGE,
                                            "assets/style.css": css})
    for font in (used, unused):
        (output / "assets/fonts").mkdir(parents=True, exist_ok=True)
        (output / "assets/fonts" / font.name).write_bytes(font.read_bytes())
    static = weigh.search_first_load(output, "search/index.html", BASE)
    assert f"assets/fonts/{unused.name}" in [name for name, _ in static.parts]
    # In a child process: the session's own Playwright may be running in this one.
    code = ("import json, sys; sys.path.insert(0, 'bench'); import weigh; from pathlib "
            f"import Path; load = weigh.browser_first_load(Path({str(output)!r}), "
            f"'search/index.html', {BASE!r}, {chromium_path!r}); "
            "print(json.dumps([load.how, load.parts]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr
    how, parts = json.loads(proc.stdout)
    names = [name for name, _ in parts]
    assert how == "in Chromium"
    assert sorted(names) == sorted(["search/", "assets/style.css", f"assets/fonts/{used.name}"])
    sizes = dict(parts)
    assert sizes[f"assets/fonts/{used.name}"] == used.stat().st_size
