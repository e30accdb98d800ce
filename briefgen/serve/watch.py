"""Watching the site's sources: classify each changed path, coalesce bursts.

``classify`` is pure (paths in, a :class:`ChangeKind` out), in the spirit of Zola's
``fs_utils.rs``; the app dispatches on the kinds. The watchdog handler only
filters and forwards paths (with what each event says about the file's bytes), and
:class:`Debouncer` turns an editor's burst of events into one batch.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from briefgen.config import SiteConfig
from briefgen.errors import shown_path


class ChangeKind(enum.Enum):
    """What a changed file is, which decides how much to rebuild and how to reload."""

    CONTENT = "content"
    ACTORS = "actors"
    TEMPLATE = "template"
    THEME_STATIC = "theme static"
    SITE_STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: Path


@dataclass(frozen=True)
class WatchedPaths:
    """The folders and files serve watches, taken from one SiteConfig."""

    content: Path
    actors: Path
    config_file: Path | None
    theme: Path
    site_templates: Path
    site_static: Path
    output: Path

    @classmethod
    def from_config(cls, config: SiteConfig) -> WatchedPaths:
        config_file = config.config_path.resolve() if config.config_path else (
            config.root / "briefgen.yaml")
        return cls(
            content=config.content_path,
            actors=config.content_path / "actors.yaml",
            config_file=config_file,
            theme=config.theme_path.resolve(),
            site_templates=(config.root / "templates").resolve(),
            site_static=(config.root / "static").resolve(),
            output=config.output_path,
        )

    def folders(self) -> list[Path]:
        """Folders to watch recursively (whether or not they exist yet)."""
        return [self.content, self.theme, self.site_templates, self.site_static]


# Files editors write next to the real one while saving (vim, emacs, JetBrains, …).
_TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload", "~",
                  "___jb_tmp___", "___jb_old___")
_TEMP_NAMES = {"4913"}  # vim's write-permission probe


def is_temporary(path: Path) -> bool:
    """True for hidden files and editor droppings, which never trigger a rebuild."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(_TEMP_SUFFIXES) or name in _TEMP_NAMES


def classify(path: Path, watched: WatchedPaths) -> ChangeKind | None:
    """The kind of change a modified ``path`` means; None when it does not matter."""
    if path.is_relative_to(watched.output) or is_temporary(path):
        return None
    if any(part.startswith(".") for part in path.parts[1:-1]):
        return None  # inside a hidden folder such as .git
    if path == watched.config_file:
        return ChangeKind.CONFIG
    if path == watched.actors:
        return ChangeKind.ACTORS
    if path.is_relative_to(watched.content):
        return ChangeKind.CONTENT
    if path.is_relative_to(watched.site_templates):
        return ChangeKind.TEMPLATE
    if path.is_relative_to(watched.site_static):
        return ChangeKind.SITE_STATIC
    if path.is_relative_to(watched.theme / "static"):
        return ChangeKind.THEME_STATIC
    if path.is_relative_to(watched.theme / "templates"):
        return ChangeKind.TEMPLATE
    if path == watched.theme / "theme.yaml":
        return ChangeKind.CONFIG
    return None


def classify_all(paths: Iterable[Path], watched: WatchedPaths) -> list[Change]:
    """The changes among ``paths`` that matter, one per path, in a stable order."""
    changes = []
    for path in sorted(set(paths)):
        kind = classify(path, watched)
        if kind is not None:
            changes.append(Change(kind, path))
    return changes


def is_css_only(changes: list[Change]) -> bool:
    """True when only stylesheets changed: pages can swap them without reloading."""
    return bool(changes) and all(
        c.kind in (ChangeKind.THEME_STATIC, ChangeKind.SITE_STATIC) and c.path.suffix == ".css"
        for c in changes)


def describe(changes: list[Change], limit: int = 3) -> str:
    """``content: a.md, b.md; template: base.html`` for the terminal line."""
    groups: dict[ChangeKind, list[str]] = {}
    for change in changes:
        groups.setdefault(change.kind, []).append(shown_path(change.path.name))
    parts = []
    for kind, names in groups.items():
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown += f" and {len(names) - limit} more"
        parts.append(f"{kind.value}: {shown}")
    return "; ".join(parts) or "nothing"


class Touch(enum.Enum):
    """What one watch event says about a path's bytes."""

    CHANGED = "changed"   # created, modified, deleted or moved away: more may follow
    WRITTEN = "written"   # moved into place: its bytes are complete
    CLOSED = "closed"     # closed after writing: its bytes are complete (if it changed)


class Debouncer:
    """Collects paths and hands them to ``flush`` once none came for a quiet while.

    The quiet while is ``delay`` seconds while some path may still be mid-write, and
    the shorter ``settled_delay`` once every pending path was closed after writing or
    moved into place (an editor's save is over; only other files of the same burst,
    such as a "save all", are worth waiting for). A steady stream of events is still
    flushed every ``max_delay`` seconds. ``on_first`` runs when a batch starts (serve
    holds page requests from then on). ``flush`` runs on the debouncer's own thread,
    so batches never overlap.
    """

    def __init__(self, flush: Callable[[list[Path]], None], delay: float = 0.05,
                 max_delay: float = 1.0, on_first: Callable[[], None] | None = None,
                 settled_delay: float = 0.01):
        self._flush = flush
        self._on_first = on_first
        self._delay = delay
        self._settled_delay = min(settled_delay, delay)
        self._max_delay = max_delay
        self._pending: set[Path] = set()
        self._unsettled: set[Path] = set()   # pending paths perhaps still being written
        self._first = self._last = 0.0
        self._changed = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="briefgen-debounce",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, path: Path, touch: Touch = Touch.CHANGED) -> None:
        with self._changed:
            now = time.monotonic()
            if touch is Touch.CLOSED:
                # Closing says a write is over; alone (nothing written, or written
                # and already flushed) it changes nothing worth a build.
                if path in self._pending:
                    self._unsettled.discard(path)
                    self._last = now
                    self._changed.notify()
                return
            if not self._pending:
                self._first = now
                if self._on_first is not None:
                    self._on_first()
            self._last = now
            self._pending.add(path)
            if touch is Touch.WRITTEN:
                self._unsettled.discard(path)
            else:
                self._unsettled.add(path)
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _next_batch(self) -> list[Path] | None:
        with self._changed:
            while not self._pending and not self._stopped:
                self._changed.wait()
            while not self._stopped:
                now = time.monotonic()
                quiet = self._delay if self._unsettled else self._settled_delay
                due = min(self._last + quiet, self._first + self._max_delay)
                if now >= due:
                    break
                self._changed.wait(due - now)
            if self._stopped:
                return None
            batch, self._pending = sorted(self._pending), set()
            self._unsettled = set()
            return batch

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._flush(batch)


_CHANGE_EVENTS = {"created", "modified", "deleted", "moved"}


class _Forward(FileSystemEventHandler):
    """Watchdog handler: pass every touched path (both ends of a move) on, with what
    the event says about its bytes."""

    def __init__(self, accept: Callable[[Path, Touch], None]):
        self._accept = accept

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == "closed":   # closed after writing (files only)
            self._accept(Path(os.fsdecode(event.src_path)), Touch.CLOSED)
            return
        if event.event_type not in _CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed; that file's own event says which
        if event.src_path:
            self._accept(Path(os.fsdecode(event.src_path)), Touch.CHANGED)
        if event.dest_path:
            moved_in = Touch.CHANGED if event.is_directory else Touch.WRITTEN
            self._accept(Path(os.fsdecode(event.dest_path)), moved_in)


class Watcher:
    """Watch the folders of a :class:`WatchedPaths`; report paths that classify.

    Folders that do not exist yet (a new ``static/``) are picked up by ``refresh``.
    """

    def __init__(self, watched: WatchedPaths, on_change: Callable[[Path, Touch], None]):
        self.watched = watched
        self._on_change = on_change
        self._observer = Observer()
        self._observer.daemon = True
        self._scheduled: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self.refresh()
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)

    def retarget(self, watched: WatchedPaths) -> None:
        """Follow a new configuration (another theme or content folder)."""
        with self._lock:
            self.watched = watched
        self.refresh()

    def refresh(self) -> None:
        """Schedule every wanted folder that exists, unschedule those no longer wanted."""
        with self._lock:
            wanted = {(folder, True) for folder in self.watched.folders() if folder.is_dir()}
            if self.watched.config_file is not None and self.watched.config_file.parent.is_dir():
                wanted.add((self.watched.config_file.parent, False))
            for key in list(self._scheduled):
                if key not in wanted:
                    self._observer.unschedule(self._scheduled.pop(key))
            for folder, recursive in sorted(wanted - set(self._scheduled)):
                try:
                    self._scheduled[(folder, recursive)] = self._observer.schedule(
                        _Forward(self._accept), str(folder), recursive=recursive)
                except OSError:
                    continue  # vanished meanwhile; the next refresh tries again

    def _accept(self, path: Path, touch: Touch) -> None:
        if classify(path, self.watched) is not None:
            self._on_change(path, touch)
