"""The error types the CLI knows how to print as ``path:line: message`` lines."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# What a terminal must never get from a file name or a message: C0 and C1 controls
# (newlines, escape sequences), DEL, Unicode line separators and bidirectional
# controls (they reorder what is shown).
_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_UNSAFE}]")
# A path holding one of these is quoted: a colon would read as the path:line separator,
# a quote or backslash as quoting or an escape of its own (a backslash is a separator
# on Windows, and C: starts a path there).
_SPECIAL = ':"' if os.sep == "\\" else ':"\\\\'
_QUOTED = re.compile(f"[{_UNSAFE}{_SPECIAL}]")
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x1b``): one line,
    no terminal escape sequences."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def shown_path(path: str) -> str:
    """A path as printed in a message. Plain paths as they are; a path holding a control
    character, a colon, a double quote or a backslash in double quotes, C-style escaped
    (as git shows such names): ``"content/briefings/a\\nb.md":3: …``, so the
    ``path:line`` that follows is never ambiguous and the line stays one line."""
    start = 3 if _DRIVE.match(path) else 0
    if not _QUOTED.search(path, start):
        return path
    return '"' + _QUOTED.sub(_escape_quoted, path) + '"'


def _escape_quoted(match: re.Match) -> str:
    return match.group() if match.group() == ":" else _escape(match)


class BriefgenError(Exception):
    """Base for every error caused by the user's input or environment (no traceback)."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a source: printed as ``path:line: message``."""

    path: str
    line: int | None
    message: str
    column: int | None = None

    @property
    def location(self) -> str:
        """``path:line:column`` as printed (the path escaped as ``shown_path`` does)."""
        where = shown_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {one_line(self.message)}"


class SourceError(BriefgenError):
    """A problem in one source file, with its path and 1-based line."""

    def __init__(self, path: str, line: int | None, message: str, column: int | None = None):
        self.problem = Problem(str(path), line, message, column)
        super().__init__(str(self.problem))

    def __reduce__(self):
        p = self.problem
        return (type(self), (p.path, p.line, p.message, p.column))


class ConfigError(BriefgenError):
    """One or more problems in the site configuration."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # picklable, so worker processes can raise it
        return (type(self), (self.problems,))


class BuildError(BriefgenError):
    """A build failed: every problem found, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # picklable, so worker processes can raise it
        return (type(self), (self.problems,))


def display_path(path: Path | str, root: Path) -> str:
    """A path as shown in messages: relative to the site root when inside it."""
    return display_paths(root)(str(path))


def display_paths(root: Path) -> Callable[[str], str]:
    """``display_path`` for many paths under one ``root`` (a build's thousands of sources)."""
    prefix = str(root).rstrip(os.sep) + os.sep
    cut = len(prefix)
    if os.sep == "/":
        return lambda text: text[cut:] if text.startswith(prefix) else text
    return lambda text: text[cut:].replace(os.sep, "/") if text.startswith(prefix) else text


def did_you_mean(wrong: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest of ``known``, or "" when none is near."""
    near = difflib.get_close_matches(wrong, list(known), n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""
