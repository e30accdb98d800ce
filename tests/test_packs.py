"""Parsed briefings are stored many to a pack file, found by key, and pruned."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import run_briefgen
from test_incremental import clean_build_of, make_site, preview_builder, snapshot

from briefgen.build.incremental.packs import PackReader, PackWriter, prune_packs, read_catalog


def test_entries_are_found_by_key_from_the_folder_alone(tmp_path: Path) -> None:
    folder = str(tmp_path / "packs")
    writer = PackWriter(folder)
    for i in range(3):
        writer.add(f"key{i}", f"fields {i}".encode() * (i + 1), f"summary {i}".encode())
    written = writer.close()
    other = PackWriter(folder)
    other.add("key9", b"F", b"S")
    written.update(other.close())
    assert PackWriter(folder).close() == {}          # nothing to write, no file
    names = sorted(os.listdir(folder))
    assert len(names) == 2 and all(n.endswith(".pack") for n in names)
    assert {loc.pack + ".pack" for loc in written.values()} == set(names)   # never reused
    catalog = read_catalog(folder)
    assert catalog == written
    for i in range(3):
        assert PackReader(folder).read(catalog[f"key{i}"]) == f"fields {i}".encode() * (i + 1)
        assert PackReader(folder).read(catalog[f"key{i}"], summary=True) == f"summary {i}".encode()
    assert PackReader(folder).read(catalog["key9"], summary=True) == b"S"


def test_damaged_packs_are_skipped_not_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    writer = PackWriter(str(folder))
    writer.add("good", b"x" * 100, b"y" * 10)
    location = writer.close()["good"]
    good = folder / f"{location.pack}.pack"
    (folder / "garbage.pack").write_bytes(b"not a pack at all")
    (folder / "cut.pack").write_bytes(good.read_bytes()[:20])
    assert read_catalog(str(folder)) == {"good": location}
    good.write_bytes(good.read_bytes()[:-5])
    assert PackReader(str(folder)).read(location) == b"x" * 100
    assert PackReader(str(folder)).read(location, summary=True) is None    # cut short
    assert PackReader(str(folder)).read(location._replace(pack="gone")) is None


def test_prune_keeps_live_packs_newer_packs_and_young_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    for name in ("live.pack", "dead.pack", "another-process.pack", "young.pack.1.tmp",
                 "old.pack.2.tmp"):
        (folder / name).write_bytes(b"")
    started = time.time()
    for name, age in (("live.pack", 60), ("dead.pack", 60), ("old.pack.2.tmp", 7200)):
        os.utime(folder / name, (started - age, started - age))
    # Written by another process while this build ran: unknown to it, but kept.
    os.utime(folder / "another-process.pack", (started + 1, started + 1))
    prune_packs(str(folder), {"live"}, before=started)
    assert sorted(os.listdir(folder)) == ["another-process.pack", "live.pack",
                                          "young.pack.1.tmp"]


def test_a_cold_build_writes_a_pack_per_chunk_not_a_file_per_briefing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=31)
    run_briefgen("build", "--quiet", "--jobs", "1", cwd=site, check=True)
    packs = list((site / ".briefgen-cache/packs").glob("*.pack"))
    assert 1 < len(packs) <= 3
    assert len(read_catalog(str(site / ".briefgen-cache/packs"))) == 31


def test_packs_no_source_uses_are_pruned(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    run_briefgen("build", "--quiet", cwd=site, check=True)
    first = {p.name for p in (site / ".briefgen-cache/packs").glob("*.pack")}
    for i in range(3):   # every source edited: the first build's pack is unused
        with open(site / f"content/briefings/b{i:02d}.md", "a", encoding="utf-8") as handle:
            handle.write("\nAn edit.\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    second = {p.name for p in (site / ".briefgen-cache/packs").glob("*.pack")}
    assert second and not first & second
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_undoing_an_edit_takes_the_briefing_from_the_cache(tmp_path: Path) -> None:
    """An editor's undo brings back bytes parsed before: no parse, same output."""

    site = make_site(tmp_path / "site", count=5)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    source = site / "content/briefings/b02.md"
    original = source.read_bytes()
    source.write_bytes(original.replace(b"said", b"declared"))
    assert builder.build().parsed == 1
    source.write_bytes(original)
    assert builder.build().parsed == 0
    assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path)


def test_preview_survives_a_clean_build_pruning_its_packs(tmp_path: Path) -> None:
    """``briefgen build --clean`` in another terminal re-parses everything into new
    packs and deletes the old ones: a running preview finds its briefings again."""

    site = make_site(tmp_path / "site", count=20)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    before = {p.name for p in (site / ".briefgen-cache/packs").glob("*.pack")}
    # Parsed in worker processes, so in other chunks: other packs.
    run_briefgen("build", "--quiet", "--clean", "--jobs", "2", cwd=site, check=True)
    after = {p.name for p in (site / ".briefgen-cache/packs").glob("*.pack")}
    assert before - after      # packs the preview reads from are gone
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates/briefing.html"
    (site / "templates").mkdir()
    (site / "templates/briefing.html").write_text(
        theme.read_text().replace("</article>", "<p>Changed.</p></article>"))
    result = builder.build()                   # every briefing page shows its body again
    assert any(p.startswith("briefings/") for p in result.written_paths), result
    assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path)


def test_an_entry_stored_after_the_catalog_was_read_is_found(tmp_path: Path) -> None:
    import pickle

    from briefgen.build.incremental.cache import FULL_FIELDS, BuildCache

    cache = BuildCache(tmp_path)
    assert cache.load_full_fields("late") is None       # reads the (empty) catalog
    fields = ("<p>Body</p>", "Body", [], [], 1)
    writer = BuildCache(tmp_path).pack_writer()          # another process stores it
    writer.add("late", pickle.dumps(fields), b"")
    writer.close()
    assert cache.load_full_fields("late") == dict(zip(FULL_FIELDS, fields))


def test_a_full_reparse_reads_the_pack_catalog_once_per_chunk(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Every source re-parsed (the registry changed): each chunk looks its sources
    up in the cache, and a miss must not read every pack again."""
    import briefgen.build.incremental.cache as cache_module
    from briefgen.build import Builder
    from briefgen.config import load_config

    site = make_site(tmp_path / "site", count=31)
    Builder(load_config(root=site), jobs=1).build()
    registry = site / "content/actors.yaml"
    registry.write_text(registry.read_text().replace("role: Envoy", "role: Special Envoy"))
    reads: list[str] = []
    real = cache_module.read_catalog
    monkeypatch.setattr(cache_module, "read_catalog",
                        lambda f, *seal: reads.append(f) or real(f, *seal))
    assert Builder(load_config(root=site), jobs=1).build().parsed == 31
    assert 1 <= len(reads) <= 3          # 2 chunks of at most 16, and the prune


def test_a_cache_that_cannot_be_written_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    import pytest

    from briefgen.build import Builder
    from briefgen.config import load_config
    from briefgen.errors import BuildError
    from briefgen.build.incremental.packs import PackWriter

    def full_disk(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(PackWriter, "close", full_disk)
    site = make_site(tmp_path / "site", count=3)
    with pytest.raises(BuildError) as failed:
        Builder(load_config(root=site), jobs=1).build()
    message = str(failed.value.problems[0])
    assert ".briefgen-cache/packs" in message and "No space left on device" in message
    assert not (site / "public").exists()


def test_pack_reader_reads_each_pack_once_for_a_run_of_entries(tmp_path, monkeypatch):
    from briefgen.build.incremental import packs

    folder = str(tmp_path)
    writer = PackWriter(folder)
    for i in range(20):
        writer.add(f"k{i}", f"fields {i}".encode(), f"summary {i}".encode())
    first = writer.close()
    writer.add("other", b"F", b"S")
    second = writer.close()
    opened = []
    real_read = packs.read_regular
    monkeypatch.setattr(packs, "read_regular", lambda path: opened.append(path)
                        or real_read(path))
    reader = packs.PackReader(folder)
    for i in range(20):
        assert reader.read(first[f"k{i}"]) == f"fields {i}".encode()
        assert reader.read(first[f"k{i}"], summary=True) == f"summary {i}".encode()
    assert reader.read(second["other"], summary=True) == b"S"
    assert reader.read(first["k3"]) == b"fields 3"
    assert len(opened) == 3   # first pack, second pack, first pack again
    assert reader.read(first["k3"]._replace(pack="gone")) is None
    assert reader.read(first["k3"]._replace(offset=10**9)) is None
