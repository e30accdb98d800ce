"""Keeping the garbage collector off the structures a build keeps until it ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Build large structures that live until the build ends (thousands of summaries,
    the index, the plan) without the cyclic garbage collector: it would walk
    everything built so far again and again (a third of a one-edit build at 5,000
    briefings). They are frozen afterwards, out of later collections' sight;
    ``Builder.build`` unfreezes them when it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Keep the collector from walking (and, in forked workers, copying) what exists
    now: rendering shares the plan and index with its workers. What is frozen stays
    so until ``Builder.build`` ends (``gc.unfreeze`` would also thaw what
    ``long_lived`` froze, and every later collection would walk the whole site
    again: at 100,000 briefings, seconds of the save after rendering)."""
    gc.freeze()
    yield
