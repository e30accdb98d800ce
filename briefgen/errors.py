"""The error types the CLI knows how to print as ``path:line: message`` lines."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class BriefgenError(Exception):
    """Base for every error caused by the user's input or environment (no traceback)."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a source: printed as ``path:line: message``."""

    path: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


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
