"""Writing files the fast way: most writes go to a folder that already exists."""

from __future__ import annotations

import os


def write_file(path: str, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path``, creating its folder only when it is missing."""
    try:
        handle = open(path, "wb")  # noqa: SIM115 - the common case needs no mkdir
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(path, "wb")  # noqa: SIM115
    with handle:
        handle.writelines(chunks)
