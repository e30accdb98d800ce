"""Hold requests while a rebuild is pending or running (MkDocs livereload style).

A rebuild swaps the output folder with two renames; a request resolved between
them would miss its file, and one served while sources are mid-save would show
the old page after the browser was told to reload. So the rebuild holds the
gate exclusively and requests pass through it briefly (resolve and read).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BuildGate:
    """A readers–writer gate that prefers the writer (the rebuild)."""

    def __init__(self, max_wait: float = 60.0):
        self._cond = threading.Condition()
        self._pending = False
        self._building = False
        self._readers = 0
        self._max_wait = max_wait

    def mark_pending(self) -> None:
        """A change was seen: hold new requests until its rebuild is done."""
        with self._cond:
            self._pending = True

    @contextmanager
    def building(self) -> Iterator[None]:
        """Run a rebuild: wait for requests in flight, hold new ones until it ends."""
        with self._cond:
            self._building = True
            self._pending = False
            self._cond.wait_for(lambda: self._readers == 0, timeout=self._max_wait)
        try:
            yield
        finally:
            with self._cond:
                self._building = False
                self._cond.notify_all()

    def release_pending(self) -> None:
        """The change turned out to need no rebuild."""
        with self._cond:
            self._pending = False
            self._cond.notify_all()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Serve one request from a complete site; after ``max_wait`` s serve regardless."""
        with self._cond:
            self._cond.wait_for(lambda: not (self._pending or self._building),
                                timeout=self._max_wait)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()
