"""Which remote and branch names ``publish git`` accepts from briefgen.yaml or the command line.

A value that starts with ``-`` would be read by git as an option (``--upload-pack=…``
runs a command), so it is refused here, before git sees it, and every git call
also passes user values after ``--``. Branch names follow ``git check-ref-format
--branch`` (written out here because that command expands ``@{-1}`` and ``@``
instead of refusing them) and refuse names that are not a branch: ``HEAD``,
``@``, full ref names.
"""

from __future__ import annotations

import re
import subprocess

from briefgen.publish.base import PublishError

# Characters git never allows in a ref name: control characters, space, ~ ^ : ? * [ \ and DEL.
_BAD_CHARS = re.compile(r"[\x00-\x20~^:?*\[\\\x7f]")


def _branch_problem(name: str) -> str | None:
    """Why ``name`` is not a usable branch name, or None."""
    checks = (
        (not name, "it is empty"),
        (name.startswith("-"), "it starts with '-'"),
        (name in ("HEAD", "@"), "it names a revision, not a branch"),
        (name.startswith("refs/"), "it is a full ref name; give the branch name alone"),
        (_BAD_CHARS.search(name) is not None,
         "it contains a space, a control character or one of ~ ^ : ? * [ \\"),
        (".." in name, "it contains '..'"),
        ("@{" in name, "it contains '@{'"),
        (name.startswith("/") or name.endswith("/") or "//" in name,
         "it starts or ends with '/' or contains '//'"),
        (name.endswith("."), "it ends with '.'"),
        (any(part.startswith(".") or part.endswith(".lock") for part in name.split("/")),
         "a part of it starts with '.' or ends with '.lock'"),
    )
    return next((reason for failed, reason in checks if failed), None)


def check_branch(name: str) -> None:
    """Refuse ``name`` unless it is a plain branch name that git accepts."""
    problem = _branch_problem(name)
    if problem is None:
        proc = subprocess.run(["git", "check-ref-format", f"refs/heads/{name}"],
                              capture_output=True, check=False)
        problem = None if proc.returncode == 0 else "git does not accept it"
    if problem:
        raise PublishError(f"'{name}' is not a valid branch name ({problem}); give a branch "
                           "name such as gh-pages with --branch or publish.git.branch")


def check_remote(remote: str) -> None:
    """Refuse a remote that git would read as an option, or that is empty."""
    if not remote.strip():
        raise PublishError("the remote is empty; give a remote name or URL with --remote "
                           "or publish.git.remote")
    if any(ch in remote for ch in "\0\n\r"):
        raise PublishError("refusing a remote that contains a line break or NUL byte")
    if remote.startswith("-"):
        raise PublishError(f"refusing remote '{remote}': it starts with '-', so git would "
                           "read it as an option; give a remote name (e.g. origin) or a URL")
