"""The preview HTTP server: safe static files, injected live reload, SSE stream.

Served HTML gets a ``<script>`` for live reload (and, while the build is broken,
the errors as JSON data) added on the way out; the files on disk are never
touched. Internal URLs live under ``/__briefgen/``.
"""

from __future__ import annotations

import json
import mimetypes
import socket
import socketserver
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from briefgen.errors import SourceError
from briefgen.files import read_regular
from briefgen.serve.events import CLOSED, Hub, Status, event_for
from briefgen.serve.gate import BuildGate
from briefgen.serve.paths import host_allowed, origin_allowed, resolve_url_path

INTERNAL = "/__briefgen/"
EVENTS_URL = INTERNAL + "events"
SCRIPT_URL = INTERNAL + "livereload.js"
KEEPALIVE_SECONDS = 15.0

_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css",
    ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
    ".svg": "image/svg+xml", ".txt": "text/plain", ".md": "text/markdown",
    ".webmanifest": "application/manifest+json", ".ico": "image/x-icon",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".woff": "font/woff", ".woff2": "font/woff2",
    ".pdf": "application/pdf", ".wasm": "application/wasm",
}
_TEXTUAL = {"application/json", "application/xml", "application/rss+xml",
            "application/atom+xml", "image/svg+xml", "application/manifest+json",
            "application/javascript"}


def content_type(path: Path) -> str:
    """The Content-Type for a file; text types declare UTF-8 (briefgen writes UTF-8)."""
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXTUAL:
        kind += "; charset=utf-8"
    return kind


def _json_for_html(data: object) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def injection(status: Status) -> bytes:
    """The markup added before ``</body>``: the live-reload script and any errors."""
    parts = []
    if status.problems:
        parts.append('<script type="application/json" id="briefgen-errors">'
                     f"{_json_for_html(status.problems_data())}</script>")
    parts.append(f'<script src="{SCRIPT_URL}" data-build="{quote(status.build)}" defer>'
                 "</script>")
    return "\n".join(parts).encode("utf-8")


def inject(html: bytes, snippet: bytes) -> bytes:
    """``html`` with ``snippet`` inserted before the last ``</body>`` (or appended)."""
    at = html.lower().rfind(b"</body")
    if at < 0:
        return html + b"\n" + snippet
    return html[:at] + snippet + b"\n" + html[at:]


def add_base(html: bytes) -> bytes:
    """Give a page served at any depth (the 404 page) ``<base href="/">`` unless it has one."""
    lower = html.lower()
    if b"<base" in lower:
        return html
    head = lower.find(b"<head")
    end = lower.find(b">", head) if head >= 0 else -1
    if end < 0:
        return html
    return html[:end + 1] + b'\n<base href="/">' + html[end + 1:]


NO_SITE_PAGE = (b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                b"<title>briefgen: no site yet</title></head><body>"
                b"<h1>No site to show yet</h1><p>The site has not built successfully yet. "
                b"Fix the errors and save; this page reloads by itself.</p></body></html>")


@dataclass
class ServeContext:
    """What the request handler needs: where the site is and how it is doing."""

    output: Path
    hub: Hub
    gate: BuildGate
    live_reload: bool = True


class PreviewServer(ThreadingHTTPServer):
    """A threaded server whose request threads never block shutdown."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, context: ServeContext):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.context = context
        self.bound_host = host
        super().__init__((host, port), PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the bound host's full name; not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.bound_host, self.server_address[1]

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.bound_host}]" if ":" in self.bound_host else self.bound_host
        if host in ("0.0.0.0", "[::]", ""):
            host = "localhost"
        return f"http://{host}:{self.port}/"

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser went away mid-response: normal for a dev server
        super().handle_error(request, client_address)


def _load_script() -> bytes:
    return resources.files("briefgen.serve").joinpath("livereload.js").read_bytes()


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD only; every answer is built from the output folder or the hub."""

    server: PreviewServer
    server_version = "briefgen"
    script = _load_script()

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal shows one line per rebuild, not one per request

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        context = self.server.context
        if not host_allowed(self.headers.get("Host"), self.server.bound_host, self.server.port):
            self._send_text(HTTPStatus.FORBIDDEN, "Forbidden: unexpected Host header.\n", head)
            return
        path, _, query = self._request_path().partition("?")
        if path == SCRIPT_URL and context.live_reload:
            self._send(HTTPStatus.OK, self.script, "text/javascript; charset=utf-8", head)
        elif path == EVENTS_URL and context.live_reload:
            self._stream_events(query, head)
        else:
            self._send_site_file(path, query, head)

    def _request_path(self) -> str:
        """The path and query (no fragment); absolute-form targets reduced to their path."""
        target = self.path.partition("#")[0]
        if target.lower().startswith(("http://", "https://")):
            parts = urlsplit(target)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return target

    def _send_site_file(self, path: str, query: str, head: bool) -> None:
        context = self.server.context
        with context.gate.reading():
            target = resolve_url_path(context.output, path)
            if target.status == HTTPStatus.MOVED_PERMANENTLY:
                location = target.location + (f"?{query}" if query else "")
                self.send_response(target.status)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                return
            if target.status == HTTPStatus.BAD_REQUEST:
                self._send_text(HTTPStatus.BAD_REQUEST, "Bad request.\n", head)
                return
            file, status = target.file, HTTPStatus.OK
            if file is None:
                file, status = context.output / "404.html", HTTPStatus.NOT_FOUND
            try:   # regular files only: a FIFO in the output must not hold this thread
                body = read_regular(file, str(file))
            except SourceError:
                body, file = None, None
        if file is None:
            self._send_missing(head)
            return
        kind = content_type(file)
        if kind.startswith("text/html"):
            body = self._prepare_html(body, missing=status == HTTPStatus.NOT_FOUND)
        self._send(status, body, kind, head)

    def _send_missing(self, head: bool) -> None:
        """No page and no 404.html (the first build failed): a tiny page, still live."""
        if not (self.server.context.output / "index.html").exists():
            body = self._prepare_html(NO_SITE_PAGE, missing=False)
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", head)
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "Not found.\n", head)

    def _prepare_html(self, body: bytes, missing: bool) -> bytes:
        if missing:
            body = add_base(body)
        if self.server.context.live_reload:
            body = inject(body, injection(self.server.context.hub.status))
        return body

    def _stream_events(self, query: str, head: bool) -> None:
        """The Server-Sent Events stream one open page listens on."""
        if not origin_allowed(self.headers.get("Origin"), self.headers.get("Host")):
            self._send_text(HTTPStatus.FORBIDDEN, "Forbidden: cross-origin request.\n", head)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if head:
            return
        hub = self.server.context.hub
        subscription = hub.subscribe()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            seen = parse_qs(query).get("build", [""])[0]
            status = hub.status
            if status.problems or (seen and seen != status.build):
                self.wfile.write(event_for(status).encode())
            self.wfile.flush()
            while (event := subscription.get(KEEPALIVE_SECONDS)) is not CLOSED:
                self.wfile.write(event.encode() if event else b": keep-alive\n\n")
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            pass
        finally:
            hub.unsubscribe(subscription)
            self.close_connection = True

    def _send_text(self, status: int, text: str, head: bool) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", head)

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

