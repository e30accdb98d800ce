"""Reading and writing files: reads take regular files only, within a size limit;
writes go the fast way (most go to a folder that already exists)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

from briefgen.errors import Problem, SourceError

# What open(path, "wb") asks the kernel for, without the buffered file object: no
# fstat, terminal check or seek per file (a large site writes tens of thousands).
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_BINARY", 0)


def _create(path: str) -> int:
    try:
        return os.open(path, _WRITE, 0o666)
    except FileNotFoundError:   # the folder is new: make it (and its parents if need be)
        folder = os.path.dirname(path)
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            pass
        return os.open(path, _WRITE, 0o666)


def write_file(path: str, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path``, creating its folder only when it is missing."""
    fd = _create(path)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


_HINTS = {
    errno.ENOSPC: "no space left on the device: free some space, then build again",
    errno.EDQUOT: "disk quota exceeded: free some space, then build again",
    errno.EACCES: "permission denied: let the user who builds read (and, for the output, "
                  "write) it and its folder",
    errno.EPERM: "operation not permitted: check the folder's permissions",
    errno.EROFS: "the file system is read-only: choose another output folder",
    errno.ENAMETOOLONG: "a file name is too long for the file system",
    errno.EISDIR: "a folder stands where a file must go (a static file or folder "
                  "collides with a generated page?)",
    errno.ENOTDIR: "a file stands where a folder must go (a static file collides with a "
                   "generated page's folder?)",
    errno.EEXIST: "a file stands where a folder must go (a static file collides with a "
                  "generated page's folder?)",
    errno.ENOTEMPTY: "a folder stands where a file must go (a static folder collides with "
                     "a generated page?)",
}


def os_problem(error: OSError, display: str, action: str) -> Problem:
    """``display: cannot <action>: <why and what to do>`` for an operating-system error."""
    why = _HINTS.get(error.errno) or (error.strerror or str(error)).lower()
    return Problem(display, None, f"cannot {action}: {why}" if action else why)


# Reading: only regular files. A FIFO blocks open() until a writer comes (forever, in
# a build), a character device such as /dev/zero never ends, a socket cannot be
# opened at all: each is refused with a located error instead. O_NONBLOCK makes the
# open of a FIFO return at once; fstat on the open descriptor then decides, so a file
# swapped for a FIFO between a check and the open is still refused. Symlinks are
# followed (their targets are checked by the walks that find them).
_READ = (os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0)
         | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (None: a regular file, it is)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, expected a file"
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"not a regular file ({kind}); remove it"


def entry_problem(entry: os.DirEntry) -> str:
    """Why a folder entry that is neither a regular file nor a folder is not read."""
    try:
        return not_regular(entry.stat().st_mode) or "not a regular file; remove it"
    except OSError:
        return "broken symlink; remove it" if entry.is_symlink() else "file disappeared"


def open_regular(path: str | os.PathLike, display: str,
                 missing: str = "file not found") -> tuple[int, os.stat_result]:
    """An open descriptor (the caller closes it) and the stat of ``path``, if it is a
    regular file; else a SourceError at ``display``: missing (``missing``), not a
    regular file, or unreadable. Never blocks on a FIFO or device."""
    try:
        reason = not_regular(os.stat(path).st_mode)   # refuse before any open()
        if reason is None:
            fd = os.open(path, _READ)
            st = os.fstat(fd)
            reason = not_regular(st.st_mode)
            if reason is None:
                return fd, st
            os.close(fd)
    except FileNotFoundError:
        raise SourceError(display, None, missing) from None
    except IsADirectoryError:
        reason = not_regular(stat.S_IFDIR)
    except OSError as exc:
        if exc.errno != errno.ENXIO:   # ENXIO: a socket, or a device without its driver
            raise SourceError(display, None, os_problem(exc, display, "").message) from None
        reason = "not a regular file (a socket or device); remove it"
    raise SourceError(display, None, reason)


def read_regular(path: str | os.PathLike, display: str, limit: int | None = None, *,
                 oversize: Callable[[int], Problem] | None = None,
                 missing: str = "file not found") -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Anything else raises a SourceError at ``display`` (see ``open_regular``); over
    ``limit``, ``oversize(size)`` words the problem (by default it is at no line).
    Never reads more than ``limit`` + 1 bytes, even from a file growing meanwhile.
    """
    fd, st = open_regular(path, display, missing)
    try:
        _check_size(st.st_size, limit, display, oversize)
        data = _read_all(fd, st.st_size, limit)
    except OSError as exc:
        raise SourceError(display, None, f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    _check_size(len(data), limit, display, oversize)
    return data


def _check_size(size: int, limit: int | None, display: str,
                oversize: Callable[[int], Problem] | None) -> None:
    if limit is None or size <= limit:
        return
    if oversize is not None:
        problem = oversize(size)
        raise SourceError(problem.path, problem.line, problem.message)
    raise SourceError(display, None, f"too large ({size:,} bytes; the limit is "
                                     f"{limit:,} bytes)")


def _read_all(fd: int, size: int, limit: int | None) -> bytes:
    """Read to the end, but never past ``limit`` + 1 bytes (enough to know it is over)."""
    most = None if limit is None else limit + 1
    step = max(size + 1, 1 << 16)   # the whole file in one read, as its stat tells it
    chunks, total = [], 0
    while most is None or total < most:
        chunk = os.read(fd, step if most is None else min(step, most - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
