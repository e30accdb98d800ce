"""The output tree: stage what changed, then move it in, so a failed build changes nothing.

A fresh build stages the whole site and swaps the folder in with two renames. An
incremental build stages only the files whose bytes changed, then moves each into
place and deletes the files the site no longer has, keeping every file it replaces
aside until the last move succeeded, so a failure puts them all back (``swap``).
Files whose bytes did not change are never rewritten, so their mtimes (and rsync,
and browser caches) stay.
Pages are written as they are rendered; nothing is held for the whole site.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import rcssmin
import rjsmin

from briefgen.build.incremental.cache import OutputState, digest
from briefgen.build.swap import Swap, swap_trees
from briefgen.errors import BriefgenError, BuildError, Problem, display_path
from briefgen.files import entry_problem, os_problem, read_regular, write_file
from briefgen.leftovers import remove_stale


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


def remove_leftovers(output: Path) -> None:
    """Remove what builds killed before they could clean up left next to ``output``:
    staging folders, and the previous site moved aside (once an output is back)."""
    kinds = "staging|old" if output.is_dir() else "staging"
    remove_stale(output.parent, rf"\.{re.escape(output.name)}\.(?:{kinds})-(\d+)")


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
        path = os.path.join(self.staging, rel)
        try:
            write_file(path, data)
        except OSError as error:   # os.write names no file: say which one
            error.filename = error.filename or path
            raise write_failed(error, self.output, self.staging) from None
        return OutputState(fingerprint, key, len(data), 0), True


def write_failed(error: OSError, output: Path, staging: Path) -> BuildError:
    """The build error for a file that could not be written, shown at its output path."""
    name = str(error.filename or output)
    aside = output.parent / f".{output.name}.old-{os.getpid()}"
    for folder in (str(staging), str(aside), str(output)):
        if name == folder or name.startswith(folder + os.sep):
            name = output.name + name[len(folder):].replace(os.sep, "/")
            break
    else:
        if name.startswith(str(output.parent) + os.sep):
            name = name[len(str(output.parent)) + 1:]
    return BuildError([os_problem(error, name, "write the output")])


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
        self._folder: int | None = None   # the output folder, opened to stat its files

    def __enter__(self) -> OutputWriter:  # noqa: PYI034
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self.staging.mkdir(parents=True)
        except OSError as error:
            raise write_failed(error, self.output, self.staging) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None
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
            st = self._stat(rel)
        except OSError:
            return False
        if st.st_size != old.size or st.st_mtime_ns != old.mtime_ns:
            return False
        self.states[rel] = old
        return True

    def _stat(self, rel: str) -> os.stat_result:
        """``rel``'s stat, looked up from the output folder (100,000s of files: a third
        less time in the kernel than from the root each)."""
        if os.stat not in os.supports_dir_fd:
            return os.stat(os.path.join(self.output, rel))
        if self._folder is None:
            self._folder = os.open(self.output, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        return os.stat(rel, dir_fd=self._folder)

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

    def put_file(self, rel: str, source: Path, display: str | None = None,
                 minify: bool = False) -> bool:
        """Stage a static file; its fingerprint is its size and mtime. Only a regular
        file is read (one swapped for a FIFO since it was found is an error at
        ``display``, the path as messages show it). ``minify``: CSS and JavaScript are
        written minified."""
        st = source.stat()
        minify = minify and rel.endswith(_MINIFIABLE) and not rel.endswith(_MINIFIED)
        fingerprint = f"static{':min' if minify else ''}:{st.st_size}:{st.st_mtime_ns}"
        if self.unchanged(rel, fingerprint):
            return False
        data = read_regular(source, display or str(source))
        return self.put(rel, minified(rel, data) if minify else data, fingerprint)

    def put_statics(self, statics: dict[str, Path], pages: list, briefings: list,
                    display: Callable[[str], str], minify: bool = False) -> None:
        """Stage the static files, after every page: one at a page's path (or at one of
        its folders, or below it) is an error naming both, never a silent choice."""
        problems = []
        for rel, source in statics.items():
            page = self._page_at(rel)
            if page is not None:
                problems.append(Problem(display(str(source)), None,
                                        f"collides with {_page_owner(page, pages, briefings)}: "
                                        "rename or remove the static file"))
        if problems:
            raise BuildError(problems)
        for rel, source in statics.items():
            self.put_file(rel, source, display(str(source)), minify)

    def _page_at(self, rel: str) -> str | None:
        """The generated path ``rel`` collides with, if any (cheap: no scan of the site)."""
        states = self.states
        if rel in states:
            return rel
        for candidate in (f"{rel}/index.html", *_parents(rel)):
            if candidate in states:
                return candidate
        return None

    def keep_the_rest(self) -> None:
        """Keep every file of the previous build not written this time (partial builds)."""
        merged = self.previous | self.states   # 100,000s of files: no loop in Python
        self.states.clear()
        self.states.update(merged)

    def commit(self) -> None:
        """Make the staged output visible and forget files the site no longer has.

        All or nothing: when a move fails, every file is put back as it was and a
        BuildError names the file that could not be written.
        """
        try:
            if self.fresh:
                swap_trees(self.output, self.staging)
            else:
                self._move_in()
        except OSError as error:
            self.abort()
            raise write_failed(error, self.output, self.staging) from None
        prefix, states = str(self.output) + os.sep, self.states   # no Path per file
        for rel in self.staged:
            state = states[rel]
            st = os.stat(prefix + rel)
            states[rel] = OutputState(state.fingerprint, state.digest, st.st_size, st.st_mtime_ns)

    def _move_in(self) -> None:
        gone = sorted(set(self.previous) - set(self.states))
        with Swap(self.output, self.staging) as swap:
            for rel in self.staged:
                swap.put(rel)
            for rel in gone:
                swap.remove(rel)
        swap.finish()
        self.deleted.extend(gone)
        shutil.rmtree(self.staging, ignore_errors=True)

    def abort(self) -> None:
        """Drop the staged files; the previous output is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)


_MINIFIABLE = (".css", ".js", ".mjs")
_MINIFIED = (".min.css", ".min.js", ".min.mjs")


def minified(rel: str, data: bytes) -> bytes:
    """A stylesheet or script without its comments and spare whitespace (rcssmin and
    rjsmin: they only remove, never rename, so what runs is what the theme wrote).
    A file that is not UTF-8 is kept as it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if rel.endswith(".css"):
        return rcssmin.cssmin(text).encode("utf-8")
    return rjsmin.jsmin(text).encode("utf-8")


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _page_owner(path: str, pages: list, briefings: list) -> str:
    """``the page of content/briefings/x.md`` or ``the generated page 'feed.xml'``."""
    page = next((p for p in pages if p.path == path), None)
    if page is not None and page.kind == "briefing" and len(page.full) == 1:
        source = next((b.source_path for b in briefings if b.slug == page.full[0]), None)
        if source is not None:
            return f"the page of {source}"
    return f"the generated page '{path}'"


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
