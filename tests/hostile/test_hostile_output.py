"""A build that fails while writing leaves the previous output exactly as it was.

Failures are injected where the writer touches the disk: the staging writes (a disk
that fills up), the moves into the output (a full disk, a read-only folder) and the
swap of a fresh build, in full, incremental, body-only and preview (serve) builds.
Every case ends in a located error, exit 1, and the output byte-identical to before.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
from pathlib import Path

import pytest

import briefgen.build.write as write_module
from briefgen.build import Builder
from briefgen.cli import main
from briefgen.config import load_config
from briefgen.errors import BuildError

pytestmark = pytest.mark.hostile

ACTORS = b"putin:\n  name: Vladimir Putin\n  aliases: [Putin]\n"


def briefing(title: str, topic: str = "Talks", body: str = "Text", day: int = 1) -> bytes:
    return (f"---\ntitle: {title}\ndate: 2025-01-{day:02}\ntopics: [{topic}]\n"
            f"---\n{body} about [Putin]{{.actor}}.\n").encode()


def make_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {"content/actors.yaml": ACTORS, "briefgen.yaml": b"title: Test\nfeeds: {limit: 2}\n",
             "static/humans.txt": b"Made by people\n"}
    for i in range(6):
        files[f"content/briefings/b{i}.md"] = briefing(f"Briefing {i}", f"Topic {i % 2}", day=i + 1)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def tree(root: Path) -> dict[str, str]:
    """Every file of the output (and of its hidden neighbours) by its digest."""
    found = {}
    for folder in [root / "public", *root.glob(".public*")]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() or path.is_symlink():
                found[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
            elif path.is_dir() and not any(path.iterdir()):
                found[path.relative_to(root).as_posix() + "/"] = "empty folder"
    return found


def build(root: Path, **options):
    return Builder(load_config(root=root), jobs=1, **options).build()


def enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fail_moves_after(monkeypatch, root: Path, count: int, error: int = errno.ENOSPC,
                     under: str = "") -> list[str]:
    """Make the ``count``+1-th move of a staged file into ``public/<under>`` fail."""
    real, moved = os.replace, []
    output = str(root / "public" / under)

    def replace(src, dst, **kwargs):
        if ".staging-" in str(src) and str(dst).startswith(output):
            if len(moved) >= count:
                raise OSError(error, os.strerror(error), str(dst))
            moved.append(str(dst))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return moved


def edit_summary(root: Path) -> None:
    """A change every listing shows: many pages change, a few are added and removed."""
    path = root / "content/briefings/b3.md"
    path.write_bytes(briefing("Briefing 3, renamed", "Topic 9", day=4))
    (root / "content/briefings/b5.md").unlink()


def edit_body(root: Path, body: str = "A longer body") -> None:
    """An edit of the oldest briefing's body alone (the feeds do not show it)."""
    path = root / "content/briefings/b0.md"
    path.write_bytes(briefing("Briefing 0", "Topic 0", body=body))


def failed(root: Path, builder: Builder | None = None) -> list[str]:
    with pytest.raises(BuildError) as info:
        (builder or Builder(load_config(root=root), jobs=1)).build()
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("after", [0, 1, 5])
def test_disk_full_while_moving_in_an_incremental_build(tmp_path, monkeypatch, after):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    edit_summary(root)
    moved = fail_moves_after(monkeypatch, root, after)
    found = failed(root)
    assert len(moved) == after
    assert len(found) == 1 and found[0].startswith("public/") and "no space left" in found[0]
    assert tree(root) == before
    monkeypatch.undo()
    build(root)   # the next build succeeds and equals a clean one
    after_tree = tree(root)
    assert after_tree != before and not any(k.startswith(".public") for k in after_tree)


def test_read_only_folder_in_the_output(tmp_path, monkeypatch):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    edit_summary(root)
    fail_moves_after(monkeypatch, root, 0, errno.EACCES, under="topics/")
    found = failed(root)
    assert len(found) == 1 and found[0].startswith("public/topics/"), found
    assert "permission denied" in found[0]
    assert tree(root) == before


@pytest.mark.parametrize("after", [0, 3])
def test_disk_full_while_staging(tmp_path, monkeypatch, after):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    edit_summary(root)
    real, calls = write_module.write_file, []

    def write_file(path, *chunks):
        calls.append(path)
        if len(calls) > after:
            enospc()
        real(path, *chunks)

    monkeypatch.setattr(write_module, "write_file", write_file)
    found = failed(root)
    assert len(found) == 1 and "no space left" in found[0] and found[0].startswith("public/")
    assert tree(root) == before


def test_fresh_build_whose_swap_fails_keeps_the_old_folder(tmp_path, monkeypatch):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    edit_summary(root)
    real = os.replace

    def replace(src, dst, **kwargs):
        if str(src).endswith(".staging-" + str(os.getpid())):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(dst))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    found = failed(root, Builder(load_config(root=root), jobs=1, clean=True))
    assert len(found) == 1 and found[0].startswith("public"), found
    assert tree(root) == before


def test_body_only_build_that_fails_keeps_the_output(tmp_path, monkeypatch):
    root = make_site(tmp_path)
    build(root)
    edit_body(root)
    assert build(root).body_only
    before = tree(root)
    edit_body(root, "New")
    fail_moves_after(monkeypatch, root, 1)
    assert "no space left" in failed(root)[0]
    assert tree(root) == before


def test_preview_rebuild_that_fails_keeps_the_output(tmp_path, monkeypatch):
    """serve's builder (not persisted, trusting its own output) takes the body-only path."""
    root = make_site(tmp_path)
    builder = Builder(load_config(root=root), jobs=1, persist=False)
    builder.build()
    edit_body(root)
    assert builder.build().body_only
    before = tree(root)
    edit_body(root, "New")
    fail_moves_after(monkeypatch, root, 1)
    assert "no space left" in failed(root, builder)[0]
    assert tree(root) == before
    monkeypatch.undo()
    assert builder.build().written >= 1   # the failed rebuild is done again, not skipped
    assert tree(root) != before


def test_cli_exit_is_1_with_one_line(tmp_path, monkeypatch, capsys):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    edit_summary(root)
    fail_moves_after(monkeypatch, root, 2)
    monkeypatch.chdir(root)
    assert main(["build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "no space left on the device" in err and "Traceback" not in err
    assert tree(root) == before


# --- static files against generated pages ----------------------------------------------------

@pytest.mark.parametrize("static, page", [
    ("static/briefings/b1/index.html", "the page of content/briefings/b1.md"),
    ("static/briefings/b1", "the page of content/briefings/b1.md"),
    ("static/feed.xml/x.txt", "the generated page 'feed.xml'"),
    ("static/topics/topic-0/index.html", "the generated page 'topics/topic-0/index.html'"),
])
@pytest.mark.parametrize("first", [True, False], ids=["first-build", "later-build"])
def test_static_file_at_a_page_path_names_both(tmp_path, static, page, first):
    root = make_site(tmp_path)
    if not first:
        build(root)
    before = tree(root)
    (root / static).parent.mkdir(parents=True, exist_ok=True)
    (root / static).write_bytes(b"static")
    assert failed(root) == [f"{static}: collides with {page}: rename or remove the static file"]
    assert tree(root) == before


# --- files briefgen cannot read -----------------------------------------------------------------

def deny(monkeypatch, target: Path) -> None:
    """Opening ``target`` fails as it would without read permission (tests run as root)."""
    for module in (builtins, io):
        real = module.open

        def fake(file, *args, _real=real, **kwargs):
            if isinstance(file, (str, os.PathLike)) and Path(file) == target:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
            return _real(file, *args, **kwargs)

        monkeypatch.setattr(module, "open", fake)
    real_os_open = os.open

    def fake_os_open(file, *args, **kwargs):   # files.read_regular opens with os.open
        if isinstance(file, (str, os.PathLike)) and Path(file) == target:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_os_open)


@pytest.mark.parametrize("rel", ["static/humans.txt", "templates/base.html"])
def test_unreadable_static_or_template_is_a_located_error(tmp_path, monkeypatch, rel):
    root = make_site(tmp_path)
    build(root)
    before = tree(root)
    theme = Path(__file__).resolve().parents[2] / "themes/default/templates/base.html"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(theme.read_bytes() + b"\n" if "templates" in rel else b"new\n")
    deny(monkeypatch, root / rel)
    found = failed(root)
    assert found == [(f"{rel}: permission denied: let the user who builds read (and, for the "
                      "output, write) it and its folder")]
    assert tree(root) == before


def test_unwritable_site_root(tmp_path, monkeypatch):
    root = make_site(tmp_path)
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if ".staging-" in self.name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    found = failed(root)
    assert len(found) == 1 and found[0].startswith("public: ") and "permission denied" in found[0]
    assert not (root / "public").exists()


# --- killed during the commit -----------------------------------------------------------------

DIE_AFTER_MOVES = """
import os, sys
from pathlib import Path
from briefgen.build import Builder
from briefgen.config import load_config

real, moved = os.replace, []

def replace(src, dst, **kwargs):
    if ".staging-" in str(src) and "/public/" in str(dst):
        if len(moved) == int(sys.argv[2]):
            os._exit(137)   # as kill -9: no rollback, no cleanup
        moved.append(dst)
    return real(src, dst, **kwargs)

os.replace = replace
Builder(load_config(root=Path(sys.argv[1])), jobs=1).build()
"""


def killed_mid_commit(root: Path, moves: int) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", DIE_AFTER_MOVES, str(root), str(moves)],
                          env=env, capture_output=True, timeout=120, check=False)
    assert proc.returncode == 137, proc.stderr


def clean_tree(tmp_path: Path, root: Path) -> dict[str, str]:
    import shutil

    copy = tmp_path / "clean"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("public", ".public*",
                                                              ".briefgen-cache"))
    build(copy)
    return {key.removeprefix("clean/"): value for key, value in tree(copy).items()}


@pytest.mark.parametrize("moves", [1, 4])
def test_kill_during_commit_is_repaired_by_the_next_build(tmp_path, moves):
    root = make_site(tmp_path)
    build(root)
    edit_summary(root)
    killed_mid_commit(root, moves)
    build(root)
    # What a killed process leaves beside the output is cleaned up elsewhere; the
    # output itself must be whole again.
    repaired = {k: v for k, v in tree(root).items() if k.startswith("public/")}
    assert repaired == clean_tree(tmp_path, root)


def test_publish_after_a_kill_during_commit_publishes_a_whole_site(tmp_path, monkeypatch):
    root = make_site(tmp_path)
    build(root)
    edit_summary(root)
    killed_mid_commit(root, 2)
    www = tmp_path / "www"
    monkeypatch.chdir(root)
    assert main(["publish", "dir", str(www), "--relative-ok"]) == 0
    published = {f"public/{p.relative_to(www).as_posix()}": hashlib.sha256(
        p.read_bytes()).hexdigest() for p in www.rglob("*") if p.is_file()}
    assert published == clean_tree(tmp_path, root)
