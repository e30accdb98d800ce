"""Which pages the site has and what each template is given: pure, no Jinja.

``plan_pages`` turns the config and the site index into :class:`Page` records. Each
page's context holds model objects plus a few small views (a briefing's cast, its
pulled quotes) worked out here so templates stay free of lookups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefgen.config import SiteConfig
from briefgen.indexes import ActorEntry, SiteIndex
from briefgen.model import ACTOR_KINDS, Actor, Briefing, Quote

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
    ``json`` (``context["data"]`` serialised, ``template`` unused).
    """

    path: str
    template: str
    context: dict[str, Any]
    kind: str
    sources: tuple[str, ...] = ()
    full: tuple[str, ...] = ()
    format: str = "html"


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


@dataclass(frozen=True)
class Appearance:
    """One briefing an actor appears in, with the role it plays in that briefing."""

    briefing: Briefing
    role: str


@dataclass(frozen=True)
class ActorGroup:
    """Actors of one kind on the actors index."""

    kind: str
    label: str
    entries: tuple[ActorEntry, ...]


def _slugs(briefings: list[Briefing]) -> tuple[str, ...]:
    return tuple(b.slug for b in briefings)


def _resolve(index: SiteIndex, briefing: Briefing, actor_id: str) -> Actor | None:
    return index.actor(actor_id) or briefing.local_actors.get(actor_id)


def briefing_cast(index: SiteIndex, briefing: Briefing) -> list[CastMember]:
    """Mentioned actors in order of first mention; unknown ids are left out."""
    cast = []
    for mention in briefing.mentions:
        actor = _resolve(index, briefing, mention.actor_id)
        if actor is not None:
            cast.append(CastMember(actor, mention.role or actor.role, mention.count))
    return cast


def briefing_quotes(index: SiteIndex, briefing: Briefing) -> list[PulledQuote]:
    """The briefing's quotes, each with its speaker's actor if one is known."""
    return [
        PulledQuote(q, _resolve(index, briefing, q.by) if q.by else None) for q in briefing.quotes
    ]


def actor_appearances(entry: ActorEntry) -> list[Appearance]:
    """Every briefing an actor is in (newest first), with its role in each."""
    appearances = []
    for briefing in entry.briefings:
        role = next(
            (m.role for m in briefing.mentions if m.actor_id == entry.actor.id and m.role), ""
        )
        appearances.append(Appearance(briefing, role or entry.actor.role))
    return appearances


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


def _briefing_page(index: SiteIndex, briefing: Briefing) -> Page:
    topics = [
        index.topics[index.topic_slug(name)]
        for name in briefing.topics
        if index.topic_slug(name) in index.topics
    ]
    previous, following = index.previous.get(briefing.slug), index.next.get(briefing.slug)
    context = {
        "briefing": briefing,
        "topics": topics,
        "cast": briefing_cast(index, briefing),
        "quotes": briefing_quotes(index, briefing),
        "previous": previous,
        "next": following,
    }
    shown = [briefing] + [b for b in (previous, following) if b is not None]
    return Page(
        f"briefings/{briefing.slug}/index.html", "briefing.html", context, "briefing",
        _slugs(shown), full=(briefing.slug,),
    )


def plan_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """Every page of the site, lazily: home, briefings, archive, actors, topics, 404."""
    latest = index.briefings[: config.home_limit]
    yield Page("index.html", "home.html", {"briefings": latest}, "home", _slugs(latest))
    for briefing in index.briefings:
        yield _briefing_page(index, briefing)
    yield Page(
        "archive/index.html",
        "archive.html",
        {"months": index.months},
        "archive",
        _slugs(index.briefings),
    )
    groups = actor_groups(index)
    yield Page(
        "actors/index.html", "actors.html", {"groups": groups}, "actors", _slugs(index.briefings)
    )
    for entry in index.actors.values():
        context = {
            "entry": entry,
            "actor": entry.actor,
            "appearances": actor_appearances(entry),
            "quotes": entry.quotes,
        }
        yield Page(
            f"actors/{entry.actor.id}/index.html",
            "actor.html",
            context,
            "actor",
            _slugs(entry.briefings),
        )
    topics = list(index.topics.values())
    yield Page(
        "topics/index.html", "topics.html", {"topics": topics}, "topics", _slugs(index.briefings)
    )
    for topic in topics:
        yield Page(
            f"topics/{topic.slug}/index.html",
            "topic.html",
            {"topic": topic},
            "topic",
            _slugs(topic.briefings),
        )
    yield Page("404.html", "404.html", {}, "404")
