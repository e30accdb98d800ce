"""The output tree: build aside, then swap in, so a failed build changes nothing.

Pages are written as they are rendered (nothing is held for the whole site).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from briefgen.errors import BriefgenError


class OutputError(BriefgenError):
    """The output directory cannot be used safely."""


def check_output_dir(output: Path, root: Path, content: Path) -> None:
    """Refuse outputs that would overwrite the project or its sources."""
    output, root, content = output.resolve(), root.resolve(), content.resolve()
    if output == root or output in root.parents:
        raise OutputError(f"output directory {output} is the project root or contains it; "
                          "choose a folder inside the project such as 'public'")
    if output == content or content.is_relative_to(output):
        raise OutputError(f"output directory {output} contains the content folder {content}; "
                          "choose another output folder")
    if output.is_relative_to(content):
        raise OutputError(f"output directory {output} lies inside the content folder; "
                          "choose a folder outside content/")


def _safe_relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output directory: {rel!r}")
    return path


class OutputTree:
    """A staging directory next to the output that replaces it on ``commit``."""

    def __init__(self, output: Path):
        self.output = output
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.written: set[str] = set()
        self.bytes = 0

    def __enter__(self) -> OutputTree:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()

    def write_text(self, rel: str, text: str) -> None:
        """Write one output file (UTF-8); the same path twice is a bug, refused."""
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = _safe_relative(rel)
        key = str(path)
        if key in self.written:
            raise OutputError(f"two pages want the same output path '{key}'")
        self.written.add(key)
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.bytes += len(data)

    def copy_static(self, folders: list[Path]) -> int:
        """Copy static folders, later folders overriding earlier ones file by file."""
        chosen: dict[str, Path] = {}
        for folder in folders:
            if not folder.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if name.startswith("."):
                        continue
                    source = Path(dirpath) / name
                    if source.is_symlink() and not source.resolve().is_relative_to(
                            folder.resolve()):
                        continue
                    chosen[source.relative_to(folder).as_posix()] = source
        for rel, source in sorted(chosen.items()):
            if rel in self.written:
                continue  # a rendered page wins over a static file of the same name
            self.written.add(rel)
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return len(chosen)

    def commit(self) -> None:
        """Swap the staged tree in: two renames, then delete the old tree."""
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        if self.output.exists():
            os.replace(self.output, old)
        os.replace(self.staging, self.output)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Drop the staged tree; the previous output is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)
