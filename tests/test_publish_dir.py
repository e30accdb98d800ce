"""``briefgen publish dir``: atomic swap, interrupted copies, rollback, the deletion cap."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_briefgen, write_files

from briefgen.config import SiteConfig
from briefgen.publish import TARGETS, DirTarget, PublishError
from briefgen.publish import dir as dir_module
from briefgen.publish.plan import sha256_tree

V1 = {"index.html": "<title>v1</title>", "a/index.html": "<title>a1</title>",
      "assets/style.css": "body{}"}
V2 = {"index.html": "<title>v2</title>", "b/index.html": "<title>b2</title>",
      "assets/style.css": "body{}"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return (tmp_path / "project").resolve()


def target_for(project: Path, path: Path, **options) -> DirTarget:
    config = SiteConfig(root=project)
    return DirTarget(config, {"path": str(path), "max_deletes": 256, **options})


def built(tmp_path: Path, name: str, files: dict) -> Path:
    return write_files(tmp_path / "builds" / name, files)


def served(path: Path) -> dict[str, str]:
    return sha256_tree(path)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_dir_is_registered_by_name() -> None:
    assert TARGETS["dir"] is DirTarget


def test_publish_then_replace_keeps_previous(tmp_path: Path, project: Path) -> None:
    www = tmp_path / "www" / "briefs"
    www.parent.mkdir()
    v1, v2 = built(tmp_path, "v1", V1), built(tmp_path, "v2", V2)
    target = target_for(project, www)

    first = target.publish(v1)
    assert served(www) == sha256_tree(v1)
    assert first.plan.added == sorted(V1)
    assert not target.previous.exists()

    plan = target.plan(v2)
    assert (plan.added, plan.changed, plan.deleted) == (["b/index.html"], ["index.html"],
                                                       ["a/index.html"])
    assert plan.unchanged == 1
    target.publish(v2)
    assert served(www) == sha256_tree(v2)
    assert served(target.previous) == sha256_tree(v1)
    assert leftovers(www.parent) == []

    again = target.publish(v2)
    assert again.plan.empty and "Nothing to publish" in again.message
    assert served(target.previous) == sha256_tree(v1)


def test_interrupted_copy_leaves_the_served_site_intact(tmp_path: Path, project: Path,
                                                       monkeypatch) -> None:
    www = tmp_path / "www"
    v1 = built(tmp_path, "v1", V1)
    v2 = built(tmp_path, "v2", {**V2, **{f"many/{i}.html": "x" for i in range(20)}})
    target = target_for(project, www)
    target.publish(v1)
    target.publish(built(tmp_path, "v1b", {**V1, "extra.html": "<title>x</title>"}))
    served_before, previous_before = served(www), served(target.previous)

    real_copy = shutil.copyfile
    copied = []

    def failing_copy(src, dst, *args, **kwargs):
        if len(copied) == 5:
            raise OSError(28, "No space left on device")
        copied.append(src)
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", failing_copy)
    with pytest.raises(PublishError, match="the served site was left as it was"):
        target.publish(v2)
    assert len(copied) == 5  # the failure really happened mid-copy
    assert served(www) == served_before
    assert served(target.previous) == previous_before
    assert leftovers(tmp_path) == []

    copied.clear()

    def interrupted_copy(src, dst, *args, **kwargs):
        if len(copied) == 3:
            raise KeyboardInterrupt
        copied.append(src)
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", interrupted_copy)
    with pytest.raises(KeyboardInterrupt):
        target.publish(v2)
    assert served(www) == served_before
    assert leftovers(tmp_path) == []


def test_rollback_restores_previous_and_can_be_undone(tmp_path: Path, project: Path) -> None:
    www = tmp_path / "www"
    v1, v2 = built(tmp_path, "v1", V1), built(tmp_path, "v2", V2)
    target = target_for(project, www)
    with pytest.raises(PublishError, match="nothing to roll back to"):
        target.rollback()
    target.publish(v1)
    target.publish(v2)

    target.rollback()
    assert served(www) == sha256_tree(v1)
    assert served(target.previous) == sha256_tree(v2)
    target.rollback()
    assert served(www) == sha256_tree(v2)


def test_swap_without_renameat2(tmp_path: Path, project: Path, monkeypatch) -> None:
    monkeypatch.setattr(dir_module, "_renameat2", lambda: None)
    www = tmp_path / "www"
    target = target_for(project, www)
    target.publish(built(tmp_path, "v1", V1))
    target.publish(built(tmp_path, "v2", V2))
    assert served(www) == sha256_tree(tmp_path / "builds" / "v2")
    assert served(target.previous) == sha256_tree(tmp_path / "builds" / "v1")
    assert leftovers(tmp_path) == []


def test_deletion_cap(tmp_path: Path, project: Path) -> None:
    www = write_files(tmp_path / "www", {f"old/{i}.html": "x" for i in range(300)})
    before = served(www)
    v1 = built(tmp_path, "v1", V1)
    with pytest.raises(PublishError, match="would delete 300 files .* limit of 256"):
        target_for(project, www).publish(v1)
    assert served(www) == before
    assert leftovers(tmp_path) == []
    with pytest.raises(PublishError, match="limit of 10"):
        target_for(project, www, max_deletes=10).publish(v1)

    target_for(project, www, max_deletes=300).publish(v1)
    assert served(www) == sha256_tree(v1)
    write_files(www, {f"again/{i}.html": "x" for i in range(257)})
    target_for(project, www, yes=True).publish(v1)
    assert served(www) == sha256_tree(v1)


@pytest.mark.parametrize("where", ["root", "parent", "inside", "output"])
def test_refuses_source_tree_and_its_relatives(tmp_path: Path, project: Path,
                                               where: str) -> None:
    project.mkdir(parents=True)
    path = {"root": project, "parent": project.parent, "inside": project / "content",
            "output": project / "public"}[where]
    with pytest.raises(PublishError, match="refusing to publish into"):
        target_for(project, path)


def test_refuses_a_file_and_a_missing_parent(tmp_path: Path, project: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError, match="not a directory"):
        target_for(project, tmp_path / "file")
    with pytest.raises(PublishError, match="does not exist"):
        target_for(project, tmp_path / "no" / "such" / "www")


SITE = {
    "content/actors.yaml": "putin:\n  name: Vladimir Putin\n",
    "content/briefings/talks.md": "---\ntitle: Talks\ndate: 2025-03-01\n---\n\n"
                                  "[Putin]{.actor ref=putin} met the envoy.\n",
    "briefgen.yaml": "base_url: https://briefs.example.org/\n",
}


def test_command_publish_dry_run_and_rollback(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    www = tmp_path / "www"
    (site / "briefgen.yaml").write_text(f"base_url: https://briefs.example.org/\n"
                                       f"publish:\n  dir:\n    path: {www}\n")

    dry = run_briefgen("publish", "dir", "--dry-run", cwd=site)
    assert dry.returncode == 0, dry.stderr
    assert "A briefings/talks/index.html" in dry.stdout and not www.exists()

    first = run_briefgen("publish", "dir", cwd=site)
    assert first.returncode == 0, first.stderr
    assert (www / "briefings" / "talks" / "index.html").is_file()
    v1 = served(www)

    (site / "content" / "briefings" / "talks.md").write_text(
        SITE["content/briefings/talks.md"].replace("Talks", "Talks again"), encoding="utf-8")
    assert run_briefgen("publish", "dir", cwd=site).returncode == 0
    assert served(www) != v1

    back = run_briefgen("publish", "dir", "--rollback", cwd=site)
    assert back.returncode == 0, back.stderr
    assert served(www) == v1


def test_command_refuses_inside_the_project(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    proc = run_briefgen("publish", "dir", str(site / "deploy"), cwd=site)
    assert proc.returncode == 1
    assert "inside the site's source folder" in proc.stderr
    assert not (site / "public").exists()  # refused before building


def test_command_deletion_cap_and_yes(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    www = write_files(tmp_path / "www", {f"old/{i}.html": "x" for i in range(5)})
    capped = run_briefgen("publish", "dir", str(www), "--max-deletes", "4", cwd=site)
    assert capped.returncode == 1 and "would delete 5 files" in capped.stderr
    assert (www / "old" / "0.html").exists()
    ok = run_briefgen("publish", "dir", str(www), "--max-deletes", "4", "--yes", cwd=site)
    assert ok.returncode == 0, ok.stderr
    assert not (www / "old").exists()


# --- dangerous targets: a clear error, exit 1, before anything is built -----------------

def _refused(proc, site: Path, why: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: refusing to publish into") and why in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not (site / "public").exists()


@pytest.mark.parametrize("path", ["/", "//", "/.", "/.."])
def test_command_refuses_the_file_system_root(tmp_path: Path, path: str) -> None:
    site = write_files(tmp_path / "site", SITE)
    # --dry-run: even if the refusal broke, nothing would be swapped
    _refused(run_briefgen("publish", "dir", "--dry-run", path, cwd=site), site,
             "the root of the file system")


@pytest.mark.parametrize("where", ["~", "home", "parent of home"])
def test_command_refuses_the_home_folder_and_its_parents(tmp_path: Path, monkeypatch,
                                                         where: str) -> None:
    site = write_files(tmp_path / "site", SITE)
    home = tmp_path / "users" / "ann"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    path = {"~": "~", "home": str(home), "parent of home": str(home.parent)}[where]
    _refused(run_briefgen("publish", "dir", "--dry-run", path, cwd=site), site,
             "your home folder or contains it")


def test_command_refuses_the_current_folder(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {**SITE, "briefgen.yaml": "title: T\nbase_url: https://t.example.org/\n"})
    www = write_files(tmp_path / "www", {"index.html": "old"})
    proc = run_briefgen("publish", "dir", "--dry-run", ".", "-c", str(site / "briefgen.yaml"),
                        cwd=www)
    _refused(proc, site, "the current folder")


def test_command_refuses_a_system_folder(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    _refused(run_briefgen("publish", "dir", "--dry-run", "/usr", cwd=site), site,
             "a system folder")


def test_command_refuses_a_missing_parent(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    proc = run_briefgen("publish", "dir", str(tmp_path / "no" / "www"), cwd=site)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{tmp_path / 'no'} does not exist; create it first" in proc.stderr
    assert not (tmp_path / "no").exists()


def test_refuses_a_mount_point(tmp_path: Path, project: Path) -> None:
    mounts = [p for p in map(Path, ("/dev/shm", "/run/lock", "/sys/fs/cgroup", "/boot/efi"))
              if p.is_dir() and os.path.ismount(p)]
    if not mounts:
        pytest.skip("no mount point to try on this machine")
    with pytest.raises(PublishError, match="it is a mount point, which cannot be swapped"):
        target_for(project, mounts[0])


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_refuses_an_unwritable_parent(tmp_path: Path, project: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    with pytest.raises(PublishError, match="cannot write to"):
        target_for(project, locked / "www")


def test_failed_swap_leaves_the_served_site_and_no_leftovers(tmp_path: Path, project: Path,
                                                             monkeypatch) -> None:
    www = tmp_path / "www"
    target_for(project, www).publish(built(tmp_path, "v1", V1))
    before = served(www)
    real_rename = os.rename

    def failing_rename(src, dst):
        if Path(src).name.startswith(".www.incoming"):  # the new site cannot move in
            raise OSError(16, "Device or resource busy")
        return real_rename(src, dst)

    monkeypatch.setattr(dir_module, "_renameat2", lambda: None)
    monkeypatch.setattr(dir_module.os, "rename", failing_rename)
    with pytest.raises(PublishError, match="the served site was left as it was"):
        target_for(project, www).publish(built(tmp_path, "v2", V2))
    assert served(www) == before
    assert leftovers(tmp_path) == []
