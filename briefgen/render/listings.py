"""The listing pages: home, archive (whole, by year, by month), timeline, topics, actors.

Every listing of briefings is paginated from its oldest item (``briefgen.render.paging``):
its root (``archive/``, ``topics/x/``) shows the newest items, ``…/page/N/`` the older
ones, and adding a briefing leaves every older numbered page as it was. The actors and
topics indexes, which are alphabetical, are split into pages of ``paginate_index``.
Pure: no Jinja.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

from briefgen.config import SiteConfig
from briefgen.indexes import ActorEntry, Month, SiteIndex, Topic
from briefgen.model import ACTOR_KINDS, Briefing
from briefgen.render import jsonld
from briefgen.render.filters import month_name
from briefgen.render.neighbours import CO_WINDOW, Neighbour, co_appearing, neighbours_key
from briefgen.render.page import FeedLink, Page
from briefgen.render.paging import Chunk, paginate, split_index
from briefgen.render.urls import absolute_url
from briefgen.taxonomies import TOPICS

KIND_LABELS = {"person": "People", "organisation": "Organisations", "country": "Countries"}

_SLUG = attrgetter("slug")
# What a related topic or a co-appearing actor shows of itself (its link and name).
_TOPIC_SHOWN = attrgetter("slug", "name")
_ACTOR_SHOWN = attrgetter("actor.id", "actor.name", "actor.role")


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
class ActorGroup:
    """Actors of one kind on the actors index."""

    kind: str
    label: str
    entries: tuple[ActorEntry, ...]


@dataclass(frozen=True)
class ArchiveYear:
    """One year of the archive and its months (newest first)."""

    year: int
    months: tuple[Month, ...]

    @property
    def briefings(self) -> list[Briefing]:
        return [b for month in self.months for b in month.briefings]

    @property
    def count(self) -> int:
        return sum(len(month.briefings) for month in self.months)


def _slugs(briefings: Sequence[Briefing]) -> tuple[str, ...]:
    return tuple(map(_SLUG, briefings))


def actor_appearances(entry: ActorEntry,
                      briefings: Sequence[Briefing] | None = None) -> list[Appearance]:
    """The briefings an actor is in (all of them, newest first, unless ``briefings``
    are given), with its role in each."""
    actor_id, default = entry.actor.id, entry.actor.role
    appearances = []
    for briefing in entry.briefings if briefings is None else briefings:
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


def month_groups(briefings: Sequence[Briefing]) -> list[Month]:
    """Briefings (newest first) grouped by month, newest month first."""
    months: dict[tuple[int, int], Month] = {}
    for briefing in briefings:
        key = (briefing.date.year, briefing.date.month)
        months.setdefault(key, Month(*key)).briefings.append(briefing)
    return list(months.values())


@dataclass(frozen=True)
class Day:
    """One day of a listing, with its briefings (newest first)."""

    date: dt.date
    briefings: tuple[Briefing, ...]


def day_groups(briefings: Sequence[Briefing]) -> list[Day]:
    """Briefings (newest first) grouped by day, newest day first."""
    days: dict[dt.date, list[Briefing]] = {}
    for briefing in briefings:
        days.setdefault(briefing.date, []).append(briefing)
    return [Day(day, tuple(items)) for day, items in days.items()]


def actor_groups(entries: Sequence[ActorEntry]) -> list[ActorGroup]:
    """``entries`` (in index order) grouped by kind, known kinds first."""
    by_kind: dict[str, list[ActorEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.actor.kind, []).append(entry)
    return [ActorGroup(kind, KIND_LABELS.get(kind, kind.capitalize()), tuple(items))
            for kind, items in by_kind.items()]


def listed_actors(index: SiteIndex) -> list[ActorEntry]:
    """Actors that appear in at least one briefing, known kinds first, then by name."""
    order = {kind: i for i, kind in enumerate(ACTOR_KINDS)}
    entries = [entry for entry in index.actors.values() if entry.briefings]
    return sorted(entries, key=lambda e: (order.get(e.actor.kind, len(order)),
                                          "" if e.actor.kind in order else e.actor.kind))


def topic_namer(topic: Topic) -> Briefing | None:
    """The briefing whose spelling names ``topic`` everywhere: its oldest, which a new
    briefing does not replace (so the topic's older pages stay as they are)."""
    return topic.briefings[-1] if topic.briefings else None


def chunk_path(root: str, number: int | None) -> str:
    """The output file of a listing's page ``number`` (None: its root)."""
    return f"{root}index.html" if number is None else f"{root}page/{number}/index.html"


def _pages(chunks: list[Chunk], *, root: str, template: str, kind: str,
           context: dict[str, Any], root_context: dict[str, Any] | None = None,
           root_sources: tuple[str, ...] | None = None, also: tuple[str, ...] = (),
           context_of: Callable[[Chunk], dict[str, Any]] | None = None,
           root_key: str = "", key: str = "") -> Iterator[Page]:
    """One :class:`Page` per chunk of a listing: the root (kind ``kind``, with
    ``root_context``, declaring ``root_sources`` when what it adds shows more than its
    items, and ``root_key`` for what it shows that no briefing alone decides) and the
    numbered pages (kind ``kind-page``). Every page declares ``also`` (what its heading
    shows) and ``key`` (what else it shows on every page, such as an author's entry),
    and gets ``context_of(chunk)`` added to its context."""
    for chunk in chunks:
        # ``months``: the page's briefings by month, as themes written before
        # pagination read them on the archive and timeline.
        own = {"chunk": chunk, "pager": chunk.pager, "months": partial(month_groups, chunk.items),
               **context}
        if context_of is not None:
            own.update(context_of(chunk))
        if chunk.number is None:
            own.update(root_context or {})
            sources = root_sources if root_sources is not None else chunk.sources
            yield Page(chunk_path(root, None), template, own, kind,
                       tuple(dict.fromkeys(sources + also)),
                       key="|".join(k for k in (root_key, key) if k))
        else:
            yield Page(chunk_path(root, chunk.number), template, own, f"{kind}-page",
                       tuple(dict.fromkeys(chunk.sources + also)), key=key)


def listing_pages(config: SiteConfig, briefings: Sequence[Briefing], *, root: str,
                  name: str, template: str, kind: str, context: dict[str, Any],
                  **options: Any) -> Iterator[Page]:
    """The pages of one paginated listing of ``briefings`` (a topic, a term, an
    author) named ``name`` under ``root``, which advertise its Atom feed
    (``root`` + ``feed.xml``) while it has briefings. ``options`` go to ``_pages``."""
    feed = FeedLink(f"{root}feed.xml", f"{name} · {config.title}") if briefings else None
    chunks = paginate(briefings, config.paginate, label=f"Pages of {name}", root=root,
                      slug_of=_SLUG)
    yield from _pages(chunks, root=root, template=template, kind=kind,
                      context={"feed": feed, **context}, **options)


def alphabetical_pages(items: Sequence[Any], size: int, *, root: str, label: str,
                       template: str, kind: str, sources: tuple[str, ...],
                       context_of: Callable[[Sequence[Any]], dict[str, Any]],
                       key_of: Callable[[Sequence[Any]], str] | None = None,
                       ) -> Iterator[Page]:
    """An alphabetical index (Who's who, topics, a taxonomy's terms, the authors) in
    pages of ``size``; each page shows ``context_of(its items)`` and declares
    ``sources`` (its counts depend on them) and ``key_of(its items)``."""
    for number, shown, pager in split_index(items, size, label=label, root=root):
        yield Page(chunk_path(root, number), template, {**context_of(shown), "pager": pager},
                   kind if number is None else f"{kind}-page", sources,
                   key=key_of(shown) if key_of is not None else "")


# The home page's hierarchy: one lead story, the next few as cards, the rest as a list.
HOME_TOP = 3


def home_page(config: SiteConfig, index: SiteIndex) -> Page:
    """The home page: the newest ``home_limit`` briefings (never more than a page), the
    newest as the lead story, the next ``HOME_TOP`` as cards, the others as a list."""
    latest = index.briefings[: min(config.home_limit, config.paginate)]
    context = {"briefings": latest, "lead": latest[0] if latest else None,
               "top": latest[1:1 + HOME_TOP], "rest": latest[1 + HOME_TOP:]}
    return Page("index.html", "home.html", context, "home", _slugs(latest))


def archive_years(index: SiteIndex) -> list[ArchiveYear]:
    """The archive's years, newest first, each with its months."""
    years: dict[int, list[Month]] = {}
    for month in index.months:
        years.setdefault(month.year, []).append(month)
    return [ArchiveYear(year, tuple(months)) for year, months in years.items()]


def archive_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """The whole archive, each year and each month, every one paginated. The root
    and each year's root also list the months (with counts) below them."""
    size, years = config.paginate, archive_years(index)
    chunks = paginate(index.briefings, size, label="Pages of the archive", root="archive/",
                      slug_of=_SLUG)
    yield from _pages(chunks, root="archive/", template="archive.html", kind="archive",
                      context={"scope": None}, root_context={"years": years},
                      root_sources=_slugs(index.briefings))
    for year in years:
        root, briefings = f"archive/{year.year:04d}/", year.briefings
        chunks = paginate(briefings, size, label=f"Pages of {year.year}", root=root,
                          slug_of=_SLUG)
        yield from _pages(chunks, root=root, template="archive.html", kind="archive-year",
                          context={"scope": year, "month": None},
                          root_context={"year_months": year.months},
                          root_sources=_slugs(briefings))
        for month in year.months:
            root = f"archive/{month.year:04d}/{month.month:02d}/"
            label = f"Pages of {month_name(month.month)} {month.year}"
            chunks = paginate(month.briefings, size, label=label, root=root, slug_of=_SLUG)
            yield from _pages(chunks, root=root, template="archive.html", kind="archive-month",
                              context={"scope": year, "month": month})


def timeline_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """The timeline: every briefing with its key figure, by month."""
    chunks = paginate(index.briefings, config.paginate, label="Pages of the timeline",
                      root="timeline/", slug_of=_SLUG)
    yield from _pages(chunks, root="timeline/", template="timeline.html", kind="timeline",
                      context={})


def topic_pages(config: SiteConfig, topic: Topic,
                related: Sequence[Neighbour] = ()) -> Iterator[Page]:
    """A topic's briefings, with its description from the config on every page and the
    topics most often filed with it (``related``) on its root. Every page shows the
    topic's name, which its oldest briefing spells (see ``topic_namer``), so every page
    declares that briefing; the root's related topics, counted over every briefing of
    the topic, are its key (see ``neighbours_key``)."""
    namer = topic_namer(topic)
    settings = config.topics.get(topic.slug)
    yield from listing_pages(config, topic.briefings, root=f"topics/{topic.slug}/",
                             name=topic.name, template="topic.html", kind="topic",
                             context={"topic": topic, "term": topic, "taxonomy": TOPICS,
                                      "skip_topic": topic.slug, "description":
                                      settings.description if settings else ""},
                             root_context={"related": related},
                             root_key=neighbours_key(related, _TOPIC_SHOWN),
                             also=(namer.slug,) if namer is not None else ())


def actor_pages(config: SiteConfig, entry: ActorEntry,
                actors: dict[str, ActorEntry] | None = None) -> Iterator[Page]:
    """An actor's page, with the newest of its briefings and of its quotes, and the
    numbered pages of each (``page/N/`` and ``quotes/page/N/``). Its root also lists
    the actors (of ``actors``) that appear most often with it (see ``co_appearing``),
    which are its key (see ``neighbours_key``)."""
    actor, size = entry.actor, config.paginate
    root = f"actors/{actor.id}/"
    feed = FeedLink(f"{root}feed.xml", f"{actor.name} · {config.title}") \
        if entry.briefings else None
    shown = paginate(entry.briefings, size, label="Pages of briefings", root=root,
                     slug_of=_SLUG)
    quoted = paginate(entry.quotes, size, label="Pages of quotes", root=root,
                      slug_of=_quoted, anchor="quotes", prefix=f"{root}quotes/page/")
    also = _definer(entry)
    context = {"entry": entry, "actor": actor, "feed": feed}

    def years(chunk: Chunk) -> dict[str, Any]:
        return {"years": partial(_years, entry, chunk.items),
                "appearances": partial(actor_appearances, entry, chunk.items)}

    company = co_appearing(entry, actors or {})
    root_context = {"quotes": quoted[0].items, "quotes_pager": quoted[0].pager,
                    "company": company, "company_window": CO_WINDOW,
                    "jsonld": partial(jsonld.actor_page, actor, _absolute(config),
                                      shown[0].items)}
    yield from _pages(shown, root=root, template="actor.html", kind="actor",
                      context=context, root_context=root_context, also=also,
                      root_sources=shown[0].sources + quoted[0].sources, context_of=years,
                      root_key=neighbours_key(company, _ACTOR_SHOWN))
    for chunk in quoted[1:]:
        yield Page(f"{root}quotes/page/{chunk.number}/index.html", "actor.html",
                   {**context, "chunk": chunk, "pager": chunk.pager, "years": None,
                    "quotes": chunk.items, "quotes_pager": chunk.pager},
                   "actor-quotes", tuple(dict.fromkeys(chunk.sources + also)))


def _quoted(item: tuple[Briefing, Any]) -> str:
    return item[0].slug


def _years(entry: ActorEntry, briefings: Sequence[Briefing]) -> list[YearGroup]:
    return timeline_years(actor_appearances(entry, briefings))


def _definer(entry: ActorEntry) -> tuple[str, ...]:
    """The briefing that defines an actor known only from briefings (its newest), which
    spells the name every page of the actor shows; none for registry actors."""
    first = entry.briefings[0] if entry.briefings else None
    if first is not None and first.local_actors.get(entry.actor.id) is entry.actor:
        return (first.slug,)
    return ()


def _absolute(config: SiteConfig) -> Callable[[str], str]:
    return lambda path: absolute_url(config.base_url, path)


def index_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """The Who's who and Topics indexes, alphabetical, in pages of ``paginate_index``.
    Their counts depend on every briefing, so each page declares them all."""
    everything = _slugs(index.briefings)
    size = config.paginate_index
    yield from alphabetical_pages(listed_actors(index), size, root="actors/",
                                  label="Pages of the Who's who", template="actors.html",
                                  kind="actors", sources=everything,
                                  context_of=lambda shown: {"groups": actor_groups(shown)})
    yield from alphabetical_pages(list(index.topics.values()), size, root="topics/",
                                  label="Pages of the topics", template="topics.html",
                                  kind="topics", sources=everything,
                                  context_of=partial(described_terms, config.topics, "topics"))


def described_terms(settings: dict[str, Any], name: str, terms: Sequence[Topic]) -> dict[str, Any]:
    """A page of an index of terms (``name``) with the descriptions ``settings`` give."""
    return {name: terms, "descriptions": {t.slug: settings[t.slug].description
                                          for t in terms if t.slug in settings}}
