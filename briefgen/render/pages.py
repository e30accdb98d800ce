"""Which pages the site has and what each template is given: pure, no Jinja.

``plan_pages`` turns the config and the site index into :class:`Page` records: the
HTML pages, and the machine-readable files (feeds, sitemap, robots.txt, the JSON API
and the search index). Each page's context holds model objects plus a few small views
(a briefing's cast, its pulled quotes, JSON-LD) worked out here so templates stay free
of lookups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

from briefgen.config import SiteConfig
from briefgen.indexes import ActorEntry, SiteIndex
from briefgen.model import ACTOR_KINDS, Actor, Briefing, Quote
from briefgen.render import api, feeds, jsonld
from briefgen.render.search_index import MANIFEST_PATH, search_files
from briefgen.render.sitemap import sitemap_entries
from briefgen.render.urls import absolute_url

KIND_LABELS = {"person": "People", "organisation": "Organisations", "country": "Countries"}


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, with what.

    ``sources`` names every briefing whose summary fields (title, date, dek, gist,
    topics, mentions, figures, quotes, sources…) the page shows; ``full`` those whose
    full content (``body_html``, ``text``, ``sidebars``, ``sections``) it shows. The
    incremental build re-renders a page only when one of these (or its templates,
    the config or the actor registry) changed, so a page must declare everything it
    uses. ``format`` is ``html`` / ``xml`` / ``text`` (rendered by ``template``) or
    ``json`` (``context["data"]`` serialised, ``template`` unused; ``data`` may be a
    function, called at render time, after the build has loaded the ``full`` content).
    ``key``, when set, is a digest of anything else the output depends on (the search
    index's files carry the digest of their exact content): it joins the fingerprint.
    """

    path: str
    template: str
    context: dict[str, Any]
    kind: str
    sources: tuple[str, ...] = ()
    full: tuple[str, ...] = ()
    format: str = "html"
    key: str = ""


@dataclass(frozen=True)
class CastMember:
    """An actor as a briefing's "Who's who" shows it: the role it plays there."""

    actor: Actor
    role: str
    count: int


@dataclass(frozen=True)
class PulledQuote:
    """A quote with its speaker resolved (None when unattributed or unknown)."""

    quote: Quote
    speaker: Actor | None


@dataclass(frozen=True, slots=True)
class Appearance:
    """One briefing an actor appears in, with the role it plays in that briefing."""

    briefing: Briefing
    role: str


@dataclass(frozen=True)
class YearGroup:
    """One year of an actor's timeline (appearances newest first)."""

    year: int
    appearances: tuple[Appearance, ...]


@dataclass(frozen=True)
class FeedLink:
    """An Atom feed a page advertises with ``<link rel="alternate">``."""

    path: str
    title: str


@dataclass(frozen=True)
class ActorGroup:
    """Actors of one kind on the actors index."""

    kind: str
    label: str
    entries: tuple[ActorEntry, ...]


def _slugs(briefings: list[Briefing]) -> tuple[str, ...]:
    return tuple(map(_SLUG, briefings))


_SLUG = attrgetter("slug")


def briefing_cast(index: SiteIndex, briefing: Briefing) -> list[CastMember]:
    """Mentioned actors in order of first mention; unknown ids are left out."""
    cast = []
    for mention in briefing.mentions:
        actor = index.actor_in(briefing, mention.actor_id)
        if actor is not None:
            cast.append(CastMember(actor, mention.role or actor.role, mention.count))
    return cast


def briefing_quotes(index: SiteIndex, briefing: Briefing) -> list[PulledQuote]:
    """The briefing's quotes, each with its speaker's actor if one is known."""
    return [
        PulledQuote(q, index.actor_in(briefing, q.by) if q.by else None)
        for q in briefing.quotes
    ]


def actor_appearances(entry: ActorEntry) -> list[Appearance]:
    """Every briefing an actor is in (newest first), with its role in each."""
    actor_id, default = entry.actor.id, entry.actor.role
    appearances = []
    for briefing in entry.briefings:
        role = ""
        for mention in briefing.mentions:
            if mention.actor_id == actor_id and mention.role:
                role = mention.role
                break
        appearances.append(Appearance(briefing, role or default))
    return appearances


def timeline_years(appearances: list[Appearance]) -> list[YearGroup]:
    """Appearances (newest first) grouped by year, newest year first."""
    years: dict[int, list[Appearance]] = {}
    for appearance in appearances:
        years.setdefault(appearance.briefing.date.year, []).append(appearance)
    return [YearGroup(year, tuple(items)) for year, items in years.items()]


def actor_groups(index: SiteIndex) -> list[ActorGroup]:
    """Actors that appear in at least one briefing, grouped by kind (known kinds first)."""
    by_kind: dict[str, list[ActorEntry]] = {}
    for entry in index.actors.values():
        if entry.briefings:
            by_kind.setdefault(entry.actor.kind, []).append(entry)
    order = list(ACTOR_KINDS) + sorted(k for k in by_kind if k not in ACTOR_KINDS)
    return [
        ActorGroup(kind, KIND_LABELS.get(kind, kind.capitalize()), tuple(by_kind[kind]))
        for kind in order
        if kind in by_kind
    ]


def _absolute(config: SiteConfig):
    return lambda path: absolute_url(config.base_url, path)


def _briefing_page(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> Page:
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
        "quotes": partial(briefing_quotes, index, briefing),
        "previous": previous,
        "next": following,
        "related": related,
        "jsonld": partial(_briefing_jsonld, config, index, briefing),
    }
    # The newest briefing of each topic names it (as the index spells it).
    namers = [topic.briefings[0] for topic in topics if topic.briefings]
    shown = [briefing] + [b for b in (previous, following) if b is not None] + related + namers
    return Page(
        f"briefings/{briefing.slug}/index.html", "briefing.html", context, "briefing",
        tuple(dict.fromkeys(_slugs(shown))), full=(briefing.slug,),
    )


def _briefing_jsonld(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> str:
    cast = briefing_cast(index, briefing)
    return jsonld.news_article(
        briefing,
        [(m.actor, m.role, m.count) for m in cast],
        absolute=_absolute(config),
        site_title=config.title,
        language=config.language,
    )


def _atom_page(config: SiteConfig, briefings: list[Briefing], *, path: str, home: str,
               title: str, subtitle: str = "", with_content: bool = True,
               also: tuple[str, ...] = ()) -> Page:
    """An Atom feed of ``briefings`` (newest first), with their full content or not.

    The site feed carries full content; the many topic and actor feeds carry the
    summary and link, so a site with hundreds of actors does not copy every
    briefing's body into dozens of feeds (and a body edit rewrites none of them).
    ``also`` names briefings the feed's title or subtitle depends on.
    """
    entries = feeds.latest(briefings, config.feeds.limit)
    feed = partial(feeds.make_feed, config, entries, path=path, home=home, title=title,
                   subtitle=subtitle, with_content=with_content)
    slugs = _slugs(entries)
    return Page(path, "feeds/atom.xml", {"feed": feed}, "feed",
                tuple(dict.fromkeys(slugs + also)), full=slugs if with_content else (),
                format="xml")


def _actor_page(config: SiteConfig, entry: ActorEntry) -> Page:
    feed = None
    if entry.briefings:
        feed = FeedLink(f"actors/{entry.actor.id}/feed.xml", f"{entry.actor.name} · {config.title}")
    context = {
        "entry": entry,
        "actor": entry.actor,
        "appearances": partial(actor_appearances, entry),
        "years": partial(_actor_years, entry),
        "quotes": entry.quotes,
        "feed": feed,
        "jsonld": partial(jsonld.actor_page, entry.actor, _absolute(config), entry.briefings),
    }
    quoted_in = tuple(briefing.slug for briefing, _ in entry.quotes)   # maybe not mentioned
    return Page(f"actors/{entry.actor.id}/index.html", "actor.html", context, "actor",
                tuple(dict.fromkeys(_slugs(entry.briefings) + quoted_in)))


def _actor_years(entry: ActorEntry):
    return timeline_years(actor_appearances(entry))


def _html_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    latest = index.briefings[: config.home_limit]
    yield Page("index.html", "home.html", {"briefings": latest}, "home", _slugs(latest))
    for briefing in index.briefings:
        yield _briefing_page(config, index, briefing)
    everything = _slugs(index.briefings)
    yield Page("archive/index.html", "archive.html", {"months": index.months}, "archive",
               everything)
    yield Page("timeline/index.html", "timeline.html", {"months": index.months}, "timeline",
               everything)
    yield Page("actors/index.html", "actors.html", {"groups": actor_groups(index)}, "actors",
               everything)
    for entry in index.actors.values():
        yield _actor_page(config, entry)
    topics = list(index.topics.values())
    yield Page("topics/index.html", "topics.html", {"topics": topics}, "topics", everything)
    for topic in topics:
        feed = FeedLink(f"topics/{topic.slug}/feed.xml", f"{topic.name} · {config.title}")
        yield Page(f"topics/{topic.slug}/index.html", "topic.html",
                   {"topic": topic, "feed": feed}, "topic", _slugs(topic.briefings))
    yield Page("search/index.html", "search.html", {"manifest_path": MANIFEST_PATH}, "search")
    yield Page("404.html", "404.html", {}, "404")


def _feed_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    yield _atom_page(config, index.briefings, path="feed.xml", home="", title=config.title,
                     subtitle=config.description)
    entries = feeds.latest(index.briefings, config.feeds.limit)
    feed = feeds.make_feed(config, entries, path="feed.json", home="", title=config.title,
                           subtitle=config.description)
    slugs = _slugs(entries)
    yield Page("feed.json", "", {"data": partial(feeds.json_feed, config, feed)}, "feed", slugs,
               full=slugs, format="json")
    for topic in index.topics.values():
        yield _atom_page(config, topic.briefings, path=f"topics/{topic.slug}/feed.xml",
                         home=f"topics/{topic.slug}/", title=f"{topic.name} · {config.title}",
                         subtitle=f"Briefings on {topic.name}.", with_content=False,
                         also=_slugs(topic.briefings[:1]))
    for entry in index.actors.values():
        if entry.briefings:
            actor = entry.actor
            yield _atom_page(config, entry.briefings, path=f"actors/{actor.id}/feed.xml",
                             home=f"actors/{actor.id}/", title=f"{actor.name} · {config.title}",
                             subtitle=f"Briefings that mention {actor.name}.",
                             with_content=False)


def _briefing_data_page(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> Page:
    related = _slugs(index.related.get(briefing.slug, []))
    return Page(f"briefings/{briefing.slug}/index.json", "",
                {"data": partial(api.briefing_document, index, briefing, config.base_url)},
                "api", (briefing.slug, *related), full=(briefing.slug,), format="json")


def briefing_page_paths(slug: str) -> tuple[str, str]:
    """The paths of a briefing's own pages: its HTML page and its JSON document."""
    return f"briefings/{slug}/index.html", f"briefings/{slug}/index.json"


def pages_of_briefing(config: SiteConfig, index: SiteIndex, briefing: Briefing) -> list[Page]:
    """A briefing's own pages (see ``briefing_page_paths``), planned as ``plan_pages``
    plans them; ``index`` needs to hold only what those pages read of it."""
    page = _briefing_page(config, index, briefing)
    page.context["fragments"] = {}
    return [page, _briefing_data_page(config, index, briefing)]


def _data_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    base = config.base_url
    for briefing in index.briefings:
        yield _briefing_data_page(config, index, briefing)
    everything = _slugs(index.briefings)
    yield Page("api/briefings.json", "",
               {"data": partial(api.briefings_document, index.briefings, base)}, "api",
               everything, format="json")
    yield Page("api/actors.json", "",
               {"data": partial(api.actors_document, list(index.actors.values()), base)}, "api",
               everything, format="json")
    yield from search_pages(index)


def search_pages(index: SiteIndex, **options: int) -> Iterator[Page]:
    """The search index's files (see ``search_index``), each with the digest of its
    content, so that an edit rewrites only the files whose bytes change; the document
    chunks, which show titles and deks, name their briefings as sources."""
    for item in search_files(index, index.briefings, **options):
        yield Page(item.path, "", {"data": item.data}, "search", item.sources,
                   format="json", key=item.key)


def plan_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """Every page of the site, lazily: the HTML pages (home, briefings, archive, timeline,
    actors, topics, search, 404), then feeds, the JSON API and search index, the sitemap
    and robots.txt."""
    html: list[tuple[str, str, tuple[str, ...]]] = []
    # One store for the HTML pages of this plan: what the templates' {% cache %} tags
    # render once per build (a header, a briefing's card) and every other page reuses.
    fragments: dict = {}
    for page in _html_pages(config, index):
        page.context["fragments"] = fragments
        html.append((page.kind, page.path, page.sources))
        yield page
    yield from _feed_pages(config, index)
    yield from _data_pages(config, index)
    # Worked out when the sitemap is rendered, like other listing contexts.
    yield Page("sitemap.xml", "sitemap.xml",
               {"entries": partial(sitemap_entries, tuple(html), index.by_slug)},
               "sitemap", _slugs(index.briefings), format="xml")
    yield Page("robots.txt", "robots.txt", {}, "robots", format="text")
