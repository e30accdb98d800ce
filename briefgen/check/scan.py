"""Read one output file for what the checker needs: ids, title, and every URL it uses.

Standard library only (``html.parser``): the checker runs over thousands of pages
and must not need the test-only HTML5 parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# tag -> attributes that hold one URL, and what a missing target is called.
_URL_ATTRS: dict[str, tuple[tuple[str, str], ...]] = {
    "a": (("href", "link"),),
    "area": (("href", "link"),),
    "iframe": (("src", "link"),),
    "link": (("href", "asset"),),
    "script": (("src", "script"),),
    "img": (("src", "image"),),
    "source": (("src", "media"),),
    "video": (("src", "media"), ("poster", "image")),
    "audio": (("src", "media"),),
    "track": (("src", "media"),),
    "embed": (("src", "media"),),
    "object": (("data", "media"),),
    "input": (("src", "image"),),
}
_SRCSET_TAGS = {"img", "source"}
_SKIP_LINK_RELS = {"preconnect", "dns-prefetch"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""",
                      re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class UrlUse:
    """One URL in a page: what refers to it (``link``, ``image``, ``stylesheet``…)."""

    url: str
    kind: str


@dataclass
class PageScan:
    """What one HTML page declares and refers to."""

    ids: set[str] = field(default_factory=set)
    title: str | None = None
    urls: list[UrlUse] = field(default_factory=list)


def css_urls(text: str) -> list[UrlUse]:
    """``url(...)`` and ``@import`` targets in a stylesheet or style attribute."""
    found = []
    for match in _CSS_URL.finditer(text):
        url = (match.group(2) if match.group(2) is not None else match.group(4) or "").strip()
        if url:
            found.append(UrlUse(url, "stylesheet" if match.group(4) is not None else "asset"))
    return found


def _link_kind(attrs: dict[str, str]) -> str | None:
    rels = set((attrs.get("rel") or "").lower().split())
    if rels & _SKIP_LINK_RELS:
        return None
    if "stylesheet" in rels:
        return "stylesheet"
    if rels & {"icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}:
        return "asset"
    return "link"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._in_title = False
        self._title_parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        if attrs.get("id"):
            self.scan.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.scan.ids.add(attrs["name"])
        for attr, kind in _URL_ATTRS.get(tag, ()):
            if attr not in attrs or (tag == "input" and attrs.get("type") != "image"):
                continue
            if tag == "link":
                kind = _link_kind(attrs)
                if kind is None:
                    continue
            self.scan.urls.append(UrlUse(attrs[attr].strip(), kind))
        if tag in _SRCSET_TAGS and attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    self.scan.urls.append(UrlUse(url, "image"))
        if attrs.get("style"):
            self.scan.urls.extend(css_urls(attrs["style"]))
        if tag == "title" and self.scan.title is None:
            self._in_title = True
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.scan.title = " ".join("".join(self._title_parts).split())
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        elif self._in_style:
            self.scan.urls.extend(css_urls(data))


def scan_html(text: str) -> PageScan:
    """Ids, title and URLs of one HTML page (an unclosed ``<title>`` counts as given)."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    if scanner._in_title:
        scanner.scan.title = " ".join("".join(scanner._title_parts).split())
    return scanner.scan
