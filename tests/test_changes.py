"""What a build keeps of the last one is decided once, as data (``build.changes``).

Each scenario builds a site, changes it, and checks the kind ``classify`` gave the
next build, and that the output still equals a clean build's.
"""

from __future__ import annotations

from pathlib import Path

from test_body_only import append, build_here, site_with_outline
from test_incremental import clean_build_of, preview_builder, snapshot

from briefgen.build.changes import ChangeKind


def retitle(site: Path, name: str) -> None:
    path = site / "content/briefings" / name
    path.write_text(path.read_text().replace("title: ", "title: New ", 1))


def test_a_cli_build_classifies_each_change(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    assert build_here(site).kind is ChangeKind.NOTHING
    append(site, "b05.md")
    assert build_here(site).kind is ChangeKind.BODIES
    retitle(site, "b06.md")
    assert build_here(site).kind is ChangeKind.SITE
    (site / "content/briefings/b07.md").touch()
    assert build_here(site).kind is ChangeKind.NOTHING
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_body_edit_the_outline_cannot_place_runs_the_whole_site(tmp_path: Path) -> None:
    """The newest briefings are shown in full by the feeds: the saved outline does not
    place an edit to one of them, and the build says it ran the whole pipeline."""
    site = site_with_outline(tmp_path / "site")
    append(site, "b19.md")
    result = build_here(site)
    assert result.kind is ChangeKind.SITE and not result.body_only
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_preview_builder_classifies_each_change(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    builder = preview_builder(site, tmp_path / "preview")
    assert builder.build().kind is ChangeKind.SITE   # its own folder: nothing known of it
    assert builder.build().kind is ChangeKind.NOTHING
    append(site, "b05.md")
    assert builder.build().kind is ChangeKind.PREVIEW_BODIES
    retitle(site, "b06.md")
    assert builder.build().kind is ChangeKind.SITE
    assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path)
