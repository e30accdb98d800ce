"""``briefgen publish git``: commit the built site as the whole tree of a branch, then push.

Only plumbing is used (``hash-object``, ``update-index`` on a temporary index,
``write-tree``, ``commit-tree``, ``push <commit>:refs/heads/<branch>``), so the
author's working tree, index and current branch are never touched. The new commit
sits on top of the branch's history; a remote that has commits we have not seen
is refused unless ``--force``. After a push the local branch of that name is
moved to the published commit, which is how the next publish knows what it last saw.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefgen import __version__
from briefgen.leftovers import remove_stale_temp, temp_prefix
from briefgen.publish.base import Outcome, PublishError, Setting, Target
from briefgen.publish.plan import Plan, diff, walk_files
from briefgen.publish.refnames import check_branch, check_remote

_REJECTED = ("non-fast-forward", "fetch first", "rejected", "stale info")


class Git:
    """Run git against one repository's objects and refs; never its work tree or index."""

    def __init__(self, git_dir: Path):
        self.git_dir = git_dir
        self.env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0",
                        LC_ALL="C")
        for name in ("GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_DIR"):
            self.env.pop(name, None)

    def run(self, *args: str, input: bytes | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        # ext:: remotes run a command; git refuses them by default, and so do we whatever
        # the user's git configuration says.
        proc = subprocess.run(["git", "-c", "protocol.ext.allow=never",
                               f"--git-dir={self.git_dir}", *args], input=input,
                              capture_output=True, check=False,
                              env={**self.env, **(env or {})})
        if check and proc.returncode != 0:
            raise PublishError(f"git {args[0]} failed: "
                               f"{proc.stderr.decode(errors='replace').strip()}")
        return proc

    def out(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout.decode().strip()

    def resolve(self, ref: str) -> str | None:
        proc = self.run("rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode().strip() or None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0

    def tree_files(self, commit: str | None) -> dict[str, str]:
        """Path → blob id of every file in ``commit`` (empty for no commit)."""
        if commit is None:
            return {}
        listing = self.run("ls-tree", "-r", "-z", commit).stdout.decode()
        files = {}
        for record in filter(None, listing.split("\0")):
            meta, path = record.split("\t", 1)
            files[path] = meta.split()[2]
        return files

    def hash_files(self, paths: list[Path], write: bool) -> list[str]:
        """Blob ids of files (stored in the object database when ``write``)."""
        if not paths:
            return []
        if any("\n" in str(p) for p in paths):
            raise PublishError("a file name in the built site contains a newline; rename it")
        args = ["hash-object", "--stdin-paths"] + (["-w"] if write else [])
        text = "\n".join(str(p) for p in paths) + "\n"
        return self.out(*args, input=text.encode()).split()

    def hash_bytes(self, data: bytes, write: bool) -> str:
        return self.out("hash-object", "--stdin", *(["-w"] if write else []), input=data)


@dataclass
class Source:
    """Where the site's sources stand in git, for the commit message."""

    commit: str | None
    branch: str | None
    dirty: bool

    def describe(self) -> str:
        if self.commit is None:
            return "Source: not a git commit"
        where = f" ({self.branch})" if self.branch else ""
        dirty = ", with uncommitted changes" if self.dirty else ""
        return f"Source commit: {self.commit}{where}{dirty}"


def find_git_dir(path: Path) -> Path | None:
    """The git directory of the repository holding ``path``, or None."""
    proc = subprocess.run(["git", "-C", str(path), "rev-parse", "--absolute-git-dir"],
                          capture_output=True, check=False,
                          env=dict(os.environ, GIT_OPTIONAL_LOCKS="0"))
    return Path(proc.stdout.decode().strip()) if proc.returncode == 0 else None


def source_state(root: Path) -> Source:
    """HEAD, branch and dirtiness of the source checkout (read-only: no index refresh)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, env=env)

    head = git("rev-parse", "--verify", "-q", "HEAD")
    if head.returncode != 0:
        return Source(None, None, False)
    branch = git("symbolic-ref", "-q", "--short", "HEAD").stdout.decode().strip() or None
    status = git("status", "--porcelain", "--untracked-files=no")
    return Source(head.stdout.decode().strip(), branch, bool(status.stdout.strip()))


class GitTarget(Target):
    """A branch of a git remote (e.g. ``gh-pages`` for GitHub Pages)."""

    name = "git"
    help = "commit the built site to a branch (e.g. gh-pages) and push it"
    settings = (
        Setting("branch", str, "gh-pages", "branch to publish to (default: gh-pages)"),
        Setting("remote", str, "origin", "remote name or URL to push to (default: origin)"),
        Setting("cname", str, "", "custom domain written to CNAME (e.g. briefs.example.org)"),
    )

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="push even if the remote branch has commits not published "
                                 "from here (replaces them)")

    def __init__(self, config, options):
        super().__init__(config, options)
        self.branch: str = options["branch"]
        self.remote: str = options["remote"]
        self.force: bool = bool(options.get("force"))
        self._temp: tempfile.TemporaryDirectory | None = None
        check_branch(self.branch)
        check_remote(self.remote)

    # -- the repository that holds the objects ------------------------------------------------

    def _repository(self) -> tuple[Git, bool]:
        """The author's repository (True) or, for a bare URL outside any repo, a scratch one."""
        git_dir = find_git_dir(self.config.root)
        if git_dir is not None:
            return Git(git_dir), True
        if self.remote == "origin":
            raise PublishError(f"{self.config.root} is not inside a git repository; run "
                               "briefgen there or give the remote with --remote URL")
        remove_stale_temp("publish")   # scratch repositories of killed publishes
        self._temp = tempfile.TemporaryDirectory(prefix=temp_prefix("publish"))
        scratch = Path(self._temp.name) / "repo.git"
        subprocess.run(["git", "init", "-q", "--bare", str(scratch)], check=True,
                       capture_output=True)
        return Git(scratch), False

    def _refuse_checked_out_branch(self, git: Git) -> None:
        ref = f"refs/heads/{self.branch}"
        listing = git.out("worktree", "list", "--porcelain")
        if f"branch {ref}" in listing.splitlines():
            raise PublishError(f"branch '{self.branch}' is checked out in a working tree of "
                               "this repository; publish to another branch (--branch) or "
                               "switch that checkout away from it")

    def _remote_tip(self, git: Git) -> str | None:
        ref = f"refs/heads/{self.branch}"
        proc = git.run("ls-remote", "--heads", "--", self.remote, ref, check=False)
        if proc.returncode != 0:
            raise PublishError(f"cannot reach remote '{self.remote}': "
                               f"{proc.stderr.decode(errors='replace').strip()}")
        for line in proc.stdout.decode().splitlines():
            sha, name = line.split("\t", 1)
            if name == ref:
                return sha
        return None

    def _fetch(self, git: Git, tip: str) -> None:
        if git.resolve(tip) is None:
            git.run("fetch", "-q", "--no-tags", "--no-write-fetch-head", "--", self.remote,
                    f"refs/heads/{self.branch}")
        if git.resolve(tip) is None:
            raise PublishError(f"remote branch '{self.branch}' changed while fetching it; "
                               "run publish again")

    def _parent(self, git: Git, local: str | None, tip: str | None) -> str | None:
        """The commit the new one goes on top of; refuse when the remote moved ahead."""
        if tip is None or tip == local:
            return local
        if local is None:
            self._fetch(git, tip)
            return tip
        if git.resolve(tip) is not None and git.is_ancestor(tip, local):
            return local  # we are ahead of the remote (an earlier push did not finish)
        if self.force:
            return local
        raise PublishError(
            f"remote branch '{self.branch}' on '{self.remote}' has commits that were not "
            f"published from here (remote {tip[:12]}, local {local[:12]}); nothing was "
            f"changed. Fetch them ({self._fetch_command()}) and publish again, or replace "
            "them with --force")

    def _fetch_command(self) -> str:
        """The command that sets the local branch to the remote's, runnable from anywhere."""
        return shlex.join(["git", "-C", str(self.config.root), "fetch", self.remote,
                           f"+refs/heads/{self.branch}:refs/heads/{self.branch}"])

    # -- building the commit ----------------------------------------------------------------

    def _extra_files(self, site: Path, old: dict[str, str], git: Git,
                     write: bool) -> dict[str, str]:
        """``.nojekyll`` always; ``CNAME`` from config, else the site's, else the branch's."""
        extra = {".nojekyll": git.hash_bytes(b"", write)}
        cname = (self.options.get("cname") or "").strip()
        if cname:
            extra["CNAME"] = git.hash_bytes(cname.encode() + b"\n", write)
        elif not (site / "CNAME").exists() and "CNAME" in old:
            extra["CNAME"] = old["CNAME"]  # never wipe a custom domain set on the branch
        return extra

    def _site_blobs(self, site: Path, git: Git, write: bool) -> dict[str, tuple[str, str]]:
        rels = walk_files(site)
        paths = [site / rel for rel in rels]
        ids = git.hash_files([p.resolve() for p in paths], write)
        return {rel: ("100755" if os.access(path, os.X_OK) else "100644", blob)
                for rel, path, blob in zip(rels, paths, ids)}

    def _new_tree(self, site: Path, git: Git, old: dict[str, str],
                  write: bool) -> dict[str, tuple[str, str]]:
        files = self._site_blobs(site, git, write)
        for rel, blob in self._extra_files(site, old, git, write).items():
            files[rel] = ("100644", blob)
        return files

    def _write_tree(self, git: Git, files: dict[str, tuple[str, str]]) -> str:
        records = "".join(f"{mode} {blob}\t{rel}\0" for rel, (mode, blob) in files.items())
        with tempfile.TemporaryDirectory(prefix="briefgen-index-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            git.run("update-index", "-z", "--index-info", input=records.encode(), env=env)
            return git.out("write-tree", env=env)

    def _commit(self, git: Git, tree: str, parent: str | None) -> str:
        message = (f"Publish site with briefgen {__version__}\n\n"
                   f"{source_state(self.config.root).describe()}\n")
        env = {}
        if git.run("var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
            env = {"GIT_AUTHOR_NAME": "briefgen", "GIT_AUTHOR_EMAIL": "briefgen@localhost",
                   "GIT_COMMITTER_NAME": "briefgen", "GIT_COMMITTER_EMAIL": "briefgen@localhost"}
        args = ["commit-tree", tree, *(["-p", parent] if parent else []), "-F", "-"]
        return git.out(*args, input=message.encode(), env=env)

    def _push(self, git: Git, commit: str, own: bool) -> None:
        refspec = f"{'+' if self.force else ''}{commit}:refs/heads/{self.branch}"
        proc = git.run("push", "--porcelain", "--", self.remote, refspec, check=False)
        if proc.returncode == 0:
            return
        text = (proc.stdout + proc.stderr).decode(errors="replace")
        if any(word in text for word in _REJECTED):
            remedy = f"Fetch it ({self._fetch_command()}) and publish" if own else "Publish"
            raise PublishError(f"remote branch '{self.branch}' on '{self.remote}' moved ahead "
                               f"while publishing; nothing was changed there. {remedy} "
                               "again, or use --force")
        raise PublishError(f"git push to '{self.remote}' failed; nothing was changed there:\n"
                           f"{text.strip()}")

    # -- the Target interface -----------------------------------------------------------------

    def _prepare(self) -> tuple[Git, bool, str | None, str | None, str | None]:
        git, own = self._repository()
        local = None
        if own:
            self._refuse_checked_out_branch(git)
            local = git.resolve(f"refs/heads/{self.branch}")
        tip = self._remote_tip(git)
        return git, own, local, tip, self._parent(git, local, tip)

    def plan(self, site: Path) -> Plan:
        git, _, _, _, parent = self._prepare()
        old = git.tree_files(parent)
        new = self._new_tree(site, git, old, write=False)
        return diff({rel: blob for rel, (_, blob) in new.items()}, old)

    def publish(self, site: Path) -> Outcome:
        git, own, local, tip, parent = self._prepare()
        old = git.tree_files(parent)
        files = self._new_tree(site, git, old, write=True)
        plan = diff({rel: blob for rel, (_, blob) in files.items()}, old)
        where = f"branch '{self.branch}' on '{self.remote}'"
        if parent is not None and plan.empty:
            if parent == tip:
                return Outcome(plan, f"Nothing to publish: {where} already holds this site")
            commit = parent  # published here before, but the push never landed
        else:
            commit = self._commit(git, self._write_tree(git, files), parent)
        self._push(git, commit, own)
        if own:
            git.run("update-ref", "-m", "briefgen publish", f"refs/heads/{self.branch}",
                    commit, local or "")
        return Outcome(plan, f"Published {commit[:12]} to {where}")
