"""Run a function over many items in forked processes that share the caller's memory.

For work that needs large structures already built in this process (the site
index, the page plan) and returns little: a forked child sees them by
copy-on-write, so nothing but the results crosses a process boundary.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Whether forking is available and safe (no other threads to deadlock on)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def forked_map(func: Callable[[T], R], items: Sequence[T], jobs: int,
               min_items: int = 64) -> list[R]:
    """``[func(item) for item in items]``, the items split between this process and
    ``jobs - 1`` forked children. Runs here alone when there are fewer than
    ``min_items``, one job, or forking is not safe; a child that fails has its share
    done again here, so the result never depends on how the work was split."""
    if jobs <= 1 or len(items) < max(min_items, jobs) or not can_fork():
        return [func(item) for item in items]
    size = -(-len(items) // jobs)
    shares = [items[i:i + size] for i in range(0, len(items), size)]
    children = [_fork(func, share) for share in shares[1:]]
    try:
        results = [func(item) for item in shares[0]]
    except BaseException:   # this share failed: reap the children before raising
        for child in children:
            if child is not None:
                _collect(*child)
        raise
    for share, child in zip(shares[1:], children):
        done = _collect(*child) if child is not None else None
        results += done if done is not None else [func(item) for item in share]
    return results


def _fork(func: Callable[[T], R], share: Sequence[T]) -> tuple[int, int] | None:
    """Start a child that sends back ``func`` over ``share``; (pid, read end) or None."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:   # the child: never returns into the caller's code
        status = 1
        try:
            os.close(read)
            data = pickle.dumps([func(item) for item in share],
                                protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> list | None:
    """A child's results, or None if it failed."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a broken child's output: do its share here
        return None
