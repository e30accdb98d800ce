"""What a body-only rebuild needs of the last full build, without loading the site.

Editing the text of a briefing (not its title, date, topics, annotations or anything
else its summary holds) changes only the pages that show that briefing in full: its
page and its JSON document. ``briefgen build`` after such an edit need not unpickle
every summary, index the archive and plan every page: the last full build's
:class:`SiteOutline` (saved with its state) says where the briefing sits in the
archive, and :func:`neighbourhood` rebuilds just the part of the site index its
pages read: its neighbours, related briefings, topics and actors. The pages are then
planned by the same functions a full build uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError
from briefgen.indexes import ActorEntry, SiteIndex, Topic
from briefgen.model import Actor, Author, Briefing
from briefgen.render.pages import Page, briefing_page_paths, pages_of_briefing
from briefgen.slugs import slugify


@dataclass
class SiteOutline:
    """The shape of the site a full build made: enough to place one briefing in it."""

    site_key: str                     # briefgen version, config, actor registry
    templates: dict[str, str]         # template keys
    statics_key: str
    order: list[str]                  # public briefings, as the archive lists them
    displays: dict[str, str]          # slug -> its source (as messages show it)
    topic_names: dict[str, str]       # topic slug -> the name the index gave it
    topic_members: dict[str, list[int]]   # topic slug -> its briefings (places in order)
    local_owners: dict[str, str]      # id of a briefing-defined actor -> the briefing
    # Briefings that some page other than their own (a feed, the search index) shows
    # in full: a body edit to one of these needs the full build.
    full_elsewhere: frozenset[str] = frozenset()
    _position: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_position": None}

    def position(self, slug: str) -> int | None:
        """Where the archive lists ``slug`` (None: not public)."""
        if self._position is None:
            self._position = {s: i for i, s in enumerate(self.order)}
        return self._position.get(slug)


def make_outline(site_key: str, templates: dict[str, str], statics_key: str,
                 index: SiteIndex, registry: dict[str, Actor],
                 pages: Iterable[Page]) -> SiteOutline:
    """The outline of the site a full build planned from ``index``."""
    full_elsewhere: set[str] = set()
    place = {b.slug: i for i, b in enumerate(index.briefings)}
    for page in pages:
        if page.full and page.path not in briefing_page_paths(page.full[0]):
            full_elsewhere.update(page.full)
    return SiteOutline(
        site_key=site_key,
        templates=dict(templates),
        statics_key=statics_key,
        order=list(place),
        displays={b.slug: b.source_path for b in index.briefings},
        topic_names={slug: topic.name for slug, topic in index.topics.items()},
        topic_members={slug: [place[b.slug] for b in topic.briefings]
                       for slug, topic in index.topics.items()},
        local_owners={aid: entry.briefings[0].slug for aid, entry in index.actors.items()
                      if aid not in registry and entry.briefings},
        full_elsewhere=frozenset(full_elsewhere),
    )


def neighbourhood(outline: SiteOutline, briefing: Briefing, registry: dict[str, Actor],
                  related: tuple[str, ...],
                  summary_of: Callable[[str], Briefing | None],
                  authors: dict[str, Author] | None = None) -> SiteIndex | None:
    """The part of the full site index that ``briefing``'s own pages read, equal to
    it there: its archive neighbours, its related briefings (``related``, the last
    build's list), its topics as the index has them (name and briefings), the
    actors it mentions or quotes, and the site's ``authors`` (its bylines). ``summary_of(slug)`` gives any briefing's summary.
    None when the outline cannot place the briefing (then build the whole index)."""
    at = outline.position(briefing.slug)
    if at is None:
        return None
    order = outline.order
    neighbours = {}
    for slug in {*related, *(order[i] for i in (at - 1, at + 1) if 0 <= i < len(order))}:
        summary = summary_of(slug)
        if summary is None:
            return None
        neighbours[slug] = summary
    older = neighbours.get(order[at + 1]) if at + 1 < len(order) else None
    newer = neighbours.get(order[at - 1]) if at > 0 else None
    actors = {aid: ActorEntry(actor) for aid, actor in registry.items()}
    for aid in {m.actor_id for m in briefing.mentions} | {q.by for q in briefing.quotes}:
        owner = outline.local_owners.get(aid)
        if aid in actors or aid in briefing.local_actors or owner is None:
            continue   # the briefing's own definition wins (SiteIndex.actor_in)
        defined_by = summary_of(owner)
        actor = defined_by.local_actors.get(aid) if defined_by is not None else None
        if actor is None:
            return None
        actors[aid] = ActorEntry(actor)
    topics = {}
    for name in briefing.topics:
        slug = slugify(name)
        if slug not in outline.topic_names:
            return None
        members = _Summaries([order[i] for i in outline.topic_members[slug]], summary_of)
        topics[slug] = Topic(slug, outline.topic_names[slug], members)   # type: ignore[arg-type]
    return SiteIndex(
        briefings=[briefing],
        by_slug={briefing.slug: briefing, **neighbours},
        actors=actors,
        topics=topics,
        months=[],
        previous={briefing.slug: older},
        next={briefing.slug: newer},
        related={briefing.slug: [neighbours[s] for s in related]},
        authors=dict(authors or {}),
    )


class _Summaries(Sequence):
    """Briefings by slug, unpickled when read: a topic's hundreds of briefings, which a
    briefing page's templates rarely read beyond the first."""

    def __init__(self, slugs: list[str], summary_of: Callable[[str], Briefing | None]):
        self._slugs = slugs
        self._summary_of = summary_of

    def _summary(self, slug: str) -> Briefing:
        summary = self._summary_of(slug)
        if summary is None:
            raise BriefgenError(f"the build cache lost briefing '{slug}'; "
                                "run 'briefgen build --clean'")
        return summary

    def __len__(self) -> int:
        return len(self._slugs)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self._summary(slug) for slug in self._slugs[at]]
        return self._summary(self._slugs[at])

    def __iter__(self) -> Iterator[Briefing]:
        return map(self._summary, self._slugs)

    def __add__(self, other: Iterable) -> list:
        return [*self, *other]

    def __radd__(self, other: Iterable) -> list:
        return [*other, *self]


def plan_body_edits(config: SiteConfig, outline: SiteOutline, edited: list[Briefing],
                    registry: dict[str, Actor], related: dict[str, tuple[str, ...]],
                    summary_of: Callable[[str], Briefing | None],
                    authors: dict[str, Author] | None = None) -> list[Page] | None:
    """The pages to render again after body edits to ``edited`` (their new summaries,
    equal to the old): each briefing's own pages, planned in its neighbourhood
    (``related``: the last build's related lists). None if one cannot be placed."""
    pages: list[Page] = []
    for briefing in edited:
        if briefing.draft and not config.drafts:
            continue   # on no page
        index = neighbourhood(outline, briefing, registry, related.get(briefing.slug, ()),
                              summary_of, authors)
        if index is None:
            return None
        pages += pages_of_briefing(config, index, briefing)
    return pages
