"""The benchmark moves old outputs aside instead of deleting them before a timed build."""

from __future__ import annotations

from pathlib import Path

from conftest import load_bench

run = load_bench("run")


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "public" / "briefings" / "a").mkdir(parents=True)
    (site / "public" / "briefings" / "a" / "index.html").write_text("old")
    (site / ".briefgen-cache").mkdir()
    (site / ".briefgen-cache" / "state.pickle").write_bytes(b"x")
    return site


def test_cold_preparation_moves_outputs_aside_keeping_their_inodes(tmp_path):
    site = _site(tmp_path)
    page = site / "public" / "briefings" / "a" / "index.html"
    inode = page.stat().st_ino
    tool = run.Tool("briefgen", "briefgen", [], "public", (".briefgen-cache",), "x")
    trash = run.Trash(tmp_path / "trash", min_free=0)
    tool.prepare_cold(site, trash)
    assert not (site / "public").exists() and not (site / ".briefgen-cache").exists()
    moved = [p for p in (tmp_path / "trash").rglob("index.html")]
    assert [p.stat().st_ino for p in moved] == [inode]   # renamed, not copied or deleted
    assert trash.moved == 2 and trash.deleted == 0
    trash.empty()
    assert not (tmp_path / "trash").exists()
    tool.prepare_cold(site, trash)   # nothing left to move: no error


def test_short_of_disk_space_the_old_output_is_deleted_and_the_report_says_so(tmp_path):
    site = _site(tmp_path)
    trash = run.Trash(tmp_path / "trash", min_free=1 << 62)
    trash.discard(site / "public")
    trash.discard(site / ".briefgen-cache" / "state.pickle")
    assert not (site / "public").exists()
    assert not (site / ".briefgen-cache" / "state.pickle").exists()
    assert list((tmp_path / "trash").iterdir()) == []
    assert trash.deleted == 2 and "lack of disk space" in trash.note()


def test_a_run_waits_for_the_last_runs_deletions_to_be_forgotten(tmp_path, monkeypatch):
    site = _site(tmp_path)
    trash = run.Trash(tmp_path / "trash", min_free=0)
    trash.settle(300)   # never emptied: no wait
    trash.discard(site / "public")
    trash.empty()
    slept = []
    monkeypatch.setattr(run.time, "sleep", slept.append)
    run.Trash(tmp_path / "trash").settle(300)
    assert len(slept) == 1 and 290 < slept[0] <= 300
    run.Trash(tmp_path / "trash").settle(0)
    assert len(slept) == 1
