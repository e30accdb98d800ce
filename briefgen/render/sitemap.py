"""sitemap.xml entries: every public HTML page with the date its content last changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.model import Briefing

# Pages that are not content: never listed, and marked noindex in their templates.
UNLISTED_KINDS = frozenset({"404", "search"})


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>``: its location (site path) and ``lastmod`` (None when unknown)."""

    path: str
    lastmod: dt.date | None


def listed(kind: str, path: str, briefing: Briefing | None) -> bool:
    """Whether a page belongs in the sitemap: HTML, public content, never a draft."""
    if not path.endswith(".html") or kind in UNLISTED_KINDS:
        return False
    return briefing is None or not briefing.draft


def sitemap_entries(pages: Iterable[tuple[str, str, tuple[str, ...]]],
                    by_slug: Mapping[str, Briefing]) -> list[SitemapEntry]:
    """Entries for ``(kind, path, sources)`` of planned pages, in the order given.

    A briefing page changed when its briefing did; any other page when the newest
    briefing it shows did. Pages showing no briefing have no ``lastmod``.
    """
    entries = []
    for kind, path, sources in pages:
        shown = [by_slug[s] for s in sources if s in by_slug]
        own = by_slug.get(path.split("/")[1]) if kind == "briefing" else None
        if not listed(kind, path, own):
            continue
        if own is not None:
            lastmod = own.last_modified
        else:
            lastmod = max((b.last_modified for b in shown if not b.draft), default=None)
        entries.append(SitemapEntry(path.removesuffix("index.html"), lastmod))
    return entries
