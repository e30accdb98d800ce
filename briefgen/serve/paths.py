"""Which file a request may see, and which requests may be answered at all.

``resolve_url_path`` decodes the URL path once, refuses ``..``, backslashes and
NUL bytes, then resolves symlinks and checks the result still lies inside the
output folder: no encoding trick or symlink reaches a file outside it.
``host_allowed`` and ``origin_allowed`` refuse DNS-rebinding and cross-site use.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit


@dataclass(frozen=True)
class Target:
    """The outcome for one URL path: a file to send, a redirect, or an error status."""

    status: int
    file: Path | None = None
    location: str | None = None


NOT_FOUND = Target(404)
BAD_REQUEST = Target(400)


def resolve_url_path(root: Path, url_path: str) -> Target:
    """Map a request path (``/a/b/`` with %-escapes, no query) to a file under ``root``.

    Directories answer with their ``index.html`` (never a listing) and ``/dir``
    redirects to ``/dir/``.
    """
    if not url_path.startswith("/"):
        return BAD_REQUEST
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return BAD_REQUEST
    if "\\" in decoded or "\x00" in decoded:
        return BAD_REQUEST
    segments = [segment for segment in decoded.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        return BAD_REQUEST
    root = root.resolve()
    real = _resolve_inside(root, root.joinpath(*segments))
    if real is None:
        return NOT_FOUND
    if real.is_dir():
        if not decoded.endswith("/"):
            # Rebuilt from the segments so "//host" can never become a foreign redirect.
            return Target(301, location="/" + "".join(quote(s) + "/" for s in segments))
        index = _resolve_inside(root, real / "index.html")
        return Target(200, index) if index is not None and index.is_file() else NOT_FOUND
    if real.is_file() and not decoded.endswith("/"):
        return Target(200, real)
    return NOT_FOUND


def _resolve_inside(root: Path, path: Path) -> Path | None:
    """``path`` with every symlink followed, or None if missing or outside ``root``."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) else None


_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def split_host_header(value: str) -> tuple[str, int | None] | None:
    """``"Example.org:8000"`` → ``("example.org", 8000)``; ``[::1]:80`` → ``("::1", 80)``."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/@?# \t\\"):
        return None
    if value.startswith("["):
        host, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else ""
    elif value.count(":") > 1:
        return None  # a bare IPv6 address without brackets is not a valid Host
    else:
        host, _, port_text = value.partition(":")
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        return None
    if not host:
        return None
    return host.rstrip("."), int(port_text) if port_text else None


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    ip = _ip(host)
    return host == "localhost" if ip is None else ip.is_loopback


@functools.cache
def _machine_names() -> frozenset[str]:
    """This machine's names, looked up once (a DNS query per request would be slow)."""
    return frozenset({socket.gethostname().lower(), socket.getfqdn().lower()})


def host_allowed(header: str | None, bound_host: str, port: int) -> bool:
    """Is ``header`` (the request's Host) a name this server was meant to be reached by?

    A page on an attacker's domain that re-points its DNS at 127.0.0.1 still
    sends its own domain as Host, so such requests are refused. Bound to all
    interfaces, any IP address and this machine's name are accepted.
    """
    parsed = split_host_header(header or "")
    if parsed is None:
        return False
    host, header_port = parsed
    if (header_port or 80) != port:
        return False
    bound = bound_host.strip("[]").lower()
    if host == bound:
        return True
    if is_loopback(bound) and host in _LOOPBACK_NAMES:
        return True
    bound_ip = _ip(bound)
    if bound == "" or (bound_ip is not None and bound_ip.is_unspecified):
        return (_ip(host) is not None or host in _LOOPBACK_NAMES
                or host in _machine_names())
    return False


def origin_allowed(origin: str | None, host_header: str | None) -> bool:
    """Same-origin only: no Origin (a same-origin GET) or ``http://`` + the Host header."""
    if origin is None:
        return True
    parts = urlsplit(origin.strip())
    return (parts.scheme == "http" and bool(host_header)
            and parts.netloc.lower() == (host_header or "").strip().lower()
            and parts.path in ("", "/"))
