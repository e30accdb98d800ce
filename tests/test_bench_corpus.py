"""The benchmark corpus (bench/corpus.py) is deterministic and is a valid briefgen site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import load_bench_corpus

REPO = Path(__file__).resolve().parent.parent
SIZE = 20


corpus = load_bench_corpus()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _renderer_missing() -> str | None:
    try:
        import briefgen.render  # noqa: F401
    except ImportError as exc:
        return f"briefgen.render cannot be imported yet ({exc})"
    return None


def test_same_bytes_every_time(tmp_path):
    corpus.write_corpus(tmp_path / "a", SIZE)
    corpus.write_corpus(tmp_path / "b", SIZE)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert len([n for n in first if n.startswith("briefgen/content/briefings/")]) == SIZE
    for shape in corpus.SHAPES:
        assert any(name.startswith(shape + "/") for name in first), shape


def test_smaller_corpus_is_a_prefix_of_a_larger_one():
    _, small = corpus.make_corpus(5)
    _, large = corpus.make_corpus(8)
    assert large[:5] == small


def test_articles_are_about_five_kilobytes(tmp_path):
    corpus.write_corpus(tmp_path, SIZE, ["briefgen"])
    sizes = [p.stat().st_size for p in (tmp_path / "briefgen/content/briefings").glob("*.md")]
    assert 4000 <= sum(sizes) / len(sizes) <= 6000


def test_every_reference_points_at_a_registered_actor():
    actors, articles = corpus.make_corpus(SIZE)
    ids = {a.id for a in actors}
    names = [n.casefold() for a in actors for n in (a.name, *a.aliases)]
    assert len(names) == len(set(names)), "names and aliases must be unique"
    for article in articles:
        refs = corpus.re.findall(r"\{\.actor ref=([\w-]+)", article.annotated)
        quotes = corpus.re.findall(r"\{\.quote by=([\w-]+)\}", article.annotated)
        figures = corpus.re.findall(r"\]\{\.figure label=\"[^\"]+\"\}", article.annotated)
        assert refs and set(refs) <= ids
        assert 1 <= len(quotes) <= 2 and set(quotes) <= ids
        assert 2 <= len(figures) <= 4
        assert "{" not in article.plain and ":::" not in article.plain


def test_builds_with_briefgen_without_problems(tmp_path):
    reason = _renderer_missing()
    if reason:
        pytest.skip(reason)
    site = corpus.write_corpus(tmp_path, SIZE, ["briefgen"])["briefgen"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run([sys.executable, "-m", "briefgen", "build"], cwd=site, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stderr.lower(), done.stderr
    assert f"{SIZE} briefings" in done.stdout
    assert len(list((site / "public").rglob("*.html"))) > SIZE


def test_the_floor_builds_every_post_of_the_peers_corpus(tmp_path):
    site = corpus.write_corpus(tmp_path, SIZE, ["hugo"])["hugo"]
    done = subprocess.run([sys.executable, str(REPO / "bench" / "floor.py"), "--jobs", "2"],
                          cwd=site, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = sorted((site / "floor-public").glob("*/index.html"))
    assert len(pages) == SIZE and f"floor: {SIZE} posts" in done.stdout
    from bs4 import BeautifulSoup

    page = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    assert page.title.string and page.find("article").find("p")
