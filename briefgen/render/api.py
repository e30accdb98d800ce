"""The JSON API: each briefing's and each actor's document, and the items the paginated
indexes (:mod:`briefgen.render.api_pages`) list.

Documents are plain dicts shaped by the JSON Schemas in ``briefgen/schemas/`` (see
docs/api.md). URLs in them are site-root-relative paths (``briefings/x/``), so the
files stay correct under any ``base_url``; ``base_url`` is given once per document.
"""

from __future__ import annotations

import json
from typing import Any

from briefgen.indexes import ActorEntry, SiteIndex
from briefgen.model import Actor, Author, Briefing, Note
from briefgen.render.bylines import author_path, byline_ids
from briefgen.render.filters import rfc3339

API_VERSION = 2   # 2: api/briefings.json and api/actors.json became paginated


def briefing_path(briefing: Briefing) -> str:
    return f"briefings/{briefing.slug}/"


def _actor_summary(actor: Actor) -> dict[str, Any]:
    data: dict[str, Any] = {"id": actor.id, "name": actor.name, "kind": actor.kind}
    if actor.role:
        data["role"] = actor.role
    data["path"] = f"actors/{actor.id}/"
    return data


def author_summary(author: Author) -> dict[str, Any]:
    """A byline as the API gives it: who, what kind, their role and their page."""
    data: dict[str, Any] = {"id": author.id, "name": author.name, "type": author.type}
    for key in ("role", "bio", "url", "image"):
        if getattr(author, key):
            data[key] = getattr(author, key)
    data["path"] = author_path(author.id)
    return data


def briefing_document(index: SiteIndex, briefing: Briefing, base_url: str,
                      authors: list[Author] | None = None) -> dict[str, Any]:
    """Everything about one briefing: front matter, annotations, rendered blocks, and
    its ``authors`` (its bylines)."""
    actors = []
    for mention in briefing.mentions:
        actor = index.actor_in(briefing, mention.actor_id)
        entry = {"id": mention.actor_id, "role": mention.role, "count": mention.count}
        if actor is not None:
            entry.update(name=actor.name, kind=actor.kind, path=f"actors/{actor.id}/")
            entry["role"] = mention.role or actor.role
        actors.append(entry)
    return {
        "version": API_VERSION,
        "base_url": base_url,
        "slug": briefing.slug,
        "path": briefing_path(briefing),
        "title": briefing.title,
        **times(briefing),
        "expires": rfc3339(briefing.expires) if briefing.expires else None,
        "updates": notes(briefing.updates),
        "corrections": notes(briefing.corrections),
        "dek": briefing.dek,
        "summary": list(briefing.summary),
        "topics": list(briefing.topics),
        "region": briefing.region,
        "terms": {name: list(terms) for name, terms in briefing.terms.items()},
        "authors": [author_summary(a) for a in authors or ()],
        "word_count": briefing.word_count,
        "reading_minutes": briefing.reading_minutes,
        "actors": actors,
        "figures": [
            {
                "id": f.id,
                "text": f.text,
                "label": f.label,
                "value": f.parsed.value,
                "unit": f.parsed.unit,
                "kind": f.parsed.kind,
                "note": f.note,
                "source": f.source,
            }
            for f in briefing.figures
        ],
        "quotes": [{"id": q.id, "text": q.text, "by": q.by or None} for q in briefing.quotes],
        "sections": [{"name": s.name, "title": s.title, "html": s.html}
                     for s in briefing.sections],
        "sidebars": [{"id": s.id, "title": s.title, "html": s.html} for s in briefing.sidebars],
        "sources": [{"title": s.title, "url": s.url, "publisher": s.publisher}
                    for s in briefing.sources],
        # The lead image as the author described it; the renderer adds its files.
        "image": {"alt": briefing.image.alt, "caption": briefing.image.caption,
                  "credit": briefing.image.credit} if briefing.image else None,
        "body_html": briefing.body_html,
        "related": [b.slug for b in index.related.get(briefing.slug, [])],
        "extra": briefing.extra,
    }


def times(b: Briefing) -> dict[str, Any]:
    """``date`` and ``updated`` as the source's days (site time zone); ``published``
    and ``modified`` (the latest update or correction) as full ISO 8601 times."""
    return {
        "date": b.date.isoformat(),
        "updated": b.updated.isoformat() if b.updated else None,
        "published": rfc3339(b.when),
        "modified": rfc3339(b.changed),
    }


def notes(entries: list[Note]) -> list[dict[str, str]]:
    """Updates or corrections, newest first, each with its full ISO 8601 time."""
    return [{"at": rfc3339(n.at), "text": n.text} for n in reversed(entries)]


def briefing_item(b: Briefing, default_author: str = "") -> dict[str, Any]:
    """A briefing as a page of ``api/briefings/`` lists it: enough to list and fetch it
    (its authors by id: their pages are ``authors/<id>/``)."""
    key = b.key_figure
    return {
        "slug": b.slug,
        "title": b.title,
        **times(b),
        "dek": b.dek,
        "topics": list(b.topics),
        "region": b.region,
        "terms": {name: list(terms) for name, terms in b.terms.items()},
        "authors": byline_ids(b, default_author),
        "actors": b.actor_ids,
        "key_figure": {"text": key.text, "label": key.label} if key else None,
        "path": briefing_path(b),
        "json": briefing_path(b) + "index.json",
    }


def actor_json_path(actor_id: str) -> str:
    """The site path of an actor's own JSON document."""
    return f"actors/{actor_id}/index.json"


def _actor_fields(entry: ActorEntry) -> dict[str, Any]:
    data = _actor_summary(entry.actor)
    if entry.actor.aliases:
        data["aliases"] = list(entry.actor.aliases)
    if entry.actor.description:
        data["description"] = entry.actor.description
    if entry.actor.url:
        data["url"] = entry.actor.url
    data["roles"] = list(entry.roles)
    return data


def actor_item(entry: ActorEntry) -> dict[str, Any]:
    """An actor as a page of ``api/actors/`` lists it: who it is, how often it appears,
    and where its own document (with every briefing) is."""
    data = _actor_fields(entry)
    data["briefing_count"] = len(entry.briefings)
    data["latest"] = entry.briefings[0].date.isoformat()
    data["json"] = actor_json_path(entry.actor.id)
    return data


def actor_document(entry: ActorEntry, base_url: str) -> dict[str, Any]:
    """One actor that appears in a briefing, with the briefings it appears in."""
    data = {"version": API_VERSION, "base_url": base_url, **_actor_fields(entry)}
    data["briefings"] = [b.slug for b in entry.briefings]
    return data


SCHEMAS = {
    "feed.json": "jsonfeed.json",
    "api/briefings.json": "briefings.json",
    "api/actors.json": "actors.json",
    "search/index.json": "search-index.json",
}
# Files under a folder, by (folder, name pattern): the schema they follow.
_FOLDER_SCHEMAS = {
    ("api/briefings", "page-"): "briefings-page.json",
    ("api/actors", "page-"): "actors-page.json",
}


def schema_name(path: str) -> str | None:
    """The schema file (in ``briefgen/schemas/``) an output JSON file follows, or None."""
    if path in SCHEMAS:
        return SCHEMAS[path]
    if path.startswith("search/"):
        return "search-index.json"   # every file of the sharded index (see its $defs)
    parts = path.split("/")
    if len(parts) == 3 and parts[2] == "index.json":
        return {"briefings": "briefing.json", "actors": "actor.json"}.get(parts[0])
    folder, _, name = path.rpartition("/")
    for (where, prefix), schema in _FOLDER_SCHEMAS.items():
        if folder == where and name.startswith(prefix) and name.endswith(".json"):
            return schema
    return None


def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with briefgen, by file name (``briefing.json``…)."""
    from importlib.resources import files  # only for the schemas: slow to import

    return json.loads(files("briefgen").joinpath("schemas", name).read_text(encoding="utf-8"))
