"""Decoding source files: UTF-8 (BOM allowed), newlines normalised, clear errors."""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path

from briefgen.errors import Problem, SourceError
from briefgen.files import read_regular

# A briefing is one article: the longest features run to ~100 KB (15,000 words). The
# limit keeps the worst case of Markdown parsing (pathological input costs up to
# ~15 µs a byte) within a few seconds per file; see docs/security.md.
MAX_SOURCE_BYTES = 256 * 1024

# The actor registry is YAML only (no Markdown); its node limit bounds its cost.
MAX_REGISTRY_BYTES = 16 * 1024 * 1024
_LINE_BREAK = re.compile(rb"\r\n?|\n")


def size_problem(size: int, display: str, limit: int = MAX_SOURCE_BYTES) -> Problem | None:
    """A ``source too large`` problem (at line 1) when ``size`` bytes is over ``limit``."""
    if size <= limit:
        return None
    return Problem(display, 1, f"source too large ({size:,} bytes; the limit is "
                               f"{limit // 1024} KiB): split it up")


def decode_source(data: bytes, display: str) -> str:
    """Bytes to text with ``\\n`` newlines; invalid UTF-8 or NUL is a located error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        breaks = list(_LINE_BREAK.finditer(data, 0, exc.start))
        line = len(breaks) + 1
        column = exc.start - (breaks[-1].end() if breaks else 0) + 1
        raise SourceError(display, line,
                          f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                          "save the file as UTF-8", column) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise SourceError(display, line, "contains a NUL byte; is this a binary file?")
    return text


def read_source_bytes(path: str | os.PathLike, display: str,
                      limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of one source file: a regular file within ``limit``, else a SourceError
    (too large at line 1, a FIFO or device refused without blocking, gone, unreadable)."""
    return read_regular(path, display, limit, missing="file disappeared while building",
                        oversize=partial(size_problem, display=display, limit=limit))


def read_source_text(path: Path, display: str, limit: int = MAX_SOURCE_BYTES) -> str:
    """Read and decode one source file; missing, oversized or special files are errors."""
    return decode_source(read_source_bytes(path, display, limit), display)
