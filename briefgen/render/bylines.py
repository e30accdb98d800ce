"""Bylines: who wrote each briefing, the authors' pages and what they depend on. Pure.

A briefing's byline is its ``authors:``, else the site's ``default_author``. The
authors' entries (``content/authors.yaml``) are not part of the site key, so an edit
to the file re-renders only the pages that show an author: every such page carries
the entries it shows in its ``key`` (:func:`authors_key`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from briefgen.config import SiteConfig
from briefgen.indexes import SiteIndex
from briefgen.model import Author, Briefing
from briefgen.render.page import FeedLink


@dataclass
class AuthorEntry:
    """An author with the briefings they wrote (newest first)."""

    author: Author
    briefings: list[Briefing] = field(default_factory=list)

    @property
    def path(self) -> str:
        return author_path(self.author.id)


def author_path(author_id: str) -> str:
    """The site path of an author's page."""
    return f"authors/{author_id}/"


def byline_ids(briefing: Briefing, default_author: str) -> list[str]:
    """The ids of a briefing's authors: its ``authors:``, else the site's default."""
    return briefing.authors or ([default_author] if default_author else [])


def bylines(index: SiteIndex, config: SiteConfig, briefing: Briefing) -> list[Author]:
    """The authors of ``briefing``, in its order (ids are checked when the site is read)."""
    authors = index.authors
    return [authors[i] for i in byline_ids(briefing, config.default_author) if i in authors]


def authors_key(authors: Iterable[Author]) -> str:
    """A digest of the entries of ``authors`` (empty for none): the ``key`` part of a
    page that shows them, so that it is rendered again when one of them changes."""
    shown = "\n".join(repr(author) for author in authors)
    return hashlib.blake2b(shown.encode(), digest_size=16).hexdigest() if shown else ""


def shown_key(index: SiteIndex, config: SiteConfig, briefings: Iterable[Briefing]) -> str:
    """The key of a page that shows the bylines of ``briefings`` (see ``authors_key``)."""
    ids: dict[str, None] = {}
    for briefing in briefings:
        ids.update(dict.fromkeys(byline_ids(briefing, config.default_author)))
    return authors_key(index.authors[i] for i in ids if i in index.authors)


def author_entries(index: SiteIndex, config: SiteConfig) -> dict[str, AuthorEntry]:
    """Every author of ``authors.yaml`` with their briefings, by name (one pass)."""
    entries = {aid: AuthorEntry(author) for aid, author in
               sorted(index.authors.items(), key=lambda kv: (kv[1].name.casefold(), kv[0]))}
    for briefing in index.briefings:
        for author_id in byline_ids(briefing, config.default_author):
            entry = entries.get(author_id)
            if entry is not None:
                entry.briefings.append(briefing)
    return entries


def author_feed(config: SiteConfig, entry: AuthorEntry) -> FeedLink | None:
    """The Atom feed an author's page advertises (None before their first briefing)."""
    if not entry.briefings:
        return None
    return FeedLink(f"{entry.path}feed.xml", f"{entry.author.name} · {config.title}")
