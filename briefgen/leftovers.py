"""Temporary folders a killed briefgen left behind, found by name and removed.

A build stages the site next to its output, ``publish dir`` copies it next to the
target, ``serve`` builds into a temporary folder: whole-site copies that a process
killed with SIGKILL (or a power cut) cannot remove. Each is named with its
process id, so the next run can tell a leftover (that process is gone) from one in
use (it is still running), and removes only the former, and only if this user
owns it: nothing that is not briefgen's own is ever touched.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (on doubt, yes: then nothing is removed)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:   # another user's process, or no way to tell
        return True
    return True


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Remove the entries of ``folder`` whose whole name matches ``pattern`` (a regular
    expression with one group, the process id) when that process is gone and this
    user owns them; the paths removed."""
    match = re.compile(pattern).fullmatch
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = match(entry.name)
        if found is None or int(found.group(1)) == os.getpid():
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (not stat.S_ISDIR(st.st_mode)
                or (hasattr(os, "getuid") and st.st_uid != os.getuid())
                or pid_alive(int(found.group(1)))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def temp_prefix(name: str) -> str:
    """The prefix of a system temporary folder of this process (``briefgen-NAME-PID-``)."""
    return f"briefgen-{name}-{os.getpid()}-"


def remove_stale_temp(name: str) -> list[Path]:
    """Remove the system temporary folders named by ``temp_prefix(name)`` whose process
    is gone."""
    return remove_stale(Path(tempfile.gettempdir()), rf"briefgen-{re.escape(name)}-(\d+)-\w+")
