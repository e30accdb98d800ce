"""Finding the sources: every ``*.md`` under content/briefings, and when a list found
earlier can be trusted again without walking the folders."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.errors import Problem, display_path
from briefgen.files import entry_problem

# A file or folder changed this recently may change again within its file system's
# timestamp granularity (coarse kernel clocks, FAT's two seconds) without its stat
# changing: what was read of it is not trusted by its stat alone.
RACY_NS = 2_000_000_000


@dataclass
class SourceWalk:
    """What one walk of content/briefings found, and what it needs to be trusted again."""

    paths: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # walked: signature
    symlinks: list[str] = field(default_factory=list)   # accepted symlinks among the paths
    started_ns: int = 0   # the wall clock when the walk began
    top: str = ""         # the folder walked
    _absolute: tuple[set[str], set[str]] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_absolute": None}

    def contradicted_by(self, changed: list[Path] | None) -> bool:
        """True when a changed ``*.md`` file in a walked folder exists but was not
        found, or was found but no longer exists."""
        if not changed:
            return False
        if self._absolute is None:   # absolute paths and folders, made when first needed
            self._absolute = ({os.path.abspath(p) for p in self.paths},
                              {os.path.abspath(f) for f in self.folders})
        known, folders = self._absolute
        for path in changed:
            text = os.path.abspath(path)
            if (text.endswith(".md") and os.path.dirname(text) in folders
                    and (text in known) != os.path.isfile(text)):
                return True
        return False


def walk_sources(config: SiteConfig) -> SourceWalk:
    """Every ``*.md`` path under content/briefings, sorted by name in each folder;
    symlinks out of the project and anything but regular files (a FIFO would block
    the build) refused. Each folder walked is recorded with its signature: a file
    created, deleted or renamed in it changes that signature.

    Keeps paths as strings and walks with ``os.scandir`` (no stat per file unless it is
    a symlink).
    """
    folder = config.content_path / "briefings"
    walk = SourceWalk(started_ns=time.time_ns(), top=str(folder))
    if not folder.is_dir():
        return walk
    root = config.root.resolve()
    pending = [str(folder)]
    while pending:
        path = pending.pop()
        walk.folders[path] = folder_signature(path)
        try:
            with os.scandir(path) as entries:
                entries = sorted(entries, key=lambda e: e.name)
        except FileNotFoundError:   # deleted while walking: nothing in it to build
            continue
        except OSError as exc:
            walk.problems.append(Problem(display_path(path, config.root), None,
                                         f"cannot read this folder: {exc.strerror}"))
            continue
        for entry in reversed(entries):   # folders are walked in name order
            if entry.name.startswith(".") or (entry.is_dir(follow_symlinks=False)
                                              and entry.name.startswith("_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
        for entry in entries:
            if not entry.name.endswith(".md") or entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                continue
            if entry.is_symlink():
                problem = symlink_problem(Path(entry.path), root)
                if problem is not None:
                    walk.problems.append(problem)
                    continue
                walk.symlinks.append(entry.path)
            if not entry.is_file():   # a FIFO, socket or device is never opened
                walk.problems.append(Problem(display_path(entry.path, config.root), None,
                                             entry_problem(entry)))
                continue
            walk.paths.append(entry.path)
    return walk


def folder_signature(path: str) -> tuple[int, int, int] | None:
    """What changes when a file is created, deleted or renamed in a folder (None: gone)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def still_valid(walk: SourceWalk, project: Path) -> bool:
    """True when ``walk`` would find the same today: no folder it walked changed since
    (and none changed so close to the walk that a change could hide), and every
    symlink it accepted still points inside the project."""
    if not walk.folders or walk.problems:
        return False
    racy = walk.started_ns - RACY_NS
    for path, signature in walk.folders.items():
        if signature is None or signature[1] >= racy or folder_signature(path) != signature:
            return False
    root = project.resolve() if walk.symlinks else project
    return all(symlink_problem(Path(link), root) is None for link in walk.symlinks)


def symlink_problem(path: Path, root: Path) -> Problem | None:
    """Why a symlinked source is refused (broken, looping, or pointing outside
    ``root``), or None."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(display_path(path, root), None, "broken or looping symlink; remove it")
    if not target.is_relative_to(root):
        return Problem(display_path(path, root), None,
                       "symlink points outside the project; refused")
    return None
