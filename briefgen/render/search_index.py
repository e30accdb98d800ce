"""The search index the search page's script loads: compact JSON, built once per build.

Shape (``briefgen/schemas/search-index.json``)::

    {"v": 1, "actors": [names…], "topics": [names…], "labels": [figure labels…],
     "docs": [[slug, title, date, dek, gist words, [actor#…], [value, label#, …],
               [topic#…], body?], …]}

Each briefing is a short array, not an object; actor names (with aliases), topics and
figure labels are stored once in shared tables and referred to by position. The gist
is only searched, never shown, so it is kept as its distinct words (folded to lower
case without accents) that the title and dek do not already hold. A 2,000-briefing
site's index stays well under 1.5 MB (``bench/search_size.py`` measures it). The
body text is added only with ``search.include_body``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from briefgen.indexes import SiteIndex
from briefgen.model import Briefing

INDEX_VERSION = 1
INDEX_PATH = "search/index.json"

# Positions in a document array, for the script and the tests.
FIELDS = ("slug", "title", "date", "dek", "gist", "actors", "figures", "topics", "body")


_NOT_WORD = re.compile(r"[\W_]+")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(match: re.Match) -> str:
    return "".join(c for c in match.group() if unicodedata.category(c) != "Mn")


def fold_words(text: str) -> list[str]:
    """Lower-case words without accents, split where search.js splits a query."""
    # Accents are combining marks after NFD; only non-ASCII runs can hold one.
    text = _NOT_ASCII.sub(_without_marks, unicodedata.normalize("NFD", text))
    return _NOT_WORD.sub(" ", text.lower()).split()


def gist_words(briefing: Briefing) -> str:
    """The gist's distinct words that the title and dek do not already contain."""
    seen = set(fold_words(briefing.title)) | set(fold_words(briefing.dek))
    words = dict.fromkeys(fold_words(" ".join(briefing.summary)))
    return " ".join(w for w in words if w not in seen)


def _actor_name(index: SiteIndex, briefing: Briefing, actor_id: str) -> str | None:
    actor = index.actor_in(briefing, actor_id)
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
    labels: dict[str, int] = {}
    docs = []
    for b in sorted(briefings, key=lambda b: (-b.date.toordinal(), -b.word_count, b.slug)):
        actor_refs = []
        for actor_id in b.actor_ids:
            name = _actor_name(index, b, actor_id)
            if name is not None:
                actor_refs.append(actors.setdefault(name, len(actors)))
        topic_refs = [topics.setdefault(t, len(topics)) for t in b.topics]
        figures: list[Any] = []
        for figure in b.figures:
            figures += [figure.text, labels.setdefault(figure.label, len(labels))]
        doc: list[Any] = [b.slug, b.title, b.date.isoformat(), b.dek, gist_words(b),
                          actor_refs, figures, topic_refs]
        if include_body:
            doc.append(b.text)
        docs.append(doc)
    return {"v": INDEX_VERSION, "actors": list(actors), "topics": list(topics),
            "labels": list(labels), "docs": docs}
