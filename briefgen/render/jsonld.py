"""schema.org JSON-LD for briefing and actor pages: plain dicts, serialised by the template.

Briefings are ``NewsArticle``s whose ``mentions`` list every actor (as ``Person``,
``Organization`` or ``Country``) and whose ``about`` lists the actors it is mostly about;
actors are described on their own pages. URLs come from ``base_url`` (root-relative
when it is not absolute, which JSON-LD resolves against the page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from briefgen.model import Actor, Author, Briefing, Source
from briefgen.render.filters import iso

SCHEMA_TYPES = {"person": "Person", "organisation": "Organization", "country": "Country"}
ABOUT_LIMIT = 3

Absolute = Callable[[str], str]


def actor_entity(actor: Actor, absolute: Absolute, role: str = "") -> dict[str, Any]:
    """An actor as a schema.org thing: its type, name, page, role and outside link."""
    url = absolute(f"actors/{actor.id}/")
    entity: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(actor.kind, "Thing"),
        "@id": url + "#actor",
        "name": actor.name,
        "url": url,
    }
    role = role or actor.role
    if role and actor.kind == "person":
        entity["jobTitle"] = role
    description = actor.description or (role if actor.kind != "person" else "")
    if description:
        entity["description"] = description
    if actor.aliases:
        entity["alternateName"] = list(actor.aliases)
    if actor.url:
        entity["sameAs"] = actor.url
    return entity


def author_entity(author: Author, absolute: Absolute) -> dict[str, Any]:
    """A byline as a schema.org ``Person`` or ``Organization``, with its page on the
    site as ``url`` and its own address as ``sameAs``."""
    url = absolute(f"authors/{author.id}/")
    entity: dict[str, Any] = {
        "@type": "Organization" if author.type == "organization" else "Person",
        "@id": url + "#author",
        "name": author.name,
        "url": url,
    }
    if author.role and author.type == "person":
        entity["jobTitle"] = author.role
    if author.bio:
        entity["description"] = author.bio
    if author.image:
        entity["image"] = absolute(author.image)
    if author.url:
        entity["sameAs"] = author.url
    return entity


def news_article(
    briefing: Briefing,
    cast: Sequence[tuple[Actor, str, int]],
    *,
    absolute: Absolute,
    site_title: str,
    language: str,
    authors: Sequence[Author] = (),
) -> dict[str, Any]:
    """A briefing as a ``NewsArticle``; ``cast`` is (actor, role here, mention count),
    ``authors`` its bylines."""
    url = absolute(f"briefings/{briefing.slug}/")
    description = briefing.dek or (briefing.summary[0] if briefing.summary else "")
    mentions = [actor_entity(actor, absolute, role) for actor, role, _ in cast]
    by_count = sorted(range(len(cast)), key=lambda i: (-cast[i][2], i))[:ABOUT_LIMIT]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": briefing.title,
        "datePublished": iso(briefing.when),
        "dateModified": iso(briefing.changed),
        "inLanguage": language,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": site_title, "url": absolute("")},
    }
    if authors:
        data["author"] = [author_entity(author, absolute) for author in authors]
    if description:
        data["description"] = description
    if briefing.summary:
        data["abstract"] = " ".join(briefing.summary)
    if briefing.topics:
        data["articleSection"] = briefing.topics[0]
        data["keywords"] = list(briefing.topics)
    if briefing.region:
        data["contentLocation"] = {"@type": "Place", "name": briefing.region}
    if briefing.word_count:
        data["wordCount"] = briefing.word_count
    if mentions:
        data["about"] = [
            {key: mentions[i][key] for key in ("@type", "@id", "name")} for i in sorted(by_count)
        ]
        data["mentions"] = mentions
    if briefing.sources:
        data["citation"] = [_citation(source) for source in briefing.sources]
    if briefing.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": iso(note.at)}
            for note in reversed(briefing.corrections)]
    return data


def _citation(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def actor_page(actor: Actor, absolute: Absolute, briefings: Sequence[Briefing]) -> dict[str, Any]:
    """An actor's page: the actor itself, with the briefings that mention it."""
    data = {"@context": "https://schema.org", **actor_entity(actor, absolute)}
    data["subjectOf"] = [_article_ref(b, absolute(f"briefings/{b.slug}/")) for b in briefings]
    return data


def author_page(author: Author, absolute: Absolute) -> dict[str, Any]:
    """An author's page: a ``ProfilePage`` whose main entity is the author."""
    entity = author_entity(author, absolute)
    return {"@context": "https://schema.org", "@type": "ProfilePage",
            "url": entity["url"], "mainEntity": entity}


def _article_ref(briefing: Briefing, url: str) -> dict[str, Any]:
    return {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": briefing.title,
        "url": url,
        "datePublished": iso(briefing.when),
    }
