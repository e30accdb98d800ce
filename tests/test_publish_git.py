"""``briefgen publish git`` with real git: a local bare repository is the remote."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files

from briefgen import __version__
from briefgen.publish.plan import sha256_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

BRIEFING = """\
---
title: Talks in Moscow
date: 2025-03-01
---

[Putin]{.actor ref=putin} met the envoy. About [€21 billion]{.figure label="aid"} was pledged.
"""


def git(*args: str, cwd: Path) -> str:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, text=True,
                          env=env)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


def checkout_state(repo: Path) -> dict:
    """Everything about the author's checkout that publishing must not change."""
    index = (repo / ".git" / "index").read_bytes()
    return {
        "index": index,
        "HEAD file": (repo / ".git" / "HEAD").read_bytes(),
        "HEAD": git("rev-parse", "HEAD", cwd=repo),
        "status": git("status", "--porcelain=v2", "--branch", "--untracked-files=all",
                      cwd=repo),
        "work tree": sha256_tree(repo / "content"),
        "stash": git("stash", "list", cwd=repo),
    }


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    return bare


@pytest.fixture
def author(tmp_path: Path, remote: Path) -> Path:
    """A site in its own git repository, with the bare repository as 'origin'."""
    repo = write_files(tmp_path / "author", {
        "briefgen.yaml": "title: Test briefs\nbase_url: https://briefs.example.org/\n"
                         "publish:\n  cname: briefs.example.org\n",
        ".gitignore": "public/\n",
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n",
        "content/briefings/talks.md": BRIEFING,
    })
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "Add the site", cwd=repo)
    git("remote", "add", "origin", str(remote), cwd=repo)
    return repo


def clone(remote: Path, into: Path, branch: str = "gh-pages") -> Path:
    git("clone", "-q", "--branch", branch, str(remote), str(into), cwd=into.parent)
    return into


def remote_tip(remote: Path, branch: str = "gh-pages") -> str | None:
    out = git("ls-remote", "--heads", str(remote), f"refs/heads/{branch}", cwd=remote)
    return out.split()[0] if out else None


def publish(author: Path, *args: str) -> subprocess.CompletedProcess:
    return run_briefgen("publish", "git", *args, cwd=author)


def test_publish_to_a_new_branch(tmp_path: Path, author: Path, remote: Path) -> None:
    proc = publish(author)
    assert proc.returncode == 0, proc.stderr
    site = clone(remote, tmp_path / "site")
    assert (site / "index.html").is_file()
    assert (site / "briefings" / "talks" / "index.html").is_file()
    assert (site / ".nojekyll").read_bytes() == b""
    assert (site / "CNAME").read_text() == "briefs.example.org\n"
    message = git("log", "-1", "--format=%B", cwd=site)
    assert f"briefgen {__version__}" in message
    assert git("rev-parse", "HEAD", cwd=author) in message
    assert git("rev-parse", "refs/heads/gh-pages", cwd=author) == remote_tip(remote)
    published = {p for p in sha256_tree(site) if not p.startswith(".git/")}
    assert published == set(sha256_tree(author / "public")) | {".nojekyll", "CNAME"}


def test_previous_commit_is_kept(tmp_path: Path, author: Path, remote: Path) -> None:
    other = write_files(tmp_path / "other", {"old.html": "<p>old site</p>"})
    git("init", "-q", "-b", "gh-pages", cwd=other)
    git("add", ".", cwd=other)
    git("commit", "-q", "-m", "Old site", cwd=other)
    git("push", "-q", str(remote), "gh-pages", cwd=other)
    old = remote_tip(remote)

    assert publish(author).returncode == 0
    site = clone(remote, tmp_path / "site")
    assert git("rev-parse", "HEAD^", cwd=site) == old
    assert git("log", "--format=%s", cwd=site).splitlines()[1] == "Old site"
    assert not (site / "old.html").exists()  # the branch holds exactly the new site
    assert (site / "briefings" / "talks" / "index.html").exists()


def test_second_publish_is_one_commit_with_exactly_the_change(
        tmp_path: Path, author: Path, remote: Path) -> None:
    assert publish(author).returncode == 0
    first = remote_tip(remote)
    before = sha256_tree(author / "public")

    unchanged = publish(author)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "Nothing to publish" in unchanged.stdout
    assert remote_tip(remote) == first

    source = author / "content" / "briefings" / "talks.md"
    source.write_text(BRIEFING.replace("met the envoy", "met the envoy twice"), encoding="utf-8")
    git("commit", "-q", "-am", "Edit the briefing", cwd=author)
    assert publish(author).returncode == 0
    second = remote_tip(remote)
    after = sha256_tree(author / "public")

    site = clone(remote, tmp_path / "site")
    assert git("rev-list", "--count", f"{first}..{second}", cwd=site) == "1"
    assert git("rev-parse", f"{second}^", cwd=site) == first
    changed = set(git("diff", "--name-only", first, second, cwd=site).splitlines())
    expected = {p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys())
    assert changed == expected
    assert "briefings/talks/index.html" in changed
    assert git("rev-parse", "HEAD", cwd=author) in git("log", "-1", "--format=%B", cwd=site)


def test_remote_that_moved_ahead_is_refused(tmp_path: Path, author: Path, remote: Path) -> None:
    assert publish(author).returncode == 0
    local_before = git("rev-parse", "refs/heads/gh-pages", cwd=author)
    someone = clone(remote, tmp_path / "someone")
    (someone / "hotfix.html").write_text("<p>fixed on the server</p>")
    git("add", "hotfix.html", cwd=someone)
    git("commit", "-q", "-m", "Hotfix", cwd=someone)
    git("push", "-q", "origin", "gh-pages", cwd=someone)
    theirs = remote_tip(remote)
    (author / "content" / "briefings" / "talks.md").write_text(
        BRIEFING.replace("Moscow", "Riyadh"), encoding="utf-8")
    state = checkout_state(author)

    proc = publish(author)
    assert proc.returncode == 1
    assert "has commits that were not published from here" in proc.stderr
    assert "--force" in proc.stderr
    assert remote_tip(remote) == theirs  # nothing lost on the remote
    assert git("rev-parse", "refs/heads/gh-pages", cwd=author) == local_before
    assert checkout_state(author) == state

    forced = publish(author, "--force")
    assert forced.returncode == 0, forced.stderr
    assert git("rev-parse", f"{remote_tip(remote)}^", cwd=author) == local_before


def test_authors_checkout_is_unchanged(tmp_path: Path, author: Path, remote: Path) -> None:
    # A messy checkout: a staged change, an unstaged change, an untracked file.
    write_files(author, {"content/briefings/staged.md": BRIEFING.replace("Talks", "Staged")})
    git("add", "content/briefings/staged.md", cwd=author)
    (author / "content" / "actors.yaml").write_text(
        "putin:\n  name: Vladimir Putin\n  role: President\n", encoding="utf-8")
    (author / "notes.txt").write_text("todo\n")
    state = checkout_state(author)
    refs_before = git("for-each-ref", "--format=%(refname) %(objectname)", cwd=author)

    proc = publish(author)
    assert proc.returncode == 0, proc.stderr
    assert checkout_state(author) == state
    refs_after = git("for-each-ref", "--format=%(refname) %(objectname)", cwd=author)
    changed_refs = set(refs_after.splitlines()) - set(refs_before.splitlines())
    assert {line.split()[0] for line in changed_refs} <= {"refs/heads/gh-pages",
                                                          "refs/remotes/origin/gh-pages"}
    site = clone(remote, tmp_path / "site")
    assert "with uncommitted changes" in git("log", "-1", "--format=%B", cwd=site)


def test_dry_run_shows_changes_and_pushes_nothing(author: Path, remote: Path) -> None:
    proc = publish(author, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "A briefings/talks/index.html" in proc.stdout
    assert "A .nojekyll" in proc.stdout and "A CNAME" in proc.stdout
    assert "nothing was changed" in proc.stdout
    assert remote_tip(remote) is None


def test_failed_build_publishes_nothing(author: Path, remote: Path) -> None:
    (author / "content" / "briefings" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    proc = publish(author)
    assert proc.returncode == 1
    assert "nothing was published" in proc.stderr
    assert "broken.md" in proc.stderr
    assert remote_tip(remote) is None


def test_refuses_the_checked_out_branch(author: Path, remote: Path) -> None:
    proc = publish(author, "--branch", "main")
    assert proc.returncode == 1
    assert "checked out" in proc.stderr
    assert remote_tip(remote, "main") is None


def test_site_outside_git_publishes_to_a_remote_url(tmp_path: Path, remote: Path) -> None:
    site_dir = write_files(tmp_path / "loose", {
        "briefgen.yaml": "base_url: https://x.org/\n",
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n",
        "content/briefings/talks.md": BRIEFING,
    })
    no_remote = publish(site_dir)
    assert no_remote.returncode == 1 and "--remote URL" in no_remote.stderr
    proc = publish(site_dir, "--remote", str(remote), "--branch", "pages", "--cname", "x.org")
    assert proc.returncode == 0, proc.stderr
    site = clone(remote, tmp_path / "site", branch="pages")
    assert (site / "CNAME").read_text() == "x.org\n"
    assert "Source: not a git commit" in git("log", "-1", "--format=%B", cwd=site)


def test_cname_on_the_branch_is_never_wiped(tmp_path: Path, author: Path, remote: Path) -> None:
    (author / "briefgen.yaml").write_text("title: Test briefs\nbase_url: https://b.example.org/\n")
    other = write_files(tmp_path / "other", {"CNAME": "kept.example.org\n"})
    git("init", "-q", "-b", "gh-pages", cwd=other)
    git("add", ".", cwd=other)
    git("commit", "-q", "-m", "Custom domain", cwd=other)
    git("push", "-q", str(remote), "gh-pages", cwd=other)
    assert publish(author).returncode == 0
    site = clone(remote, tmp_path / "site")
    assert (site / "CNAME").read_text() == "kept.example.org\n"


def test_unknown_publish_setting_is_refused(author: Path) -> None:
    (author / "briefgen.yaml").write_text("publish:\n  git:\n    brnach: pages\n")
    proc = publish(author)
    assert proc.returncode == 1
    assert "unknown key 'publish.git.brnach' (did you mean 'branch'?)" in proc.stderr


def test_a_publish_that_never_landed_is_pushed_again(author: Path, remote: Path) -> None:
    assert publish(author).returncode == 0
    published = remote_tip(remote)
    git("update-ref", "-d", "refs/heads/gh-pages", cwd=remote)  # as if the push was lost
    proc = publish(author)
    assert proc.returncode == 0, proc.stderr
    assert remote_tip(remote) == published


# --- hostile remotes and branch names; the printed remedy -------------------------------

def _no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error:"), proc.stderr


def _publish_setting(author: Path, key: str, value: str, route: str):
    """Publish with ``publish.git.<key>`` set in briefgen.yaml or given on the command line."""
    if route == "config":
        (author / "briefgen.yaml").write_text(f"base_url: https://b.example.org/\n"
                                         f"publish:\n  git:\n    {key}: '{value}'\n")
        return publish(author)
    return publish(author, f"--{key}={value}")


@pytest.mark.parametrize("option", ["--upload-pack", "--receive-pack", "--exec"])
@pytest.mark.parametrize("route", ["config", "command line"])
def test_option_like_remote_never_runs_a_command(tmp_path: Path, author: Path, remote: Path,
                                                 option: str, route: str) -> None:
    marker = tmp_path / "marker"
    proc = _publish_setting(author, "remote", f"{option}=touch {marker};false", route)
    _no_traceback(proc)
    assert "starts with '-'" in proc.stderr
    assert not marker.exists()
    assert not (author / "public").exists()  # refused before building


@pytest.mark.parametrize("route", ["config", "command line"])
def test_option_like_branch_is_refused(tmp_path: Path, author: Path, remote: Path,
                                       route: str) -> None:
    marker = tmp_path / "marker"
    proc = _publish_setting(author, "branch", "--upload-pack=touch${IFS}" + str(marker), route)
    _no_traceback(proc)
    assert "is not a valid branch name (it starts with '-')" in proc.stderr
    assert not marker.exists()
    assert git("ls-remote", str(remote), cwd=tmp_path) == ""


@pytest.mark.parametrize("branch", [
    "HEAD", "@", "refs/heads/gh-pages", "refs/tags/v1", "a..b", "pages.lock", "a/b.lock",
    "a@{1}", "@{-1}", ".hidden", "a/.b", "pages/", "/pages", "a//b", "pages.", "a b",
    "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "tab\there", ""])
def test_non_branch_names_are_refused(tmp_path: Path, author: Path, remote: Path,
                                      branch: str) -> None:
    proc = publish(author, f"--branch={branch}")
    _no_traceback(proc)
    assert "is not a valid branch name (" in proc.stderr
    assert git("ls-remote", str(remote), cwd=tmp_path) == ""


def test_branch_names_with_slashes_and_dots_are_accepted(author: Path, remote: Path) -> None:
    proc = publish(author, "--branch=site/v1.2_pages-x")
    assert proc.returncode == 0, proc.stderr
    assert remote_tip(remote, "site/v1.2_pages-x") is not None


def test_ext_remote_never_runs_even_if_git_config_allows_it(
        tmp_path: Path, author: Path, monkeypatch) -> None:
    marker = tmp_path / "marker"
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "protocol.ext.allow")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "always")
    proc = publish(author, f"--remote=ext::touch {marker}")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert not marker.exists()


def _someone_else_moves(tmp_path: Path, remote: Path, how: str) -> str:
    """Move the remote branch the way another publisher would; return the new tip."""
    someone = clone(remote, tmp_path / "someone")
    if how == "history rewritten":
        git("checkout", "-q", "--orphan", "fresh", cwd=someone)
        git("rm", "-rqf", ".", cwd=someone)
    (someone / "hotfix.html").write_text("<p>fixed on the server</p>")
    git("add", "hotfix.html", cwd=someone)
    git("commit", "-q", "-m", "Hotfix", cwd=someone)
    git("push", "-q", "--force", "origin", "HEAD:gh-pages", cwd=someone)
    return remote_tip(remote)


@pytest.mark.parametrize("how", ["hotfix on top", "history rewritten", "remote path"])
def test_printed_remedy_works_as_printed(tmp_path: Path, author: Path, remote: Path,
                                         how: str) -> None:
    args = ()
    if how == "remote path":  # a URL given on the command line, with a space in it
        spaced = tmp_path / "remote dir" / "site.git"
        spaced.parent.mkdir()
        remote.rename(spaced)
        remote, args = spaced, (f"--remote={spaced}",)
    assert publish(author, *args).returncode == 0
    if how == "hotfix on top":   # and an earlier publish of ours that never landed
        git("update-ref", "refs/heads/gh-pages", git("commit-tree", "-p", "gh-pages", "-m",
                                                     "lost", "gh-pages^{tree}", cwd=author),
            cwd=author)
    theirs = _someone_else_moves(tmp_path, remote, how)
    (author / "content" / "briefings" / "talks.md").write_text(
        BRIEFING.replace("Moscow", "Riyadh"), encoding="utf-8")

    refused = publish(author, *args)
    _no_traceback(refused)
    match = re.search(r"Fetch them \((.+)\) and publish again", refused.stderr)
    assert match, refused.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(shlex.split(match.group(1)), cwd=elsewhere, check=True, capture_output=True)

    again = publish(author, *args)
    assert again.returncode == 0, again.stderr
    assert git("rev-parse", f"{remote_tip(remote)}^", cwd=author) == theirs
    assert "Riyadh" in git("show", f"{remote_tip(remote)}:briefings/talks/index.html",
                           cwd=author)
