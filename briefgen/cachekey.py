"""The key that proves a cache file was written by briefgen on this machine.

Cache files hold pickles and compiled templates, and loading those runs code: a
file planted in a repository, a pull request or a restored CI cache must never be
loaded. Every cache file is therefore sealed with an HMAC-SHA256 under a random key
that lives outside the site, in the user's cache folder (``$XDG_CACHE_HOME/briefgen/key``
or ``~/.cache/briefgen/key``; ``BRIEFGEN_CACHE_KEY_FILE`` names another file), and
its MAC is checked before a single byte of it is unpickled. A file that fails the
check is a cache miss.

When the key cannot be read or made, the build runs with a key of its own that is
never stored: what it caches serves this build alone, and nothing from disk is
trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

KEY_ENV = "BRIEFGEN_CACHE_KEY_FILE"
KEY_SIZE = 32
MAC_SIZE = 32   # SHA-256


class Seal:
    """Seals and checks cache data under one key. Equal seals hold equal keys."""

    __slots__ = ("_key", "persistent")

    def __init__(self, key: bytes, persistent: bool = True):
        self._key = key
        self.persistent = persistent   # False: a key of this build only, never stored

    def mac(self, label: bytes, data: bytes | memoryview) -> bytes:
        """The MAC of ``data`` for the purpose ``label`` (a file kind, an entry's key):
        data sealed for one purpose never passes for another."""
        h = hmac.new(self._key, label, hashlib.sha256)
        h.update(b"\x00")
        h.update(data)
        return h.digest()

    def seal(self, label: bytes, data: bytes) -> bytes:
        """``data`` with its MAC in front."""
        return self.mac(label, data) + data

    def open(self, label: bytes, blob: bytes) -> memoryview | None:
        """The data of a sealed ``blob`` if its MAC is right, else None."""
        if len(blob) < MAC_SIZE:
            return None
        view = memoryview(blob)
        data = view[MAC_SIZE:]
        return data if self.verify(label, data, view[:MAC_SIZE]) else None

    def verify(self, label: bytes, data: bytes | memoryview, mac: bytes | memoryview) -> bool:
        """Whether ``mac`` is the MAC of ``data`` for ``label`` (in constant time)."""
        return hmac.compare_digest(self.mac(label, data), mac)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Seal) and hmac.compare_digest(self._key, other._key)

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:   # never show the key in a traceback or a log
        return f"Seal(persistent={self.persistent})"

    def __getstate__(self) -> tuple:
        return self._key, self.persistent

    def __setstate__(self, state: tuple) -> None:
        self._key, self.persistent = state


def key_path(environ: os._Environ | dict | None = None) -> Path:
    """Where the key lives: ``BRIEFGEN_CACHE_KEY_FILE``, else the user's cache folder."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_ENV):
        return Path(environ[KEY_ENV]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or ""
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return folder / "briefgen" / "key"


def load_seal(path: Path | None = None) -> tuple[Seal, str | None]:
    """The machine's seal, creating its key on first use; with a warning, and a key
    for this build alone, when the key file cannot be read or made."""
    try:
        path = key_path() if path is None else path
        return Seal(_read_or_create(path)), None
    except (OSError, RuntimeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        where = path if path is not None else "(no home folder)"
        return Seal(secrets.token_bytes(KEY_SIZE), persistent=False), (
            f"the build cache is off for this build: its key {where} cannot be used "
            f"({reason}); fix or delete that file, or set {KEY_ENV} to a writable path")


def _read_or_create(path: Path) -> bytes:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    try:
        os.write(fd, secrets.token_bytes(KEY_SIZE))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # A hard link creates the key only if no other process made one meanwhile,
        # and never shows a half-written key.
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:   # no hard links here: take this key (at worst, one cache miss)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    """The key in ``path``: a regular file of ``KEY_SIZE`` bytes that only its owner,
    this user, can read or write (else anyone who could read it could forge files)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file")
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            raise ValueError("it must belong to this user with mode 600")
        key = os.read(fd, KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_SIZE:
        raise ValueError(f"it must hold exactly {KEY_SIZE} bytes")
    return key


def read_regular(path: str | os.PathLike) -> bytes:
    """The bytes of ``path`` if it is a regular file (a FIFO or device in the cache
    folder must not hang a build); raises OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file", str(path))
        return handle.read()
