"""The site-wide corrections page (``corrections/``, paginated) and its Atom feed.

Every correction of every published briefing, newest first, as readers of a
newspaper's corrections column expect; the feed carries each correction as an entry
of its own, so a reader who follows it sees a correction when it is made.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from briefgen.config import SiteConfig
from briefgen.indexes import SiteIndex
from briefgen.model import Briefing, Note
from briefgen.render.feeds import EPOCH, Feed, stable_id
from briefgen.render.page import FeedLink, Page
from briefgen.render.paging import paginate
from briefgen.render.urls import absolute_url

ROOT = "corrections/"
FEED_PATH = f"{ROOT}feed.xml"


@dataclass(frozen=True)
class Correction:
    """One correction with its briefing; also an entry of the corrections feed."""

    briefing: Briefing
    note: Note
    number: int   # its place among the briefing's corrections, oldest first, from 1

    @property
    def anchor(self) -> str:
        return f"briefings/{self.briefing.slug}/#corrections"


@dataclass(frozen=True)
class CorrectionEntry:
    """A correction as a feed entry (the attributes ``feeds/atom.xml`` reads)."""

    id: str
    url: str
    title: str
    published: object
    updated: object
    summary: str
    content_html: Markup
    topics: tuple[str, ...] = ()


def corrections(briefings: Sequence[Briefing]) -> list[Correction]:
    """Every correction of ``briefings``, newest first (then by briefing and number)."""
    found = [Correction(b, note, n) for b in briefings
             for n, note in enumerate(b.corrections, start=1)]
    found.sort(key=lambda c: (c.note.at.at, c.briefing.slug, c.number), reverse=True)
    return found


def _slug_of(item: Correction) -> str:
    return item.briefing.slug


def corrections_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """``corrections/`` and its numbered pages. A page's items are not fixed by its
    briefings alone (a correction may be dated before others): each page's key names
    its items and how many pages there are."""
    items = corrections(index.briefings)
    feed = FeedLink(FEED_PATH, f"Corrections · {config.title}")
    chunks = paginate(items, config.paginate, label="Pages of corrections", root=ROOT,
                      slug_of=_slug_of)
    pages = len(chunks)
    for chunk in chunks:
        path = f"{ROOT}index.html" if chunk.number is None \
            else f"{ROOT}page/{chunk.number}/index.html"
        key = f"{pages}:" + ",".join(f"{c.briefing.slug}#{c.number}" for c in chunk.items)
        yield Page(path, "corrections.html",
                   {"chunk": chunk, "pager": chunk.pager, "feed": feed, "total": len(items)},
                   "corrections" if chunk.number is None else "corrections-page",
                   chunk.sources, key=key)


def corrections_feed_page(config: SiteConfig, index: SiteIndex) -> Page:
    """``corrections/feed.xml``: the newest ``feeds.limit`` corrections."""
    latest = corrections(index.briefings)[: config.feeds.limit]
    return Page(FEED_PATH, "feeds/atom.xml", {"feed": partial(corrections_feed, config, latest)},
               "feed", tuple(dict.fromkeys(map(_slug_of, latest))), format="xml",
               key=",".join(f"{c.briefing.slug}#{c.number}" for c in latest))


def corrections_feed(config: SiteConfig, items: Sequence[Correction]) -> Feed:
    """The corrections as an Atom feed: one entry per correction, newest first."""
    entries = tuple(_entry(config, c) for c in items)
    return Feed(
        id=stable_id(config, FEED_PATH),
        title=f"Corrections · {config.title}",
        subtitle="Every correction to a briefing, newest first.",
        self_url=absolute_url(config.base_url, FEED_PATH),
        home_url=absolute_url(config.base_url, ROOT),
        updated=max((c.note.at.at for c in items), default=EPOCH),
        entries=entries,  # type: ignore[arg-type]
        with_content=True,
    )


def _entry(config: SiteConfig, item: Correction) -> CorrectionEntry:
    path = f"briefings/{item.briefing.slug}/"
    url = absolute_url(config.base_url, item.anchor)
    return CorrectionEntry(
        id=f"{stable_id(config, path)}#correction-{item.number}",
        url=url,
        title=f"Correction: {item.briefing.title}",
        published=item.note.at.at,
        updated=item.note.at.at,
        summary=item.note.text,
        content_html=Markup('<p>{}</p><p><a href="{}">{}</a></p>').format(
            item.note.text, url, item.briefing.title),
    )
