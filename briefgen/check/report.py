"""What a check finds: problems on pages (with their source where known) and external links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from briefgen.errors import one_line, shown_path


@dataclass(frozen=True)
class CheckProblem:
    """One problem on one output page, printed as ``page: message (source path:line)``.

    ``subject`` is the offending URL or value, used to find the source line.
    """

    page: str
    message: str
    source: str | None = None
    line: int | None = None
    subject: str = ""

    def __str__(self) -> str:
        page, message = shown_path(self.page), one_line(self.message)
        if self.source is None:
            return f"{page}: {message}"
        where = shown_path(self.source)
        where = where if self.line is None else f"{where}:{self.line}"
        return f"{page}: {message} (source {where})"

    def located(self, source: str, line: int | None) -> CheckProblem:
        return replace(self, source=source, line=line)


@dataclass(frozen=True)
class ExternalLink:
    """A link that leaves the site: listed with ``--external``, never fetched."""

    page: str
    url: str

    def __str__(self) -> str:
        return f"{shown_path(self.page)}: {one_line(self.url)}"


@dataclass
class CheckReport:
    """Everything a check found; ``ok`` when there are no problems."""

    pages: int = 0
    files: int = 0
    problems: list[CheckProblem] = field(default_factory=list)
    external: list[ExternalLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def sort(self) -> None:
        self.problems.sort(key=lambda p: (p.page, p.message))
        self.external.sort(key=lambda e: (e.page, e.url))
