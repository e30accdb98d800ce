"""``briefgen publish dir PATH``: swap the built site into a served directory.

The site is copied next to the target first; only a complete copy is swapped in,
with an atomic exchange where the system has one (Linux ``renameat2``) and two
renames elsewhere, so a reader never sees a half-written site. The replaced
version is kept as ``<PATH>.previous`` for ``--rollback``.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
from pathlib import Path

from briefgen.leftovers import remove_stale
from briefgen.publish.base import Outcome, PublishError, Setting, Target
from briefgen.publish.plan import Plan, diff, sha256_tree

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# Top-level folders of the system (exactly these paths: /var/www and the like are fine).
_SYSTEM_DIRS = frozenset(Path(p) for p in (
    "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/media", "/mnt",
    "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var",
    "/Users", "/Applications", "/Library", "/System", "/Volumes", "/private"))


def _renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    return function


def exchange(first: Path, second: Path) -> None:
    """Swap two directories: atomically where the OS can, else by three renames."""
    function = _renameat2()
    if function is not None:
        result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                          _RENAME_EXCHANGE)
        if result == 0:
            return
    aside = second.with_name(f".{second.name}.swap-{os.getpid()}")
    os.rename(second, aside)
    try:
        os.rename(first, second)
    except OSError:
        os.rename(aside, second)  # put the served site back before reporting
        raise
    os.rename(aside, first)


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no home directory known
        return None


def dangerous_target(target: Path) -> str | None:
    """Why swapping ``target`` (an absolute, resolved path) out would be a disaster, or None.

    Publishing renames the target away and keeps it as ``<dir>.previous``, so the
    target must be a folder that holds nothing but the site.
    """
    own = "; give the site a folder of its own, e.g. /var/www/briefs"
    home = _home()
    if target == Path(target.anchor):
        return "it is the root of the file system" + own
    if home is not None and home.is_relative_to(target):
        return "it is your home folder or contains it" + own
    if Path.cwd().resolve().is_relative_to(target):
        return "it is the current folder or contains it" + own
    if target in _SYSTEM_DIRS:
        return "it is a system folder" + own
    if target.is_dir() and os.path.ismount(target):
        return ("it is a mount point, which cannot be swapped; publish into a folder inside "
                "it and serve that folder")
    return None


def copy_site(site: Path, staging: Path) -> None:
    """Copy the built site into ``staging`` (files readable by a web server)."""
    shutil.copytree(site, staging, copy_function=shutil.copyfile, symlinks=False)


class DirTarget(Target):
    """A directory a web server (nginx, Apache, a bucket sync) serves."""

    name = "dir"
    help = "swap the built site into a served directory, keeping <dir>.previous"
    settings = (
        Setting("path", str, None, "the served directory, e.g. /var/www/briefs", option=False),
        Setting("max_deletes", int, 256, "refuse to delete more files than this without --yes "
                                         "(default: 256)"),
    )

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", metavar="DIR",
                            help="the served directory (default: publish.dir.path)")
        parser.add_argument("--yes", action="store_true",
                            help="confirm a publish that deletes more than --max-deletes files")
        parser.add_argument("--rollback", action="store_true",
                            help="swap DIR.previous back in (run again to undo the rollback)")

    def __init__(self, config, options):
        super().__init__(config, options)
        if not options.get("path"):
            raise PublishError("no target directory: give it (briefgen publish dir "
                               "/var/www/briefs) or set publish.dir.path in briefgen.yaml")
        self.target = Path(os.path.expanduser(options["path"])).absolute()
        self.max_deletes: int = options["max_deletes"]
        self.yes = bool(options.get("yes"))
        self._check_target()
        self.previous = self.target.with_name(self.target.name + ".previous")

    def _check_target(self) -> None:
        root = self.config.root.resolve()
        if self.target.is_symlink():
            raise PublishError(f"{self.target} is a symlink; give the real directory")
        target = self.target.resolve()
        refusal = dangerous_target(target)
        if refusal:
            raise PublishError(f"refusing to publish into {target}: {refusal}")
        if target == root or root.is_relative_to(target):
            raise PublishError(f"refusing to publish into {target}: it is the site's source "
                               f"folder or contains it ({root})")
        if target.is_relative_to(root):
            raise PublishError(f"refusing to publish into {target}: it is inside the site's "
                               f"source folder ({root}); choose a directory outside it")
        if target.exists() and not target.is_dir():
            raise PublishError(f"{target} exists and is not a directory")
        if not target.parent.is_dir():
            raise PublishError(f"{target.parent} does not exist; create it first")
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise PublishError(f"cannot write to {target.parent}: the site is copied next to "
                               f"{target.name} and swapped in there, so its parent folder "
                               "must be writable")

    def plan(self, site: Path) -> Plan:
        return diff(sha256_tree(site), sha256_tree(self.target))

    def _check_deletions(self, plan: Plan) -> None:
        if len(plan.deleted) > self.max_deletes and not self.yes:
            raise PublishError(
                f"publishing would delete {len(plan.deleted)} files from {self.target}, more "
                f"than the limit of {self.max_deletes}; nothing was changed. Check the target "
                "with --dry-run, then confirm with --yes or raise --max-deletes")

    def publish(self, site: Path) -> Outcome:
        plan = self.plan(site)
        self._check_deletions(plan)
        if plan.empty and self.target.is_dir():
            return Outcome(plan, f"Nothing to publish: {self.target} already holds this site")
        # Copies that killed publishes left (never a .swap folder: it may hold the site).
        remove_stale(self.target.parent,
                     rf"\.{re.escape(self.target.name)}\.(?:incoming|discard)-(\d+)")
        staging = self.target.with_name(f".{self.target.name}.incoming-{os.getpid()}")
        if staging.exists():
            shutil.rmtree(staging)
        try:
            copy_site(site, staging)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, OSError):
                raise PublishError(f"copying the site next to {self.target} failed "
                                   f"({error}); the served site was left as it was") from None
            raise
        existed = self.target.exists()
        try:
            if existed:
                exchange(staging, self.target)  # staging now holds the old site
            else:
                os.rename(staging, self.target)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise PublishError(f"swapping the site into {self.target} failed ({error}); the "
                               "served site was left as it was") from None
        if not existed:
            return Outcome(plan, f"Published to {self.target}")
        self._keep_as_previous(staging)
        return Outcome(plan, f"Published to {self.target} (previous version kept in "
                             f"{self.previous})")

    def _keep_as_previous(self, old: Path) -> None:
        discard = self.target.with_name(f".{self.target.name}.discard-{os.getpid()}")
        if self.previous.exists():
            os.rename(self.previous, discard)
        os.rename(old, self.previous)
        shutil.rmtree(discard, ignore_errors=True)

    def rollback(self) -> str:
        """Swap ``<dir>.previous`` and ``<dir>``: the previous site is served again."""
        if not self.previous.is_dir():
            raise PublishError(f"nothing to roll back to: {self.previous} does not exist")
        if self.target.exists():
            exchange(self.previous, self.target)
        else:
            os.rename(self.previous, self.target)
        return (f"Rolled back {self.target} to the previous version "
                f"(the replaced one is now {self.previous}; roll back again to undo)")
