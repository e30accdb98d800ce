"""The actor registry (``content/actors.yaml``) and resolving actor references."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.errors import Problem, SourceError
from briefgen.links import safe_url
from briefgen.model import ACTOR_KINDS, Actor
from briefgen.slugs import collision_key, is_valid_slug, name_too_long
from briefgen.sources.text import MAX_REGISTRY_BYTES, read_source_text
from briefgen.yamlsafe import YamlError, as_text, load_yaml, not_text

ACTOR_FIELDS = ("name", "role", "kind", "aliases", "description", "url")


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def parse_actor(actor_id: Any, data: Any, path: str, line: int | None,
                problems: list[Problem], offset: int = 0) -> Actor | None:
    """Validate one actor definition; append problems and return None when unusable.

    ``offset`` is the file line of the YAML's line 0 (1 in front matter, after '---').
    """
    actor_id = as_text(actor_id)
    if not is_valid_slug(actor_id):
        problems.append(Problem(path, line, f"actor id '{actor_id}' must use letters, digits, "
                                            "'-' or '_' only"))
        return None
    if long := name_too_long("actor id", actor_id):
        problems.append(Problem(path, line, long))
        return None
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict):
        problems.append(Problem(path, line, f"actor '{actor_id}' must be a mapping with a name"))
        return None
    lines = {key: at + offset for key, at in getattr(data, "lines", {}).items()}
    for key, value in data.items():
        if key not in ACTOR_FIELDS:
            near = difflib.get_close_matches(str(key), ACTOR_FIELDS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(Problem(path, lines.get(key, line),
                                    f"unknown actor field '{key}'{hint}"))
        elif key != "aliases" and (bad := not_text(f"actor '{actor_id}': '{key}'", value)):
            problems.append(Problem(path, lines.get(key, line), bad))
            return None
    name = as_text(data.get("name")).strip()
    if not name:
        problems.append(Problem(path, line, f"actor '{actor_id}' needs a name"))
        return None
    kind = as_text(data.get("kind") or "person").strip()
    if kind == "organization":
        kind = "organisation"
    if kind not in ACTOR_KINDS:
        problems.append(Problem(path, lines.get("kind", line),
                                f"actor '{actor_id}': kind must be one of {', '.join(ACTOR_KINDS)}"))
        kind = "person"
    aliases = data.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        problems.append(Problem(path, lines.get("aliases", line),
                                f"actor '{actor_id}': aliases must be a list"))
        aliases = []
    if any(not_text("", alias) for alias in aliases):
        problems.append(Problem(path, lines.get("aliases", line),
                                f"actor '{actor_id}': each alias must be text"))
        aliases = []
    url = as_text(data.get("url")).strip()
    if url and not safe_url(url):
        problems.append(Problem(path, lines.get("url", line),
                                f"actor '{actor_id}': unsafe url '{url}' removed"))
        url = ""
    return Actor(
        id=actor_id,
        name=name,
        kind=kind,
        role=as_text(data.get("role")).strip(),
        aliases=tuple(as_text(a).strip() for a in aliases if as_text(a).strip()),
        description=as_text(data.get("description")).strip(),
        url=url,
    )


def load_registry(path: Path, display: str, warnings: list[Problem] | None = None
                  ) -> tuple[dict[str, Actor], list[Problem]]:
    """Read ``actors.yaml``; a missing file is an empty registry. Warnings (a name or
    alias two actors claim) are added to ``warnings`` when given."""
    problems: list[Problem] = []
    if not path.exists():
        return {}, problems
    try:
        text = read_source_text(path, display, MAX_REGISTRY_BYTES)
        data = load_yaml(text)
    except YamlError as exc:
        return {}, [Problem(display, exc.line, exc.message)]
    except SourceError as exc:
        return {}, [exc.problem]
    if data is None:
        return {}, problems
    if not isinstance(data, dict):
        return {}, [Problem(display, 1, "actors.yaml must map actor ids to definitions")]
    registry: dict[str, Actor] = {}
    for actor_id, spec in data.items():
        actor = parse_actor(actor_id, spec, display, data.line_of(actor_id), problems)
        if actor is not None:
            registry[actor.id] = actor
    problems += _colliding_ids(registry, data, display)
    if warnings is not None:
        warnings += _shared_names(registry, data, display)
    return registry, problems


def _shared_names(registry: dict[str, Actor], data, display: str) -> list[Problem]:
    """A name or alias two actors claim: a span with that text links to the first one
    only. One warning at each later claim, naming the first; one pass, no pairs."""
    first: dict[str, tuple[str, int | None]] = {}
    problems = []
    for actor in registry.values():
        spec = data.get(actor.id)
        lines = getattr(spec, "lines", {})
        at = data.line_of(actor.id)
        alias_lines = getattr(spec.get("aliases") if isinstance(spec, dict) else None,
                              "lines", [])
        spots = [(actor.name, lines.get("name", at))]
        spots += [(alias, alias_lines[i] if i < len(alias_lines) else lines.get("aliases", at))
                  for i, alias in enumerate(actor.aliases)]
        for text, line in spots:
            owner, owner_line = first.setdefault(_fold(text), (actor.id, line))
            if owner != actor.id:
                problems.append(Problem(display, line, (
                    f"'{text}' names both actor '{actor.id}' and actor '{owner}' "
                    f"({display}:{owner_line}); text that says '{text}' links to '{owner}': "
                    f"write [{text}]{{.actor ref={actor.id}}} for the other, or drop one claim")))
    return problems


def _colliding_ids(registry: dict[str, Actor], data, display: str) -> list[Problem]:
    """Ids that differ only by case or Unicode form would share ``actors/<id>/`` on many
    hosts (and in every URL a reader types): an error at each, naming all of them."""
    groups: dict[str, list[str]] = {}
    for actor_id in registry:
        groups.setdefault(collision_key(actor_id), []).append(actor_id)
    problems = []
    for ids in groups.values():
        if len(ids) < 2:
            continue
        named = ", ".join(f"'{i}' (line {data.line_of(i)})" for i in ids)
        for actor_id in ids:
            problems.append(Problem(display, data.line_of(actor_id),
                                    f"actor id '{actor_id}' collides with another id that "
                                    f"differs only by case or Unicode form: {named}; their "
                                    "pages would share one URL"))
    return problems


class ActorResolver:
    """Finds actors by id, name or alias (case-insensitive) and suggests near misses."""

    def __init__(self, actors: Iterable[Actor]):
        self.by_id: dict[str, Actor] = {}
        self._by_name: dict[str, str] = {}
        for actor in actors:
            self.by_id[actor.id] = actor
        for actor in self.by_id.values():
            for name in (actor.name, *actor.aliases):
                self._by_name.setdefault(_fold(name), actor.id)

    def with_local(self, local: Iterable[Actor]) -> ActorResolver:
        """A resolver where a briefing's own actor definitions take precedence."""
        local = list(local)
        if not local:
            return self
        merged = dict(self.by_id)
        merged.update({a.id: a for a in local})
        return ActorResolver(merged.values())

    def resolve(self, ref: str | None, text: str) -> Actor | None:
        """The actor for ``ref`` (an id) or, with no ref, for the span's text."""
        if ref:
            actor = self.by_id.get(ref)
            if actor is None:
                actor_id = self._by_name.get(_fold(ref))
                actor = self.by_id.get(actor_id) if actor_id else None
            return actor
        actor_id = self._by_name.get(_fold(text))
        return self.by_id.get(actor_id) if actor_id else None

    def suggest(self, wrong: str) -> str | None:
        """The nearest actor id, name or alias to ``wrong``, for a did-you-mean."""
        candidates = list(self.by_id) + [a.name for a in self.by_id.values()]
        candidates += [alias for a in self.by_id.values() for alias in a.aliases]
        near = difflib.get_close_matches(wrong, candidates, n=1, cutoff=0.6)
        if not near:
            folded = {_fold(c): c for c in candidates}
            near = difflib.get_close_matches(_fold(wrong), list(folded), n=1, cutoff=0.6)
            near = [folded[near[0]]] if near else []
        if not near:
            return None
        actor = self.resolve(near[0], near[0])
        return actor.id if actor else near[0]
