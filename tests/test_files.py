"""write_file and read_regular, the ways briefgen writes and reads files, and the paths
the build may write."""

from __future__ import annotations

import os
import socket
import stat

import pytest

from briefgen.build.write import OutputError, _safe_relative
from briefgen.errors import Problem, SourceError
from briefgen.files import read_regular, write_file


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


# --- read_regular: the one way briefgen reads a file it did not write ------------------------

def test_reads_a_regular_file_and_follows_symlinks(tmp_path):
    (tmp_path / "a.md").write_bytes(b"text")
    (tmp_path / "link.md").symlink_to(tmp_path / "a.md")
    assert read_regular(tmp_path / "link.md", "link.md", 4) == b"text"


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "a FIFO"),
    (lambda p: p.symlink_to("/dev/zero"), "a character device"),
    (lambda p: p.mkdir(), None),
])
def test_anything_but_a_regular_file_is_refused_without_blocking(tmp_path, make, kind):
    make(tmp_path / "x")
    with pytest.raises(SourceError) as info:
        read_regular(tmp_path / "x", "content/x")
    expected = f"not a regular file ({kind}); remove it" if kind else "is a folder, expected a file"
    assert str(info.value) == f"content/x: {expected}"


def test_a_socket_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("s")
        with pytest.raises(SourceError, match=r"^s: not a regular file \(a socket\)"):
            read_regular("s", "s")


def test_a_file_swapped_for_a_fifo_after_the_check_is_refused(tmp_path, monkeypatch):
    (tmp_path / "x").write_bytes(b"text")
    real_open = os.open

    def swap_then_open(path, flags, mode=0o777):
        os.unlink(path)
        os.mkfifo(path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", swap_then_open)
    with pytest.raises(SourceError, match="a FIFO"):
        read_regular(tmp_path / "x", "x")


def test_size_limit_and_its_wording(tmp_path):
    (tmp_path / "x").write_bytes(b"x" * 11)
    assert read_regular(tmp_path / "x", "x", 11) == b"x" * 11
    with pytest.raises(SourceError, match=r"^x: too large \(11 bytes; the limit is 10 bytes\)$"):
        read_regular(tmp_path / "x", "x", 10)
    with pytest.raises(SourceError, match=r"^x:1: custom$"):
        read_regular(tmp_path / "x", "x", 10, oversize=lambda size: Problem("x", 1, "custom"))


def test_a_file_growing_while_read_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    (tmp_path / "x").write_bytes(b"")   # says 0 bytes, then never ends (like /proc files)
    reads = []
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or b"y" * n)
    with pytest.raises(SourceError, match="too large"):
        read_regular(tmp_path / "x", "x", 100_000)
    assert sum(reads) == 100_001


def test_missing_file_wording(tmp_path):
    with pytest.raises(SourceError, match=r"^x: gone$"):
        read_regular(tmp_path / "x", "x", missing="gone")
