"""Parsed briefings on disk, many to a file.

A parse worker stores the briefings of one chunk of sources in one *pack*
(``packs/<name>.pack``): creating a file is by far the slowest thing a cold build
asks of some file systems, and a pack per chunk instead of a file per briefing
saves thousands of them. A pack starts with its table of contents (each entry's
content key and where its two pickles lie), so any process can find an entry by
key from the folder alone, then holds each entry's full-content fields pickle and
summary pickle side by side.

A pack is written once, atomically, under a name no other write uses, and never
changed; it is deleted when no source uses any of its entries and it is older than
the build that prunes (``prune_packs``), so a pack another process is writing or
has just written is never lost.
"""

from __future__ import annotations

import functools
import os
import pickle
import secrets
import struct
import time
from typing import NamedTuple

from briefgen.files import write_file

PACK_SUFFIX = ".pack"
_MAGIC = b"BGPK1\n"
_HEADER = struct.Struct("<Q")          # the table of contents' size in bytes
# What reading a damaged or foreign cache file can raise.
LOAD_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               TypeError, ValueError, struct.error)


class Location(NamedTuple):
    """Where one entry lies: its pack's name and the offsets of its two pickles."""

    pack: str
    offset: int
    fields_size: int
    summary_size: int


class PackWriter:
    """Collects entries in memory and writes them as one pack on ``close``."""

    def __init__(self, folder: str):
        self.folder = folder
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
        toc = pickle.dumps(sizes, protocol=pickle.HIGHEST_PROTOCOL)
        locations = _locations(name, len(toc), sizes)
        chunks = [_MAGIC, _HEADER.pack(len(toc)), toc]
        for _, fields, summary in self._entries:
            chunks += (fields, summary)
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

    def __init__(self, folder: str):
        self.folder = folder
        self._pack: str | None = None
        self._data = b""

    def read(self, location: Location, summary: bool = False) -> bytes | None:
        """The fields pickle (or the summary pickle) of one entry; None if unreadable."""
        if location.pack != self._pack:
            try:
                with open(os.path.join(self.folder, location.pack + PACK_SUFFIX), "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            self._pack, self._data = location.pack, data
        offset, size = location.offset, location.fields_size
        if summary:
            offset, size = offset + location.fields_size, location.summary_size
        data = self._data[offset:offset + size]
        return data if len(data) == size else None


def read_catalog(folder: str) -> dict[str, Location]:
    """Every entry of every readable pack in ``folder``, by content key."""
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
        catalog.update(_pack_locations(entry.path, st.st_mtime_ns, st.st_size))
    return catalog


@functools.lru_cache(maxsize=4096)
def _pack_locations(path: str, mtime_ns: int, size: int) -> dict[str, Location]:
    """Where each entry of one pack lies (nothing for a damaged pack, whose entries
    are then parsed again). Remembered per process by the file's stat, since a pack
    never changes once written: a preview looks a key up after every edit, and workers
    forked for a build inherit what the builder already read. Callers must not
    change the dict."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                return {}
            (toc_size,) = _HEADER.unpack(handle.read(_HEADER.size))
            sizes = pickle.loads(handle.read(toc_size))
        return _locations(os.path.basename(path).removesuffix(PACK_SUFFIX), toc_size, sizes)
    except LOAD_ERRORS:
        return {}


def _locations(name: str, toc_size: int, sizes: list) -> dict[str, Location]:
    """Where each entry of a pack lies, from its table of contents (the one layout
    the writer and readers share)."""
    offset = len(_MAGIC) + _HEADER.size + toc_size
    locations = {}
    for key, fields_size, summary_size in sizes:
        locations[key] = Location(name, offset, fields_size, summary_size)
        offset += fields_size + summary_size
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
