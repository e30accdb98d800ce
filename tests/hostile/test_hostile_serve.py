"""The dev server under abuse: traversal in every encoding, foreign hosts and origins,
200 connections held open, clients vanishing mid-response. Everyone else is answered."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path

import pytest
from conftest import preview_server

from briefgen.serve.server import PreviewServer

pytestmark = pytest.mark.hostile

SECRET = "TOP-SECRET-OUTSIDE"


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "secret.txt").write_text(SECRET)
    out = tmp_path / "out"
    (out / "briefings/talks").mkdir(parents=True)
    (out / "index.html").write_text("<html><body><p>home page</p></body></html>")
    (out / "404.html").write_text("<html><body><p>missing</p></body></html>")
    (out / "briefings/talks/index.html").write_text("<html><body>talks</body></html>")
    (out / "big.bin").write_bytes(b"x" * (8 * 1024 * 1024))
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path)
    with preview_server(out) as server:
        yield server


def raw(server: PreviewServer, target: str, host: str | None = None,
        extra: str = "") -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{server.port}'}\r\n"
                     f"{extra}Connection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def home_is_served(server: PreviewServer) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/", headers={"Host": f"127.0.0.1:{server.port}"})
    response = conn.getresponse()
    ok = response.status == 200 and b"home page" in response.read()
    conn.close()
    return ok


TRAVERSALS = [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
    "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt",
    "/..%5Csecret.txt", "/..\\secret.txt", "/%252e%252e%252fsecret.txt",
    "/%25252e%25252e/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%u002e%u002e/secret.txt",
    "/briefings/../../secret.txt", "/briefings/%2e%2e/%2e%2e/secret.txt",
    "//../secret.txt", "///secret.txt", "/%2fsecret.txt", "/" + str(Path("/etc/passwd")),
    "/%2fetc%2fpasswd", "/C:%5cWindows%5cwin.ini", "/leak.txt", "/leakdir/secret.txt",
    "/leakdir/%2e%2e/secret.txt", "/%00/secret.txt", "/index.html%00.txt",
    "http://127.0.0.1/../secret.txt", "*",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_in_every_encoding_is_refused(server, target: str) -> None:
    answer = raw(server, target)
    assert status(answer) in (400, 403, 404)
    assert SECRET.encode() not in answer and b"root:" not in answer


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "[::1]:1"])
def test_foreign_host_header_is_refused(server, host: str) -> None:
    answer = raw(server, "/", host=host)
    assert status(answer) in (400, 403)
    assert b"home page" not in answer


@pytest.mark.parametrize("origin", ["http://evil.example", "null",
                                    "http://127.0.0.1.evil.example"])
def test_cross_origin_reload_endpoint_is_refused(server, origin: str) -> None:
    answer = raw(server, "/__briefgen/events?build=tok-1", extra=f"Origin: {origin}\r\n")
    assert status(answer) == 403


def test_200_connections_held_open_do_not_block_others(server) -> None:
    held = []
    try:
        for i in range(200):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            if i % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            held.append(sock)
        started = time.monotonic()
        assert home_is_served(server)
        assert time.monotonic() - started < 5
    finally:
        for sock in held:
            sock.close()
    assert home_is_served(server)


def test_clients_vanishing_mid_response_leave_the_server_up(server) -> None:
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        sock.recv(1024)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # reset while the server is still sending
    assert home_is_served(server)


def test_garbage_requests_are_answered_or_dropped(server) -> None:
    for junk in (b"\x00\xff" * 100 + b"\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
                 b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(junk)
            try:
                sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                pass
    assert home_is_served(server)
