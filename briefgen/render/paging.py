"""Pagination of listings, numbered from the oldest item so old pages never change.

A listing (newest first, as the site shows it) of ``n`` items with a page size ``p``
becomes numbered pages ``1..F`` of exactly ``p`` items each, page 1 holding the oldest,
and a root page (``archive/``, ``topics/x/``) holding the newest ``1..p`` items. A
numbered page exists only once it is full, so adding a newest item changes the root
and, when the root overflows, creates page ``F+1`` and changes page ``F`` (whose
"Newer" link then leads to ``F+1`` instead of the root); every older page keeps its
URL and its bytes. A listing of at most ``p`` items is its root alone, with no pager.

Pure: no Jinja, no :class:`Page`; ``briefgen.render.listings`` turns chunks into pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# How many numbered pages just below the current one the pager links by number.
WINDOW = 2


@dataclass(frozen=True)
class PagerLink:
    """One entry of a pager's list of pages: ``path`` None marks an elided gap."""

    label: str
    path: str | None
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """What a page of a paginated listing shows of its neighbours.

    ``number`` is this page's number (None: the root). ``newest`` is the highest
    numbered page this page links to: ``number + 1`` while that page exists, else
    ``number`` (the next newer page is then the root). A numbered page never shows
    the total count or the last number, which change with every new item.
    """

    label: str          # the nav's accessible name, e.g. "Pages of the archive"
    root: str           # site path of the listing's root, e.g. "archive/"
    prefix: str         # site path numbered pages start with, e.g. "archive/page/"
    number: int | None
    newest: int
    anchor: str = ""    # fragment of the listing on its root ("quotes" → root#quotes)
    prev_label = "Older"
    next_label = "Newer"

    def path(self, number: int | None) -> str:
        """Site path of page ``number`` (None: the root)."""
        if number is None:
            return self.root + (f"#{self.anchor}" if self.anchor else "")
        return f"{self.prefix}{number}/"

    @property
    def prev_path(self) -> str | None:
        """Path of the next older page (``rel="prev"``), None on page 1."""
        if self.number is None:
            return self.path(self.newest) if self.newest else None
        return self.path(self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        """Path of the next newer page (``rel="next"``), None on the root."""
        if self.number is None:
            return None
        return self.path(self.number + 1 if self.newest > self.number else None)

    def links(self) -> list[PagerLink]:
        """Page 1, a gap, the few pages below the current one, the current one, the
        next one if numbered, and the root ("Latest"), oldest first."""
        current = self.number if self.number is not None else self.newest + 1
        low = max(1, current - WINDOW)
        numbers = ([1] if low > 1 else []) + list(range(low, min(current, self.newest) + 1))
        if self.number is not None and self.newest > self.number:
            numbers.append(self.newest)
        links: list[PagerLink] = []
        for number in numbers:
            if links and links[-1].label != "…" and number > int(links[-1].label) + 1:
                links.append(PagerLink("…", None))
            links.append(PagerLink(str(number), self.path(number), number == self.number))
        links.append(PagerLink("Latest", self.path(None), self.number is None))
        return links


@dataclass(frozen=True)
class Chunk:
    """One page of a listing: its items (newest first), its pager (None when the
    listing fits on its root) and the briefings the page depends on."""

    number: int | None
    items: Sequence[Any]
    pager: Pager | None
    sources: tuple[str, ...]

    @property
    def first(self) -> Any:
        """The newest item on the page (None on an empty root)."""
        return self.items[0] if self.items else None

    @property
    def last(self) -> Any:
        """The oldest item on the page (None on an empty root)."""
        return self.items[-1] if self.items else None


def paginate(items: Sequence[Any], size: int, *, label: str, root: str,
             slug_of: Callable[[Any], str], anchor: str = "",
             prefix: str | None = None) -> list[Chunk]:
    """The pages of a listing of ``items`` (newest first): the root, then the
    numbered pages newest first. ``slug_of(item)`` names the briefing an item shows;
    numbered pages live under ``prefix`` (default ``root`` + ``page/``), and
    ``anchor`` is where on its root the listing starts (when the root holds two).

    Each page declares what its bytes depend on (see ``Page.sources``): its items;
    a numbered page ``k`` also the oldest item of page ``k+2`` (which exists exactly
    when page ``k+1`` is numbered, so the "Newer" link changes with it); the root
    also the oldest item of every numbered page (which fixes how many there are).
    """
    count = len(items)
    full = (count - 1) // size if count else 0      # numbered pages, all full

    def start(number: int) -> int:    # index (newest first) of the page's newest item
        return count - number * size

    def oldest(number: int) -> str:   # slug of the oldest item of page ``number``
        return slug_of(items[count - (number - 1) * size - 1])

    def pager(number: int | None, newest: int) -> Pager | None:
        if not full:
            return None
        return Pager(label, root, prefix or f"{root}page/", number, newest, anchor)

    root_items = items[: count - full * size]
    chunks = [Chunk(None, root_items, pager(None, full),
                    tuple(dict.fromkeys([*map(slug_of, root_items),
                                         *(oldest(k) for k in range(1, full + 1))])))]
    for number in range(full, 0, -1):
        page = items[start(number): start(number) + size]
        after = [oldest(number + 2)] if number + 1 <= full else []
        chunks.append(Chunk(number, page, pager(number, min(number + 1, full)),
                            tuple(dict.fromkeys([*map(slug_of, page), *after]))))
    return chunks


@dataclass(frozen=True)
class IndexPager:
    """The pager of an alphabetical index (Who's who, Topics): page 1 is the root,
    then ``page/2/``…. An index page shows counts that change with every briefing
    anyway, so its pager may name every page."""

    label: str
    root: str
    number: int | None   # None: the root, page 1
    count: int
    prev_label = "Previous"
    next_label = "Next"

    def path(self, number: int) -> str:
        return self.root if number == 1 else f"{self.root}page/{number}/"

    @property
    def current(self) -> int:
        return self.number or 1

    @property
    def prev_path(self) -> str | None:
        return self.path(self.current - 1) if self.current > 1 else None

    @property
    def next_path(self) -> str | None:
        return self.path(self.current + 1) if self.current < self.count else None

    def links(self) -> list[PagerLink]:
        return [PagerLink(str(n), self.path(n), n == self.current)
                for n in range(1, self.count + 1)]


def split_index(items: Sequence[Any], size: int, *, label: str,
                root: str) -> list[tuple[int | None, Sequence[Any], IndexPager | None]]:
    """An alphabetical index in pages of ``size``: ``(number, items, pager)`` with
    number None for the root (page 1) and no pager when everything fits on it."""
    count = max(1, -(-len(items) // size))
    pages = []
    for at in range(count):
        number = at + 1 if at else None
        pager = IndexPager(label, root, number, count) if count > 1 else None
        pages.append((number, items[at * size:(at + 1) * size], pager))
    return pages
