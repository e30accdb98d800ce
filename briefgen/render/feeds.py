"""Feeds: the site's Atom and JSON Feed 1.1 feeds, and one Atom feed per topic and actor.

Feed readers fetch a feed on its own, away from the site, so every URL in a feed is
built from ``base_url``. When ``base_url`` is not an absolute URL (the default ``/``),
links are root-relative as given, entry ids fall back to stable ``urn:uuid:`` names
(Atom requires an absolute IRI), and :func:`site_warnings` says the feeds and the
sitemap need an absolute ``base_url`` before the site is published.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup, escape

from briefgen.config import SiteConfig
from briefgen.errors import Problem
from briefgen.model import Author, Briefing, Note
from briefgen.render.filters import moment, rfc3339
from briefgen.render.urls import absolute_url, is_absolute

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # "updated" of a feed with no entries, so builds stay repeatable
# The topic and actor feeds name at most this many of an entry's topics (the site feed
# names them all). Naming them all made output grow with topics × topics: each of a
# briefing's T topic feeds repeated its T topics (10,000 topics wrote 2.8 GB).
LIGHT_FEED_TOPICS = 5


@dataclass(frozen=True)
class FeedAuthor:
    """An entry's author as a feed names it: a name and the author's page."""

    name: str
    uri: str


@dataclass(frozen=True)
class FeedEntry:
    """One briefing as a feed entry.

    ``content_html`` is worked out when a template or :func:`json_feed` reads it, not
    when the page is planned: the build loads a briefing's full content only just
    before rendering the pages that declare it in ``full``.
    """

    id: str
    url: str
    briefing: Briefing
    topic_limit: int | None = None   # how many topics ``topics`` names (None: all)
    authors: tuple[FeedAuthor, ...] = ()

    @property
    def title(self) -> str:
        return self.briefing.title

    @property
    def published(self) -> dt.datetime:
        return self.briefing.when.at

    @property
    def updated(self) -> dt.datetime:
        """The last change: an update or a correction moves it (readers show it again)."""
        return self.briefing.changed.at

    @property
    def summary(self) -> str:
        return self.briefing.dek or " ".join(self.briefing.summary)

    @property
    def topics(self) -> tuple[str, ...]:
        """The entry's categories: its topics, the first ``topic_limit`` of them."""
        return tuple(self.briefing.topics[:self.topic_limit])

    @property
    def content_html(self) -> str:
        """The whole briefing as HTML, its links made absolute (or root-relative)."""
        return absolutize(str(entry_html(self.briefing)), self.url)


@dataclass(frozen=True)
class Feed:
    """A feed: its identity, where it lives, what it links to, and its entries."""

    id: str
    title: str
    subtitle: str
    self_url: str
    home_url: str
    updated: dt.datetime
    entries: tuple[FeedEntry, ...]
    with_content: bool = True


def site_warnings(config: SiteConfig) -> list[Problem]:
    """Problems worth a build warning: feeds and the sitemap without an absolute base URL,
    and ``search.include_body``, which the sharded search index no longer honours."""
    where = config.config_path.name if config.config_path else "briefgen.yaml"
    problems = []
    if config.search.include_body:
        problems.append(Problem(where, None,
                                "search.include_body is ignored: the search index covers "
                                "titles, people, topics, figures, deks and gists, not "
                                "bodies (see docs/api.md); remove the setting"))
    if not is_absolute(config.base_url):
        problems.append(base_url_problem(config, "feeds, sitemap.xml, canonical and "
                                                 "link-preview URLs are root-relative"))
    return problems


def base_url_problem(config: SiteConfig, consequence: str) -> Problem:
    """A base URL that is not absolute, located where it came from (``--base-url`` or
    the config file, which may leave it unset) with what to do about it."""
    if config.base_url_from:
        return Problem(config.base_url_from, None,
                       f"'{config.base_url}' is not an absolute URL: {consequence}; "
                       "give the site's public address, e.g. --base-url https://example.org/")
    where = config.config_path.name if config.config_path else "briefgen.yaml"
    said = (f"base_url '{config.base_url}' is not an absolute URL"
            if config.config_path else "base_url is not set")
    return Problem(where, None,
                   f"{said}: {consequence}; set base_url: https://…/ in {where} "
                   "(or pass --base-url) before publishing")


def stable_id(config: SiteConfig, path: str) -> str:
    """An Atom id for a site path: its absolute URL, or a ``urn:uuid`` derived from the
    site title and path when ``base_url`` is not absolute (the same on every build)."""
    if is_absolute(config.base_url):
        return absolute_url(config.base_url, path)
    name = f"briefgen:{config.title}:{config.base_url}{path}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


@functools.lru_cache(maxsize=32)
def absolutize(html: str, page_url: str) -> str:
    """Resolve the relative ``href``/``src`` values of rendered HTML against ``page_url``.

    Only for HTML briefgen rendered itself, where attributes are always double-quoted.
    Fragment-only links are left alone (they point into the entry itself). Remembered,
    because one briefing appears in the site feed and in each of its topics' and
    actors' feeds: a briefing with 10,000 links and 50 actors took seconds otherwise.
    """

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if not target or target.startswith("#"):
            return match.group(0)
        return match.group(1) + urljoin(page_url, target.replace("&amp;", "&")).replace(
            "&", "&amp;") + match.group(3)

    return _LINK.sub(fix, html)


def entry_html(briefing: Briefing) -> Markup:
    """The whole briefing as one HTML fragment for a feed reader: dek, gist, sections,
    story, sidebars and sources (links still relative to the briefing page)."""
    parts: list[Markup] = []
    if briefing.dek:
        parts.append(Markup("<p><em>{}</em></p>").format(briefing.dek))
    parts += [notes_html(title, notes) for title, notes in
              (("Corrections", briefing.corrections), ("Updates", briefing.updates)) if notes]
    if briefing.summary:
        items = Markup("").join(Markup("<li>{}</li>").format(p) for p in briefing.summary)
        parts.append(Markup("<h2>The gist</h2><ul>{}</ul>").format(items))
    for section in briefing.sections:
        parts.append(Markup("<h2>{}</h2>{}").format(section.title, Markup(section.html)))
    if briefing.body_html:
        parts.append(Markup(briefing.body_html))
    for sidebar in briefing.sidebars:
        parts.append(Markup("<h3>{}</h3>{}").format(sidebar.title or "Note", Markup(sidebar.html)))
    if briefing.sources:
        items = []
        for source in briefing.sources:
            title = (Markup('<a href="{}">{}</a>').format(source.url, source.title)
                     if source.url else escape(source.title))
            if source.publisher:
                title += Markup(", {}").format(source.publisher)
            items.append(Markup("<li>{}</li>").format(title))
        parts.append(Markup("<h2>Sources</h2><ol>{}</ol>").format(Markup("").join(items)))
    return Markup("\n").join(parts)


def notes_html(title: str, notes: Sequence[Note]) -> Markup:
    """A briefing's corrections or updates, newest first, each with its time."""
    items = Markup("").join(
        Markup('<li><time datetime="{}">{}</time>: {}</li>').format(
            rfc3339(n.at), moment(n.at), n.text) for n in reversed(notes))
    return Markup("<h2>{}</h2><ul>{}</ul>").format(title, items)


def make_entry(config: SiteConfig, briefing: Briefing, topic_limit: int | None = None,
               authors: Sequence[Author] = ()) -> FeedEntry:
    """A briefing as a feed entry, naming ``topic_limit`` of its topics (None: all)
    and its ``authors``."""
    path = f"briefings/{briefing.slug}/"
    return FeedEntry(stable_id(config, path), absolute_url(config.base_url, path), briefing,
                     topic_limit, tuple(FeedAuthor(a.name, absolute_url(
                         config.base_url, f"authors/{a.id}/")) for a in authors))


def latest(briefings: Sequence[Briefing], limit: int) -> list[Briefing]:
    """The newest ``limit`` published briefings: drafts never go into a feed. Reads
    no further than it must (a topic of 100,000 briefings has a feed of ``limit``)."""
    return list(islice((b for b in briefings if not b.draft), limit))


def make_feed(config: SiteConfig, briefings: Sequence[Briefing], *, path: str, home: str,
              title: str, subtitle: str = "", with_content: bool = True,
              bylines: Callable[[Briefing], Sequence[Author]] | None = None) -> Feed:
    """A feed at site path ``path`` of ``briefings`` (already chosen and ordered),
    each entry with its authors (``bylines``).

    ``with_content`` false gives entries with their summary, link and first few
    topics only (``LIGHT_FEED_TOPICS``): the many topic and actor feeds stay small.
    """
    limit = None if with_content else LIGHT_FEED_TOPICS
    entries = tuple(make_entry(config, b, limit, bylines(b) if bylines else ())
                    for b in briefings)
    updated = max((e.updated for e in entries), default=EPOCH)
    return Feed(
        id=stable_id(config, path),
        title=title,
        subtitle=subtitle,
        self_url=absolute_url(config.base_url, path),
        home_url=absolute_url(config.base_url, home),
        updated=updated,
        entries=entries,
        with_content=with_content,
    )


def json_feed(config: SiteConfig, feed: Feed) -> dict[str, Any]:
    """A feed as a JSON Feed 1.1 document."""
    data: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "language": config.language,
        "authors": [{"name": config.title}],
        "items": [],
    }
    if feed.subtitle:
        data["description"] = feed.subtitle
    for entry in feed.entries:
        item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "summary": entry.summary,
            "content_html": entry.content_html,
            "date_published": rfc3339(entry.published),
            "date_modified": rfc3339(entry.updated),
        }
        if entry.topics:
            item["tags"] = list(entry.topics)
        if entry.authors:
            item["authors"] = [{"name": a.name, "url": a.uri} for a in entry.authors]
        data["items"].append(item)
    return data
