"""The output tree: stage what changed, then move it in, so a failed build changes nothing.

A fresh build stages the whole site and swaps the folder in with two renames. An
incremental build stages only the files whose bytes changed, then moves each into
place and deletes the files the site no longer has. Files whose bytes did not
change are never rewritten, so their mtimes (and rsync, and browser caches) stay.
Pages are written as they are rendered; nothing is held for the whole site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from briefgen.build.incremental.cache import OutputState, digest
from briefgen.errors import BriefgenError, BuildError, Problem, display_path
from briefgen.files import entry_problem, read_regular, write_file


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


def _safe_relative(rel: str) -> str:
    # The build's own paths are already plain ("briefings/x/index.html"): accept those
    # without parsing a path object for each of the site's pages.
    parts = rel.split("/")
    if parts[0] and parts[-1] and "\\" not in rel and not {"", ".", ".."} & set(parts):
        return rel
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in rel:
        raise OutputError(f"refusing to write outside the output directory: {rel!r}")
    return path.as_posix()


class Stager:
    """Writes one file into the staging folder unless the output already has its bytes.

    Holds no build-wide bookkeeping, so forked render workers can use it directly and
    report the resulting :class:`OutputState` back to the :class:`OutputWriter`.
    """

    def __init__(self, output: Path, staging: Path, previous: dict[str, OutputState]):
        self.output = output
        self.staging = staging
        self.previous = previous

    def stage(self, rel: str, data: bytes, fingerprint: str) -> tuple[OutputState, bool]:
        """The file's new state, and whether it was staged (False: already on disk)."""
        key = digest(data)
        old = self.previous.get(rel)
        if old is not None and old.digest == key:
            try:
                st = os.stat(os.path.join(self.output, rel))
                if st.st_size == old.size and st.st_mtime_ns == old.mtime_ns:
                    return OutputState(fingerprint, key, old.size, old.mtime_ns), False
            except OSError:
                pass
        write_file(os.path.join(self.staging, rel), data)
        return OutputState(fingerprint, key, len(data), 0), True


class OutputWriter:
    """Writes one build's output; ``commit`` makes it visible, ``abort`` drops it."""

    def __init__(self, output: Path, previous: dict[str, OutputState] | None,
                 trust_previous: bool = False):
        self.output = output
        # True when this process wrote ``previous`` itself and nothing else writes the
        # folder (the preview server): no need to stat every file to see it is intact.
        self.trust_previous = trust_previous
        self.fresh = not previous or not output.is_dir()
        self.previous = {} if self.fresh else dict(previous)
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.stager = Stager(output, self.staging, self.previous)
        self.states: dict[str, OutputState] = {}
        self.claimed: set[str] = set()
        self.staged: list[str] = []
        self.deleted: list[str] = []

    def __enter__(self) -> OutputWriter:  # noqa: PYI034
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()

    def unchanged(self, rel: str, fingerprint: str) -> bool:
        """True (and the file kept) when the last build made ``rel`` from the same inputs
        and nobody touched it since."""
        old = self.previous.get(rel)
        if old is None or old.fingerprint != fingerprint:
            return False
        if self.trust_previous:
            self.states[rel] = old
            return True
        try:
            st = os.stat(os.path.join(self.output, rel))
        except OSError:
            return False
        if st.st_size != old.size or st.st_mtime_ns != old.mtime_ns:
            return False
        self.states[rel] = old
        return True

    def put(self, rel: str, data: bytes, fingerprint: str = "") -> bool:
        """Stage ``data`` for ``rel`` unless the output already holds those bytes."""
        rel = self.claim(rel)
        state, staged = self.stager.stage(rel, data, fingerprint)
        self.record(rel, state, staged)
        return staged

    def claim(self, rel: str) -> str:
        """Check that ``rel`` is a safe path no other page of this build writes."""
        rel = _safe_relative(rel)
        if rel in self.states or rel in self.claimed:
            raise OutputError(f"two pages want the same output path '{rel}'")
        self.claimed.add(rel)
        return rel

    def record(self, rel: str, state: OutputState, staged: bool) -> None:
        """Note a file a :class:`Stager` (perhaps in a worker process) dealt with."""
        self.states[rel] = state
        if staged:
            self.staged.append(rel)

    def put_file(self, rel: str, source: Path) -> bool:
        """Stage a static file; its fingerprint is its size and mtime. Only a regular
        file is read (one swapped for a FIFO since it was found is an error)."""
        st = source.stat()
        fingerprint = f"static:{st.st_size}:{st.st_mtime_ns}"
        if rel in self.states:
            return False  # a rendered page wins over a static file of the same name
        if self.unchanged(rel, fingerprint):
            return False
        return self.put(rel, read_regular(source, str(source)), fingerprint)

    def keep_the_rest(self) -> None:
        """Keep every file of the previous build not written this time (partial builds)."""
        for rel, state in self.previous.items():
            self.states.setdefault(rel, state)

    def commit(self) -> None:
        """Make the staged output visible and forget files the site no longer has."""
        if self.fresh:
            old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
            if old.exists():
                shutil.rmtree(old)
            if self.output.exists():
                os.replace(self.output, old)
            os.replace(self.staging, self.output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            for rel in self.staged:
                target = self.output / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, target)
            for rel in sorted(set(self.previous) - set(self.states)):
                (self.output / rel).unlink(missing_ok=True)
                self.deleted.append(rel)
                self._prune_empty_dirs(PurePosixPath(rel).parent)
            shutil.rmtree(self.staging, ignore_errors=True)
        prefix, states = str(self.output) + os.sep, self.states   # no Path per file
        for rel in self.staged:
            state = states[rel]
            st = os.stat(prefix + rel)
            states[rel] = OutputState(state.fingerprint, state.digest, st.st_size, st.st_mtime_ns)

    def _prune_empty_dirs(self, folder: PurePosixPath) -> None:
        while folder.parts:
            path = self.output / folder
            try:
                path.rmdir()
            except OSError:
                return
            folder = folder.parent

    def abort(self) -> None:
        """Drop the staged files; the previous output is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)


def static_files(folders: list[Path], root: Path | None = None) -> dict[str, Path]:
    """Static files by output path; later folders override earlier ones file by file.

    Hidden names are skipped, and so are symlinks out of their folder and symlinked
    folders. Anything else that is not a regular file (a FIFO, socket, device or broken
    symlink: copying it would block or never end) is a BuildError naming each, shown
    relative to ``root``.
    """
    chosen: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        base = folder.resolve()
        pending = [(str(folder), "")]
        while pending:
            path, prefix = pending.pop()
            with os.scandir(path) as scan:
                entries = sorted((e for e in scan if not e.name.startswith(".")),
                                 key=lambda e: e.name)
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(base):
                    continue
                elif entry.is_file():
                    chosen[prefix + entry.name] = Path(entry.path)
                elif not entry.is_dir():
                    shown = entry.path if root is None else display_path(entry.path, root)
                    problems.append(Problem(shown, None, entry_problem(entry)))
    if problems:
        raise BuildError(problems)
    return chosen
