"""The on-disk build cache (``.briefgen-cache/``): what the last build saw and made.

Its entries:

* ``packs/<name>.pack`` — parsed briefings, one pack per chunk a worker parsed (see
  ``briefgen.build.incremental.packs``), each keyed by a hash of its path, its source bytes, the actor
  registry, the parse options and briefgen's version: two pickles per briefing, the
  full-content fields (``FULL_FIELDS``, all a page showing the briefing in full adds
  to its summary, read alone when rendering) and the summary;
* ``state.pickle`` — the last build's source stats and keys, and each output file's
  fingerprint and digest;
* ``summaries-<id>`` — the compact summary of every briefing, each pickle sealed on
  its own (with its content key and the file's id), so that a build which needs a
  few summaries (a body edit) reads and checks just those. A full save appends the
  summaries the file lacks as one more segment, sealed whole in the state file with
  its place, so that a build which needs them all checks them segment by segment;
  it writes a fresh file (a new id) when the state it loaded had none, or when the
  summaries no state refers to any more would fill half the file;
* ``shapes-<token>`` — the related lists' shapes of the state file of that token,
  read only by a build that ranks related lists again.

Every file is sealed with the machine's cache key (see ``briefgen.cachekey``) and
checked before it is unpickled: a missing, corrupt or foreign cache is simply
ignored, never loaded. The cache can make a build faster, never different.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import stat
import time
from array import array
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefgen import __version__
from briefgen.build.incremental.packs import (
    LOAD_ERRORS,
    Location,
    PackReader,
    PackWriter,
    count_packs,
    prune_packs,
    read_catalog,
)
from briefgen.cachekey import MAC_SIZE, Seal, load_seal, read_regular
from briefgen.errors import BriefgenError, Problem
from briefgen.indexes import RelatedMemo
from briefgen.model import Briefing

try:
    import fcntl
except ImportError:   # no flock: every full save writes a fresh summaries file
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from briefgen.build.incremental.outline import SiteOutline
    from briefgen.publication import Schedule
    from briefgen.sources.walk import SourceWalk

CACHE_DIR = ".briefgen-cache"
STATE_VERSION = 17
_STATE_MAGIC = b"BGST2\n"   # then the MAC of the pickle, then the pickle
_SUMMARIES_MAGIC = b"BGSM2\n"   # then segments of summaries: each pickle after its MAC
_SUMMARIES = "summaries-"    # the summaries file's name, before its id
_SHAPES = "shapes-"          # the related lists' shapes' file, before the state's token
# A full save writes a fresh summaries file rather than append once the summaries no
# state refers to (edited, deleted, an interrupted append's) would fill this share
# of it, or once it has this many segments.
_GARBAGE = 0.5
_SEGMENTS = 1000
# How long a full save waits for another build appending to the same file.
_LOCK_WAIT = 5.0
# After this many summaries read one by one, a build reads (and checks) the whole file.
_BULK_READS = 1024
# What a full briefing has beyond its summary (see workers.summarize).
FULL_FIELDS = ("body_html", "text", "sidebars", "sections", "word_count")


def digest(*parts: bytes | str) -> str:
    """A short, stable hex digest of the parts."""
    if all(isinstance(part, str) for part in parts):
        return digest_text(parts)
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def digest_text(parts: Sequence[str]) -> str:
    """``digest(*parts)`` for parts known to be text (the common, hot case)."""
    data = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class SourceState(NamedTuple):
    """What the last build knew about one source file."""

    mtime_ns: int
    size: int
    key: str                      # content key: path, bytes, registry, options, version
    summary_key: str = ""         # digest of the compact summary (what listing pages show)
    warnings: Sequence = ()
    ctime_ns: int = 0             # changes even when a copy restores the old mtime


class OutputState(NamedTuple):
    """One output file as the last build left it."""

    fingerprint: str
    digest: str
    size: int
    mtime_ns: int


@dataclass
class BuildState:
    """Everything a build needs from the previous one to skip unchanged work."""

    version: str = __version__
    state_version: int = STATE_VERSION
    parse_key: str = ""
    input_key: str = ""           # everything the output depends on, in one digest
    output_dir: str = ""
    counts: tuple[int, int, int] = (0, 0, 0)  # pages, briefings, actors of that build
    sources: dict[str, SourceState] = field(default_factory=dict)
    summaries: Mapping[str, Briefing] = field(default_factory=dict)   # content key -> summary
    outputs: dict[str, OutputState] = field(default_factory=dict)  # relative path -> state
    related: RelatedMemo | None = None
    templates_memo: tuple | None = None   # (template files' stats, template keys)
    registry_memo: tuple | None = None    # (actors.yaml's stat, registry, its problems)
    walk: SourceWalk | None = None        # the sources found, and how to trust that again
    # The summaries as the workers pickled them: saving the state copies these bytes
    # instead of pickling thousands of briefing objects again.
    summary_pickles: dict[str, bytes] = field(default_factory=dict)
    outline: SiteOutline | None = None   # the site's shape, for body-only rebuilds
    schedule: Schedule | None = None     # when the published briefings change next
    # Where each summary lies in the summaries file saved with this state (set when
    # the state is saved whole; see BuildCache.save_state).
    summary_table: SummaryTable | None = field(default=None, repr=False, compare=False)
    # Names the state file this state was saved as or loaded from, and its shapes' file.
    token: str = ""
    # What was applied on top of that file when it was loaded (see save_state).
    changes: dict | None = field(default=None, repr=False, compare=False)

    def summary_pickle(self, key: str) -> bytes:
        """The pickle of the summary of ``key`` (pickled now if not kept as one)."""
        return self.summary_pickles.get(key) or pickle.dumps(
            self.summaries[key], protocol=pickle.HIGHEST_PROTOCOL)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["changes"] = None
        if self.summary_table is None:
            raise ValueError("the summaries are saved before the state (BuildCache.save_state)")
        # The summaries live in their own file: a build that needs few reads few;
        # so do the related lists' shapes, which only a build that ranks them needs.
        state["summary_pickles"], state["summaries"] = None, None
        if self.related is not None:
            state["related"] = dataclasses.replace(self.related, shapes={})
        # Thousands of small records, stored as columns: pickling them as objects
        # takes most of the time a one-edit build spends loading and saving the state.
        state["sources"], state["outputs"] = _columns(self.sources), _columns(self.outputs)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.sources = _rows(SourceState, state["sources"])
        self.outputs = _rows(OutputState, state["outputs"])
        # Attached by BuildCache.load_state, which opens the summaries file.
        self.summary_pickles, self.summaries = {}, {}


def _columns(records: dict) -> tuple:
    """``{name: record}`` as a tuple of columns, names first."""
    return (list(records), *zip(*records.values()))


def _rows(cls: type, columns: tuple) -> dict:
    """The inverse of ``_columns``, for records of the NamedTuple ``cls``."""
    names, *values = columns
    return dict(zip(names, map(tuple.__new__, repeat(cls), zip(*values))))


# A build that changed only this many records (sources, outputs, summaries) of the
# state file it loaded saves just those, next to that file (see BuildCache.save_state).
DELTA_MAX = 512
_RECORDS = ("sources", "outputs", "summary_pickles")
_VALUES = ("input_key", "counts", "templates_memo", "registry_memo", "walk")
_DERIVED = ("summaries", "token", "changes", "summary_table")


def _delta(old: BuildState, new: BuildState) -> dict | None:
    """What ``new`` changed of ``old`` (a loaded state), on top of what ``old`` changed
    of its own file; None when that is not a few records (then save it whole)."""
    if not old.token or new.token != old.token:
        return None
    for name in new.__dict__.keys() - {*_RECORDS, *_VALUES, *_DERIVED}:
        if getattr(new, name) is not getattr(old, name):
            return None
    # Values carried over from the delta ``old`` was loaded with, and those changed since
    # (the walk of 100,000 sources is 10 MB: not written again when it is as loaded).
    values = dict(old.changes["values"]) if old.changes else {}
    values.update((n, getattr(new, n)) for n in _VALUES if getattr(new, n) is not getattr(old, n))
    delta: dict = {"token": old.token, "values": values}
    for name in _RECORDS:
        before, after = getattr(old, name), getattr(new, name)
        changed = dict(old.changes[name]) if old.changes else {}
        if name == "summary_pickles":
            # A summary is a function of its content key: compare the keys, not
            # 100,000 pickles read from the summaries file.
            for key in after.keys() - before.keys():
                changed[key] = after[key]
        else:   # most records are the very objects loaded: skip those first
            get = before.get
            moved = [(key, value) for key, value in after.items() if get(key) is not value]
            changed.update((key, value) for key, value in moved if get(key) != value)
        for key in before.keys() - after.keys():
            changed[key] = None   # gone
        delta[name] = changed
    if sum(len(delta[name]) for name in _RECORDS) > DELTA_MAX:
        return None
    return delta


def _apply(state: BuildState, delta: dict) -> None:
    """Bring a state loaded from its file up to date with the delta saved next to it."""
    for name in _RECORDS:
        records = getattr(state, name)
        for key, value in delta[name].items():
            if value is None:
                records.pop(key, None)
            else:
                records[key] = value
    for name, value in delta["values"].items():
        setattr(state, name, value)
    state.changes = delta


class SummaryTable(NamedTuple):
    """Where each summary of one state lies in its summaries file (held in the state
    file, so sealed with it): the file's id, which every MAC in the file is bound to;
    the keys, each pickle's offset and size (MAC excluded); how much of the file the
    state covers (later saves may have appended since); and each segment a save
    wrote, as its offset, size and MAC, for a build that reads them all."""

    file: str
    keys: list[str]
    offsets: bytes    # array("Q")
    sizes: bytes      # array("Q")
    size: int
    segments: tuple[tuple[int, int, bytes], ...]


class SummaryFile:
    """Reads summary pickles from one summaries file, opened once.

    Each pickle is read alone and checked against its own MAC; after ``_BULK_READS``
    of them (a build that needs them all), every segment is read and checked against
    the MAC the state file holds, once. The open descriptor keeps the file readable
    even after a later build replaced it (and by forked workers: ``pread`` only).
    """

    def __init__(self, path: Path, table: SummaryTable, seal: Seal):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size < table.size:
                raise ValueError(f"{path.name}: not the summaries of this state")
        except BaseException:
            os.close(fd)
            raise
        self.fd, self.table, self.seal = fd, table, seal
        self.offsets, self.sizes = array("Q"), array("Q")
        self.offsets.frombytes(table.offsets)
        self.sizes.frombytes(table.sizes)
        if not len(self.offsets) == len(self.sizes) == len(table.keys):
            raise ValueError(f"{path.name}: a damaged table")
        self._reads = 0
        self._whole: bytes | None = None   # the file's segments, once read and found sound
        self._tried_whole = False

    def __del__(self) -> None:   # the state that read from it is gone
        try:
            os.close(self.fd)
        except (OSError, AttributeError, TypeError):
            pass

    def read(self, key: str, number: int) -> bytes | None:
        """The pickle of entry ``number`` (of ``key``), or None if it fails its check."""
        offset, size = self.offsets[number], self.sizes[number]
        if self._whole is None and not self._tried_whole and self._reads >= _BULK_READS:
            self._read_whole()
        if self._whole is not None:
            return self._whole[offset + MAC_SIZE:offset + MAC_SIZE + size]
        self._reads += 1
        try:
            blob = os.pread(self.fd, MAC_SIZE + size, offset)
        except OSError:
            return None
        data = blob[MAC_SIZE:]
        if len(data) != size or not self.seal.verify(_summary_label(self.table.file, key),
                                                     data, blob[:MAC_SIZE]):
            return None
        return data

    def _read_whole(self) -> None:
        """Read every segment into its place (what lies between, no state's, stays
        zeroes) and keep them if each passes its check."""
        self._tried_whole = True
        try:
            data = bytearray(self.table.size)
        except MemoryError:
            return
        view = memoryview(data)
        for offset, size, mac in self.table.segments:
            segment = view[offset:offset + size]
            if not (_read_into(self.fd, segment, offset) and self.seal.verify(
                    _segment_label(self.table.file, offset), segment, mac)):
                return
        self._whole = bytes(data)


def _read_into(fd: int, view: memoryview, offset: int) -> bool:
    """Fill ``view`` from ``fd`` at ``offset``; False if the file ends first or fails."""
    done = 0
    try:
        while done < len(view):
            got = os.preadv(fd, [view[done:]], offset + done)
            if got <= 0:
                return False
            done += got
    except OSError:
        return False
    return True


def _summary_label(file: str, key: str) -> bytes:
    return f"summary:{file}:{key}".encode("utf-8", "surrogatepass")


def _segment_label(file: str, offset: int) -> bytes:
    return f"summaries:{file}:{offset}".encode()


class LazyShapes(Mapping):
    """``RelatedMemo.shapes`` read from their file when first used: a build that ranks
    no related list (a body edit, nothing changed) never reads it. The file is opened
    with the state (a later build may delete it meanwhile)."""

    def __init__(self, path: Path, seal: Seal):
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC
                           | getattr(os, "O_NOFOLLOW", 0))
        self._name, self._seal = path.name, seal
        self._shapes: dict | None = None

    def __del__(self) -> None:
        try:
            os.close(self._fd)
        except (OSError, AttributeError, TypeError):
            pass

    def _read(self) -> dict | None:
        """The shapes, if their file is sound."""
        try:
            st = os.fstat(self._fd)
            blob = bytearray(st.st_size)
            if not stat.S_ISREG(st.st_mode) or not _read_into(self._fd, memoryview(blob), 0):
                return None
            shapes = _unseal(self._seal, self._name, blob)
        except LOAD_ERRORS:
            return None
        return shapes if isinstance(shapes, dict) else None

    def _loaded(self) -> dict:
        if self._shapes is None:
            shapes = self._read()
            if shapes is None:   # the builder then builds again, parsing every source
                raise CacheLost("the related lists' shapes in the build cache failed "
                                "their check (did something change .briefgen-cache?)")
            self._shapes = shapes
        return self._shapes

    def __getitem__(self, key: str) -> tuple:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __eq__(self, other: object) -> bool:
        return self._loaded() == (other._loaded() if isinstance(other, LazyShapes) else other)

    __hash__ = None   # type: ignore[assignment]


def _unseal(seal: Seal, name: str, blob: bytes | bytearray) -> object:
    """What ``BuildCache._write`` stored as ``name``, given its bytes, once its seal is
    checked; raises one of LOAD_ERRORS before unpickling anything else."""
    data = seal.open(name.encode(), memoryview(blob)[len(_STATE_MAGIC):])
    if not blob.startswith(_STATE_MAGIC) or data is None:
        raise ValueError(f"{name}: not sealed by this machine's briefgen")
    return pickle.loads(data)


def _reused(state: BuildState, old: SummaryTable
            ) -> tuple[list[str], array, array, list[int]]:
    """``state``'s keys, with the offset and size of each summary ``old``'s file
    holds (zero for the others), and the numbers of the others."""
    numbers = dict(zip(old.keys, range(len(old.keys))))
    old_offsets, old_sizes = array("Q"), array("Q")
    old_offsets.frombytes(old.offsets)
    old_sizes.frombytes(old.sizes)
    keys, offsets, sizes, new = list(state.summaries), array("Q"), array("Q"), []
    for key in keys:
        number = numbers.get(key)
        if number is None:
            new.append(len(offsets))
            offsets.append(0)
            sizes.append(0)
        else:
            offsets.append(old_offsets[number])
            sizes.append(old_sizes[number])
    return keys, offsets, sizes, new


def _lock(fd: int) -> bool:
    """Lock ``fd``'s file for this process (until it is closed); False if another
    build holds it past ``_LOCK_WAIT`` or the file system has no locks."""
    deadline = time.monotonic() + _LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        except OSError:
            return False


def _write_at(fd: int, data: bytes, offset: int) -> None:
    """Write all of ``data`` at ``offset``."""
    view, done = memoryview(data), 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], offset + done)


class SummaryPickles(MutableMapping):
    """Summary pickles by content key: those of the summaries file, read when looked
    up, and those added since (a body edit's), held in memory."""

    def __init__(self, source: SummaryFile, numbers: dict[str, int],
                 added: dict[str, bytes] | None = None):
        self._source = source
        self._numbers = numbers            # key -> its entry in the file
        self._added = added or {}

    @classmethod
    def of(cls, source: SummaryFile) -> SummaryPickles:
        keys = source.table.keys
        return cls(source, dict(zip(keys, range(len(keys)))))

    def copy(self) -> SummaryPickles:
        return SummaryPickles(self._source, dict(self._numbers), dict(self._added))

    def __getitem__(self, key: str) -> bytes:
        data = self._added.get(key)
        if data is not None:
            return data
        data = self._source.read(key, self._numbers[key])
        if data is None:   # the builder then builds again, parsing every source
            raise CacheLost("a summary in the build cache failed its check "
                            "(did something change .briefgen-cache?); build again")
        return data

    def __setitem__(self, key: str, data: bytes) -> None:
        self._numbers.pop(key, None)
        self._added[key] = data

    def __delitem__(self, key: str) -> None:
        if self._added.pop(key, None) is None:
            del self._numbers[key]

    def pop(self, key: str, *default):   # without reading the pickle it drops
        if key in self._added:
            return self._added.pop(key)
        if self._numbers.pop(key, None) is not None:
            return None
        if default:
            return default[0]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._added or key in self._numbers

    def __iter__(self) -> Iterator[str]:
        yield from self._numbers
        yield from self._added

    def __len__(self) -> int:
        return len(self._numbers) + len(self._added)

    def keys(self):   # a set-like view without reading a pickle
        return self._numbers.keys() | self._added.keys()


class LazySummaries(Mapping):
    """Summaries unpickled when first looked up: a build that finds nothing changed
    never needs them."""

    def __init__(self, pickles: Mapping[str, bytes]):
        self._pickles = pickles
        self._loaded: dict[str, Briefing] = {}

    def __getitem__(self, key: str) -> Briefing:
        summary = self._loaded.get(key)
        if summary is None:
            summary = self._loaded[key] = pickle.loads(self._pickles[key])
        return summary

    def __contains__(self, key: object) -> bool:
        return key in self._pickles

    def keys(self):   # what the pickles' keys are (a set or a dict's view: fast ``in``)
        return self._pickles.keys()

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickles)

    def __len__(self) -> int:
        return len(self._pickles)


class CacheLost(BriefgenError):
    """An entry the build counted on is gone or damaged: the builder builds again
    without the cache (and reports this only if that happens again)."""


class BuildCache:
    """Reads and writes the cache folder of one site.

    Without a ``seal``, the machine's is loaded; when its key is unusable, the cache
    serves this process alone and ``warnings`` says why.
    """

    def __init__(self, root: Path, seal: Seal | None = None):
        self.folder = root / CACHE_DIR
        self.packs = str(self.folder / "packs")
        self.warnings: list[Problem] = []
        if seal is None:
            seal, warning = load_seal()
            if warning:
                self.warnings.append(Problem(CACHE_DIR, None, warning))
        self.seal = seal
        self._catalog: dict[str, Location] | None = None   # read from the packs when needed
        self._noted: dict[str, Location] = {}              # entries this process wrote or heard of
        self._reader = PackReader(self.packs, seal)

    @property
    def catalog_read(self) -> bool:
        """Whether this process has read the packs' catalog (a lookup costs nothing)."""
        return self._catalog is not None

    def note(self, locations: Mapping[str, Location]) -> None:
        """Remember where entries were just stored (by this or a worker process)."""
        self._noted.update(locations)

    def locate(self, key: str) -> Location | None:
        """Where the entry of ``key`` lies, if any pack holds it."""
        found = self._noted.get(key)
        if found is None:
            if self._catalog is None:
                self._catalog = read_catalog(self.packs, self.seal)
            found = self._catalog.get(key)
        return found

    def _read(self, key: str, summary: bool) -> bytes | None:
        """One pickle of ``key``'s entry.

        A summary is looked up before parsing, where a miss just means "parse it".
        Full content is looked up for a briefing the cache must hold: if its pack is
        gone (another build stored it again elsewhere and pruned) or came after the
        catalog was read, look through the packs afresh, once for all such keys.
        """
        location = self.locate(key)
        data = self._reader.read(location, summary) if location is not None else None
        if data is None and not summary:
            self._catalog = read_catalog(self.packs, self.seal)
            present = {found.pack for found in self._catalog.values()}
            self._noted = {k: v for k, v in self._noted.items() if v.pack in present}
            location = self.locate(key)
            data = self._reader.read(location) if location is not None else None
        return data

    def load_state(self) -> BuildState | None:
        """The previous build's state, or None if absent, unreadable or from another
        version; with the delta saved next to it applied."""
        try:
            state = self._load("state.pickle")
        except LOAD_ERRORS:
            return None
        if (not isinstance(state, BuildState) or state.version != __version__
                or state.state_version != STATE_VERSION):
            return None
        table = state.summary_table
        if not (isinstance(table, SummaryTable) and table.file.isalnum()
                and state.token.isalnum()):
            return None
        try:   # a missing or foreign summaries or shapes file: no state (the packs still serve)
            source = SummaryFile(self.folder / (_SUMMARIES + table.file), table, self.seal)
            if state.related is not None:
                state.related.shapes = LazyShapes(self.folder / (_SHAPES + state.token),
                                                  self.seal)
        except (OSError, ValueError, TypeError):
            return None
        state.summary_pickles = SummaryPickles.of(source)
        state.summaries = LazySummaries(state.summary_pickles)
        try:
            delta = self._load("state.delta")
        except FileNotFoundError:
            return state
        except LOAD_ERRORS:
            return None
        if isinstance(delta, dict) and delta.get("token") == state.token:
            try:
                _apply(state, delta)
            except (KeyError, TypeError, AttributeError):
                return None
        return state   # else: the delta of a state file since replaced

    def save_state(self, state: BuildState, since: BuildState | None = None) -> None:
        """Write the state atomically (a crash leaves the old state or none).

        Given ``since``, the loaded state this one was made from, and only a few
        records changed, write just those, as a delta next to the state file: a
        one-edit build at 5,000 briefings then writes kilobytes, not megabytes.
        Otherwise the summaries ``since``'s file lacks are appended to it (see
        ``_save_summaries``), and the state file written whole.
        """
        if not self.seal.persistent:
            return   # sealed with a key of this build only: no later build could read it
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        delta = _delta(since, state) if since is not None else None
        if delta is not None:
            self._write("state.delta", delta)
            state.changes = delta
            return
        token = os.urandom(8).hex()
        # Read before the summaries file is touched: shapes found damaged end the save.
        shapes = dict(state.related.shapes) if state.related is not None else None
        table = self._save_summaries(state, since.summary_table if since is not None else None)
        if shapes is not None:
            self._write(_SHAPES + token, shapes)
        state.token, state.changes, state.summary_table = token, None, table
        self._write("state.pickle", state)
        (self.folder / "state.delta").unlink(missing_ok=True)
        self._prune_summaries({_SUMMARIES + table.file, _SHAPES + token})

    def _prune_summaries(self, keep: set[str]) -> None:
        """Delete the summaries and shapes files no state file refers to now (a build
        that loaded one keeps reading it through its open descriptor), and temporary
        ones an interrupted build left over an hour ago (not another build's, still
        writing)."""
        stale = time.time() - 3600
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if not name.startswith((_SUMMARIES, _SHAPES)) or name in keep:
                continue
            try:
                if "." not in name or entry.stat().st_mtime < stale:
                    os.unlink(entry.path)
            except OSError:
                pass

    def _save_summaries(self, state: BuildState, old: SummaryTable | None) -> SummaryTable:
        """Where ``state``'s summaries lie: in ``old``'s file (that of the state it was
        made from), with those it lacks appended, if it can take them; else in a fresh
        file."""
        if old is not None and fcntl is not None:
            table = self._append_summaries(state, old)
            if table is not None:
                return table
        return self._write_summaries(state)

    def _write_summaries(self, state: BuildState) -> SummaryTable:
        """Write a fresh summaries file, of a new id: ``state``'s summaries as one
        segment after the magic."""
        file, at = os.urandom(8).hex(), len(_SUMMARIES_MAGIC)
        keys = list(state.summaries)
        offsets, sizes, chunks = self._entries(
            file, at, ((key, state.summary_pickle(key)) for key in keys))
        chunks.insert(0, _SUMMARIES_MAGIC)
        blob = b"".join(chunks)
        del chunks
        name = _SUMMARIES + file
        tmp = self.folder / f"{name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, self.folder / name)
        segment = memoryview(blob)[at:]
        mac = self.seal.mac(_segment_label(file, at), segment)
        return SummaryTable(file, keys, offsets.tobytes(), sizes.tobytes(), len(blob),
                            ((at, len(segment), mac),))

    def _append_summaries(self, state: BuildState, old: SummaryTable) -> SummaryTable | None:
        """``state``'s summaries in ``old``'s file: those it holds where they lie, the
        others appended as one segment at its end, with the file locked (another
        build may be appending). None, with the file untouched, when it is gone or
        shorter than ``old`` says, another build holds it too long, or it would be
        mostly garbage after."""
        if len(old.segments) >= _SEGMENTS:
            return None
        keys, offsets, sizes, new = _reused(state, old)
        placed, new_sizes, chunks = self._entries(
            old.file, 0, ((keys[n], state.summary_pickle(keys[n])) for n in new))
        segment = b"".join(chunks)
        del chunks
        for n, size in zip(new, new_sizes):
            sizes[n] = size
        live = len(_SUMMARIES_MAGIC) + MAC_SIZE * len(keys) + sum(sizes)
        try:
            fd = os.open(self.folder / (_SUMMARIES + old.file),   # never a FIFO's open
                         os.O_WRONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _lock(fd):
                return None
            end = os.fstat(fd).st_size   # after any other build's append
            if end < old.size or end + len(segment) - live > _GARBAGE * (end + len(segment)):
                return None
            if segment:
                _write_at(fd, segment, end)
        finally:
            os.close(fd)   # and with it the lock
        for n, offset in zip(new, placed):
            offsets[n] = end + offset
        segments = old.segments
        if segment:
            segments += ((end, len(segment), self.seal.mac(_segment_label(old.file, end),
                                                           segment)),)
        return SummaryTable(old.file, keys, offsets.tobytes(), sizes.tobytes(),
                            end + len(segment) if segment else old.size, segments)

    def _entries(self, file: str, at: int, pickles: Iterator[tuple[str, bytes]]
                 ) -> tuple[array, array, list[bytes]]:
        """Each pickle after its MAC (bound to ``file`` and its key), laid out from
        offset ``at``: their offsets, their sizes, and the bytes in order."""
        offsets, sizes, chunks, mac = array("Q"), array("Q"), [], self.seal.mac
        for key, data in pickles:
            offsets.append(at)
            sizes.append(len(data))
            chunks += (mac(_summary_label(file, key), data), data)
            at += MAC_SIZE + len(data)
        return offsets, sizes, chunks

    def write_sealed(self, name: str, value: object) -> None:
        """Store ``value`` as ``name`` (a path inside the cache folder), sealed."""
        if self.seal.persistent:
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            self._write(name, value)

    def prune_folder(self, folder: str, keep: set[str]) -> None:
        """Delete the files of ``folder`` (in the cache folder) not named in ``keep``,
        and temporary files an interrupted build left there over an hour ago."""
        stale = time.time() - 3600
        try:
            entries = list(os.scandir(self.folder / folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            try:
                if "." not in name and name not in keep or (
                        "." in name and entry.stat().st_mtime < stale):
                    os.unlink(entry.path)
            except OSError:
                pass

    def read_sealed(self, name: str) -> object | None:
        """What ``write_sealed`` stored as ``name``; None if absent or not sound."""
        try:
            return self._load(name)
        except LOAD_ERRORS:
            return None

    def _write(self, name: str, value: object) -> None:
        tmp = self.folder / f"{name}.{os.getpid()}.tmp"
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with open(tmp, "wb") as handle:
            handle.write(_STATE_MAGIC + self.seal.mac(name.encode(), data))
            handle.write(data)
        os.replace(tmp, self.folder / name)

    def _load(self, name: str) -> object:
        """What ``_write`` stored as ``name``, once its seal is checked; raises one of
        LOAD_ERRORS (FileNotFoundError when absent) before unpickling anything else."""
        return _unseal(self.seal, name, read_regular(self.folder / name))

    def load_full_fields(self, key: str) -> dict | None:
        """The full-content fields of the briefing stored under ``key``, if readable."""
        data = self._read(key, summary=False)
        try:
            values = pickle.loads(data) if data else None
        except LOAD_ERRORS:
            return None
        if not isinstance(values, tuple) or len(values) != len(FULL_FIELDS):
            return None
        return dict(zip(FULL_FIELDS, values))

    def load_summary(self, key: str) -> tuple[Briefing, bytes] | None:
        """The summary stored under ``key`` and its pickle, if present and readable."""
        data = self._read(key, summary=True)
        try:
            summary = pickle.loads(data) if data else None
        except LOAD_ERRORS:
            return None
        return (summary, data) if isinstance(summary, Briefing) else None

    def pack_writer(self) -> PackWriter:
        """A writer for one pack of parsed briefings (safe to use in worker processes)."""
        return PackWriter(self.packs, self.seal)

    @staticmethod
    def pack_entry(briefing: Briefing) -> bytes:
        """The pickle of a parsed briefing's full-content fields, as packs hold it."""
        return pickle.dumps(tuple(getattr(briefing, n) for n in FULL_FIELDS),
                            protocol=pickle.HIGHEST_PROTOCOL)

    def prune(self, keep: set[str], before: float, *, at_least: int = 0) -> None:
        """Delete the packs no source uses any more, unless written since ``before``
        (the wall-clock start of the build: they may be another process's); and the
        folder of the older, file-per-briefing cache. With ``at_least``, only once the
        folder holds that many packs: finding the dead ones reads every pack's table
        of contents, more than a one-edit build does otherwise."""
        if at_least and count_packs(self.packs) < at_least:
            return
        live = set()
        for key in keep:
            location = self.locate(key)
            if location is not None:
                live.add(location.pack)
        prune_packs(self.packs, live, before)
        old_format = self.folder / "parsed"
        if old_format.is_dir():
            shutil.rmtree(old_format, ignore_errors=True)
        self._catalog = None
