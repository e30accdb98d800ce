"""Reading the site's actor registry for drafting, and proposing new entries to it."""

from __future__ import annotations

from pathlib import Path

from briefgen.draft.actors import ActorInfo
from briefgen.draft.emit import quoted
from briefgen.errors import BuildError
from briefgen.model import Actor
from briefgen.sources.actors import load_registry
from briefgen.sources.text import MAX_REGISTRY_BYTES, read_source_text


def registry_for(path: Path, display: str) -> dict[str, Actor]:
    """The registry by id; a broken registry is an error (drafts would not build)."""
    registry, problems = load_registry(path, display)
    if problems:
        raise BuildError(problems)
    return registry


def append_actors(path: Path, actors: list[ActorInfo]) -> None:
    """Append new actor entries at the end of ``actors.yaml``, keeping its comments."""
    lines = []
    for actor in actors:
        lines.append(f"\n{actor.id}:\n  name: {quoted(actor.name)}\n  kind: {actor.kind}\n")
        if actor.role:
            lines.append(f"  role: {quoted(actor.role)}\n")
    existing = read_source_text(path, str(path), MAX_REGISTRY_BYTES) if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(existing + "".join(lines), encoding="utf-8")
