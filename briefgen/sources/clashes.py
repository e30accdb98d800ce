"""Names two briefings use differently: topic spellings that would share a page, and
a briefing-local actor id defined one way here and another way there.

Both checks take one pass over the briefings; the files are read again (for the line
to show) only for what is reported. A topic's page is its name as a slug (``topics/<slug>/``). Names that differ only by
case, Unicode form, spacing or ``-``/``_`` (``Migration``, ``migration``) are one
topic, as Hugo merges taxonomy terms by their URL. Names that differ otherwise but
make the same slug (``C++`` and ``C#`` both make ``topics/c/``) would share a page
under one of the two names: that is an error naming every spelling and its source.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from briefgen.errors import Problem, SourceError
from briefgen.model import Actor, Briefing
from briefgen.slugs import slugify
from briefgen.sources.frontmatter import read_front_matter
from briefgen.sources.text import read_source_text

_SEPARATORS = re.compile(r"[\s_-]+")


@functools.lru_cache(maxsize=16384)
def topic_key(name: str) -> str:
    """Two spellings of one topic share this key."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    return _SEPARATORS.sub("-", text.strip())


def topic_collisions(briefings: Iterable[Briefing], root: Path) -> list[Problem]:
    """One error per spelling of each topic page that two different topics would share,
    at the topic's line in the first briefing (by path) that spells it so."""
    pages: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for briefing in briefings:
        for name in briefing.topics:
            spellings = pages.setdefault(slugify(name), {})
            spellings.setdefault(topic_key(name), []).append((briefing.source_path, name))
    problems = []
    for slug, spellings in pages.items():
        if len(spellings) < 2:
            continue
        first = {key: min(uses) for key, uses in spellings.items()}
        where = {key: f"{path}:{_topic_line(root, path, name) or 1}"
                 for key, (path, name) in first.items()}
        for key, (path, name) in sorted(first.items(), key=lambda item: item[1]):
            others = "; ".join(f"'{first[k][1]}' at {where[k]}" for k in sorted(first)
                               if k != key)
            more = len(spellings[key]) - 1
            also = f" (and {more} other briefing{'s' * (more != 1)})" if more else ""
            problems.append(Problem(path, _topic_line(root, path, name), (
                f"topic '{name}'{also} and {others} would share the page topics/{slug}/: "
                "spell them the same, or rename one so its slug differs")))
    return problems


def local_actor_clashes(briefings: Iterable[Briefing], root: Path) -> list[Problem]:
    """Warnings for a briefing-local actor id defined differently in two briefings: each
    briefing shows its own definition, but the actor's page shows only the first."""
    first: dict[str, tuple[str, Actor]] = {}
    clashes: list[tuple[str, str, str]] = []   # (actor id, path, first path)
    with_own = sorted((b for b in briefings if b.local_actors), key=lambda b: b.source_path)
    for briefing in with_own:
        for actor_id, actor in briefing.local_actors.items():
            path, defined = first.setdefault(actor_id, (briefing.source_path, actor))
            if defined != actor:
                clashes.append((actor_id, briefing.source_path, path))
    problems = []
    for actor_id, path, other in clashes:
        where = f"{other}:{_actor_line(root, other, actor_id) or 1}"
        problems.append(Problem(path, _actor_line(root, path, actor_id), (
            f"actor '{actor_id}' is defined here differently from {where}; its page "
            "shows only one of them: define it once in actors.yaml, or give one another id")))
    return problems


def _front_matter(root: Path, display: str) -> dict | None:
    try:
        data, _, _, _ = read_front_matter(read_source_text(root / display, display), display)
    except (SourceError, OSError):
        return None
    return data


def _actor_line(root: Path, display: str, actor_id: str) -> int | None:
    """The file line of ``actor_id`` under the front matter's actors (on a warning)."""
    data = _front_matter(root, display)
    actors = data.get("actors") if data is not None else None
    if not isinstance(actors, dict) or actor_id not in actors:
        return None
    return actors.lines[actor_id] + 1


def _topic_line(root: Path, display: str, name: str) -> int | None:
    """The file line of ``name`` in the front matter's topics (only read on an error)."""
    data = _front_matter(root, display)
    topics = data.get("topics") if data is not None else None
    if topics is None:
        return None
    line = data.lines["topics"] + 1
    if isinstance(topics, list):
        for item, item_line in zip(topics, getattr(topics, "lines", [])):
            if isinstance(item, str) and item.strip() == name:
                return item_line + 1
    return line
