"""The sharded search index: file assignment, manifest, determinism, what an edit changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import random
from pathlib import Path

from test_cache_trust import Planted

from briefgen.build.incremental.cache import BuildCache
from briefgen.build.incremental.fingerprint import PageFingerprints
from briefgen.build.incremental.search_blocks import FOLDER, SearchBlocks
from briefgen.cachekey import KEY_SIZE, Seal
from briefgen.indexes import build_index
from briefgen.model import Actor, Briefing, Figure, Mention
from briefgen.render.jsontext import compact_json
from briefgen.render.pages import search_pages
from briefgen.render.renderer import resolve_context
from briefgen.render.search_index import MANIFEST_PATH, STOP_WORDS, file_key, search_files

REGISTRY = {
    "peskov": Actor("peskov", "Dmitry Peskov", aliases=("Peskov",)),
    "nato": Actor("nato", "NATO", kind="organisation"),
}
WORDS = ["ceasefire", "talks", "pipeline", "sanctions", "migration", "tariffs", "harvest",
         "border", "election", "pension", "reactor", "drought"]


def briefing(n: int, **changes) -> Briefing:
    rng = random.Random(n)
    made = Briefing(
        slug=f"b{n:03d}", title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} number{n}",
        date=dt.date(2024, 1, 1) + dt.timedelta(days=n // 3), source_path=f"b{n:03d}.md",
        dek=f"The {rng.choice(WORDS)} and the {rng.choice(WORDS)}.",
        summary=[f"Point about {rng.choice(WORDS)}."], topics=[rng.choice(["Energy", "Trade"])],
        mentions=[Mention("peskov")] if n % 4 == 0 else [Mention("nato")],
        figures=[Figure(f"f{n}", "€21 billion", "Military aid")] if n % 5 == 0 else [])
    return dataclasses.replace(made, **changes)


def files_of(briefings, **options) -> dict[str, bytes]:
    index = build_index(briefings, REGISTRY)
    out = {}
    for item in search_files(index, index.briefings, **options):
        data = resolve_context({"d": item.data})["d"]
        out[item.path] = (compact_json(data) + "\n").encode("utf-8")
    return out


def fingerprints_of(briefings, **options) -> dict[str, str]:
    """Each search page's fingerprint, as the incremental build computes it."""
    index = build_index(briefings, REGISTRY)
    summaries = {b.slug: repr(b) for b in briefings}
    fingerprint = PageFingerprints("site", {}, summaries, {})
    return {page.path: fingerprint(page) for page in search_pages(index, **options)}


def decoded(files: dict[str, bytes], term: str) -> list[tuple[int, int]]:
    """(id, tier) of every briefing a term is in, as search.js reads them: the sealed
    postings, then the recent ones."""
    codes = []
    terms_path = f"search/terms/{file_key(term[:2])}.json"
    terms = json.loads(files[terms_path]) if terms_path in files else {}
    if term in terms:
        codes.append(json.loads(files[f"search/postings/{terms[term]}.json"])[term])
    recent_path = f"search/recent/{file_key(term[0])}.json"
    if recent_path in files:
        codes.append(json.loads(files[recent_path]).get(term, []))
    out = []
    for part in codes:
        ident = 0
        for code in part:
            ident += code >> 2
            out.append((ident, code & 3))
    return out


def filter_ids(files: dict[str, bytes], kind: str, key: str) -> list[int]:
    """The ids of an actor's (``a``) or topic's (``t``) briefings, sealed and recent."""
    ids = []
    for codes in (json.loads(files[f"search/filters/{kind}-{file_key(key)}.json"]),
                  json.loads(files["search/recent/filters.json"])[kind].get(key, [])):
        ids += [sum(codes[:k + 1]) for k in range(len(codes))]
    return ids


SMALL = {"chunk": 4, "alone": 10, "group": 12, "seal": 16}


def test_terms_are_assigned_to_one_postings_file_each() -> None:
    files = files_of([briefing(n) for n in range(40)], **SMALL)
    manifest = json.loads(files[MANIFEST_PATH])
    seen: dict[str, str] = {}
    for prefix in manifest["terms"]:
        for term, key in json.loads(files[f"search/terms/{file_key(prefix)}.json"]).items():
            assert term[:2] == prefix and term not in seen
            seen[term] = key
    assert {"ceasefire", "peskov", "dmitry", "nato", "energy", "billion", "21"} <= set(seen)
    assert not set(seen) & STOP_WORDS and all(len(t) > 1 for t in seen)
    postings = {p: json.loads(b) for p, b in files.items() if p.startswith("search/postings/")}
    assert {f"search/postings/{k}.json" for k in seen.values()} == set(postings)
    for path, data in postings.items():
        count = sum(map(len, data.values()))
        if path.startswith("search/postings/t-"):   # a frequent term: alone
            assert len(data) == 1 and count >= SMALL["alone"]
        else:                                      # rarer terms of one prefix, split small
            assert all(len(codes) < SMALL["alone"] for codes in data.values())
            assert len(data) == 1 or count <= SMALL["group"]
            assert len({t[:3] for t in data}) == 1
    assert any(p.startswith("search/postings/t-") for p in postings)
    assert any(p.startswith("search/postings/g-") for p in postings)


def test_postings_decode_to_the_briefings_and_tiers() -> None:
    docs = [briefing(n) for n in range(40)]
    files = files_of(docs, **SMALL)
    order = sorted(docs, key=lambda b: (b.date, b.slug))
    chunks = {int(p.rsplit("/", 1)[1][:-5]): json.loads(b) for p, b in files.items()
              if p.startswith("search/docs/")}
    for ident, tier in decoded(files, "number7"):
        assert (order[ident].slug, tier) == ("b007", 3)          # a title word
        assert chunks[ident // 4][ident % 4][:3] == ["b007", order[ident].title, "2024-01-03"]
    peskov = {order[i].slug for i, tier in decoded(files, "peskov") if tier == 2}  # a name
    assert peskov == {b.slug for b in docs if b.actor_ids == ["peskov"]}
    assert {t for _, t in decoded(files, "billion")} == {1}       # a figure: middle tier
    ids = filter_ids(files, "a", "nato")
    assert [order[i].slug for i in ids] == [b.slug for b in order if b.actor_ids == ["nato"]]


def test_manifest_facets_and_days() -> None:
    docs = [briefing(n) for n in range(40)]
    files = files_of(docs, **SMALL)
    manifest = json.loads(files[MANIFEST_PATH])
    assert manifest["v"] == 3 and manifest["docs"] == 40 and manifest["chunk"] == 4
    assert manifest["sealed"] == 32 and "n" in manifest["recent"]
    assert "ce" in manifest["terms"] and "the" in manifest["stop"]
    facets = json.loads(files["search/facets.json"])
    assert ["peskov", "Dmitry Peskov / Peskov", "person", 10] in facets["actors"]
    assert {t[0] for t in facets["topics"]} <= {"energy", "trade"}
    days = json.loads(files["search/days.json"])
    assert days[0] == dt.date(2024, 1, 1).toordinal() and sum(days[1::2]) == 40
    assert len(files[MANIFEST_PATH]) < 2000


def test_same_input_same_bytes_in_any_order() -> None:
    docs = [briefing(n) for n in range(60)]
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    assert files_of(docs, **SMALL) == files_of(shuffled, **SMALL)


def test_a_key_changes_exactly_when_the_bytes_do() -> None:
    docs = [briefing(n) for n in range(60)]
    edited = docs[:]
    edited[30] = dataclasses.replace(docs[30], title="Drought reactor harvest")
    before, after = files_of(docs, **SMALL), files_of(edited, **SMALL)
    keys_before = fingerprints_of(docs, **SMALL)
    keys_after = fingerprints_of(edited, **SMALL)
    changed = {p for p in before if before[p] != after.get(p)} | (after.keys() - before.keys())
    rekeyed = {p for p in keys_before if keys_before[p] != keys_after.get(p)} | (
        keys_after.keys() - keys_before.keys())
    assert changed == rekeyed
    # Only the files of the words that came and went, and the briefing's chunk.
    assert "search/docs/7.json" in changed and MANIFEST_PATH not in changed
    assert len(changed) < len(before) // 4, (len(changed), len(before))


def test_a_new_newest_briefing_keeps_every_older_id() -> None:
    docs = [briefing(n) for n in range(60)]
    newest = briefing(999, date=dt.date(2030, 1, 1), slug="zz-new")
    before, after = files_of(docs, **SMALL), files_of([*docs, newest], **SMALL)
    assert all(after[p] == before[p] for p in before if p.startswith("search/docs/"))
    assert after["search/docs/15.json"] == b'[["zz-new",' + after[
        "search/docs/15.json"][11:]
    for term in ("peskov", "nato", "ceasefire"):
        old = decoded(before, term)
        assert decoded(after, term)[:len(old)] == old


def test_a_new_latest_briefing_changes_only_the_small_files() -> None:
    # 40 briefings, sealed in blocks of 16: ids 32-39 are recent. A 41st, the latest,
    # changes the manifest, facets, days, its chunk and recent files, no sealed file.
    docs = [briefing(n) for n in range(40)]
    newest = briefing(998, date=dt.date(2030, 1, 1), slug="zz-new", title="Ceasefire news")
    before, after = files_of(docs, **SMALL), files_of([*docs, newest], **SMALL)
    changed = {p for p in after if before.get(p) != after[p]}
    sealed = {p for p in changed if p.split("/")[1] in ("terms", "postings", "filters")}
    assert sealed == set(), sealed
    assert {MANIFEST_PATH, "search/docs/10.json", "search/recent/c.json",
            "search/recent/filters.json"} <= changed
    assert all(p.split("/")[1] in ("recent", "docs") or p in (
        MANIFEST_PATH, "search/facets.json", "search/days.json") for p in changed), changed
    assert decoded(after, "ceasefire")[-1] == (40, 3)


def test_sealing_a_block_moves_its_postings_and_keeps_every_answer() -> None:
    # The 48th briefing fills the third block: its postings move to the sealed files
    # and the recent files empty; every term and filter still decodes to the same ids.
    docs = [briefing(n) for n in range(48)]
    sealed, unsealed = files_of(docs, **SMALL), files_of(docs, **{**SMALL, "seal": 64})
    assert json.loads(sealed[MANIFEST_PATH])["sealed"] == 48
    assert json.loads(unsealed[MANIFEST_PATH])["sealed"] == 0
    assert not any(p.startswith("search/recent/") and p != "search/recent/filters.json"
                   for p in sealed)
    for term in ("ceasefire", "peskov", "nato", "number47", "billion", "energy"):
        assert decoded(sealed, term) == decoded(unsealed, term), term
    for kind, key in (("a", "nato"), ("a", "peskov"), ("t", "energy"), ("t", "trade")):
        assert filter_ids(sealed, kind, key) == filter_ids(unsealed, kind, key)


def test_words_kept_in_the_summary_index_as_the_text_does() -> None:
    from briefgen.build.parallel.workers import summarize
    from briefgen.render.search_index import briefing_terms

    docs = [briefing(n, summary=[f"Point about Élysée talks {n}."]) for n in range(12)]
    index = build_index(docs, REGISTRY)
    for doc in docs:
        kept = summarize(doc)
        assert kept.search_words and not doc.search_words
        assert briefing_terms(index, kept) == briefing_terms(index, doc)
        assert briefing_terms(index, doc)["elysee"] == 0     # folded, from the gist
    assert files_of([summarize(d) for d in docs], **SMALL) == files_of(docs, **SMALL)


def test_a_memo_of_sealed_blocks_gives_the_same_bytes_and_skips_unchanged_blocks() -> None:
    # 40 briefings in blocks of 16: two sealed blocks go to the memo; a second build
    # takes both from it (Block.of is not called for them) and writes the same bytes.
    docs = [briefing(n) for n in range(40)]
    memo: dict = {}
    first = files_of(docs, blocks=memo, **SMALL)
    assert first == files_of(docs, **SMALL)
    assert len(memo) == 2
    kept = dict(memo)
    again = files_of(docs, blocks=memo, **SMALL)
    assert again == first and memo == kept
    assert all(memo[k] is kept[k] for k in kept)   # reused, not indexed again


def test_an_edited_old_briefing_indexes_its_block_again() -> None:
    docs = [briefing(n) for n in range(40)]
    memo: dict = {}
    files_of(docs, blocks=memo, **SMALL)
    before = set(memo)
    edited = list(docs)
    edited[3] = dataclasses.replace(docs[3], title="Zeppelin overhaul", search_words="")
    after = files_of(edited, blocks=memo, **SMALL)
    assert after == files_of(edited, **SMALL)     # as if there were no memo
    assert decoded(after, "zeppelin") == [(3, decoded(after, "zeppelin")[0][1])]
    assert len(set(memo) - before) == 1            # the first block, and only it, again


def test_renaming_an_actor_indexes_every_block_again() -> None:
    docs = [briefing(n) for n in range(40)]
    memo: dict = {}
    files_of(docs, blocks=memo, **SMALL)
    before = set(memo)
    renamed = {**REGISTRY, "nato": Actor("nato", "North Atlantic Alliance", kind="organisation")}
    index = build_index(docs, renamed)
    with_memo = [(f.path, f.key) for f in search_files(index, index.briefings, blocks=memo,
                                                       **SMALL)]
    without = [(f.path, f.key) for f in search_files(index, index.briefings, **SMALL)]
    assert with_memo == without
    assert not before & (set(memo) - before) and len(memo) == 4



def test_the_blocks_kept_in_the_cache_are_read_back_sealed_and_pruned(tmp_path: Path) -> None:
    docs = [briefing(n) for n in range(40)]
    seal = Seal(os.urandom(KEY_SIZE))
    cache = BuildCache(tmp_path, seal)
    first = SearchBlocks(cache)
    expected = files_of(docs, blocks=first, **SMALL)
    first.settle()
    folder = tmp_path / ".briefgen-cache" / FOLDER
    stored = sorted(p.name for p in folder.iterdir())
    assert len(stored) == 2

    # A new process finds both blocks on disk and makes none.
    second = SearchBlocks(BuildCache(tmp_path, seal))
    assert files_of(docs, blocks=second, **SMALL) == expected
    assert not second._new and len(second) == 2

    # Damaged, planted, foreign: each is a miss, indexed again, and nothing runs.
    marker = tmp_path / "ran"
    (folder / stored[0]).write_bytes(b"\0" * 64)
    (folder / stored[1]).write_bytes(pickle.dumps(Planted(marker)))
    third = SearchBlocks(BuildCache(tmp_path, seal))
    assert files_of(docs, blocks=third, **SMALL) == expected
    assert third._new == set(stored) and not marker.exists()
    third.settle()
    foreign = SearchBlocks(BuildCache(tmp_path, Seal(os.urandom(KEY_SIZE))))
    files_of(docs, blocks=foreign, **SMALL)
    assert foreign._new == set(stored)

    # --clean reads nothing, but writes what it made; an edit prunes the unused block.
    clean = SearchBlocks(BuildCache(tmp_path, seal), trust=False)
    edited = [dataclasses.replace(docs[0], title="Zeppelin"), *docs[1:]]
    assert files_of(edited, blocks=clean, **SMALL) == files_of(edited, **SMALL)
    assert len(clean._new) == 2
    clean.settle()
    now = sorted(p.name for p in folder.iterdir())
    assert len(now) == 2 and len(set(now) & set(stored)) == 1   # block 0 made again
