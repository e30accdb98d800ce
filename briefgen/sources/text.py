"""Decoding source files: UTF-8 (BOM allowed), newlines normalised, clear errors."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import SourceError

MAX_SOURCE_BYTES = 20 * 1024 * 1024


def decode_source(data: bytes, display: str) -> str:
    """Bytes to text with ``\\n`` newlines; invalid UTF-8 or NUL is a located error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(display, line,
                          f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                          "save the file as UTF-8", column) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise SourceError(display, line, "contains a NUL byte; is this a binary file?")
    return text


def read_source_text(path: Path, display: str) -> str:
    """Read and decode one source file; missing or oversized files are errors."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(display, None, f"source too large ({size} bytes; the limit is "
                                             f"{MAX_SOURCE_BYTES}); split it into several briefings")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(display, None, "file disappeared while building") from None
    except IsADirectoryError:
        raise SourceError(display, None, "is a directory, expected a Markdown file") from None
    except OSError as exc:
        raise SourceError(display, None, f"cannot read: {exc.strerror}") from None
    return decode_source(data, display)
