"""Serve a built output folder over HTTP on 127.0.0.1 in a thread, for browser tests and
the Lighthouse bench."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

# What a production host (nginx with gzip on, GitHub Pages, Netlify) sends compressed.
COMPRESSED = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"})


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    not_found: Path | None = None
    compress: bool = False

    def log_message(self, format: str, *args) -> None:
        pass

    def _accepts_gzip(self) -> bool:
        return self.compress and "gzip" in self.headers.get("Accept-Encoding", "")

    def send_head(self):
        """A text file goes out gzip-compressed when asked to compress and the client
        accepts it; everything else (folders without a slash, binaries) as usual."""
        if not self._accepts_gzip():
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self._send_body_headers(body, compressed=True)
        return io.BytesIO(body)

    def _send_body_headers(self, body: bytes, *, compressed: bool) -> None:
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        if self.compress:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing file gets the site's own 404 page, as nginx's ``error_page`` sends it."""
        if code != 404 or self.not_found is None:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        compressed = self._accepts_gzip()
        if compressed:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self._send_body_headers(body, compressed=compressed)
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@contextlib.contextmanager
def serve_directory(root: Path, not_found: Path | None = None, *,
                    compress: bool = False) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT/``) of a static server for ``root``;
    a missing path gets ``not_found`` (an HTML file) with status 404, when given. With
    ``compress``, text files are sent gzip-compressed, as a production host sends them."""
    handler_class = type("Handler", (_QuietHandler,), {"not_found": not_found,
                                                        "compress": compress})
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def checked_page(browser, setup=None) -> Iterator:
    """A page in a fresh browser context that must log no error; ``setup(page)`` runs
    before the caller navigates (to attach listeners)."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if setup is not None:
        setup(page)
    try:
        yield page
        assert errors == []
    finally:
        context.close()
