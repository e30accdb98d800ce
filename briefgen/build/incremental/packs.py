"""Parsed briefings on disk, many to a file.

A parse worker stores the briefings of one chunk of sources in one *pack*
(``packs/<name>.pack``): creating a file is by far the slowest thing a cold build
asks of some file systems, and a pack per chunk instead of a file per briefing
saves thousands of them. A pack starts with its table of contents (each entry's
content key and the sizes of its two pickles, as JSON), so any process can find an
entry by key from the folder alone, then holds each entry's full-content fields
pickle and summary pickle side by side.

Everything in a pack is sealed (see ``briefgen.cachekey``): the table of contents
as a whole, and each pickle with its entry's content key, checked before it is
unpickled, so a planted, foreign or damaged pack is never loaded, only ignored.
Every size read from a pack is checked against the file's size before use.

A pack is written once, atomically, under a name no other write uses, and never
changed; it is deleted when no source uses any of its entries and it is older than
the build that prunes (``prune_packs``), so a pack another process is writing or
has just written is never lost.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import secrets
import struct
import time
from typing import NamedTuple

from briefgen.cachekey import MAC_SIZE, Seal, load_seal, read_regular
from briefgen.files import write_file

PACK_SUFFIX = ".pack"
_MAGIC = b"BGPK2\n"
_HEADER = struct.Struct("<Q")          # the table of contents' size in bytes
_TOP = len(_MAGIC) + _HEADER.size + MAC_SIZE   # what precedes the table of contents
# What reading a damaged cache file, or unpickling what an older briefgen sealed,
# can raise.
LOAD_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               TypeError, ValueError, struct.error, IndexError, KeyError, MemoryError,
               OverflowError, RecursionError)


class Location(NamedTuple):
    """Where one entry lies: its pack's name, its offset and its two pickles' sizes
    (each pickle follows its MAC); and its content key, which the MACs cover."""

    pack: str
    offset: int
    fields_size: int
    summary_size: int
    key: str = ""


class PackWriter:
    """Collects entries in memory and writes them as one pack on ``close``."""

    def __init__(self, folder: str, seal: Seal | None = None):
        self.folder = folder
        self.seal = seal or machine_seal()
        self._entries: list[tuple[str, bytes, bytes]] = []

    def add(self, key: str, fields: bytes, summary: bytes) -> None:
        """Queue one entry: its content key and its two pickles."""
        self._entries.append((key, fields, summary))

    def close(self) -> dict[str, Location]:
        """Write the pack and return where each entry lies; nothing is written when
        no entry was added. Raises OSError when the pack cannot be written."""
        if not self._entries:
            return {}
        name = f"{os.getpid()}-{time.time_ns()}-{secrets.token_hex(4)}"
        sizes = [(key, len(fields), len(summary)) for key, fields, summary in self._entries]
        toc = json.dumps(sizes, separators=(",", ":")).encode("utf-8")
        locations = _locations(name, len(toc), sizes)
        chunks = [_MAGIC, _HEADER.pack(len(toc)), self.seal.mac(b"toc", toc), toc]
        mac = self.seal.mac
        for key, fields, summary in self._entries:
            chunks += (mac(_label(key, False), fields), fields,
                       mac(_label(key, True), summary), summary)
        path = os.path.join(self.folder, name + PACK_SUFFIX)
        tmp = f"{path}.{os.getpid()}.tmp"
        write_file(tmp, *chunks)
        os.replace(tmp, path)
        self._entries = []
        return locations


class PackReader:
    """Reads entries from packs, keeping the last pack it read whole.

    A build reads the full content of its briefings in about the order their packs
    were written, so one read of a pack serves dozens of entries in a row instead
    of an open, seek and read each. A pack never changes once written, so what was
    read stays right even if the pack is deleted afterwards.
    """

    def __init__(self, folder: str, seal: Seal | None = None):
        self.folder = folder
        self.seal = seal or machine_seal()
        self._pack: str | None = None
        self._data = b""

    def read(self, location: Location, summary: bool = False) -> bytes | None:
        """The fields pickle (or the summary pickle) of the entry at ``location``, if
        present and sealed for its key; None otherwise."""
        if location.pack != self._pack:
            try:
                data = read_regular(os.path.join(self.folder, location.pack + PACK_SUFFIX))
            except (OSError, MemoryError):
                return None
            self._pack, self._data = location.pack, data
        offset, size = location.offset, location.fields_size
        if summary:
            offset, size = offset + MAC_SIZE + location.fields_size, location.summary_size
        mac = self._data[offset:offset + MAC_SIZE]
        data = self._data[offset + MAC_SIZE:offset + MAC_SIZE + size]
        if len(data) != size or not self.seal.verify(_label(location.key, summary), data, mac):
            return None
        return data


def machine_seal() -> Seal:
    """This machine's seal (or, when its key is unusable, one of this process)."""
    return load_seal()[0]


def _label(key: str, summary: bool) -> bytes:
    """What one pickle of an entry is sealed for: its kind and its entry's key."""
    return (b"summary:" if summary else b"fields:") + key.encode("utf-8", "surrogatepass")


def read_catalog(folder: str, seal: Seal | None = None) -> dict[str, Location]:
    """Every entry of every readable pack in ``folder`` sealed with ``seal`` (by
    default the machine's), by content key."""
    seal = seal or machine_seal()
    catalog: dict[str, Location] = {}
    try:
        entries = sorted((e for e in os.scandir(folder) if e.name.endswith(PACK_SUFFIX)),
                         key=lambda e: e.name)
    except OSError:
        return catalog
    for entry in entries:
        try:
            st = entry.stat()
        except OSError:
            continue
        catalog.update(_pack_locations(entry.path, st.st_mtime_ns, st.st_size, seal))
    return catalog


@functools.lru_cache(maxsize=4096)
def _pack_locations(path: str, mtime_ns: int, size: int, seal: Seal) -> dict[str, Location]:
    """Where each entry of one pack lies (nothing for a damaged or foreign pack, whose
    entries are then parsed again). Remembered per process by the file's stat, since
    a pack never changes once written: a preview looks a key up after every edit, and
    workers forked for a build inherit what the builder already read. Callers must
    not change the dict."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            top = handle.read(_TOP)
            (toc_size,) = _HEADER.unpack_from(top, len(_MAGIC))
            if not top.startswith(_MAGIC) or toc_size > size - _TOP:
                return {}
            toc = handle.read(toc_size)
        if not seal.verify(b"toc", toc, top[-MAC_SIZE:]):
            return {}
        sizes = json.loads(toc)
        locations = _locations(os.path.basename(path).removesuffix(PACK_SUFFIX), toc_size, sizes)
    except (*LOAD_ERRORS, UnicodeDecodeError):
        return {}
    end = max((at.offset + 2 * MAC_SIZE + at.fields_size + at.summary_size
               for at in locations.values()), default=0)
    return locations if end <= size else {}


def _locations(name: str, toc_size: int, sizes: list) -> dict[str, Location]:
    """Where each entry of a pack lies, from its table of contents (the one layout
    the writer and readers share)."""
    offset = _TOP + toc_size
    locations = {}
    for key, fields_size, summary_size in sizes:
        if not (isinstance(key, str) and type(fields_size) is int and type(summary_size) is int
                and fields_size >= 0 and summary_size >= 0):
            raise ValueError("a damaged table of contents")
        locations[key] = Location(name, offset, fields_size, summary_size, key)
        offset += 2 * MAC_SIZE + fields_size + summary_size
    return locations


def count_packs(folder: str) -> int:
    """How many packs ``folder`` holds."""
    try:
        with os.scandir(folder) as entries:
            return sum(1 for entry in entries if entry.name.endswith(PACK_SUFFIX))
    except OSError:
        return 0


def prune_packs(folder: str, keep: set[str], before: float) -> None:
    """Delete the packs not named in ``keep`` and last changed before ``before`` (a
    wall-clock time: packs written since may be another process's, still unknown to
    the caller), and temporary files an interrupted build left over an hour ago."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    stale = time.time() - 3600
    for entry in entries:
        name = entry.name
        try:
            if name.endswith(PACK_SUFFIX):
                if (name.removesuffix(PACK_SUFFIX) not in keep
                        and entry.stat().st_mtime < before):
                    os.unlink(entry.path)
            elif name.endswith(".tmp") and entry.stat().st_mtime < stale:
                os.unlink(entry.path)
        except OSError:
            pass
