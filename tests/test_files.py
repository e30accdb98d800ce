"""write_file, the one way the build writes a file, and the paths it may write."""

from __future__ import annotations

import os
import stat

import pytest

from briefgen.files import write_file
from briefgen.build.write import OutputError, _safe_relative


def test_writes_all_chunks_making_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "c" / "index.html"
    write_file(str(path), b"<p>", b"x" * 300_000, b"</p>")
    assert path.read_bytes() == b"<p>" + b"x" * 300_000 + b"</p>"


def test_overwrites_in_place_and_truncates(tmp_path):
    path = tmp_path / "page.html"
    write_file(str(path), b"a much longer first version")
    inode = path.stat().st_ino
    write_file(str(path), b"short")
    assert path.read_bytes() == b"short" and path.stat().st_ino == inode


def test_folder_made_meanwhile_by_another_writer_is_fine(tmp_path, monkeypatch):
    folder = tmp_path / "actors" / "x"
    (tmp_path / "actors").mkdir()
    real_open = os.open
    calls = []

    def racing_open(path, flags, mode=0o777):
        if not calls:   # first attempt: the folder is missing; another process makes it
            calls.append(path)
            folder.mkdir()
            raise FileNotFoundError(path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", racing_open)
    write_file(str(folder / "feed.xml"), b"<feed/>")
    assert (folder / "feed.xml").read_bytes() == b"<feed/>"


def test_file_mode_follows_the_umask_like_open(tmp_path):
    old = os.umask(0o022)
    try:
        write_file(str(tmp_path / "f"), b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o644


@pytest.mark.parametrize("rel, expected", [
    ("briefings/a/index.html", "briefings/a/index.html"), ("index.html", "index.html"),
    ("é/ü.html", "é/ü.html"), ("a//b", "a/b"), ("./a", "a"), ("a/./b", "a/b"), ("a/", "a"),
    ("/etc/passwd", None), ("a/../b", None), ("..", None), ("a/b/..", None), ("", None),
    ("a\\b", None), ("..\\x", None),
])
def test_output_paths_are_plain_relative_paths_inside_the_output(rel, expected):
    if expected is None:
        with pytest.raises(OutputError, match="outside the output directory"):
            _safe_relative(rel)
    else:
        assert _safe_relative(rel) == expected
