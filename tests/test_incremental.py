"""The cache can make a build faster, never different.

Every kind of change is applied to a site built incrementally, and the output is
compared byte for byte with a clean build of the same sources.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files

ACTORS = """
alpha: {name: Ada Alpha, kind: person, role: Minister, aliases: [Alpha]}
beta: {name: Bo Beta, kind: person, role: Envoy, aliases: [Beta]}
gamma: {name: Gammaland, kind: country, aliases: [Gamma]}
"""


def briefing(i: int) -> str:
    actor = ("alpha", "beta", "gamma")[i % 3]
    topic = ("Trade", "Security")[i % 2]
    day = dt.date(2025, 1, 1) + dt.timedelta(days=i)   # 2025-01-01, -02, ... into February
    return (f"---\ntitle: Briefing number {i}\ndate: {day.isoformat()}\n"
            f"dek: The dek of {i}\nsummary:\n  - First point of {i}\n  - Second point\n"
            f"topics: [{topic}]\n---\n"
            f"[{actor.title()}]{{.actor ref={actor}}} said [€{i} billion]{{.figure "
            f"label=\"Money {i}\"}} was at stake. [\"We will see\"]{{.quote by={actor}}}\n\n"
            f"::: sidebar Facts {i}\n- one\n- two\n:::\n")


def make_site(root: Path, count: int = 20) -> Path:
    files = {"content/actors.yaml": ACTORS, "briefgen.yaml": "title: Test site\n"}
    for i in range(count):
        files[f"content/briefings/b{i:02d}.md"] = briefing(i)
    return write_files(root, files)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build_of(site: Path, tmp: Path) -> dict[str, bytes]:
    """Copy the sources (not the cache or output) and build them from scratch."""
    fresh = tmp / "fresh"
    if fresh.exists():
        shutil.rmtree(fresh)
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".briefgen-cache"))
    run_briefgen("build", "--quiet", "--clean", "--jobs", "1", cwd=fresh, check=True)
    return snapshot(fresh / "public")


def edit_body(site: Path) -> None:
    path = site / "content/briefings/b03.md"
    path.write_text(path.read_text() + "\nA new closing paragraph.\n")


def edit_front_matter(site: Path) -> None:
    path = site / "content/briefings/b05.md"
    path.write_text(path.read_text().replace("title: Briefing number 5", "title: Renamed five"))


def edit_registry(site: Path) -> None:
    path = site / "content/actors.yaml"
    path.write_text(path.read_text().replace("role: Envoy", "role: Special Envoy"))


def add_template(site: Path) -> None:
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates/404.html"
    write_files(site, {"templates/404.html": theme.read_text().replace("</main>", "<p>Custom "
                                                                       "404 text.</p></main>")})


def edit_config(site: Path) -> None:
    (site / "briefgen.yaml").write_text("title: Another title\nhome_limit: 5\n")


def delete_source(site: Path) -> None:
    (site / "content/briefings/b07.md").unlink()


def rename_source(site: Path) -> None:
    (site / "content/briefings/b08.md").rename(site / "content/briefings/b08-renamed.md")


def add_source(site: Path) -> None:
    (site / "content/briefings/b99.md").write_text(briefing(25).replace("2025-01-26",
                                                                        "2025-02-01"))


def make_draft(site: Path) -> None:
    path = site / "content/briefings/b10.md"
    path.write_text(path.read_text().replace("---\ntitle", "---\ndraft: true\ntitle", 1))


def edit_static(site: Path) -> None:
    write_files(site, {"static/assets/style.css": "body { color: black; }\n"})


CHANGES = [edit_body, edit_front_matter, edit_registry, add_template, edit_config,
           delete_source, rename_source, add_source, make_draft, edit_static]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_incremental_equals_clean(tmp_path: Path, change) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    change(site)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_all_changes_in_sequence_stay_equal_to_clean(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    for change in CHANGES:
        change(site)
        run_briefgen("build", "--quiet", cwd=site, check=True)
        assert snapshot(site / "public") == clean_build_of(site, tmp_path), change.__name__


def test_no_change_build_parses_and_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    before = mtimes(site / "public")
    proc = run_briefgen("build", cwd=site, check=True)
    assert "0 parsed, 0 files written" in proc.stdout
    assert mtimes(site / "public") == before


def test_one_edit_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=30)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    before = mtimes(site / "public")
    edit_body(site)  # body only: listing pages don't show it; full-content feeds do
    proc = run_briefgen("build", cwd=site, check=True)
    assert "1 parsed, " in proc.stdout
    after = mtimes(site / "public")
    changed = sorted(p for p in after if after[p] != before.get(p))
    assert "briefings/b03/index.html" in changed
    assert all(p.startswith("briefings/b03/") or p.endswith("feed.xml") or p == "feed.json"
               for p in changed), changed
    assert len(changed) <= 6, changed


def test_touch_without_change_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    before = mtimes(site / "public")
    path = site / "content/briefings/b01.md"
    path.write_text(path.read_text())
    proc = run_briefgen("build", cwd=site, check=True)
    assert "0 files written" in proc.stdout
    assert mtimes(site / "public") == before


def test_jobs_1_jobs_2_and_warm_are_identical(tmp_path: Path) -> None:
    # 70 briefings: enough pages (>= PARALLEL_MIN_PAGES) to render in worker processes,
    # and enough briefings (>= forked_map's 64) to rank related lists in forked ones.
    one = make_site(tmp_path / "one", count=70)
    two = make_site(tmp_path / "two", count=70)
    run_briefgen("build", "--quiet", "--jobs", "1", cwd=one, check=True)
    run_briefgen("build", "--quiet", "--jobs", "2", cwd=two, check=True)
    assert snapshot(one / "public") == snapshot(two / "public")
    edit_body(two)
    run_briefgen("build", "--quiet", "--jobs", "2", cwd=two, check=True)
    edit_body(one)
    run_briefgen("build", "--quiet", "--clean", "--jobs", "1", cwd=one, check=True)
    assert snapshot(one / "public") == snapshot(two / "public")


def test_tampered_output_is_repaired(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    reference = snapshot(site / "public")
    (site / "public/briefings/b02/index.html").write_text("tampered")
    (site / "public/index.html").unlink()
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert snapshot(site / "public") == reference


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    reference = snapshot(site / "public")
    (site / ".briefgen-cache/state.pickle").write_bytes(b"not a pickle")
    for entry in (site / ".briefgen-cache/packs").glob("*.pack"):
        entry.write_bytes(b"garbage")
    edit_body(site)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert snapshot(site / "public") != reference


def test_failed_incremental_build_keeps_output_and_recovers(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    reference = snapshot(site / "public")
    good = (site / "content/briefings/b04.md").read_text()
    (site / "content/briefings/b04.md").write_text(good.replace("ref=", "ref=nobody"))
    assert run_briefgen("build", cwd=site).returncode == 1
    assert snapshot(site / "public") == reference
    (site / "content/briefings/b04.md").write_text(good)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert snapshot(site / "public") == reference


def test_other_output_folder_reuses_parsing_but_builds_whole(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    (site / "elsewhere").mkdir()
    (site / "elsewhere/stale.html").write_text("old")
    proc = run_briefgen("build", "--output", "elsewhere", cwd=site, check=True)
    assert "0 parsed" in proc.stdout
    assert not (site / "elsewhere/stale.html").exists()
    assert snapshot(site / "elsewhere") == snapshot(site / "public")


def test_preview_builder_leaves_the_state_and_shares_parsing(tmp_path: Path) -> None:
    from briefgen.build import Builder
    from briefgen.config import load_config

    site = make_site(tmp_path / "site")
    config = load_config(root=site).with_overrides(output_dir=str(tmp_path / "preview"))
    Builder(config, persist=False, jobs=1).build()
    assert not (site / ".briefgen-cache/state.pickle").exists()
    proc = run_briefgen("build", cwd=site, check=True)
    assert "0 parsed" in proc.stdout  # serve's parsing is reused from the cache
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_preview_builder_edits_equal_clean_builds(tmp_path: Path) -> None:
    """The preview keeps one builder: body edits take its quickest path, other edits the
    planned one, and after each the output equals a clean build."""

    site = make_site(tmp_path / "site")
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    steps = [edit_body, edit_body, edit_front_matter, edit_body, delete_source, edit_registry,
             edit_body, add_template, edit_body]
    for step in steps:
        step(site)
        builder.build()
        assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path), step.__name__
    edit_body(site)  # a body edit rewrites only what shows that body
    result = builder.build()
    assert result.written_paths
    assert all(p.startswith("briefings/b03/") or p in ("feed.xml", "feed.json")
               for p in result.written_paths), result.written_paths


def test_two_files_with_the_same_bytes_stay_two_briefings(tmp_path: Path) -> None:
    """A copied source (same bytes, another name) is its own briefing in every build."""
    site = make_site(tmp_path / "site", count=3)
    (site / "content/briefings/copy.md").write_bytes(
        (site / "content/briefings/b01.md").read_bytes())
    for i in range(3):   # cold, then after edits elsewhere that rebuild pages
        run_briefgen("build", "--quiet", cwd=site, check=True)
        assert (site / "public/briefings/copy/index.html").is_file()
        assert (site / "public/briefings/b01/index.html").is_file()
        with open(site / "content/briefings/b02.md", "a", encoding="utf-8") as handle:
            handle.write(f"\nEdit {i}.\n")


@pytest.mark.parametrize("folder_exists", [False, True])
def test_preview_picks_up_a_new_template_override(tmp_path: Path, folder_exists: bool) -> None:
    """A template override added while previewing, in a new ``templates/`` folder or
    in front of a theme template the preview already loaded, shows at once."""

    site = make_site(tmp_path / "site", count=3)
    if folder_exists:
        add_template(site)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates/briefing.html"
    write_files(site, {"templates/briefing.html": theme.read_text().replace(
        "</article>", "<p>Overridden.</p></article>")})
    builder.build()
    assert b"Overridden." in (tmp_path / "preview/briefings/b01/index.html").read_bytes()
    assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path)


def backdate_folders(site: Path) -> None:
    """Age every source folder an hour, so a preview builder may trust its last walk
    (a folder changed just now might change again unseen within one clock tick)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    briefings = site / "content/briefings"
    for folder in [briefings, *(p for p in briefings.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(hour_ago, hour_ago))


def add_source_in_new_folder(site: Path) -> None:
    write_files(site, {"content/briefings/deep/b98.md": briefing(24)})


def preview_builder(site: Path, output: Path):
    from briefgen.build import Builder
    from briefgen.config import load_config

    config = load_config(root=site).with_overrides(output_dir=str(output))
    return Builder(config, persist=False, jobs=1)


@pytest.fixture
def walks(monkeypatch) -> list[int]:
    """One entry per walk of the source folders."""
    import briefgen.build.memory as build_module

    counted: list[int] = []
    real = build_module.walk_sources

    def counting(config):
        counted.append(1)
        return real(config)

    monkeypatch.setattr(build_module, "walk_sources", counting)
    return counted


def test_preview_builder_walks_the_sources_again_only_when_a_folder_changed(
        tmp_path: Path, walks: list[int]) -> None:
    """Body edits reuse the last walk; a file created, deleted or renamed (in a new
    folder too) is found, and the output equals a clean build."""
    site = make_site(tmp_path / "site")
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    steps = [(edit_body, 0), (add_source, 1), (edit_body, 0), (delete_source, 1),
             (rename_source, 1), (add_source_in_new_folder, 1), (edit_body, 0)]
    for step, walked in steps:
        backdate_folders(site)
        builder.build()   # walks once more (backdating changed the folders), then trusts it
        walks.clear()
        step(site)
        builder.build()
        assert len(walks) == walked, step.__name__
        assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path), step.__name__


def test_preview_builder_walks_again_while_a_folder_changed_recently(
        tmp_path: Path, walks: list[int], monkeypatch) -> None:
    import briefgen.sources.walk as walk_module

    monkeypatch.setattr(walk_module, "RACY_NS", 600 * 10**9)   # however slow the machine
    site = make_site(tmp_path / "site")   # its folders were just written
    builder = preview_builder(site, tmp_path / "preview")
    for _ in range(3):
        builder.build()
    assert len(walks) == 3


def test_trusted_walk_still_refuses_a_symlink_turned_outside(tmp_path: Path) -> None:
    from briefgen.errors import BuildError

    site = make_site(tmp_path / "site", count=3)
    write_files(site, {"shared/linked.md": briefing(5)})
    (site / "content/briefings/linked.md").symlink_to(site / "shared/linked.md")
    outside = write_files(tmp_path, {"outside.md": briefing(6)}) / "outside.md"
    builder = preview_builder(site, tmp_path / "preview")
    backdate_folders(site)
    builder.build()
    (site / "shared/linked.md").unlink()   # the briefings folder itself is unchanged
    (site / "shared/linked.md").symlink_to(outside)
    with pytest.raises(BuildError) as failed:
        builder.build()
    assert any("outside the project" in p.message for p in failed.value.problems)


def test_preview_builder_catches_a_new_duplicate_slug(tmp_path: Path) -> None:
    from briefgen.errors import BuildError

    site = make_site(tmp_path / "site", count=3)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()   # slugs found clean
    write_files(site, {"content/briefings/a-copy.md":
                       briefing(4).replace("---\ntitle", "---\nslug: b01\ntitle", 1)})
    with pytest.raises(BuildError) as failed:
        builder.build()
    assert any("duplicate slug 'b01'" in p.message for p in failed.value.problems)


def test_a_rewrite_that_keeps_mtime_and_size_is_still_seen(tmp_path: Path,
                                                           monkeypatch) -> None:
    """A source rewritten within one timestamp tick of the build that read it keeps
    its stat; the build after must not trust that stat."""
    import briefgen.sources.walk as walk_module

    monkeypatch.setattr(walk_module, "RACY_NS", 600 * 10**9)   # however slow the machine
    site = make_site(tmp_path / "site", count=3)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    source = site / "content/briefings/b01.md"
    before = source.stat()
    source.write_text(source.read_text().replace("First point", "Other point"))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))   # same size, same mtime
    assert source.stat().st_size == before.st_size
    builder.build()
    assert b"Other point" in (tmp_path / "preview/briefings/b01/index.html").read_bytes()


def test_a_new_source_the_watcher_names_is_found_without_a_folder_change(
        tmp_path: Path, walks: list[int], monkeypatch) -> None:
    """On file systems whose folder timestamps do not move, the watcher's hint that a
    source appeared or vanished still makes the preview walk the folders again."""
    import briefgen.build.memory as build_module

    site = make_site(tmp_path / "site", count=3)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    monkeypatch.setattr(build_module, "still_valid", lambda walk, project: True)
    new = site / "content/briefings/b07.md"
    new.write_text(briefing(7))
    builder.build()                       # no hint: the remembered walk is trusted
    assert not (tmp_path / "preview/briefings/b07").exists()
    builder.build([new])
    assert (tmp_path / "preview/briefings/b07/index.html").is_file()
    new.unlink()
    builder.build([new])
    assert not (tmp_path / "preview/briefings/b07").exists()
    assert len(walks) == 3


def test_preview_patches_the_last_summaries_and_equals_clean_builds(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """A preview rebuild after a few changed sources patches the last build's summaries
    in (added, deleted, renamed, retitled, rewritten sources) and still builds exactly
    what a clean build does."""
    import briefgen.build.read as read_module

    patched: list[bool] = []
    real = read_module.patch_summaries

    def counting(out, last):
        patched.append(real(out, last))
        return patched[-1]

    monkeypatch.setattr(read_module, "patch_summaries", counting)
    site = make_site(tmp_path / "site")
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    for step in (edit_front_matter, add_source, edit_body, delete_source, rename_source,
                 add_source_in_new_folder, edit_front_matter):
        step(site)
        builder.build()
        assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path), step.__name__
    assert len(patched) >= 6 and all(patched), patched


@pytest.mark.parametrize(("name", "text", "same_size"), [
    ("content/briefings/b02.md", "number 2", "numbar 2"),
    ("content/actors.yaml", "role: Envoy", "role: Enjoy"),   # the registry memo too
], ids=["source", "registry"])
def test_a_file_copied_with_its_old_mtime_is_read_again(tmp_path: Path, name: str, text: str,
                                                        same_size: str) -> None:
    site = make_site(tmp_path / "site", count=6)
    path = site / name
    old = 1_700_000_000 * 10**9   # long before the build: not racily clean
    os.utime(path, ns=(old, old))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    path.write_text(path.read_text().replace(text, same_size))
    os.utime(path, ns=(old, old))   # same size, same mtime (as cp -p leaves it)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_an_actor_page_follows_quotes_from_briefings_not_mentioning_it(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=4)
    write_files(site, {"content/briefings/q.md": (
        "---\ntitle: Quoted only\ndate: 2024-06-01\n---\n"
        "Someone said [\"A quote by beta\"]{.quote by=beta} without naming them.\n")})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert "A quote by beta" in (site / "public/actors/beta/index.html").read_text()
    path = site / "content/briefings/q.md"
    path.write_text(path.read_text().replace("A quote by beta", "Another quote"))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert "Another quote" in (site / "public/actors/beta/index.html").read_text()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_topic_renamed_by_its_oldest_briefing_is_renamed_everywhere(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=30)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    # The oldest briefing of a topic (b00 for Trade) gives it the name every page
    # shows, also on pages that do not otherwise show b00 (b28's page: not a
    # neighbour, not related).
    path = site / "content/briefings/b00.md"
    path.write_text(path.read_text().replace("topics: [Trade]", "topics: [TRADE]"))
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert ">TRADE</a>" in (site / "public/briefings/b28/index.html").read_text()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_sources_too_fresh_to_trust_are_hashed_again_once_not_every_build(
        tmp_path: Path, monkeypatch) -> None:
    """A build right after the sources were written (a checkout, a copy) cannot trust
    their stat and reads them again next time; once found unchanged with a settled
    stat, that is saved, even by a build that changes nothing, and later builds stat
    them only (at 100,000 briefings, re-reading every source costs seconds a build)."""
    import briefgen.sources.walk as walk_module
    from briefgen.build.changes import ChangeKind
    from briefgen.build.orchestrator import build
    from briefgen.config import load_config

    site = make_site(tmp_path / "site", count=6)
    monkeypatch.setattr(walk_module, "RACY_NS", 600 * 10**9)   # every source "just written"
    config = load_config(root=site)
    first = build(config)
    assert first.reread == 6
    monkeypatch.setattr(walk_module, "RACY_NS", 0)             # now they have settled
    second = build(load_config(root=site))
    assert (second.kind, second.reread, second.parsed, second.written) == \
        (ChangeKind.NOTHING, 6, 0, 0)
    third = build(load_config(root=site))
    assert (third.kind, third.reread, third.written) == (ChangeKind.NOTHING, 0, 0)
    (site / "content/briefings/b02.md").write_text(briefing(2) + "\nOne more line.\n")
    fourth = build(load_config(root=site))
    assert fourth.reread == 1 and fourth.written >= 1
