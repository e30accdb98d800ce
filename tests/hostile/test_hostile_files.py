"""Hostile YAML, encodings, odd files and output collisions: located errors, old output kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BuildError
from briefgen.yamlsafe import YamlError, as_text, load_yaml

pytestmark = pytest.mark.hostile

GOOD = b"---\ntitle: Good\ndate: 2025-01-01\n---\nText about [Putin]{.actor}.\n"
ACTORS = b"putin:\n  name: Vladimir Putin\n  aliases: [Putin]\n"


def site(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "site"
    for rel, data in {"content/actors.yaml": ACTORS, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def build(root: Path):
    return Builder(load_config(root=root), jobs=1).build()


def problems(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        build(root)
    return [str(p) for p in info.value.problems]


def digest_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- YAML --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("x: !!python/object:os.system {}", "unsupported YAML tag"),
    ("x: !!python/object/apply:os.system ['true']", "unsupported YAML tag"),
    ("x: !!python/name:os.system", "unsupported YAML tag"),
    (("a: &a [1, 2]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"),
     "alias"),
    ("x: 1\nx: 2\n", "duplicate key 'x'"),
    ("x: [" * 5000, "invalid YAML"),
])
def test_hostile_yaml_is_refused(text: str, message: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert message in info.value.message


def test_yaml_1_1_surprises_stay_as_written() -> None:
    data = load_yaml("a: NO\nb: 1.10\nc: 12:30\nd: yes\ne: off\nf: 0o17\ng: 1_000\n"
                     "h: 012\ni: 09\nj: -007\n")
    assert [as_text(data[k]) for k in "abcdefghij"] == ["NO", "1.10", "12:30", "yes", "off",
                                                        "0o17", "1_000", "012", "09", "-007"]
    assert (data["h"], data["i"], data["j"]) == (12, 9, -7)   # YAML 1.2: decimal


def test_yaml_surprises_in_string_fields_reach_the_page(tmp_path: Path) -> None:
    root = site(tmp_path, {"content/briefings/x.md":
                           b"---\ntitle: NO\ndate: 2025-01-01\ndek: 1.10\nregion: 012\n---\nx\n"})
    build(root)
    page = (root / "public/briefings/x/index.html").read_text(encoding="utf-8")
    assert ">NO<" in page and "1.10" in page and "012" in page


def test_alias_bomb_in_front_matter_is_a_located_error(tmp_path: Path) -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%c: &%c [%s]\n" % (98 + i, 98 + i, b", ".join([b"*%c" % (97 + i)] * 10))
        for i in range(6))
    root = site(tmp_path, {"content/briefings/x.md":
                           b"---\ntitle: T\ndate: 2025-01-01\n" + bomb + b"---\nx\n"})
    found = problems(root)
    assert any(p.startswith("content/briefings/x.md:") and "alias" in p for p in found)


# --- encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize("data, where", [
    (GOOD.replace(b"Text", b"T\xffxt"), "content/briefings/x.md:5:2: not valid UTF-8"),
    (GOOD.replace(b"Text", b"T\xed\xa0\x80xt"), "content/briefings/x.md:5:2: not valid UTF-8"),
    (GOOD.replace(b"\n", b"\r").replace(b"Text", b"T\xffxt"), "x.md:5:2: not valid UTF-8"),
    (GOOD.replace(b"Text", b"T\x00xt"), "content/briefings/x.md:5: contains a NUL byte"),
    (GOOD.replace(b"Good", b'"\\ud800"'), "content/briefings/x.md:2:"),
])
def test_bad_bytes_are_located_errors(tmp_path: Path, data: bytes, where: str) -> None:
    root = site(tmp_path, {"content/briefings/x.md": data})
    found = problems(root)
    assert any(where in p for p in found), found


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + GOOD,
    GOOD.replace(b"\n", b"\r\n"),
    GOOD.replace(b"\n", b"\r"),
])
def test_bom_and_line_endings_are_accepted(tmp_path: Path, data: bytes) -> None:
    root = site(tmp_path, {"content/briefings/x.md": data})
    build(root)
    assert (root / "public/briefings/x/index.html").is_file()


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_numbers_survive_every_line_ending(tmp_path: Path, newline: bytes) -> None:
    text = b"---\ntitle: T\ndate: 2025-01-01\n---\n\nfine\n\n[Nobody]{.actor}\n"
    root = site(tmp_path, {"content/briefings/x.md": text.replace(b"\n", newline)})
    assert any(p.startswith("content/briefings/x.md:8: unknown actor") for p in problems(root))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", b"---\n", b"---\n---\n"])
def test_empty_and_truncated_files_are_located_errors(tmp_path: Path, data: bytes) -> None:
    root = site(tmp_path, {"content/briefings/x.md": data})
    for problem in problems(root):
        assert problem.startswith("content/briefings/x.md:1: "), problem


def test_too_large_source_is_refused_at_line_1(tmp_path: Path) -> None:
    root = site(tmp_path, {"content/briefings/x.md": GOOD + b"word " * 60_000})
    assert any(p.startswith("content/briefings/x.md:1: source too large") for p in problems(root))


# --- files --------------------------------------------------------------------------------

def test_symlinks_that_loop_or_leave_the_project_are_refused(tmp_path: Path) -> None:
    root = site(tmp_path, {"content/briefings/x.md": GOOD})
    outside = tmp_path / "outside.md"
    outside.write_bytes(GOOD)
    briefings = root / "content/briefings"
    (briefings / "out.md").symlink_to(outside)
    (briefings / "loop.md").symlink_to(briefings / "loop2.md")
    (briefings / "loop2.md").symlink_to(briefings / "loop.md")
    (briefings / "sub").symlink_to(briefings, target_is_directory=True)  # not followed
    found = problems(root)
    assert any("out.md" in p and "outside the project" in p for p in found)
    assert any("loop.md" in p and "looping" in p for p in found)
    assert not any("sub/" in p for p in found)


def test_file_disappearing_mid_build_keeps_old_output(tmp_path: Path, monkeypatch) -> None:
    root = site(tmp_path, {"content/briefings/x.md": GOOD,
                           "content/briefings/y.md": GOOD.replace(b"Good", b"Other")})
    build(root)
    before = digest_tree(root / "public")
    (root / "content/briefings/y.md").write_bytes(GOOD.replace(b"Good", b"Changed"))

    import briefgen.build.memory as build_module

    real = build_module.walk_sources

    def walk_then_delete(config):
        walk = real(config)
        (root / "content/briefings/y.md").unlink()
        return walk

    monkeypatch.setattr(build_module, "walk_sources", walk_then_delete)
    found = problems(root)
    assert any(p.startswith("content/briefings/y.md") and "disappeared" in p for p in found)
    assert digest_tree(root / "public") == before


# --- output collisions ----------------------------------------------------------------------

@pytest.mark.parametrize("files", [
    {"content/briefings/a.md": GOOD, "content/briefings/b.md": GOOD.replace(
        b"date:", b"slug: a\ndate:")},
    {"content/briefings/Talks.md": GOOD, "content/briefings/talks.md": GOOD},
    {"content/briefings/caf\u00e9.md": GOOD, "content/briefings/cafe\u0301.md": GOOD},
    {"content/briefings/a.md": GOOD, "content/briefings/b.md": GOOD.replace(
        b"date:", b"slug: A\ndate:")},
])
def test_colliding_slugs_name_every_source(tmp_path: Path, files: dict) -> None:
    root = site(tmp_path, {name: data for name, data in files.items()})
    found = [p for p in problems(root) if "duplicate slug" in p]
    assert len(found) == 2
    for problem in found:
        assert all(name in problem for name in files), problem


def test_actor_ids_differing_by_case_are_an_error(tmp_path: Path) -> None:
    registry = ACTORS + b"Putin:\n  name: Someone Else\n"
    root = site(tmp_path, {"content/actors.yaml": registry, "content/briefings/x.md": GOOD})
    found = [p for p in problems(root) if "collides" in p]
    assert [p.split(":")[1] for p in found] == ["1", "4"]
    assert all("'putin' (line 1)" in p and "'Putin' (line 4)" in p for p in found)


@pytest.mark.parametrize("name", ["index", "feed", "actors", "index.html", "404"])
def test_page_like_names_do_not_collide(tmp_path: Path, name: str) -> None:
    """Briefings, actors and topics live in their own folders, so names that look like
    site pages are safe (or refused as invalid ids when they hold a dot)."""
    registry = ACTORS + f"{name}:\n  name: Odd Name\n".encode()
    body = GOOD.replace(b"date:", f"slug: {name}\ntopics: [{name}]\ndate:".encode())
    body += b"And [Odd Name]{.actor}.\n"
    root = site(tmp_path, {"content/actors.yaml": registry, "content/briefings/x.md": body})
    if "." in name:
        assert any("must use letters" in p or "may only hold" in p for p in problems(root))
        return
    build(root)
    public = root / "public"
    assert (public / "index.html").is_file() and (public / f"briefings/{name}/index.html").is_file()
    assert (public / f"actors/{name}/index.html").is_file()
    assert (public / "feed.xml").is_file()
