"""Sitemaps for sites of any size: an index and the sitemap files it lists.

``sitemap.xml`` (the URL robots.txt and search consoles already know) is a sitemap
*index*; it lists sitemap files of at most ``sitemap.max_urls`` URLs (the protocol's
50,000 by default) and 50 MB each, and the news sitemap (:mod:`briefgen.render.news`).
Sitemap files sit at the site root: a sitemap may only list URLs under its own folder.

The split is deterministic and keeps old files unchanged as the archive grows:

* ``sitemap-briefings-N.xml`` lists briefing pages, **oldest first** (by date, then
  slug): a new briefing is appended to the last file, and a briefing page's ``lastmod``
  is its own (``updated`` or ``date``), so every earlier file keeps its bytes;
* ``sitemap-pages-N.xml`` lists every other page (home, listings, actors, topics, in
  the order they are planned); their ``lastmod`` is the newest briefing they show, which
  a new briefing moves anyway.

A new briefing therefore rewrites the last briefings file, the pages file(s) whose
listings show it, and the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from briefgen.model import Briefing, When
from briefgen.render.news import NEWS_PATH
from briefgen.render.urls import absolute_url

# Pages that are not content, never listed: the 404 page (sent with status 404) and the
# search page (a form; indexable, but nothing to list).
UNLISTED_KINDS = frozenset({"404", "search"})
INDEX_PATH = "sitemap.xml"
# Bytes a file may hold: under the protocol's 50 MB (52,428,800 bytes, uncompressed).
MAX_BYTES = 50_000_000
FILE_OVERHEAD = 256     # the XML declaration, comment and <urlset> around the URLs
URL_OVERHEAD = 96       # a <url> with its <lastmod>, as the template indents it, minus <loc>

PlannedPage = tuple[str, str, tuple[str, ...]]   # (kind, path, sources) of an HTML page
T = TypeVar("T")


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` (or ``<sitemap>`` of the index): its site path and ``lastmod``."""

    path: str
    lastmod: When | None   # a date, or a time with its offset where the source gave one


@dataclass(frozen=True)
class SitemapFile:
    """One sitemap file: where it goes, the pages it lists, what it depends on.

    ``sources`` are the briefings whose dates make its ``lastmod`` values; ``key``
    digests the list of pages (and the fallback ``lastmod`` if one shows no
    briefing), which ``sources`` alone do not determine.
    """

    path: str
    pages: tuple[PlannedPage, ...]
    sources: tuple[str, ...]
    key: str


def listed(kind: str, path: str, briefing: Briefing | None) -> bool:
    """Whether a page belongs in the sitemap: HTML, public content, never a draft."""
    if not path.endswith(".html") or kind in UNLISTED_KINDS:
        return False
    return briefing is None or not briefing.draft


def _own(kind: str, path: str, by_slug: Mapping[str, Briefing]) -> Briefing | None:
    return by_slug.get(path.split("/")[1]) if kind == "briefing" else None


def newest(moments: Iterable[When | None]) -> When | None:
    """The latest of ``moments`` (None when there is none)."""
    return max((m for m in moments if m is not None), key=_AT, default=None)


_AT = attrgetter("at")


def changes(by_slug: Mapping[str, Briefing]) -> dict[str, When]:
    """When each public briefing last changed, by slug (drafts left out): worked out
    once a build, so a page's ``lastmod`` is a few lookups."""
    return {slug: b.changed for slug, b in by_slug.items() if not b.draft}


class _Ranks(dict):
    """``slug -> rank of its change`` (later is larger); -1 for a slug with none."""

    def __missing__(self, slug: str) -> int:
        return -1


class Newest:
    """The newest change among a page's briefings, for pages of any size: what
    ``newest(map(changed.get, sources))`` gives (the first of equal moments, in the
    order given), with the scan done by C builtins over ranks worked out once. A
    sitemap of 100,000 briefings' pages names millions of sources."""

    def __init__(self, changed: Mapping[str, When]):
        self.changed = changed
        self._ranks: _Ranks | None = None

    def ranks(self) -> _Ranks:
        if self._ranks is None:
            moments = sorted({when.at for when in self.changed.values()})
            at_rank = {at: rank for rank, at in enumerate(moments)}
            self._ranks = _Ranks((slug, at_rank[when.at]) for slug, when in self.changed.items())
        return self._ranks

    def __call__(self, sources: Sequence[str]) -> When | None:
        """The newest change of ``sources`` (None when none of them changed)."""
        if not sources:
            return None
        ranks = list(map(self.ranks().__getitem__, sources))
        top = max(ranks)
        return self.changed[sources[ranks.index(top)]] if top >= 0 else None


def newest_date(by_slug: Mapping[str, Briefing]) -> When | None:
    """When the site's content last changed: its newest public briefing change."""
    return newest(changes(by_slug).values())


def sitemap_entries(pages: Iterable[PlannedPage], by_slug: Mapping[str, Briefing],
                    fallback: When | None = None,
                    changed: Mapping[str, When] | Newest | None = None) -> list[SitemapEntry]:
    """Entries for ``(kind, path, sources)`` of planned pages, in the order given.

    A briefing page changed when its briefing did; any other page when the newest
    briefing it shows did. A page showing no briefing (an actor no briefing mentions
    yet) gets ``fallback``: the site's newest date. ``changed`` is ``changes(by_slug)``
    (or a :class:`Newest` of it) where the caller has it.
    """
    newest_of = _newest_of(by_slug, changed)
    entries = []
    for kind, path, sources in pages:
        own = _own(kind, path, by_slug)
        if not listed(kind, path, own):
            continue
        if own is not None:
            lastmod = own.changed
        else:
            lastmod = newest_of(sources) or fallback
        entries.append(SitemapEntry(path.removesuffix("index.html"), lastmod))
    return entries


def chunks(items: Sequence[T], size: Callable[[T], int], max_items: int,
           max_bytes: int) -> list[list[T]]:
    """``items`` cut in order into runs of at most ``max_items`` and ``max_bytes``
    (``size`` of each, plus ``FILE_OVERHEAD``): greedy, so appending items changes
    only the last run (or starts a new one)."""
    runs: list[list[T]] = []
    run: list[T] = []
    used = FILE_OVERHEAD
    for item in items:
        cost = size(item)
        if run and (len(run) == max_items or used + cost > max_bytes):
            runs.append(run)
            run, used = [], FILE_OVERHEAD
        run.append(item)
        used += cost
    if run:
        runs.append(run)
    return runs


def files_key(paths: Iterable[str]) -> str:
    """A digest of a list of paths: the pages of a sitemap file, the files of the index."""
    return hashlib.blake2b("\n".join(paths).encode(), digest_size=16).hexdigest()


def sitemap_files(pages: Iterable[PlannedPage], by_slug: Mapping[str, Briefing],
                  base_url: str, max_urls: int,
                  max_bytes: int = MAX_BYTES) -> list[SitemapFile]:
    """The sitemap files listing the HTML ``pages`` that belong in a sitemap."""
    briefings: list[tuple[tuple, PlannedPage]] = []
    others: list[PlannedPage] = []
    for page in pages:
        kind, path, _ = page
        own = _own(kind, path, by_slug)
        if not listed(kind, path, own):
            continue
        if own is not None:
            briefings.append(((own.date, own.slug), page))
        else:
            others.append(page)
    briefings.sort(key=lambda item: item[0])

    def size(page: PlannedPage) -> int:
        loc = absolute_url(base_url, page[1].removesuffix("index.html"))
        return len(loc.encode()) + 4 * loc.count("&") + URL_OVERHEAD

    files = []
    fallback = str(newest_date(by_slug))   # the lastmod of a page that shows no briefing
    for name, group in (("briefings", [page for _, page in briefings]), ("pages", others)):
        for number, run in enumerate(chunks(group, size, max_urls, max_bytes), start=1):
            paths = [page[1] for page in run]
            if name == "briefings":
                sources = tuple(_own(*page[:2], by_slug).slug for page in run)
            else:
                sources = tuple(dict.fromkeys(s for page in run for s in page[2]))
                if not all(page[2] for page in run):
                    paths.append(fallback)
            files.append(SitemapFile(f"sitemap-{name}-{number}.xml", tuple(run), sources,
                                     files_key(paths)))
    return files


def index_entries(files: Sequence[SitemapFile], by_slug: Mapping[str, Briefing],
                  news: Sequence[Briefing] | None,
                  changed: Mapping[str, When] | Newest | None = None) -> list[SitemapEntry]:
    """The index's entries: each sitemap file with its newest ``lastmod``, then the
    news sitemap (``news``: its briefings; None when there is none).

    A file's newest ``lastmod`` is the newest change of the briefings its pages show
    (its ``sources``), or the site's newest date if one of its pages shows none:
    what the newest of its entries would be, without working out every entry.
    """
    newest_of = _newest_of(by_slug, changed)
    changed = newest_of.changed
    fallback = newest(changed.values())
    entries = []
    for file in files:
        lastmod = newest_of(file.sources)
        if any(not any(map(changed.__contains__, page[2])) for page in file.pages
               if _own(*page[:2], by_slug) is None):
            lastmod = newest((lastmod, fallback))
        entries.append(SitemapEntry(file.path, lastmod))
    if news is not None:
        entries.append(SitemapEntry(NEWS_PATH, newest(b.changed for b in news)))
    return entries


def _newest_of(by_slug: Mapping[str, Briefing],
               changed: Mapping[str, When] | Newest | None) -> Newest:
    if isinstance(changed, Newest):
        return changed
    return Newest(changes(by_slug) if changed is None else changed)
