"""The live-reload hub: the latest build status, fanned out over Server-Sent Events.

Each open page holds one ``/__briefgen/events`` stream; the hub hands every
subscriber the same events (``reload``, ``css``, ``errors``) in order.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field

from briefgen.errors import Problem


@dataclass(frozen=True)
class Status:
    """The site as served: the last good build's token and the current problems."""

    build: str
    problems: tuple[Problem, ...] = ()

    def problems_data(self) -> list[dict]:
        return [{"path": p.path, "line": p.line, "message": p.message, "text": str(p)}
                for p in self.problems]


@dataclass(frozen=True)
class Event:
    """One Server-Sent Event: ``reload``, ``css`` or ``errors`` with a JSON payload."""

    name: str
    data: dict = field(default_factory=dict)

    def encode(self) -> bytes:
        payload = json.dumps(self.data, ensure_ascii=True)
        return f"event: {self.name}\ndata: {payload}\n\n".encode("ascii")


def event_for(status: Status, css_only: bool = False) -> Event:
    """The event that brings an open page up to ``status``."""
    if status.problems:
        return Event("errors", {"build": status.build, "problems": status.problems_data()})
    return Event("css" if css_only else "reload", {"build": status.build})


CLOSED = Event("closed")  # sent to every subscriber when the server stops


class Subscription:
    """One open page's queue of events."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()

    def put(self, event: Event) -> None:
        self._queue.put(event)

    def get(self, timeout: float) -> Event | None:
        """The next event, or None after ``timeout`` seconds (time for a keep-alive)."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


class Hub:
    """Holds the current :class:`Status` and tells every subscriber when it changes."""

    def __init__(self, status: Status):
        self.status = status
        self._subscribers: set[Subscription] = set()
        self._lock = threading.Lock()
        self._closed = False

    def subscribe(self) -> Subscription:
        subscription = Subscription()
        with self._lock:
            if self._closed:
                subscription.put(CLOSED)
            else:
                self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(subscription)

    def announce(self, status: Status, css_only: bool = False) -> None:
        """Record ``status`` and send every open page the event that matches it."""
        event = event_for(status, css_only)
        with self._lock:
            self.status = status
            subscribers = list(self._subscribers)
        for subscription in subscribers:
            subscription.put(event)

    def close(self) -> None:
        """End every stream (server shutdown)."""
        with self._lock:
            self._closed = True
            subscribers, self._subscribers = list(self._subscribers), set()
        for subscription in subscribers:
            subscription.put(CLOSED)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)
