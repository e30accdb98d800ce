"""Moving a build's staged files into the output as one transaction.

Every file a commit replaces or deletes is first renamed into a flat folder beside
the output (``.public.old-<pid>/<n>``, on the same file system, so each step is one
rename and no folder is made per file);
if any step fails, every move is undone in reverse and the output is again exactly
what it was. Only the files that changed are moved: a one-edit build renames two.
:func:`os_problem` words a failure as a located problem: the file and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path


class Swap:
    """The moves of one commit, undoable until :meth:`finish`."""

    def __init__(self, output: Path, staging: Path):
        self.output = str(output) + os.sep
        self.staging = str(staging) + os.sep
        self.aside_root = output.parent / f".{output.name}.old-{os.getpid()}"
        self.aside = str(self.aside_root) + os.sep
        self.kept: dict[str, str] = {}            # path -> where its old file was set aside
        self.moved: list[str] = []
        self.removed: list[str] = []
        self.made: list[str] = []                 # output folders this commit created

    def __enter__(self) -> Swap:  # noqa: PYI034
        if self.aside_root.exists():
            shutil.rmtree(self.aside_root)
        self.aside_root.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.rollback()

    def put(self, rel: str) -> None:
        """Move the staged ``rel`` into the output, keeping the file it replaces."""
        self._folder(os.path.dirname(rel))
        self._set_aside(rel)
        self.moved.append(rel)
        os.replace(self.staging + rel, self.output + rel)

    def remove(self, rel: str) -> None:
        """Take ``rel`` out of the output (kept aside until the commit is finished)."""
        if self._set_aside(rel):
            self.removed.append(rel)

    def _set_aside(self, rel: str) -> bool:
        try:
            mode = os.lstat(self.output + rel).st_mode
        except FileNotFoundError:
            return False
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), self.output + rel)
        aside = self.aside + str(len(self.kept))
        os.replace(self.output + rel, aside)
        self.kept[rel] = aside
        return True

    def _folder(self, folder: str) -> None:
        if not folder or os.path.isdir(self.output + folder):
            return
        self._folder(os.path.dirname(folder))
        os.mkdir(self.output + folder)
        self.made.append(folder)

    def rollback(self) -> None:
        """Undo every move, newest first; the set-aside folder stays if one cannot be."""
        failed = False
        for rel in reversed(self.removed):
            failed |= not _quietly(self._restore, rel)
        for rel in reversed(self.moved):
            if rel in self.kept:
                failed |= not _quietly(self._restore, rel)
            else:
                failed |= not _quietly(os.unlink, self.output + rel)
        for folder in reversed(self.made):
            _quietly(os.rmdir, self.output + folder)
        if not failed:
            shutil.rmtree(self.aside_root, ignore_errors=True)

    def _restore(self, rel: str) -> None:
        os.makedirs(os.path.dirname(self.output + rel), exist_ok=True)
        os.replace(self.kept[rel], self.output + rel)

    def finish(self) -> list[str]:
        """Drop what was set aside; the folders left empty by removals, pruned."""
        shutil.rmtree(self.aside_root, ignore_errors=True)
        for rel in self.removed:
            folder = os.path.dirname(rel)
            while folder and _quietly(os.rmdir, self.output + folder):
                folder = os.path.dirname(folder)
        return self.removed


def _quietly(func, *args) -> bool:
    try:
        func(*args)
    except OSError:
        return False
    return True


def swap_trees(output: Path, staging: Path) -> None:
    """Put the fully staged ``staging`` in place of ``output`` (two renames), or undo."""
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    moved = output.exists()
    if moved:
        os.replace(output, old)
    try:
        os.replace(staging, output)
    except OSError:
        if moved:
            os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)
