"""The paginated JSON indexes: ``api/briefings.json`` and ``api/actors.json``.

Pagination as a REST API does it, served by a static host: the index file gives the
total and lists every page with its item count and range; each page
(``api/briefings/page-N.json``, ``api/actors/page-N.json``) holds at most
``api.per_page`` items and links the index and its ``prev`` and ``next`` pages.

Briefings are numbered from the **oldest** (by date, then slug), as the HTML archive
pages are: a new briefing changes only the last page and the index, and every earlier
page keeps its URL and bytes (unless an older briefing is added or one is removed).
When the last page is full, the new briefing starts a new page and the former last
page gains its ``next`` link. Actors are sorted by id; each actor's briefings are in
its own document, ``actors/<id>/index.json``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar

from briefgen.indexes import ActorEntry
from briefgen.model import Briefing
from briefgen.render.api import (
    API_VERSION,
    actor_document,
    actor_item,
    actor_json_path,
    briefing_item,
)

BRIEFINGS, ACTORS = "briefings", "actors"
T = TypeVar("T")


@dataclass(frozen=True)
class JsonPage:
    """A planned JSON file: its path, its document (made when rendered), the briefings
    it shows and what else decides its bytes (see ``Page.key``)."""

    path: str
    data: Callable[[], dict[str, Any]]
    sources: tuple[str, ...]
    key: str = ""


def index_path(kind: str) -> str:
    return f"api/{kind}.json"


def page_path(kind: str, number: int) -> str:
    return f"api/{kind}/page-{number}.json"


def runs(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """``items`` cut into pages of ``per_page``: appending changes only the last one."""
    return [items[at:at + per_page] for at in range(0, len(items), per_page)]


def page_document(kind: str, number: int, has_next: bool, items: Iterable[Any],
                  make_item: Callable[[Any], dict[str, Any]], base_url: str) -> dict[str, Any]:
    """Page ``number`` (from 1) of ``kind``: its items and links to its neighbours."""
    return {
        "version": API_VERSION,
        "base_url": base_url,
        "page": number,
        "index": index_path(kind),
        "prev": page_path(kind, number - 1) if number > 1 else None,
        "next": page_path(kind, number + 1) if has_next else None,
        kind: [make_item(item) for item in items],
    }


def index_document(kind: str, base_url: str, per_page: int, total: int,
                   ranges: list[tuple[int, str, str]]) -> dict[str, Any]:
    """The index of ``kind``: the total and, per page, its count and first and last key."""
    return {
        "version": API_VERSION,
        "base_url": base_url,
        "total": total,
        "per_page": per_page,
        "first": page_path(kind, 1) if ranges else None,
        "last": page_path(kind, len(ranges)) if ranges else None,
        "pages": [{"path": page_path(kind, number), "count": count, "from": first, "to": last}
                  for number, (count, first, last) in enumerate(ranges, start=1)],
    }


def _paged(kind: str, pieces: list[Sequence[T]], make_item: Callable[[T], dict[str, Any]],
           base_url: str, sources: Callable[[Sequence[T]], tuple[str, ...]],
           names: Callable[[Sequence[T]], Iterable[str]]) -> Iterator[JsonPage]:
    """The pages of ``kind``: each declares the briefings it shows (``sources``) and,
    in its key, the items it holds (``names``) and whether a next page follows."""
    for number, run in enumerate(pieces, start=1):
        has_next = number < len(pieces)
        data = partial(page_document, kind, number, has_next, run, make_item, base_url)
        key = _digest(*names(run), "next" if has_next else "last")
        yield JsonPage(page_path(kind, number), data, sources(run), key)


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _slugs(run: Iterable[Briefing]) -> tuple[str, ...]:
    return tuple(map(_SLUG, run))


_SLUG = attrgetter("slug")


def briefing_pages(briefings: Iterable[Briefing], base_url: str,
                   per_page: int, default_author: str = "") -> Iterator[JsonPage]:
    """``api/briefings/page-N.json``, oldest first, then the index ``api/briefings.json``."""
    ordered = sorted(briefings, key=lambda b: (b.date, b.slug))
    pieces = runs(ordered, per_page)
    yield from _paged(BRIEFINGS, pieces, partial(briefing_item, default_author=default_author),
                      base_url, _slugs, _slugs)
    ranges = [(len(run), run[0].date.isoformat(), run[-1].date.isoformat()) for run in pieces]
    data = partial(index_document, BRIEFINGS, base_url, per_page, len(ordered), ranges)
    # What it shows is its ranges: their digest, not 100,000s of briefings, is its key.
    yield JsonPage(index_path(BRIEFINGS), data, (), _digest(*map(repr, ranges)))


def _shown(run: Iterable[ActorEntry]) -> list[str]:
    """What a page of ``api/actors/`` shows of each of its actors: its item (its
    definition, roles, briefing count and latest date), the page's key; a few
    briefings' summaries could not declare it (the roles come from every briefing)."""
    return [repr(sorted(actor_item(entry).items())) for entry in run]


def _actor_ids(run: Iterable[ActorEntry]) -> list[str]:
    return [entry.actor.id for entry in run]


def actor_pages(entries: Iterable[ActorEntry], base_url: str,
                per_page: int) -> Iterator[JsonPage]:
    """Each actor's ``actors/<id>/index.json``, ``api/actors/page-N.json`` (by id),
    then the index ``api/actors.json``: every actor that appears in a briefing."""
    listed = sorted((e for e in entries if e.briefings), key=lambda e: e.actor.id)
    for entry in listed:
        yield JsonPage(actor_json_path(entry.actor.id),
                       partial(actor_document, entry, base_url), _slugs(entry.briefings))
    pieces = runs(listed, per_page)
    yield from _paged(ACTORS, pieces, actor_item, base_url, lambda run: (), _shown)
    ranges = [(len(run), run[0].actor.id, run[-1].actor.id) for run in pieces]
    data = partial(index_document, ACTORS, base_url, per_page, len(listed), ranges)
    yield JsonPage(index_path(ACTORS), data, (), _digest(*_actor_ids(listed)))
