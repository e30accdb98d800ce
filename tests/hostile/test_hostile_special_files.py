"""FIFOs, sockets and devices wherever briefgen reads: a located error and exit 1, never
a hang; the dev server keeps serving and recovers once the file is gone.

Every command runs in a subprocess with a timeout: a hang fails the test instead of
wedging the suite (it is a guard, not a timing assertion). The address space is capped
too, so reading /dev/zero to the end fails fast instead of eating the machine's memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import queue
import resource
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, preview_server, write_files

from briefgen.config import load_config
from briefgen.serve import server as serve_server
from briefgen.serve.app import ServeOptions, serving
from briefgen.serve.paths import Target

pytestmark = pytest.mark.hostile

GUARD_SECONDS = 20
GOOD = "---\ntitle: Good\ndate: 2025-01-01\n---\n\nText about [Putin]{.actor}.\n"
SITE = {
    "briefgen.yaml": "title: Special files\n",
    "content/actors.yaml": "putin:\n  name: Vladimir Putin\n  aliases: [Putin]\n",
    "content/briefings/good.md": GOOD,
    "static/css/extra.css": "body { outline: 0 }\n",
}


def _limits() -> None:   # in the child: 2 GiB of address space at most
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def briefgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=GUARD_SECONDS,
                          preexec_fn=_limits, check=False)


def digest_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_special(path: Path, kind: str) -> None:
    """A FIFO, a listening Unix socket (bound by relative name: socket paths are short)
    or a symlink to /dev/zero at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        here = os.getcwd()
        os.chdir(path.parent)
        try:
            socket.socket(socket.AF_UNIX).bind(path.name)
        finally:
            os.chdir(here)
    else:
        path.symlink_to("/dev/zero")


def release(path: Path) -> None:
    """Let a reader blocked on the FIFO at ``path`` go (old code, or a failing test)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:   # no reader waiting, or not a FIFO
        return
    os.close(fd)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "site", SITE)
    proc = briefgen("build", "--quiet", "--jobs", "1", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.mark.parametrize("kind, rel", [
    ("FIFO", "content/briefings/pipe.md"),
    ("FIFO", "content/briefings/good.md"),         # replacing a source the last build read
    ("FIFO", "content/actors.yaml"),
    ("FIFO", "briefgen.yaml"),
    ("FIFO", "static/css/extra.css"),
    ("FIFO", "static/feed.bin"),
    ("FIFO", "templates/base.html"),
    ("FIFO", "templates/partials/unused.html"),
    ("socket", "content/briefings/pipe.md"),
    ("socket", "content/actors.yaml"),
    ("socket", "static/feed.bin"),
    ("socket", "templates/base.html"),
])
def test_build_refuses_a_special_file_with_its_path(built: Path, rel: str, kind: str) -> None:
    before = digest_tree(built / "public")
    make_special(built / rel, kind)
    try:
        proc = briefgen("build", "--quiet", "--jobs", "1", cwd=built)
    finally:
        release(built / rel)
    assert proc.returncode == 1, proc.stderr
    shown = rel if rel != "briefgen.yaml" else str(built / rel)
    assert f"{shown}: not a regular file (a {kind}); remove it" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert digest_tree(built / "public") == before


def test_configuration_given_as_a_device_is_refused(built: Path) -> None:
    proc = briefgen("build", "--config", "/dev/zero", cwd=built)
    assert proc.returncode == 1
    assert "/dev/zero: not a regular file (a character device); remove it" in proc.stderr


@pytest.mark.parametrize("kind", ["FIFO", "socket"])
def test_check_refuses_a_special_file_in_the_output(built: Path, kind: str) -> None:
    for rel in ("public/pipe.html", "public/css/pipe.css", "public/data.bin"):
        make_special(built / rel, kind)
    try:
        proc = briefgen("check", cwd=built)
    finally:
        release(built / "public/pipe.html")
        release(built / "public/css/pipe.css")
    assert proc.returncode == 1, proc.stderr
    for rel in ("pipe.html", "css/pipe.css", "data.bin"):
        assert f"{rel}: not a regular file (a {kind}); remove it" in proc.stderr


@pytest.mark.parametrize("kind", ["FIFO", "device"])
def test_draft_refuses_a_special_article(built: Path, kind: str) -> None:
    make_special(built / "seeds/article.txt", kind)
    try:
        proc = briefgen("draft", "seeds/article.txt", "--stdout", cwd=built)
    finally:
        release(built / "seeds/article.txt")
    assert proc.returncode == 1, proc.stderr
    name = "a FIFO" if kind == "FIFO" else "a character device"
    assert f"seeds/article.txt: not a regular file ({name}); remove it" in proc.stderr


def test_draft_reads_dev_zero_no_further_than_its_limit(built: Path) -> None:
    proc = briefgen("draft", "/dev/zero", "--stdout", cwd=built)
    assert proc.returncode == 1, proc.stderr
    assert "/dev/zero: not a regular file (a character device)" in proc.stderr


def test_draft_refuses_an_article_over_two_mib(built: Path) -> None:
    (built / "seeds").mkdir()
    (built / "seeds/huge.txt").write_bytes(b"Words and more words. " * 100_000)
    proc = briefgen("draft", "seeds/huge.txt", "--stdout", cwd=built)
    assert proc.returncode == 1, proc.stderr
    assert "seeds/huge.txt: too large to draft (2,200,000 bytes; the limit is 2 MiB)" \
        in proc.stderr


def test_draft_never_writes_into_a_fifo(built: Path) -> None:
    write_files(built, {"seeds/talks.txt": "Talks resumed in Geneva on Monday.\n\nMore.\n"})
    make_special(built / "content/briefings/talks.md", "FIFO")
    try:
        proc = briefgen("draft", "seeds/talks.txt", "--force", cwd=built)
    finally:
        release(built / "content/briefings/talks.md")
    assert proc.returncode == 1, proc.stderr
    assert "content/briefings/talks.md: not a regular file (a FIFO)" in proc.stderr


def test_publish_refuses_a_special_file_in_the_site(built: Path) -> None:
    make_special(built / "public/pipe.html", "FIFO")
    try:
        proc = briefgen("publish", "dir", str(built.parent / "www"), "--relative-ok",
                        cwd=built)
    finally:
        release(built / "public/pipe.html")
    assert proc.returncode == 1, proc.stderr
    assert "pipe.html: not a regular file (a FIFO); remove it" in proc.stderr
    assert not (built.parent / "www").exists()


# --- the dev server ----------------------------------------------------------------------

@contextmanager
def preview(root: Path):
    reports: queue.Queue = queue.Queue()
    with serving(lambda: load_config(root / "briefgen.yaml"), ServeOptions(port=0),
                 out=io.StringIO(), err=io.StringIO()) as session:
        session.preview.listeners.append(reports.put)
        yield session, reports


def get(port: int, path: str) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=GUARD_SECONDS)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for(reports: queue.Queue, wanted) -> None:
    """Take rebuild reports until one is ``wanted`` (a save may take two rebuilds)."""
    seen = []
    while not seen or not wanted(seen[-1]):
        try:
            seen.append(reports.get(timeout=GUARD_SECONDS))
        except queue.Empty:
            raise AssertionError(f"no such rebuild; saw {seen}") from None


@pytest.mark.parametrize("rel", ["content/briefings/pipe.md", "content/actors.yaml",
                                 "static/pipe.css", "templates/pipe.html"])
def test_serve_keeps_serving_and_recovers_once_the_fifo_is_gone(tmp_path: Path,
                                                                rel: str) -> None:
    root = write_files(tmp_path / "site", SITE)
    (root / "templates").mkdir()   # watched from the start (a new folder is seen later)
    pipe = root / rel
    message = f"{rel}: not a regular file (a FIFO); remove it"
    with preview(root) as (session, reports):
        original = pipe.read_bytes() if pipe.exists() else None
        try:
            make_special(pipe, "FIFO")
            wait_for(reports, lambda r: message in map(str, r.problems))
            status, body = get(session.server.port, "/briefings/good/")
            assert status == 200 and b"Vladimir Putin" in body and b"briefgen-errors" in body
        finally:
            release(pipe)
        pipe.unlink()
        if original is not None:
            pipe.write_bytes(original)
        wait_for(reports, lambda r: r.ok)
        status, body = get(session.server.port, "/briefings/good/")
        assert status == 200 and b"briefgen-errors" not in body


def test_serve_never_opens_a_special_file_in_the_output(tmp_path: Path, monkeypatch) -> None:
    out = write_files(tmp_path / "out", {"index.html": "<html><body>home</body></html>",
                                         "404.html": "<html><body>missing</body></html>"})
    make_special(out / "pipe.html", "FIFO")
    # A page swapped for a FIFO between the server's check and its read.
    monkeypatch.setattr(serve_server, "resolve_url_path",
                        lambda root, path: Target(200, out / "pipe.html"))
    try:
        with preview_server(out) as server:
            status, body = get(server.port, "/pipe.html")
    finally:
        release(out / "pipe.html")
    assert status == 404 and b"pipe" not in body
