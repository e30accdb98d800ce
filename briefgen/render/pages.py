"""Which pages the site has and what each template is given: pure, no Jinja.

``plan_pages`` turns the config and the site index into :class:`Page` records: the
HTML pages (the listings are planned by ``briefgen.render.listings``), and the
machine-readable files (feeds, sitemap, robots.txt, the JSON API
and the search index). Each page's context holds model objects plus a few small views
(a briefing's cast, its pulled quotes, JSON-LD) worked out here so templates stay free
of lookups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from operator import attrgetter

from briefgen import publication
from briefgen.clock import build_now
from briefgen.config import SiteConfig
from briefgen.indexes import SiteIndex, Topic
from briefgen.model import Actor, Briefing, Quote
from briefgen.render import (
    api,
    api_pages,
    bylines,
    corrections,
    feeds,
    jsonld,
    listings,
    neighbours,
    news,
    sitemap,
    taxonomy_pages,
)
from briefgen.render.cast import briefing_cast, cast_groups
from briefgen.render.page import FeedLink, Page
from briefgen.render.search_index import MANIFEST_PATH, Blocks, search_files
from briefgen.render.sitemap import PlannedPage
from briefgen.render.urls import absolute_url

__all__ = ["FeedLink", "Page", "plan_pages"]


@dataclass(frozen=True)
class PulledQuote:
    """A quote with its speaker resolved (None when unattributed or unknown)."""

    quote: Quote
    speaker: Actor | None


def _slugs(briefings: list[Briefing]) -> tuple[str, ...]:
    return tuple(map(_SLUG, briefings))


_SLUG = attrgetter("slug")


def _cast_groups(index: SiteIndex, briefing: Briefing):
    return cast_groups(briefing_cast(index, briefing))


def briefing_quotes(index: SiteIndex, briefing: Briefing) -> list[PulledQuote]:
    """The briefing's quotes, each with its speaker's actor if one is known."""
    return [
        PulledQuote(q, index.actor_in(briefing, q.by) if q.by else None)
        for q in briefing.quotes
    ]


def _absolute(config: SiteConfig):
    return lambda path: absolute_url(config.base_url, path)


def _briefing_page(config: SiteConfig, index: SiteIndex, briefing: Briefing,
                   now: dt.datetime) -> Page:
    topics = [
        index.topics[index.topic_slug(name)]
        for name in briefing.topics
        if index.topic_slug(name) in index.topics
    ]
    previous, following = index.previous.get(briefing.slug), index.next.get(briefing.slug)
    related = index.related.get(briefing.slug, [])
    context = {
        "briefing": briefing,
        "topics": topics,
        "cast": partial(briefing_cast, index, briefing),
        "cast_groups": partial(_cast_groups, index, briefing),
        "quotes": partial(briefing_quotes, index, briefing),
        "previous": previous,
        "next": following,
        "related": related,
        "jsonld": partial(_briefing_jsonld, config, index, briefing),
        # Shown only in a preview (a build that lets in what the site holds back).
        "held": publication.banner(briefing, now),
        "authors": bylines.bylines(index, config, briefing),
        "terms": [(t, briefing.terms_in(t.name)) for t in config.all_taxonomies
                  if briefing.terms_in(t.name)],
    }
    # Each topic's name is spelled by one of its briefings.
    namers = [b for b in map(listings.topic_namer, topics) if b is not None]
    shown = [briefing] + [b for b in (previous, following) if b is not None] + related + namers
    return Page(
        f"briefings/{briefing.slug}/index.html", "briefing.html", context, "briefing",
        tuple(dict.fromkeys(_slugs(shown))), full=(briefing.slug,),
        key=_keys(repr(context["held"]) if context["held"][0] else "",
                  bylines.authors_key(context["authors"])),
    )


def _keys(*parts: str) -> str:
    """A page's key made of the keys of what it shows (each may be empty)."""
    return "|".join(part for part in parts if part)


def _briefing_jsonld(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> str:
    cast = briefing_cast(index, briefing)
    return jsonld.news_article(
        briefing,
        [(m.actor, m.role, m.count) for m in cast],
        absolute=_absolute(config),
        site_title=config.title,
        language=config.language,
        authors=bylines.bylines(index, config, briefing),
    )


def _atom_page(config: SiteConfig, index: SiteIndex, briefings: list[Briefing], *,
               path: str, home: str, title: str, subtitle: str = "",
               with_content: bool = True, also: tuple[str, ...] = ()) -> Page:
    """An Atom feed of ``briefings`` (newest first), with their full content or not.

    The site feed carries full content; the many topic and actor feeds carry the
    summary and link, so a site with hundreds of actors does not copy every
    briefing's body into dozens of feeds (and a body edit rewrites none of them).
    ``also`` names briefings the feed's title or subtitle depends on. Entries name
    their authors, whose entries are the feed's key.
    """
    entries = feeds.latest(briefings, config.feeds.limit)
    feed = partial(feeds.make_feed, config, entries, path=path, home=home, title=title,
                   subtitle=subtitle, with_content=with_content,
                   bylines=partial(bylines.bylines, index, config))
    slugs = _slugs(entries)
    return Page(path, "feeds/atom.xml", {"feed": feed}, "feed",
                tuple(dict.fromkeys(slugs + also)), full=slugs if with_content else (),
                format="xml", key=bylines.shown_key(index, config, entries))


def _html_pages(config: SiteConfig, index: SiteIndex, now: dt.datetime) -> Iterator[Page]:
    yield listings.home_page(config, index)
    for briefing in index.briefings:
        yield _briefing_page(config, index, briefing, now)
    yield from listings.archive_pages(config, index)
    yield from listings.timeline_pages(config, index)
    for entry in index.actors.values():
        yield from listings.actor_pages(config, entry, index.actors)
    related = neighbours.related_topics(index)
    for topic in index.topics.values():
        yield from listings.topic_pages(config, topic, related.get(topic.slug, ()))
    yield from listings.index_pages(config, index)
    yield from taxonomy_pages.taxonomy_pages(config, index)
    authors = bylines.author_entries(index, config)
    if authors:
        for entry in authors.values():
            yield from taxonomy_pages.author_pages(config, entry)
        yield from taxonomy_pages.authors_index_pages(config, list(authors.values()),
                                                      _slugs(index.briefings))
    yield from corrections.corrections_pages(config, index)
    yield Page("search/index.html", "search.html", {"manifest_path": MANIFEST_PATH}, "search")
    yield Page("404.html", "404.html", {}, "404")


def _feed_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    yield _atom_page(config, index, index.briefings, path="feed.xml", home="",
                     title=config.title, subtitle=config.description)
    entries = feeds.latest(index.briefings, config.feeds.limit)
    feed = feeds.make_feed(config, entries, path="feed.json", home="", title=config.title,
                           subtitle=config.description,
                           bylines=partial(bylines.bylines, index, config))
    slugs = _slugs(entries)
    yield Page("feed.json", "", {"data": partial(feeds.json_feed, config, feed)}, "feed", slugs,
               full=slugs, format="json", key=bylines.shown_key(index, config, entries))
    yield corrections.corrections_feed_page(config, index)
    for topic in index.topics.values():
        yield _listing_feed(config, index, topic.briefings, f"topics/{topic.slug}/",
                            topic.name, f"Briefings on {topic.name}.", named_by=topic)
    for entry in index.actors.values():
        if entry.briefings:
            actor = entry.actor
            yield _listing_feed(config, index, entry.briefings, f"actors/{actor.id}/",
                                actor.name, f"Briefings that mention {actor.name}.")
    for taxonomy in config.all_taxonomies:
        for term in index.terms.get(taxonomy.name, {}).values():
            yield _listing_feed(config, index, term.briefings,
                                taxonomy_pages.term_path(taxonomy, term), term.name,
                                f"Briefings filed under {taxonomy.singular}: {term.name}.",
                                named_by=term)
    for author in bylines.author_entries(index, config).values():
        if author.briefings:
            yield _listing_feed(config, index, author.briefings, author.path,
                                author.author.name, f"Briefings by {author.author.name}.")


def _listing_feed(config: SiteConfig, index: SiteIndex, briefings: list[Briefing], root: str,
                  name: str, subtitle: str, named_by: Topic | None = None) -> Page:
    """The Atom feed of a listing (a topic, an actor, a term, an author) at ``root``:
    summaries only. A topic's or term's name is spelled by one of its briefings."""
    namer = listings.topic_namer(named_by) if named_by is not None else None
    return _atom_page(config, index, briefings, path=f"{root}feed.xml", home=root,
                      title=f"{name} · {config.title}", subtitle=subtitle,
                      with_content=False, also=(namer.slug,) if namer is not None else ())


def _briefing_data_page(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> Page:
    related = _slugs(index.related.get(briefing.slug, []))
    authors = bylines.bylines(index, config, briefing)
    return Page(f"briefings/{briefing.slug}/index.json", "",
                {"data": partial(api.briefing_document, index, briefing, config.base_url,
                                 authors)},
                "api", (briefing.slug, *related), full=(briefing.slug,), format="json",
                key=bylines.authors_key(authors))


def briefing_page_paths(slug: str) -> tuple[str, str]:
    """The paths of a briefing's own pages: its HTML page and its JSON document."""
    return f"briefings/{slug}/index.html", f"briefings/{slug}/index.json"


def pages_of_briefing(config: SiteConfig, index: SiteIndex, briefing: Briefing,
                      now: dt.datetime | None = None) -> list[Page]:
    """A briefing's own pages (see ``briefing_page_paths``), planned as ``plan_pages``
    plans them; ``index`` needs to hold only what those pages read of it."""
    page = _briefing_page(config, index, briefing, build_now() if now is None else now)
    page.context["fragments"] = {}
    return [page, _briefing_data_page(config, index, briefing)]


def _data_pages(config: SiteConfig, index: SiteIndex,
                search_blocks: Blocks | None) -> Iterator[Page]:
    for briefing in index.briefings:
        yield _briefing_data_page(config, index, briefing)
    base, per_page = config.base_url, config.api.per_page
    for data in (*api_pages.briefing_pages(index.briefings, base, per_page,
                                           config.default_author),
                 *api_pages.actor_pages(index.actors.values(), base, per_page)):
        yield Page(data.path, "", {"data": data.data}, "api", data.sources, format="json",
                   key=data.key)
    yield from search_pages(index, search_blocks)


def search_pages(index: SiteIndex, blocks: Blocks | None = None,
                 **options: int) -> Iterator[Page]:
    """The search index's files (see ``search_index``), each with the digest of its
    content, so that an edit rewrites only the files whose bytes change; the document
    chunks, which show titles and deks, name their briefings as sources. ``blocks``
    is the memo of the index's sealed blocks, kept between builds."""
    for item in search_files(index, index.briefings, blocks=blocks, **options):
        yield Page(item.path, "", {"data": item.data}, "search", item.sources,
                   format="json", key=item.key)


def _sitemap_pages(config: SiteConfig, index: SiteIndex, html: tuple[PlannedPage, ...],
                   now: dt.datetime) -> Iterator[Page]:
    """The sitemap index (``sitemap.xml``), its sitemap files and the news sitemap; the
    entries are worked out when each file is rendered, like other listing contexts."""
    by_slug = index.by_slug
    files = sitemap.sitemap_files(html, by_slug, config.base_url, config.sitemap.max_urls)
    changed = sitemap.Newest(sitemap.changes(by_slug))   # ranked once, when first rendered
    fallback = sitemap.newest(changed.changed.values())
    for file in files:
        entries = partial(sitemap.sitemap_entries, file.pages, by_slug, fallback, changed)
        yield Page(file.path, "sitemap.xml", {"entries": entries}, "sitemap", file.sources,
                   format="xml", key=file.key)
    latest = None
    if config.sitemap.news:
        latest = news.news_briefings(index.briefings, now)
        yield Page(news.NEWS_PATH, "sitemap-news.xml",
                   {"briefings": latest, "publication": config.title,
                    "language": news.news_language(config.language)},
                   "sitemap", _slugs(latest), format="xml")
    # The index gives the news sitemap's lastmod: its membership is part of the key.
    listed = [f.path for f in files] + ([news.NEWS_PATH, *_slugs(latest)] if latest else [])
    entries = partial(sitemap.index_entries, files, by_slug, latest, changed)
    yield Page(sitemap.INDEX_PATH, "sitemap-index.xml", {"entries": entries}, "sitemap",
               _slugs(index.briefings), format="xml", key=sitemap.files_key(listed))


def plan_pages(config: SiteConfig, index: SiteIndex, now: dt.datetime | None = None,
               search_blocks: Blocks | None = None) -> Iterator[Page]:
    """Every page of the site, lazily: the HTML pages (home, briefings, archive, timeline,
    actors, topics, search, 404), then feeds, the JSON API and search index, the sitemaps
    and robots.txt. ``now`` is the build's clock (default: ``build_now()``), which the
    news sitemap's 48 hours count back from; ``search_blocks`` the search index's
    sealed blocks from earlier builds (see ``search_index.search_files``)."""
    html: list[PlannedPage] = []
    # One store for the HTML pages of this plan: what the templates' {% cache %} tags
    # render once per build (a header, a briefing's card) and every other page reuses.
    fragments: dict = {}
    now = build_now() if now is None else now
    for page in _html_pages(config, index, now):
        page.context["fragments"] = fragments
        html.append((page.kind, page.path, page.sources))
        yield page
    yield from _feed_pages(config, index)
    yield from _data_pages(config, index, search_blocks)
    yield from _sitemap_pages(config, index, tuple(html), now)
    yield Page("robots.txt", "robots.txt", {}, "robots", format="text")
