"""Builds of the example site shared by the feed, sitemap, structured-data and API tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_briefgen

ABSOLUTE_BASE = "https://example.org/briefs/"
DRAFT_SLUG = "witkoff-fourth-meeting"


def build_example(dest: Path, *args: str) -> Path:
    """Copy the example site into ``dest``, build it with ``args``; return the output."""
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "briefgen.yaml", dest / "briefgen.yaml")
    run_briefgen("build", "--quiet", *args, cwd=dest, check=True)
    return dest / "public"


def public_slugs() -> set[str]:
    """Slugs of the example's briefings that are not drafts."""
    slugs = set()
    for path in (REPO / "content" / "briefings").glob("*.md"):
        if "\ndraft: true" not in path.read_text(encoding="utf-8"):
            slugs.add(path.stem)
    return slugs
