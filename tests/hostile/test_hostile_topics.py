"""Many topics on one briefing: output grows linearly with them, and more than 50 is a
located error (one 68 KB briefing with 10,000 topics once wrote 2.8 GB)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files

from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BuildError
from briefgen.sources.frontmatter import MAX_TOPICS

pytestmark = pytest.mark.hostile


def briefing(topics: int) -> str:
    listed = "".join(f"  - Topic number {n}\n" for n in range(topics))
    return f"---\ntitle: Many topics\ndate: 2025-01-01\ntopics:\n{listed}---\n\nBody.\n"


def build(root: Path, topics: int) -> Path:
    write_files(root, {"briefgen.yaml": "title: Topics\nbase_url: https://example.org/\n",
                       "content/briefings/x.md": briefing(topics)})
    Builder(load_config(root=root), jobs=1).build()
    return root / "public"


def total_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_output_grows_linearly_with_a_briefings_topics(tmp_path: Path) -> None:
    half, full = build(tmp_path / "half", MAX_TOPICS // 2), build(tmp_path / "full", MAX_TOPICS)
    assert total_bytes(full) <= 2 * total_bytes(half)
    # Each topic's own page and feed stay the same size however many topics it shares.
    for name in ("index.html", "feed.xml"):
        small = max(p.stat().st_size for p in half.glob(f"topics/*/{name}"))
        large = max(p.stat().st_size for p in full.glob(f"topics/*/{name}"))
        assert large <= small * 1.05, name


def test_the_site_feed_still_names_every_topic(tmp_path: Path) -> None:
    public = build(tmp_path, MAX_TOPICS)
    assert (public / "feed.xml").read_text().count("<category ") == MAX_TOPICS


@pytest.mark.parametrize("topics", [MAX_TOPICS + 1, 10_000])
def test_more_than_fifty_topics_is_an_error_at_the_topics_line(tmp_path: Path,
                                                               topics: int) -> None:
    with pytest.raises(BuildError) as info:
        build(tmp_path, topics)
    assert [str(p) for p in info.value.problems] == [
        (f"content/briefings/x.md:4: {topics} topics; at most 50 are allowed "
        "(keep those a reader would follow)")]
    assert not (tmp_path / "public").exists()
