"""The per-briefing collecting state, carried through markdown-it's ``env``."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from briefgen.errors import Problem
from briefgen.model import Figure, Mention, Picture, Quote
from briefgen.sections import DEFAULT_SECTIONS
from briefgen.sources.actors import ActorResolver

ENV_KEY = "briefgen"
MAX_PROBLEMS = 50  # per file: past this, problems are counted, not listed


@dataclass
class Collector:
    """Everything one ``annotate`` call gathers while markdown-it parses the body.

    Plugins find it as ``env["briefgen"]``; nothing about a briefing is kept in
    module state, so one MarkdownIt instance serves every briefing.
    """

    path: str
    first_line: int
    resolver: ActorResolver
    actor_url: Callable[[str], str]
    max_nesting: int
    problems: list[Problem] = field(default_factory=list)
    mentions: dict[str, Mention] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    div_stack: list[str] = field(default_factory=list)
    section_names: tuple[str, ...] = tuple(spec.name for spec in DEFAULT_SECTIONS)
    inline_map: list[int] | None = None
    _newlines: tuple[str, list[int]] | None = None
    _seen: set[tuple[int | None, str]] = field(default_factory=set)
    _unlisted: list = field(default_factory=lambda: [0, None])  # count, first line

    def problem(self, line: int | None, message: str) -> None:
        """Record a problem at a file line (already absolute), once per line and message.

        After :data:`MAX_PROBLEMS` the rest are only counted (see :meth:`all_problems`),
        so a hostile file cannot flood the terminal with thousands of lines.
        """
        key = (line, message)
        if key in self._seen:
            return
        self._seen.add(key)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.path, line, message))
        else:
            self._unlisted[0] += 1
            self._unlisted[1] = self._unlisted[1] or line

    def all_problems(self) -> list[Problem]:
        """The listed problems by line, then one line counting those left out."""
        problems = sorted(self.problems, key=lambda p: (p.line or 0))
        count, line = self._unlisted
        if count:
            problems.append(Problem(self.path, line, f"{count} more problems in this file "
                                                     f"not listed (first {MAX_PROBLEMS} shown)"))
        return problems

    def file_line(self, body_line: int | None) -> int | None:
        """The file line of a 0-based body line (markdown-it's token maps)."""
        return None if body_line is None else body_line + self.first_line

    def inline_line(self, src: str, offset: int) -> int | None:
        """The file line of ``offset`` in the inline source being parsed now."""
        if self.inline_map is None:
            return None
        if self._newlines is None or self._newlines[0] is not src:
            positions, at = [], src.find("\n")
            while at != -1:
                positions.append(at)
                at = src.find("\n", at + 1)
            self._newlines = (src, positions)
        before = bisect.bisect_left(self._newlines[1], offset)
        return self.inline_map[0] + before + self.first_line


def collector_of(env: dict) -> Collector | None:
    """The collector in ``env``, or None when markdown-it is used without one."""
    collector = env.get(ENV_KEY) if isinstance(env, dict) else None
    return collector if isinstance(collector, Collector) else None
