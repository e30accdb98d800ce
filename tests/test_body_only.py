"""``briefgen build`` after body edits renders only the edited briefings' own pages.

The last full build saves an outline of the site (see ``briefgen.build.incremental.outline``); a build
whose changes are all body edits places each edited briefing with it instead of
loading, indexing and planning the whole site. Whatever path a build takes, its
output must equal a clean build of the same sources.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files
from test_incremental import clean_build_of, make_site, mtimes, snapshot

from briefgen.build import Builder, build
from briefgen.build.incremental.cache import BuildCache
from briefgen.config import load_config

# A briefing that defines its own actor, quoted and mentioned: the outline must
# resolve it as the full index does.
LOCAL = """---
title: Local actor briefing
date: 2025-01-15
topics: [Trade, Energy Policy]
actors:
  zed: {name: Zed Zulu, kind: person, role: Broker, aliases: [Zed]}
---
[Zed]{.actor ref=zed} met [Alpha]{.actor ref=alpha}. ["Deal soon"]{.quote by=zed}

A second paragraph.
"""


def site_with_outline(root: Path, count: int = 20, config: str = "") -> Path:
    """A site whose feeds show only the 3 newest briefings in full, built once."""
    site = make_site(root, count)
    write_files(site, {"briefgen.yaml": f"title: Test site\nfeeds: {{limit: 3}}\n{config}",
                       "content/briefings/local.md": LOCAL,
                       "content/briefings/draft.md": LOCAL.replace(
                           "title: Local actor briefing", "title: Draft\ndraft: true")})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    return site


def append(site: Path, name: str, text: str = "\nA new closing paragraph.\n") -> None:
    path = site / "content/briefings" / name
    path.write_text(path.read_text() + text)


def build_here(site: Path):
    return build(load_config(site / "briefgen.yaml"), jobs=1)


@pytest.mark.parametrize("name", ["b00.md", "b10.md", "b16.md", "local.md", "draft.md"],
                         ids=["oldest", "middle", "newest-outside-feeds", "local-actor",
                              "draft"])
def test_body_edit_renders_own_pages_and_equals_clean(tmp_path: Path, name: str) -> None:
    site = site_with_outline(tmp_path / "site")
    before = mtimes(site / "public")
    append(site, name)
    result = build_here(site)
    assert result.body_only and result.parsed == 1
    slug = name.removesuffix(".md")
    after = mtimes(site / "public")
    changed = sorted(p for p in after if after[p] != before.get(p))
    if name == "draft.md":
        assert changed == []
    else:
        assert changed == [f"briefings/{slug}/index.html", f"briefings/{slug}/index.json"]
        assert "A new closing paragraph." in (site / "public/briefings" / slug /
                                              "index.html").read_text()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_edits_in_sequence_and_across_paths_stay_equal_to_clean(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    steps = [
        ("b04.md", "\nFirst addition.\n", True),
        ("b05.md", "\nSecond addition.\n", True),
        ("b19.md", "\nIn the full-content feeds.\n", False),       # newest: feeds show it
        ("b06.md", "\n[Beta]{.actor ref=beta} joined.\n", False),  # a new mention
        ("b06.md", "\nThird addition.\n", True),                   # outline renewed above
    ]
    for name, text, body_only in steps:
        append(site, name, text)
        result = build_here(site)
        assert result.body_only is body_only, name
        assert snapshot(site / "public") == clean_build_of(site, tmp_path), name
    assert not build_here(site).written   # nothing changed since


def test_several_body_edits_in_one_build(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    for name in ("b03.md", "b04.md", "local.md"):   # neighbours of each other
        append(site, name)
    result = build_here(site)
    assert result.body_only and result.parsed == 3 and result.written == 6
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_body_edit_after_a_tampered_output_repairs_it(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    (site / "public/briefings/b02/index.html").write_text("tampered")
    append(site, "b09.md")
    result = build_here(site)
    assert not result.body_only
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


@pytest.mark.parametrize("change", ["config", "registry", "template", "added", "deleted"])
def test_other_changes_with_a_body_edit_build_in_full(tmp_path: Path, change: str) -> None:
    site = site_with_outline(tmp_path / "site")
    append(site, "b09.md")
    if change == "config":
        (site / "briefgen.yaml").write_text("title: Other title\nfeeds: {limit: 3}\n")
    elif change == "registry":
        path = site / "content/actors.yaml"
        path.write_text(path.read_text().replace("role: Envoy", "role: Special Envoy"))
    elif change == "template":
        theme = Path(__file__).resolve().parent.parent / "themes/default/templates"
        text = (theme / "briefing.html").read_text()
        assert "Related briefings" in text
        write_files(site, {"templates/briefing.html": text.replace("Related briefings",
                                                                   "See also")})
    elif change == "added":
        write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15",
                                                                     "2025-01-16")})
    else:
        (site / "content/briefings/b01.md").unlink()
    result = build_here(site)
    assert not result.body_only
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_body_edits_save_a_delta_that_loads_as_the_whole_state(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    delta = site / ".briefgen-cache/state.delta"
    full = (site / ".briefgen-cache/state.pickle").read_bytes()
    for name in ("b04.md", "b05.md", "b04.md"):
        append(site, name)
        builder = Builder(load_config(site / "briefgen.yaml"), jobs=1)
        assert builder.build().body_only
        assert delta.exists() and (site / ".briefgen-cache/state.pickle").read_bytes() == full
        loaded = BuildCache(site).load_state()
        for field in ("sources", "outputs", "summary_pickles", "input_key", "counts"):
            assert getattr(loaded, field) == getattr(builder.state, field), field
    path = site / "content/briefings/b06.md"
    path.write_text(path.read_text().replace("Briefing number 6", "Renamed six"))
    assert not build_here(site).body_only   # a full build saves the whole state again
    assert not delta.exists()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


@pytest.mark.parametrize("delta", [b"not a pickle", pickle.dumps({"token": "another"})])
def test_a_broken_or_foreign_delta_is_ignored(tmp_path: Path, delta: bytes) -> None:
    site = site_with_outline(tmp_path / "site")
    append(site, "b04.md")
    (site / ".briefgen-cache/state.delta").write_bytes(delta)
    append(site, "b05.md")
    build_here(site)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_an_override_reading_topic_briefings_sees_them_all(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 10)
    theme = (Path(__file__).resolve().parent.parent / "themes/default/templates/briefing.html")
    text = theme.read_text()
    assert "{{ topic.name }}</a>" in text
    write_files(site, {"briefgen.yaml": "title: T\nfeeds: {limit: 1}\n",
                       "templates/briefing.html": text.replace(
                           "{{ topic.name }}</a>",
                           "{{ topic.name }} ({{ topic.briefings | length }}: "
                           "{{ topic.briefings | map(attribute='slug') | join(' ') }})</a>")})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    append(site, "b03.md")
    assert build_here(site).body_only
    assert "Security (5: b09 b07 b05 b03 b01)" in (site / "public/briefings/b03/index.html"
                                                   ).read_text()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_the_saved_walk_of_the_sources_is_trusted_until_a_folder_changes(
        tmp_path: Path, monkeypatch) -> None:
    import briefgen.build.memory as build_module
    import briefgen.sources.walk as walk_module

    site = site_with_outline(tmp_path / "site")
    monkeypatch.setattr(walk_module, "RACY_NS", 0)   # the folders are not "just changed"
    walks = []
    real = build_module.walk_sources
    monkeypatch.setattr(build_module, "walk_sources",
                        lambda config: walks.append(1) or real(config))
    append(site, "b04.md")
    assert build_here(site).body_only and walks == []   # the last build's walk still holds
    write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15", "2025-01-16")})
    result = build_here(site)
    assert walks == [1] and not result.body_only
    assert (site / "public/briefings/new/index.html").is_file()
    append(site, "b05.md")
    assert build_here(site).body_only and walks == [1]
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_body_edits_prune_the_small_packs_they_leave_once_they_add_up(tmp_path: Path) -> None:
    """Each body edit stores its briefing in a new one-entry pack. Finding dead packs
    reads every pack's table of contents, so one-edit builds leave that until 64
    packs have gathered; they never pile up beyond that."""
    site = site_with_outline(tmp_path, count=10)
    packs = site / ".briefgen-cache/packs"
    after_full = len(list(packs.glob("*.pack")))
    counts = []
    for n in range(70):
        append(site, f"b0{n % 5}.md", f"\nEdit {n}.\n")   # none shown in full by a feed
        result = build_here(site)
        assert result.body_only, n
        counts.append(len(list(packs.glob("*.pack"))))
    assert counts[0] == after_full + 1   # the first edits prune nothing
    assert max(counts) <= 64 + 1 and counts[-1] < max(counts)   # then they are pruned
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def _count_summary_reads(monkeypatch) -> tuple[list[str], list[int]]:
    """The keys of the summaries read one by one, and how often the whole file was read."""
    from briefgen.build.incremental import cache as cache_module

    keys: list[str] = []
    wholes: list[int] = []
    read, whole = cache_module.SummaryFile.read, cache_module.SummaryFile._read_whole
    monkeypatch.setattr(cache_module.SummaryFile, "read",
                        lambda self, key, number: keys.append(key) or read(self, key, number))
    monkeypatch.setattr(cache_module.SummaryFile, "_read_whole",
                        lambda self: wholes.append(1) or whole(self))
    return keys, wholes


def test_a_body_edit_reads_only_the_summaries_its_pages_show(tmp_path: Path,
                                                               monkeypatch) -> None:
    site = site_with_outline(tmp_path / "site", count=40)
    keys, wholes = _count_summary_reads(monkeypatch)
    assert build_here(site).kind.value == "nothing" and keys == []
    append(site, "b20.md")
    result = build_here(site)
    assert result.body_only and wholes == []
    # Those of the briefings its page links to (neighbours, related), not the 42 of
    # the site; its own new summary was just parsed.
    state = BuildCache(site).load_state()
    slugs = {state.summaries[key].slug for key in set(keys)}
    page = (site / "public/briefings/b20/index.html").read_text()
    linked = {slug for slug in state.outline.displays if f"/briefings/{slug}/" in page}
    assert 0 < len(slugs) <= 10 and "b20" not in slugs, slugs
    assert len(slugs & linked) >= len(slugs) - 1, (slugs, linked)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_full_build_reads_the_summaries_file_once_and_checks_it_whole(
        tmp_path: Path, monkeypatch) -> None:
    from briefgen.build.incremental import cache as cache_module

    site = site_with_outline(tmp_path / "site")
    monkeypatch.setattr(cache_module, "_BULK_READS", 2)
    keys, wholes = _count_summary_reads(monkeypatch)
    write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15", "2025-01-16")})
    result = build_here(site)
    assert not result.body_only and result.parsed == 1
    assert wholes == [1] and len(keys) > 20   # read one by one after the first two
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_summary_changed_on_disk_fails_the_whole_file_check_and_its_own(
        tmp_path: Path, monkeypatch) -> None:
    """The whole-file check fails, the summaries read one by one fail theirs: the
    build builds again without the cache, with the same output."""
    from briefgen.build.incremental import cache as cache_module

    site = site_with_outline(tmp_path / "site")
    monkeypatch.setattr(cache_module, "_BULK_READS", 2)
    state = BuildCache(site).load_state()
    offsets = memoryview(state.summary_table.offsets).cast("Q")
    (path,) = (site / ".briefgen-cache").glob("summaries-*")
    data = bytearray(path.read_bytes())
    data[offsets[len(offsets) // 2] + 40] ^= 0xFF
    path.write_bytes(bytes(data))
    write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15", "2025-01-16")})
    result = build_here(site)
    assert not result.body_only and result.parsed > 20   # every source parsed again
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_only_a_build_that_ranks_related_lists_reads_their_shapes(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The shapes the related lists were ranked from live in a file of their own: a body
    edit never reads them, an added briefing does, and damaged ones are a cache miss."""
    from briefgen.build.incremental import cache as cache_module

    site = site_with_outline(tmp_path / "site")
    reads: list[int] = []
    read_shapes = cache_module.LazyShapes._read
    monkeypatch.setattr(cache_module.LazyShapes, "_read",
                        lambda self: reads.append(1) or read_shapes(self))
    append(site, "b07.md")
    assert build_here(site).body_only and reads == []
    write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15", "2025-01-16")})
    assert not build_here(site).body_only and reads == [1]
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    # Damaged shapes: the next build that ranks related lists builds without the cache.
    (path,) = (site / ".briefgen-cache").glob("shapes-*")
    assert path.name == "shapes-" + BuildCache(site).load_state().token
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    (site / "content/briefings/new.md").unlink()
    result = build_here(site)
    assert result.parsed > 20 and reads == [1, 1]
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_loaded_state_lets_go_of_its_summaries_file(tmp_path: Path) -> None:
    """A preview or a test loads states again and again: no descriptor stays open."""
    import gc
    import os

    site = site_with_outline(tmp_path / "site")
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        pytest.skip("needs /proc to count open files")
    before = len(os.listdir(folder))
    for _ in range(20):
        state = BuildCache(site).load_state()
        assert state.summaries[next(iter(state.summaries))].slug
        del state
    gc.collect()
    assert len(os.listdir(folder)) == before


def test_a_full_save_keeps_one_summaries_file_and_spares_one_being_written(
        tmp_path: Path) -> None:
    """A full save appends to the summaries file it loaded and deletes those of other
    lineages, and the shapes of older state files."""
    import os
    import time

    site = site_with_outline(tmp_path / "site")
    cache = site / ".briefgen-cache"
    (first,) = cache.glob("summaries-*")
    (shapes,) = cache.glob("shapes-*")
    writing = cache / "summaries-fedcba9876543210.99999.tmp"   # another build, writing now
    writing.write_bytes(b"...")
    left = cache / "summaries-0123456789abcdef.88888.tmp"   # a build killed long ago
    left.write_bytes(b"...")
    hour_ago = time.time() - 7200
    os.utime(left, (hour_ago, hour_ago))
    older = cache / "summaries-00112233445566ff"   # another lineage's
    older.write_bytes(b"...")
    write_files(site, {"content/briefings/new.md": LOCAL.replace("2025-01-15", "2025-01-16")})
    assert not build_here(site).body_only
    (second,) = cache.glob("summaries-*[!p]")
    assert second == first and not older.exists()
    assert writing.exists() and not left.exists()
    (newer,) = cache.glob("shapes-*")
    assert newer != shapes
