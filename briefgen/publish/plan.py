"""What a publish would change: files added, changed and deleted, from two digest maps.

Each target digests files its own way (git blob ids, SHA-256 for a directory);
the comparison and its printout are shared.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import SourceError, display_path, shown_path
from briefgen.files import not_regular, open_regular


@dataclass
class Plan:
    """The difference between what is published now and what would be published."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.deleted)} deleted, {self.unchanged} unchanged")

    def lines(self) -> list[str]:
        """One ``A``/``M``/``D`` line per file, like ``git status --short``."""
        return ([f"A {shown_path(p)}" for p in self.added]
                + [f"M {shown_path(p)}" for p in self.changed]
                + [f"D {shown_path(p)}" for p in self.deleted])


def diff(new: dict[str, str], old: dict[str, str]) -> Plan:
    """Compare two maps of relative path → digest."""
    plan = Plan()
    for path in sorted(new):
        if path not in old:
            plan.added.append(path)
        elif old[path] != new[path]:
            plan.changed.append(path)
        else:
            plan.unchanged += 1
    plan.deleted = sorted(p for p in old if p not in new)
    return plan


def walk_files(folder: Path) -> list[str]:
    """Every file (or symlink to one) under ``folder`` as a sorted POSIX relative path.
    Anything else that is not a folder (a FIFO, socket, device, broken symlink) is a
    SourceError: hashing or copying it would block or never end."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath).relative_to(folder)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                reason = not_regular(os.stat(path).st_mode)
            except OSError:
                reason = "broken symlink; remove it"
            if reason is not None:
                raise SourceError(display_path(path, Path.cwd()), None, reason)
            found.append((base / name).as_posix())
    return found


def sha256_tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``; an absent folder is empty."""
    if not folder.is_dir():
        return {}
    digests = {}
    for rel in walk_files(folder):
        digest = hashlib.sha256()
        fd, _ = open_regular(folder / rel, str(folder / rel))   # swapped since the walk?
        with open(fd, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digests[rel] = digest.hexdigest()
    return digests
