"""Whole-site copies that a killed build, publish or preview left are removed by the
next run; those of running processes, and anything not briefgen's, are kept."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import run_briefgen
from test_incremental import make_site

from briefgen.leftovers import pid_alive, remove_stale_temp, temp_prefix


def dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not pid_alive(proc.pid)
    return proc.pid


def leftover(folder: Path) -> Path:
    (folder / "briefings").mkdir(parents=True)
    (folder / "briefings/page.html").write_text("a whole site, once")
    return folder


def test_a_build_removes_the_staging_folders_of_killed_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    gone = dead_pid()
    stale = [leftover(site / f".public.staging-{gone}"), leftover(site / f".public.old-{gone}")]
    kept = [leftover(site / f".public.staging-{os.getpid()}"),   # a running process's
            leftover(site / ".public.staging-notapid"),
            leftover(site / f".other.staging-{gone}"),           # another output's
            leftover(site / f"public.staging-{gone}")]
    (site / f".public.staging-{gone}0").write_text("a file, not a staging folder")
    kept.append(site / f".public.staging-{gone}0")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)


def test_publish_dir_removes_the_copies_of_killed_publishes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    target = tmp_path / "www"
    gone = dead_pid()
    stale = leftover(tmp_path / f".www.incoming-{gone}")
    swap = leftover(tmp_path / f".www.swap-{gone}")          # may hold the served site
    live = leftover(tmp_path / f".www.incoming-{os.getpid()}")
    run_briefgen("publish", "dir", str(target), "--relative-ok", cwd=site, check=True)
    assert (target / "index.html").is_file()
    assert not stale.exists()
    assert swap.exists() and live.exists()


def test_temporary_folders_of_killed_previews_are_removed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = dead_pid()
    stale = leftover(tmp_path / f"briefgen-serve-{gone}-k2j4_x9a")
    live = leftover(Path(tempfile.mkdtemp(prefix=temp_prefix("serve"))))
    other = leftover(tmp_path / f"briefgen-publish-{gone}-abc")
    unrelated = leftover(tmp_path / f"someone-serve-{gone}-abc")
    assert remove_stale_temp("serve") == [stale]
    assert live.exists() and other.exists() and unrelated.exists()
    assert remove_stale_temp("publish") == [other]


def test_a_serve_session_sweeps_before_making_its_own(tmp_path: Path, monkeypatch) -> None:
    from briefgen.serve.app import PreviewSession

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = leftover(tmp_path / f"briefgen-serve-{dead_pid()}-abcdefgh")
    session = PreviewSession(lambda *_: None)
    output = session._output_folder()
    assert not stale.exists()
    assert output.parent.name.startswith(temp_prefix("serve"))
    session._tempdir.cleanup()
