"""Check a built output tree on its own: links, anchors, assets, titles, colliding paths.

Links are resolved the way a static web server would: ``dir/`` serves
``dir/index.html``, a bare ``dir`` is redirected to it. Nothing is fetched.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from briefgen.check.report import CheckProblem, CheckReport, ExternalLink
from briefgen.check.scan import PageScan, UrlUse, css_urls, scan_html
from briefgen.errors import SourceError
from briefgen.files import entry_problem, read_regular
from briefgen.slugs import collision_key

HTML_SUFFIXES = (".html", ".htm")
_EXTERNAL_SCHEMES = ("http", "https")
_DOCUMENT_MARKERS = ("<html", "<!doctype", "<head", "<title")
# The largest page or stylesheet read: briefgen's own largest pages are a few MB.
MAX_SCANNED_BYTES = 64 * 1024 * 1024


def list_files(output: Path) -> tuple[list[str], list[CheckProblem]]:
    """Every regular file under ``output`` as a POSIX path relative to it, sorted, and a
    problem for each entry that is neither a folder nor a regular file (a FIFO, socket
    or device: never opened, since reading one would block or never end)."""
    found, problems = [], []
    pending = [(str(output), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in reversed(entries):   # folders in name order, as os.walk did
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_file():
                found.append(rel)
            elif not entry.is_dir():
                problems.append(CheckProblem(rel, entry_problem(entry), subject=rel))
    found.sort()
    return found, problems


def _read_text(output: Path, rel: str, report: CheckReport) -> str | None:
    """A built page or stylesheet as text, or None with a problem (never blocks)."""
    try:
        data = read_regular(output / rel, rel, MAX_SCANNED_BYTES)
    except SourceError as exc:
        report.problems.append(CheckProblem(rel, exc.problem.message, subject=rel))
        return None
    return data.decode("utf-8", errors="replace")


def colliding_paths(files: list[str]) -> list[CheckProblem]:
    """Paths that differ only by case or Unicode normal form break on many hosts."""
    groups: dict[str, list[str]] = defaultdict(list)
    for rel in files:
        groups[collision_key(rel)].append(rel)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for rel in group:
            others = ", ".join(f"'{other}'" for other in group if other != rel)
            problems.append(CheckProblem(
                rel, f"duplicate output path: collides with {others} "
                     "(differs only by case or Unicode normal form)", subject=rel))
    return problems


class OutputChecker:
    """Resolves every URL of every page and stylesheet against the files present."""

    def __init__(self, output: Path, base_url: str = "/"):
        self.output = output
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = urlsplit(self.base_url).path or "/"
        self.files: list[str] = []
        self.file_set: set[str] = set()
        self.by_key: dict[str, str] = {}
        self.scans: dict[str, PageScan] = {}

    def run(self) -> CheckReport:
        report = CheckReport()
        self.files, report.problems = list_files(self.output)
        self.file_set = set(self.files)
        self.by_key = {collision_key(rel): rel for rel in self.files}
        stylesheets: dict[str, list[UrlUse]] = {}
        for rel in self.files:
            if rel.lower().endswith(HTML_SUFFIXES):
                text = _read_text(self.output, rel, report)
                if text is None:
                    continue
                self.scans[rel] = scan_html(text)
                if not self.scans[rel].title and _is_document(text):
                    report.problems.append(CheckProblem(rel, "page has no title"))
            elif rel.lower().endswith(".css"):
                text = _read_text(self.output, rel, report)
                if text is not None:
                    stylesheets[rel] = css_urls(text)
        report.files = len(self.files)
        report.pages = len(self.scans)
        report.problems += colliding_paths(self.files)
        for rel, scan in self.scans.items():
            for use in scan.urls:
                self._check_url(rel, use, report, anchors=True)
        for rel, uses in stylesheets.items():
            for use in uses:
                self._check_url(rel, use, report, anchors=False)
        report.sort()
        return report

    def _check_url(self, page: str, use: UrlUse, report: CheckReport, anchors: bool) -> None:
        url = use.url
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            if url.startswith(self.base_url) and self.base_url.startswith(("http:", "https:")):
                parts = urlsplit("/" + url[len(self.base_url):].lstrip("/"))
                path = parts.path
            elif parts.scheme in _EXTERNAL_SCHEMES or url.startswith("//"):
                report.external.append(ExternalLink(page, url))
                return
            else:
                return  # mailto:, tel:, data: … are not files of the site
        else:
            path = parts.path
            if path.startswith("/"):
                if not path.startswith(self.base_path):
                    report.problems.append(CheckProblem(
                        page, f"{_noun(use)} '{url}' points outside the site "
                              f"(base_url path is '{self.base_path}')", subject=url))
                    return
                path = "/" + path[len(self.base_path):]
        target = self._resolve(page, unquote(path))
        if target is None:
            report.problems.append(CheckProblem(page, self._missing(use, page, path),
                                                subject=url))
            return
        fragment = unquote(parts.fragment)
        if (anchors and fragment and target in self.scans and fragment.lower() != "top"
                and fragment not in self.scans[target].ids):
            where = "this page" if target == page else f"'{target}'"
            report.problems.append(CheckProblem(
                page, f"anchor '#{fragment}' in '{url}' resolves nowhere: "
                      f"no element with that id on {where}", subject=url))

    def _resolve(self, page: str, path: str) -> str | None:
        """The output file a URL path names, or None (also when it climbs out of the site)."""
        if path == "":
            return page
        joined = _join(page, path)
        if joined is None:
            return None
        if not path.endswith("/") and joined in self.file_set:
            return joined
        index = f"{joined}/index.html" if joined else "index.html"
        return index if index in self.file_set else None

    def _missing(self, use: UrlUse, page: str, path: str) -> str:
        joined = _join(page, unquote(path)) if path else page
        message = f"{_noun(use)} '{use.url}' resolves nowhere"
        if joined is None:
            return message + " (it climbs above the site root)"
        for candidate in (joined, f"{joined}/index.html".lstrip("/")):
            near = self.by_key.get(collision_key(candidate))
            if near is not None:
                return message + (f" (only '{near}' exists, which differs by case or "
                                  "Unicode normal form)")
        return message


def _noun(use: UrlUse) -> str:
    return {"link": "link", "image": "image", "stylesheet": "stylesheet",
            "script": "script", "media": "media file"}.get(use.kind, "asset")


def _join(page: str, path: str) -> str | None:
    """Resolve ``path`` against the folder of ``page``; None if it leaves the root."""
    parts: list[str] = [] if path.startswith("/") else list(PurePosixPath(page).parent.parts)
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    return "/".join(parts)


def _is_document(text: str) -> bool:
    head = text[:2048].lower()
    return any(marker in head for marker in _DOCUMENT_MARKERS)


def check_output(output: Path, base_url: str = "/") -> CheckReport:
    """Check every page and stylesheet under ``output``; sources are not consulted."""
    return OutputChecker(output, base_url).run()
