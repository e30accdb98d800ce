"""The search index the search page's script loads: compact JSON, built once per build.

Shape (``briefgen/schemas/search-index.json``)::

    {"v": 1, "actors": [names…], "topics": [names…],
     "docs": [[slug, title, date, dek, gist, [actor#…], figures, [topic#…], body?], …]}

Each briefing is a short array, not an object, and actor and topic names are stored
once in shared tables and referred to by position: a 2,000-briefing site stays well
under 1.5 MB (``bench/search_size.py`` measures it). ``figures`` is one string of
"value label" pairs separated by `` · ``; ``gist`` the summary points joined by spaces.
The body text is added only with ``search.include_body``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefgen.indexes import SiteIndex
from briefgen.model import Briefing

INDEX_VERSION = 1
INDEX_PATH = "search/index.json"

# Positions in a document array, for the script and the tests.
FIELDS = ("slug", "title", "date", "dek", "gist", "actors", "figures", "topics", "body")


def _actor_name(index: SiteIndex, briefing: Briefing, actor_id: str) -> str | None:
    actor = index.actor(actor_id) or briefing.local_actors.get(actor_id)
    if actor is None:
        return None
    return " / ".join(dict.fromkeys((actor.name, *actor.aliases)))


def search_index(index: SiteIndex, briefings: Sequence[Briefing],
                 include_body: bool = False) -> dict[str, Any]:
    """The index of ``briefings``, with their bodies if ``include_body``.

    Documents are newest first and, within a day, the fuller briefing first: the
    script breaks ties in score and date by this order.
    """
    actors: dict[str, int] = {}
    topics: dict[str, int] = {}
    docs = []
    for b in sorted(briefings, key=lambda b: (-b.date.toordinal(), -b.word_count, b.slug)):
        actor_refs = []
        for actor_id in b.actor_ids:
            name = _actor_name(index, b, actor_id)
            if name is not None:
                actor_refs.append(actors.setdefault(name, len(actors)))
        topic_refs = [topics.setdefault(t, len(topics)) for t in b.topics]
        figures = " · ".join(f"{f.text} {f.label}".strip() for f in b.figures)
        doc: list[Any] = [b.slug, b.title, b.date.isoformat(), b.dek, " ".join(b.summary),
                          actor_refs, figures, topic_refs]
        if include_body:
            doc.append(b.text)
        docs.append(doc)
    return {"v": INDEX_VERSION, "actors": list(actors), "topics": list(topics), "docs": docs}
