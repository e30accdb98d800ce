"""briefgen serve, without a browser: safe paths, Host and Origin checks, content
types, the 404 page, injection, change classification and the debouncer."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import preview_server, write_files
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from briefgen.errors import Problem
from briefgen.serve.events import Status
from briefgen.serve.paths import host_allowed, origin_allowed, resolve_url_path
from briefgen.serve.server import (
    PreviewServer,
    add_base,
    content_type,
    inject,
    injection,
)
from briefgen.serve.watch import (
    Change,
    ChangeKind,
    Debouncer,
    Touch,
    WatchedPaths,
    _Forward,
    classify,
    describe,
    is_css_only,
)

SECRET = "TOP-SECRET-OUTSIDE"


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """A built-looking output folder, with a secret next to it and symlinks in and out."""
    (tmp_path / "secret.txt").write_text(SECRET)
    out = write_files(tmp_path / "out", {
        "index.html": "<!DOCTYPE html><html><head><title>Home</title></head>"
                      "<body><p>home page</p></body></html>",
        "404.html": "<!DOCTYPE html><html><head><title>Missing</title></head>"
                    "<body><p>theme not found page</p></body></html>",
        "briefings/talks/index.html": "<html><body><p>talks</p></body></html>",
        "assets/style.css": "body { color: black }",
        "assets/app.js": "console.log(1)",
        "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "feed.xml": "<?xml version='1.0'?><feed/>",
        "search.json": "{}",
        "noindex/readme.txt": "no index here",
        "data.bin": b"\x00\x01",
    })
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path)
    (out / "alias.css").symlink_to(out / "assets" / "style.css")
    return out


# --- resolve_url_path -------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/..\\secret.txt",
    "/assets/../../secret.txt",
    "/./../secret.txt",
    "/%00/secret.txt",
    "/index.html%00.css",
    "/%ff%fe",
])
def test_traversal_is_refused(output: Path, url: str):
    assert resolve_url_path(output, url).status == 400


@pytest.mark.parametrize("url", [
    "/%252e%252e/secret.txt",      # double encoding: decoded once, a literal name
    "/%252e%252e%252fsecret.txt",
    "/etc/passwd",                 # absolute paths stay inside the output
    "//etc/passwd",
    "/leak.txt",                   # symlink to a file outside
    "/leakdir/secret.txt",         # symlink to a folder outside
    "/leakdir/",
    "/noindex/",                   # a folder without index.html: no listing
    "/assets/",
    "/assets/style.css/",          # a file is not a folder
    "/missing",
])
def test_outside_or_missing_is_not_found(output: Path, url: str):
    assert resolve_url_path(output, url).status == 404


def test_index_redirect_and_symlink_inside(output: Path):
    assert resolve_url_path(output, "/").file == output / "index.html"
    assert resolve_url_path(output, "/briefings/talks/").file == (
        output / "briefings/talks/index.html")
    assert resolve_url_path(output, "/briefings/talks").location == "/briefings/talks/"
    # Rebuilt from the path segments: never a protocol-relative //host redirect.
    assert resolve_url_path(output, "//briefings//talks").location == "/briefings/talks/"
    assert resolve_url_path(output, "/alias.css").file == output / "assets" / "style.css"
    assert resolve_url_path(output, "/assets/%73tyle.css").status == 200


# --- Host and Origin --------------------------------------------------------------

@pytest.mark.parametrize("header, bound, port, ok", [
    ("127.0.0.1:8000", "127.0.0.1", 8000, True),
    ("localhost:8000", "127.0.0.1", 8000, True),
    ("LOCALHOST:8000", "127.0.0.1", 8000, True),
    ("[::1]:8000", "127.0.0.1", 8000, True),
    ("localhost:8000", "::1", 8000, True),
    ("evil.example:8000", "127.0.0.1", 8000, False),
    ("localhost.evil.example:8000", "127.0.0.1", 8000, False),
    ("127.0.0.1:9999", "127.0.0.1", 8000, False),
    ("127.0.0.1", "127.0.0.1", 8000, False),
    ("127.0.0.1", "127.0.0.1", 80, True),
    ("", "127.0.0.1", 8000, False),
    (None, "127.0.0.1", 8000, False),
    ("user@127.0.0.1:8000", "127.0.0.1", 8000, False),
    ("127.0.0.1:8000/x", "127.0.0.1", 8000, False),
    ("192.168.1.5:8000", "0.0.0.0", 8000, True),
    ("evil.example:8000", "0.0.0.0", 8000, False),
    ("preview.local:8000", "preview.local", 8000, True),
])
def test_host_allowed(header, bound, port, ok):
    assert host_allowed(header, bound, port) is ok


@pytest.mark.parametrize("origin, ok", [
    (None, True),
    ("http://127.0.0.1:8000", True),
    ("http://evil.example", False),
    ("http://127.0.0.1:9000", False),
    ("https://127.0.0.1:8000", False),
    ("null", False),
])
def test_origin_allowed(origin, ok):
    assert origin_allowed(origin, "127.0.0.1:8000") is ok


# --- injection ----------------------------------------------------------------------

def test_injection_goes_before_body_end_and_escapes_errors():
    status = Status("abc-1", (Problem("content/briefings/a.md", 3,
                                      "bad </script><img src=x onerror=alert(1)>"),))
    html = b"<html><body><p>x</p></BODY></html>"
    page = inject(html, injection(status))
    assert page.index(b"livereload.js") < page.index(b"</BODY>")
    assert page.count(b"</script>") == 2  # only the two tags added, no injected one
    data = page.split(b'id="briefgen-errors">')[1].split(b"</script>")[0]
    assert json.loads(data)[0]["text"].startswith("content/briefings/a.md:3: bad </script>")
    assert inject(b"<p>fragment", b"<s>") == b"<p>fragment\n<s>"


def test_add_base_only_when_missing():
    assert b'<base href="/">' in add_base(b"<html><head><title>x</title></head></html>")
    assert add_base(b'<head><base href="/x/"></head>') == b'<head><base href="/x/"></head>'


@pytest.mark.parametrize("name, kind", [
    ("a.html", "text/html; charset=utf-8"),
    ("a.css", "text/css; charset=utf-8"),
    ("a.js", "text/javascript; charset=utf-8"),
    ("a.json", "application/json; charset=utf-8"),
    ("a.xml", "application/xml; charset=utf-8"),
    ("a.svg", "image/svg+xml; charset=utf-8"),
    ("a.png", "image/png"),
    ("a.woff2", "font/woff2"),
    ("a.unknownext", "application/octet-stream"),
])
def test_content_type(name, kind):
    assert content_type(Path(name)) == kind


# --- the server over real sockets ------------------------------------------------------

@pytest.fixture
def server(output: Path):
    with preview_server(output) as server:
        yield server


def request(server: PreviewServer, path: str, host: str | None = None,
            headers: dict | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host or f"127.0.0.1:{server.port}")
    for key, value in (headers or {}).items():
        conn.putheader(key, value)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read() if method != "GET" or "events" not in path else b""
    conn.close()
    return response, body


def raw_request(server: PreviewServer, target: str) -> bytes:
    """Send the request line byte for byte (no client-side normalisation)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                     "Connection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
    "/%252e%252e%252fsecret.txt", "/leak.txt", "/leakdir/secret.txt",
    "//../secret.txt", "/..\\secret.txt",
    "http://127.0.0.1/../secret.txt",
])
def test_server_never_sends_outside_files(server, target: str):
    answer = raw_request(server, target)
    assert answer.split(b" ")[1] in (b"400", b"404")
    assert SECRET.encode() not in answer


def test_foreign_host_is_refused(server):
    response, body = request(server, "/", host=f"evil.example:{server.port}")
    assert response.status == 403
    assert b"home page" not in body
    response, _ = request(server, "/", host=f"localhost:{server.port}")
    assert response.status == 200


def test_cross_origin_event_stream_is_refused(server):
    response, _ = request(server, "/__briefgen/events",
                          headers={"Origin": "http://evil.example"})
    assert response.status == 403


def test_event_stream_sends_events(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/__briefgen/events?build=tok-1",
                 headers={"Origin": f"http://127.0.0.1:{server.port}"})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    assert response.readline() == b"retry: 1000\n"
    response.readline()
    deadline = time.monotonic() + 5
    while server.context.hub.subscriber_count == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.context.hub.announce(Status("tok-2", (Problem("a.md", 2, "broken"),)))
    assert response.readline() == b"event: errors\n"
    data = json.loads(response.readline().removeprefix(b"data: "))
    assert data["problems"][0]["text"] == "a.md:2: broken"
    conn.close()


def test_index_type_redirect_and_injection(server):
    response, body = request(server, "/briefings/talks")
    assert response.status == 301
    assert response.getheader("Location") == "/briefings/talks/"
    response, body = request(server, "/briefings/talks/?q=1")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b"/__briefgen/livereload.js" in body and b"talks" in body
    assert int(response.getheader("Content-Length")) == len(body)
    # The file on disk is never changed by the injection.
    assert b"livereload" not in (server.context.output / "briefings/talks/index.html").read_bytes()
    response, body = request(server, "/assets/style.css")
    assert response.getheader("Content-Type") == "text/css; charset=utf-8"
    assert b"livereload" not in body
    response, body = request(server, "/__briefgen/livereload.js")
    assert response.getheader("Content-Type") == "text/javascript; charset=utf-8"
    assert b"EventSource" in body


def test_404_page_from_the_output_and_no_listing(server):
    response, body = request(server, "/no/such/page/")
    assert response.status == 404
    assert b"theme not found page" in body
    assert b'<base href="/">' in body and b"livereload.js" in body
    response, body = request(server, "/noindex/")
    assert response.status == 404
    assert b"readme.txt" not in body


def test_head_and_unsupported_methods(server):
    response, body = request(server, "/", method="HEAD")
    assert response.status == 200 and body == b""
    assert int(response.getheader("Content-Length")) > 0
    response, _ = request(server, "/", method="POST")
    assert response.status in (405, 501)


def test_client_disconnecting_midway_does_not_hurt(server):
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    response, body = request(server, "/")
    assert response.status == 200 and b"home page" in body


# --- classification -----------------------------------------------------------------------

@pytest.fixture
def watched(tmp_path: Path) -> WatchedPaths:
    root = tmp_path
    return WatchedPaths(content=root / "content", actors=root / "content" / "actors.yaml",
                        config_file=root / "briefgen.yaml", theme=root / "themes" / "plain",
                        site_templates=root / "templates", site_static=root / "static",
                        output=root / "public")


@pytest.mark.parametrize("rel, kind", [
    ("content/briefings/a.md", ChangeKind.CONTENT),
    ("content/briefings/deep/b.md", ChangeKind.CONTENT),
    ("content/actors.yaml", ChangeKind.ACTORS),
    ("briefgen.yaml", ChangeKind.CONFIG),
    ("themes/plain/theme.yaml", ChangeKind.CONFIG),
    ("themes/plain/templates/base.html", ChangeKind.TEMPLATE),
    ("templates/briefing.html", ChangeKind.TEMPLATE),
    ("themes/plain/static/assets/style.css", ChangeKind.THEME_STATIC),
    ("static/logo.svg", ChangeKind.SITE_STATIC),
    ("static", ChangeKind.SITE_STATIC),
    ("public/index.html", None),
    ("content/briefings/.a.md.swp", None),
    ("content/briefings/a.md~", None),
    ("content/briefings/4913", None),
    ("content/briefings/#a.md#", None),
    ("content/.git/HEAD", None),
    ("README.md", None),
    ("other.yaml", None),
])
def test_classify(watched: WatchedPaths, tmp_path: Path, rel: str, kind):
    assert classify(tmp_path / rel, watched) is kind


def test_css_only_and_describe(tmp_path: Path):
    css = Change(ChangeKind.THEME_STATIC, tmp_path / "style.css")
    md = Change(ChangeKind.CONTENT, tmp_path / "a.md")
    logo = Change(ChangeKind.SITE_STATIC, tmp_path / "logo.svg")
    assert is_css_only([css]) and not is_css_only([css, md]) and not is_css_only([logo])
    assert not is_css_only([])
    many = [Change(ChangeKind.CONTENT, tmp_path / f"{n}.md") for n in range(5)]
    assert describe([md, css]) == "content: a.md; theme static: style.css"
    assert describe(many) == "content: 0.md, 1.md, 2.md and 2 more"


def test_debouncer_coalesces_a_burst(tmp_path: Path):
    batches: list[list[Path]] = []
    firsts: list[int] = []
    done = threading.Event()

    def flush(batch):
        batches.append(batch)
        done.set()

    debouncer = Debouncer(flush, delay=0.1, on_first=lambda: firsts.append(1))
    debouncer.start()
    try:
        for n in range(20):
            debouncer.add(tmp_path / f"{n % 3}.md")
        assert done.wait(5)
        time.sleep(0.3)
    finally:
        debouncer.stop()
    assert batches == [[tmp_path / "0.md", tmp_path / "1.md", tmp_path / "2.md"]]
    assert firsts == [1]


class Batches:
    """A debouncer's flushed batches, each with the seconds since ``mark()``."""

    def __init__(self) -> None:
        self.batches: list[tuple[float, list[Path]]] = []
        self.flushed = threading.Event()
        self.started = time.monotonic()

    def mark(self) -> None:
        self.started = time.monotonic()

    def __call__(self, batch: list[Path]) -> None:
        self.batches.append((time.monotonic() - self.started, batch))
        self.flushed.set()


@pytest.fixture
def debounced():
    """A debouncer that waits 3 s while a write may go on, 10 ms once it is over."""
    batches = Batches()
    firsts: list[int] = []
    debouncer = Debouncer(batches, delay=3.0, max_delay=10.0, settled_delay=0.01,
                          on_first=lambda: firsts.append(1))
    debouncer.start()
    yield debouncer, batches, firsts
    debouncer.stop()


def test_debouncer_flushes_soon_once_the_write_is_closed(debounced, tmp_path: Path):
    debouncer, batches, firsts = debounced
    source = tmp_path / "a.md"
    batches.mark()
    debouncer.add(source, Touch.CHANGED)   # truncated and written, maybe not yet whole
    debouncer.add(source, Touch.CLOSED)
    assert batches.flushed.wait(2.5)
    [(seconds, batch)] = batches.batches
    assert seconds < 1.0 and batch == [source]
    assert firsts == [1]


def test_debouncer_waits_the_full_delay_while_a_file_may_be_mid_write(debounced,
                                                                      tmp_path: Path):
    debouncer, batches, _ = debounced
    closed, open_ = tmp_path / "a.md", tmp_path / "b.md"
    batches.mark()
    debouncer.add(closed, Touch.CHANGED)
    debouncer.add(closed, Touch.CLOSED)
    debouncer.add(open_, Touch.CHANGED)   # a "save all" still writing the second file
    assert not batches.flushed.wait(1.0)
    assert batches.flushed.wait(5)
    assert batches.batches[0][0] >= 2.9 and batches.batches[0][1] == [closed, open_]


def test_debouncer_rename_save_waits_for_the_file_to_be_moved_in(debounced, tmp_path: Path):
    """An editor moves the old file away, then a new one into place: only the second
    event says the save is over (flushing between them would delete the briefing)."""
    debouncer, batches, _ = debounced
    source = tmp_path / "a.md"
    batches.mark()
    debouncer.add(source, Touch.CHANGED)   # moved away (to a.md~)
    assert not batches.flushed.wait(0.5)
    debouncer.add(source, Touch.WRITTEN)   # a.md.tmp moved to a.md
    assert batches.flushed.wait(2)
    [(seconds, batch)] = batches.batches
    assert seconds < 2.0 and batch == [source]


def test_debouncer_ignores_a_close_with_nothing_pending(debounced, tmp_path: Path):
    debouncer, batches, firsts = debounced
    debouncer.add(tmp_path / "a.md", Touch.CLOSED)   # opened for writing, never written
    assert not batches.flushed.wait(0.3)
    assert firsts == []


def test_forward_says_what_each_event_means(tmp_path: Path):
    seen: list[tuple[str, Touch]] = []
    forward = _Forward(lambda path, touch: seen.append((path.name, touch)))
    for event in [FileModifiedEvent(str(tmp_path / "a.md")),
                  FileClosedEvent(str(tmp_path / "a.md")),
                  FileMovedEvent(str(tmp_path / "b.tmp"), str(tmp_path / "b.md")),
                  FileOpenedEvent(str(tmp_path / "c.md")),
                  FileClosedNoWriteEvent(str(tmp_path / "c.md")),
                  DirModifiedEvent(str(tmp_path))]:
        forward.dispatch(event)
    assert seen == [("a.md", Touch.CHANGED), ("a.md", Touch.CLOSED),
                    ("b.tmp", Touch.CHANGED), ("b.md", Touch.WRITTEN)]
