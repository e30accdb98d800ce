"""A full save appends the summaries its file lacks instead of writing them all again.

The summaries file of a state keeps its name and every byte a saved state refers to;
each save that adds summaries appends them as one segment, sealed in the state file.
Whatever a crash, a failed build or a damaged segment leaves, the next build is
correct: the previous state still reads, or the cache is a miss.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files
from test_body_only import LOCAL, build_here, site_with_outline
from test_incremental import clean_build_of, snapshot

from briefgen.build.incremental import cache as cache_module
from briefgen.build.incremental.cache import BuildCache
from briefgen.errors import BriefgenError

CACHE = ".briefgen-cache"


def add_briefing(site: Path, n: int) -> None:
    write_files(site, {f"content/briefings/new{n}.md":
                       LOCAL.replace("title: Local actor briefing", f"title: New {n}")
                            .replace("2025-01-15", f"2025-02-{n + 1:02d}")})


def summaries_file(site: Path) -> Path:
    (found,) = (site / CACHE).glob("summaries-*[!p]")
    return found


def every_summary(site: Path) -> list:
    """Every summary of the saved state, each read and checked (None: no state)."""
    state = BuildCache(site).load_state()
    return None if state is None else [state.summaries[key] for key in state.summaries]


def test_an_added_briefing_is_appended_and_the_old_bytes_kept(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    path = summaries_file(site)
    before, inode = path.read_bytes(), path.stat().st_ino
    for n in range(3):
        add_briefing(site, n)
        result = build_here(site)
        assert not result.body_only and result.parsed == 1
        assert summaries_file(site) == path and path.stat().st_ino == inode
        after = path.read_bytes()
        assert len(after) > len(before) and after.startswith(before)
        before = after
    table = BuildCache(site).load_state().summary_table
    assert len(table.segments) == 4 and table.size == len(before)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert len(every_summary(site)) == 25


def test_a_full_build_checks_every_segment_once(tmp_path: Path, monkeypatch) -> None:
    site = site_with_outline(tmp_path / "site")
    add_briefing(site, 0)
    build_here(site)
    monkeypatch.setattr(cache_module, "_BULK_READS", 2)
    checked: list[bytes] = []
    verify = cache_module.Seal.verify
    monkeypatch.setattr(cache_module.Seal, "verify", lambda self, label, data, mac: (
        checked.append(label) or verify(self, label, data, mac)))
    add_briefing(site, 1)
    assert build_here(site).parsed == 1
    segments = [label for label in checked if label.startswith(b"summaries:")]
    assert len(segments) == 2   # the fresh file's, the first append's
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


@pytest.mark.parametrize("where", ["appended", "first"])
def test_a_damaged_segment_is_a_miss_and_builds_right(tmp_path: Path, monkeypatch,
                                                      where: str) -> None:
    site = site_with_outline(tmp_path / "site")
    add_briefing(site, 0)
    build_here(site)
    table = BuildCache(site).load_state().summary_table
    offset, size, _ = table.segments[-1 if where == "appended" else 0]
    path = summaries_file(site)
    data = bytearray(path.read_bytes())
    data[offset + size - 3] ^= 0xFF   # inside the segment's last summary
    path.write_bytes(bytes(data))
    add_briefing(site, 1)
    result = build_here(site)
    assert result.parsed > 20   # the cache lost: every source parsed again
    assert summaries_file(site) != path   # into a fresh file, not the damaged one
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert len(every_summary(site)) == 24


def test_a_failed_append_leaves_the_previous_state_readable(tmp_path: Path,
                                                            monkeypatch) -> None:
    """A build that fails halfway through appending (a full disk) leaves half a
    segment after the end the previous state reads; the next build appends after it."""
    site = site_with_outline(tmp_path / "site")
    path = summaries_file(site)
    before = path.read_bytes()

    def half_then_fail(fd: int, data: bytes, offset: int) -> None:
        os.pwrite(fd, data[:len(data) // 2], offset)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "_write_at", half_then_fail)
    add_briefing(site, 0)
    with pytest.raises(BriefgenError):
        build_here(site)
    monkeypatch.undo()
    junk = path.read_bytes()
    assert len(junk) > len(before) and junk.startswith(before)
    assert len(every_summary(site)) == 22   # the previous state, whole
    assert build_here(site).briefings == 22   # the new one (from the packs) public too
    assert summaries_file(site) == path and path.read_bytes().startswith(junk)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert len(every_summary(site)) == 23


@pytest.mark.parametrize("cut", ["mid-segment", "trailing-junk"])
def test_a_crash_before_the_state_is_written_leaves_the_previous_one(tmp_path: Path,
                                                                     cut: str) -> None:
    """The previous state file, put back as a crash would have left it, still reads
    its summaries whatever the append left after them."""
    site = site_with_outline(tmp_path / "site")
    cache = site / CACHE
    saved = {p.name: p.read_bytes() for p in cache.iterdir() if p.name.startswith(
        ("state.pickle", "shapes-"))}
    path = summaries_file(site)
    covered = path.stat().st_size
    add_briefing(site, 0)
    build_here(site)
    for name, data in saved.items():
        (cache / name).write_bytes(data)
    with open(path, "r+b") as handle:
        if cut == "mid-segment":
            handle.truncate(covered + (path.stat().st_size - covered) // 2)
        else:
            handle.seek(0, os.SEEK_END)
            handle.write(os.urandom(1000))
    assert len(every_summary(site)) == 22
    assert build_here(site).briefings == 22
    assert summaries_file(site) == path
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert len(every_summary(site)) == 23


def test_a_file_cut_short_of_what_the_state_reads_is_no_state(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    add_briefing(site, 0)
    build_here(site)
    path = summaries_file(site)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size - 1)
    assert BuildCache(site).load_state() is None   # the packs still serve
    add_briefing(site, 1)
    assert build_here(site).briefings == 23
    assert summaries_file(site) != path and not path.exists()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_edits_leave_garbage_that_a_fresh_file_clears(tmp_path: Path) -> None:
    """Each title edit appends the briefing's new summary and leaves the old one
    unread; once that garbage would fill half the file, the save writes a fresh one."""
    site = site_with_outline(tmp_path / "site")
    source = site / "content/briefings/b04.md"
    names, sizes = [], []
    for n in range(40):
        source.write_text(source.read_text().replace(
            "title: Briefing number 4" if n == 0 else f"title: Edit {n - 1}", f"title: Edit {n}"))
        assert not build_here(site).body_only
        path = summaries_file(site)
        names.append(path.name)
        sizes.append(path.stat().st_size)
        each = memoryview(BuildCache(site).load_state().summary_table.sizes).cast("Q")
        live = 6 + 32 * len(each) + sum(each)   # the magic, each summary and its MAC
        assert path.stat().st_size - live <= path.stat().st_size * 0.5
    assert 2 <= len(set(names)) < 40 and max(sizes) < 3 * min(sizes)
    assert len(list((site / CACHE).glob("summaries-*"))) == 1   # the older ones pruned
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_file_another_build_is_appending_to_is_not_appended_to(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """Another build holds the file's lock past the wait: this save writes a fresh one."""
    site = site_with_outline(tmp_path / "site")
    path = summaries_file(site)
    monkeypatch.setattr(cache_module, "_LOCK_WAIT", 0.1)
    with open(path, "rb") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        add_briefing(site, 0)
        assert build_here(site).parsed == 1
    assert summaries_file(site) != path
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert len(every_summary(site)) == 23


def test_clean_builds_write_a_fresh_file(tmp_path: Path) -> None:
    site = site_with_outline(tmp_path / "site")
    path = summaries_file(site)
    run_briefgen("build", "--quiet", "--clean", cwd=site, check=True)
    assert summaries_file(site) != path and not path.exists()
    assert len(every_summary(site)) == 22
