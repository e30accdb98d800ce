"""A cache file briefgen did not write on this machine is never loaded, only ignored.

Planted pickles (the state, its delta, a pack's table of contents or entry, a
compiled template) must run nothing on ``briefgen build`` or ``briefgen check``;
damaged caches (truncated, zeroed, random bytes after the magic, a deleted pack
folder) must neither block nor crash a build: each is a cache miss, and the output
is byte for byte what a clean build makes.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import struct
from pathlib import Path

import pytest
from conftest import run_briefgen
from test_incremental import clean_build_of, edit_body, make_site, snapshot

from briefgen.build.incremental.packs import read_catalog
from briefgen.cachekey import KEY_ENV, KEY_SIZE, Seal, key_path, load_seal

CACHE = ".briefgen-cache"


class Planted:
    """A pickle that runs a shell command when loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch '{self.marker}'",)


def evil(marker: Path) -> bytes:
    return pickle.dumps(Planted(marker), protocol=pickle.HIGHEST_PROTOCOL)


def built_site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", count=12)
    run_briefgen("build", "--quiet", "--jobs", "1", cwd=site, check=True)
    return site


def change_briefing_template(site: Path) -> None:
    """A template edit: every briefing page is rendered again, from the packs."""
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates/briefing.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/briefing.html").write_text(
        theme.read_text().replace("</article>", "<p>Changed.</p></article>"))


def rebuild_matches_clean(site: Path, tmp_path: Path, *args: str) -> None:
    proc = run_briefgen("build", "--quiet", *args, cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def packs(site: Path) -> list[Path]:
    found = sorted((site / CACHE / "packs").glob("*.pack"))
    assert found
    return found


# -- planted code -----------------------------------------------------------------------

def plant_state(site: Path, marker: Path) -> None:
    (site / CACHE / "state.pickle").write_bytes(evil(marker))


def plant_sealed_looking_state(site: Path, marker: Path) -> None:
    (site / CACHE / "state.pickle").write_bytes(b"BGST2\n" + bytes(32) + evil(marker))


def plant_delta(site: Path, marker: Path) -> None:
    (site / CACHE / "state.delta").write_bytes(b"BGST2\n" + os.urandom(32) + evil(marker))


def plant_old_format_pack(site: Path, marker: Path) -> None:
    """A pack of the older format, whose table of contents was a pickle."""
    toc = evil(marker)
    (site / CACHE / "packs/planted.pack").write_bytes(
        b"BGPK1\n" + struct.pack("<Q", len(toc)) + toc)


def plant_pack_entries(site: Path, marker: Path) -> None:
    """A pack whose table of contents names every real entry, each a planted pickle."""
    payload = evil(marker)
    keys = list(read_catalog(str(site / CACHE / "packs")))
    toc = json.dumps([[key, len(payload), len(payload)] for key in keys]).encode()
    body = (bytes(32) + payload) * 2 * len(keys)
    for pack in packs(site):
        pack.unlink()
    (site / CACHE / "packs/planted.pack").write_bytes(
        b"BGPK2\n" + struct.pack("<Q", len(toc)) + os.urandom(32) + toc + body)


def plant_into_real_entries(site: Path, marker: Path) -> None:
    """Each entry of a real pack overwritten in place: its table of contents stays
    genuine, only the entries' own seals can tell."""
    payload = evil(marker)
    for location in read_catalog(str(site / CACHE / "packs")).values():
        if location.fields_size < len(payload):
            continue
        path = site / CACHE / "packs" / f"{location.pack}.pack"
        data = bytearray(path.read_bytes())
        at = location.offset + 32
        data[at:at + location.fields_size] = payload.ljust(location.fields_size, b".")
        path.write_bytes(bytes(data))


def summaries_file(site: Path) -> Path:
    (found,) = (site / CACHE).glob("summaries-*")
    return found


def plant_into_summaries(site: Path, marker: Path) -> None:
    """Each summary in the summaries file overwritten in place, where the state file
    (genuine, so trusted) says it lies: only the summaries' own seals can tell."""
    from array import array

    from briefgen.build.incremental.cache import BuildCache

    table = BuildCache(site).load_state().summary_table
    offsets, sizes = array("Q"), array("Q")
    offsets.frombytes(table.offsets)
    sizes.frombytes(table.sizes)
    payload = evil(marker)
    path = summaries_file(site)
    data = bytearray(path.read_bytes())
    for offset, size in zip(offsets, sizes):
        assert size >= len(payload)
        data[offset + 32:offset + 32 + size] = payload.ljust(size, b".")
    path.write_bytes(bytes(data))


def plant_into_appended_summaries(site: Path, marker: Path) -> None:
    """The same, after a build appended a new briefing's summary to the file."""
    from briefgen.build.incremental.cache import BuildCache

    path = summaries_file(site)
    source = site / "content/briefings/b03.md"
    (source.parent / "added.md").write_text(
        source.read_text().replace("Briefing number 3", "Added"))
    run_briefgen("build", "--quiet", "--jobs", "1", cwd=site, check=True)
    assert summaries_file(site) == path
    assert len(BuildCache(site).load_state().summary_table.segments) == 2
    plant_into_summaries(site, marker)


def plant_templates(site: Path, marker: Path) -> None:
    """Compiled templates replaced by Jinja's format with a planted checksum pickle."""
    from jinja2.bccache import bc_magic

    compiled = list((site / CACHE).glob("templates-*/*"))
    assert compiled
    for path in compiled:
        path.write_bytes(os.urandom(32) + bc_magic + evil(marker))
        path.with_name(path.name.replace("__briefgen_", "__jinja2_")).write_bytes(
            bc_magic + evil(marker))


PLANTS = [plant_state, plant_sealed_looking_state, plant_delta, plant_old_format_pack,
          plant_pack_entries, plant_into_real_entries, plant_into_summaries,
          plant_into_appended_summaries, plant_templates]


@pytest.mark.parametrize("plant", PLANTS, ids=lambda f: f.__name__)
def test_a_planted_cache_runs_nothing_on_build(tmp_path: Path, plant) -> None:
    site = built_site(tmp_path)
    marker = tmp_path / "MARKER"
    plant(site, marker)
    change_briefing_template(site)   # every briefing's full content is read again
    rebuild_matches_clean(site, tmp_path, "--jobs", "1")
    assert not marker.exists()
    edit_body(site)                  # and again, on the cache that build left
    rebuild_matches_clean(site, tmp_path, "--jobs", "2")
    assert not marker.exists()


@pytest.mark.parametrize("plant", PLANTS, ids=lambda f: f.__name__)
def test_a_planted_cache_runs_nothing_on_check(tmp_path: Path, plant) -> None:
    site = built_site(tmp_path)
    marker = tmp_path / "MARKER"
    plant(site, marker)
    proc = run_briefgen("check", cwd=site)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not marker.exists()


# -- damage -----------------------------------------------------------------------------

def truncate_packs(site: Path) -> None:
    for pack in packs(site):
        pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])


def zero_packs(site: Path) -> None:
    for pack in packs(site):
        pack.write_bytes(bytes(pack.stat().st_size))


def zero_pack_bodies(site: Path) -> None:
    """Tables of contents intact, the entries after them zeroed."""
    for pack in packs(site):
        data = pack.read_bytes()
        (toc_size,) = struct.unpack_from("<Q", data, 6)
        keep = 6 + 8 + 32 + toc_size
        pack.write_bytes(data[:keep] + bytes(len(data) - keep))


def random_after_pack_magic(site: Path) -> None:
    for pack in packs(site):
        pack.write_bytes(b"BGPK2\n" + os.urandom(pack.stat().st_size - 6))


def huge_sizes_after_pack_magic(site: Path) -> None:
    """Length fields that would allocate exabytes if believed."""
    for pack in packs(site):
        pack.write_bytes(b"BGPK2\n" + struct.pack("<Q", 2**63 - 1) + os.urandom(64))


def delete_pack_folder(site: Path) -> None:
    shutil.rmtree(site / CACHE / "packs")


def truncate_state(site: Path) -> None:
    state = site / CACHE / "state.pickle"
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])


def random_after_state_magic(site: Path) -> None:
    state = site / CACHE / "state.pickle"
    state.write_bytes(b"BGST2\n" + os.urandom(state.stat().st_size))


def zero_state_and_packs(site: Path) -> None:
    state = site / CACHE / "state.pickle"
    state.write_bytes(bytes(state.stat().st_size))
    zero_packs(site)


def fifo_as_state(site: Path) -> None:
    state = site / CACHE / "state.pickle"
    state.unlink()
    os.mkfifo(state)


def delete_summaries(site: Path) -> None:
    summaries_file(site).unlink()


def truncate_summaries(site: Path) -> None:
    path = summaries_file(site)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_a_byte_in_each_summary(site: Path) -> None:
    """Same size, so the file passes for this state's until a summary is checked."""
    from briefgen.build.incremental.cache import BuildCache

    table = BuildCache(site).load_state().summary_table
    path = summaries_file(site)
    data = bytearray(path.read_bytes())
    for offset in memoryview(table.offsets).cast("Q"):
        data[offset + 40] ^= 0xFF
    path.write_bytes(bytes(data))


def summaries_of_another_state(site: Path) -> None:
    """The summaries file of an older state, renamed as the current one's."""
    path = summaries_file(site)
    data = path.read_bytes()
    edit_body(site)
    run_briefgen("build", "--quiet", "--jobs", "1", "--clean", cwd=site, check=True)
    newer = summaries_file(site)
    assert newer != path
    newer.write_bytes(data[:newer.stat().st_size].ljust(newer.stat().st_size, b"\0"))


DAMAGE = [truncate_packs, zero_packs, zero_pack_bodies, random_after_pack_magic,
          huge_sizes_after_pack_magic, delete_pack_folder, truncate_state,
          random_after_state_magic, zero_state_and_packs, fifo_as_state,
          delete_summaries, truncate_summaries, flip_a_byte_in_each_summary,
          summaries_of_another_state]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_cache_is_a_miss_not_a_failure(tmp_path: Path, damage) -> None:
    site = built_site(tmp_path)
    damage(site)
    change_briefing_template(site)
    rebuild_matches_clean(site, tmp_path, "--jobs", "1")
    edit_body(site)
    rebuild_matches_clean(site, tmp_path)


def test_a_pack_lost_under_forked_render_workers_is_a_miss(tmp_path: Path) -> None:
    """Enough pages to render in forked workers: the loss surfaces in a worker."""
    site = make_site(tmp_path / "site", count=80)
    run_briefgen("build", "--quiet", "--jobs", "2", cwd=site, check=True)
    zero_pack_bodies(site)
    change_briefing_template(site)
    rebuild_matches_clean(site, tmp_path, "--jobs", "2")


def test_a_damaged_cache_is_a_miss_for_a_running_preview(tmp_path: Path) -> None:
    """The preview keeps its state in memory: a pack deleted under it is re-parsed."""
    from test_incremental import preview_builder

    site = make_site(tmp_path / "site", count=12)
    builder = preview_builder(site, tmp_path / "preview")
    builder.build()
    delete_pack_folder(site)
    change_briefing_template(site)
    builder.build()
    assert snapshot(tmp_path / "preview") == clean_build_of(site, tmp_path)


# -- the key ----------------------------------------------------------------------------

def test_another_machines_cache_is_not_trusted(tmp_path: Path, monkeypatch) -> None:
    """Same files, another key (a CI cache restored elsewhere): everything is parsed
    again, and the output is the same."""
    site = built_site(tmp_path)
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "other-key"))
    change_briefing_template(site)
    proc = run_briefgen("build", "--jobs", "1", cwd=site, check=True)
    assert "12 parsed" in proc.stdout
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    proc = run_briefgen("build", "--jobs", "1", cwd=site, check=True)
    assert "0 parsed" in proc.stdout   # and what it wrote is trusted from then on


def test_the_key_is_made_once_private_and_outside_the_site(tmp_path: Path) -> None:
    path = tmp_path / "cache/briefgen/key"
    first, warning = load_seal(path)
    assert warning is None and first.persistent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size == KEY_SIZE
    assert load_seal(path)[0] == first
    assert first.mac(b"a", b"data") != first.mac(b"b", b"data")   # bound to a purpose
    assert "key" not in repr(first).lower().replace("seal", "")
    assert key_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "briefgen/key"
    assert key_path({"HOME": str(tmp_path), "XDG_CACHE_HOME": "relative"}).parts[-2:] == (
        "briefgen", "key")
    assert key_path({KEY_ENV: str(path)}) == path


@pytest.mark.parametrize("spoil", ["world_readable", "short", "folder", "fifo"])
def test_an_unusable_key_turns_the_cache_off_with_a_warning(tmp_path: Path, monkeypatch,
                                                           spoil: str) -> None:
    key = tmp_path / "key"
    if spoil == "folder":
        key.mkdir()
    elif spoil == "fifo":
        os.mkfifo(key)
    else:
        key.write_bytes(os.urandom(KEY_SIZE if spoil == "world_readable" else 5))
        key.chmod(0o644 if spoil == "world_readable" else 0o600)
    seal, warning = load_seal(key)
    assert not seal.persistent and warning and str(key) in warning
    monkeypatch.setenv(KEY_ENV, str(key))
    site = make_site(tmp_path / "site", count=20)
    proc = run_briefgen("build", "--jobs", "2", cwd=site, check=True)
    assert "build cache is off" in proc.stderr
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    assert not (site / CACHE / "state.pickle").exists()
    proc = run_briefgen("build", "--jobs", "2", cwd=site, check=True)
    assert "20 parsed" in proc.stdout


def test_seals_compare_by_key_and_travel_to_workers() -> None:
    seal = Seal(os.urandom(KEY_SIZE))
    copy = pickle.loads(pickle.dumps(seal))
    assert copy == seal and hash(copy) == hash(seal)
    assert seal.open(b"x", seal.seal(b"x", b"data")) == b"data"
    assert seal.open(b"y", seal.seal(b"x", b"data")) is None
    assert seal.open(b"x", b"short") is None
    assert Seal(os.urandom(KEY_SIZE)).open(b"x", seal.seal(b"x", b"data")) is None
