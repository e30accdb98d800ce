"""The sharded search index: a small manifest, then files fetched by the terms typed.

A query at 100,000 briefings must not download the whole index, so the index is an
inverted index split into many small JSON files under ``search/``:

- ``manifest.json``: the only file the search page loads before a query: the number
  of briefings, how many of them are sealed (below), the documents per chunk, the
  two-letter prefixes that have terms, the first letters of the recent files and the
  stop words left out of the index.
- ``terms/<p2>.json``: every indexed term that starts with the two letters ``p2``,
  each mapped to the postings file that holds it. The client finds exact terms,
  completions and terms one edit away (a typo after the second letter) here.
- ``postings/<key>.json``: ``{term: [n, …]}``. Documents are numbered from the oldest
  (``id``), so a new briefing gets the next number and older numbers never move;
  each ``n`` is ``(id - previous id) * 4 + tier`` (tier 3: title, 2: an actor's
  name, 1: topic or figure, 0: dek or gist). A frequent term has a file of its own;
  rarer ones share one per three-letter prefix, split to stay small.
- ``recent/<letter>.json``: ``{term: [n, …]}`` like a postings file, for the briefings
  not yet sealed, by the term's first letter; ``recent/filters.json`` their ids by
  actor and topic. The index is *sealed* in blocks of ``seal`` briefings, oldest
  first: ``terms/``, ``postings/`` and ``filters/`` hold the sealed ids only, so a new
  latest briefing changes the manifest, the facets, the days, its document chunk and a
  few recent files, never the sealed files; every ``seal``-th new briefing seals the
  block, which rewrites the files of its terms once.
- ``docs/<k>.json``: what a result shows, ``[slug, title, date, dek]`` for the
  documents ``k * chunk`` to ``(k + 1) * chunk - 1``.
- ``filters/a-<actor>.json`` and ``filters/t-<topic>.json``: the ids of an actor's or
  a topic's briefings, delta-coded, for the filters.
- ``facets.json``: actors and topics, for actor and topic results and the filters.
- ``days.json``: how many briefings each day has, for the date filter (ids are in
  date order, so a date range is an id range): ``[first day, count, gap, count, …]``
  with days as proleptic Gregorian ordinals (1 January of year 1 is day 1).

Each file is one :class:`SearchFile`: its data, the briefings whose summaries it
shows (``sources``) and a digest of its exact content (``key``), computed when the
site is planned, so that an incremental build rewrites only the files whose bytes
change. The index is built in one pass over the briefings' summaries; given a memo
of sealed blocks (``Blocks``), only the blocks whose briefings changed, and the
recent briefings, are indexed again: a new briefing at 100,000 indexes the few
hundred briefings since the last seal, not the archive.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from briefgen import __version__
from briefgen.indexes import SiteIndex
from briefgen.model import Briefing
from briefgen.render.jsontext import compact_json

INDEX_VERSION = 3
MANIFEST_PATH = "search/manifest.json"
CHUNK = 16          # documents a ``docs/<k>.json`` file holds
ALONE = 1500        # a term in this many briefings or more gets a postings file of its own
GROUP = 3000        # postings at most in a file shared by rarer terms (more: split it)
SEAL = 1024         # briefings a sealed block holds; the newer ones are in search/recent/

# Left out of the index and of queries: they match nearly every briefing.
STOP_WORDS = frozenset(["a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "if", "in", "into", "is", "it", "its", "more", "most", "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your"])

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_PLAIN = re.compile(r"[a-z0-9][a-z0-9-]*")
TITLE, ACTOR, TOPIC, TEXT = 3, 2, 1, 0     # where a term is found, strongest first


def _without_marks(match: re.Match) -> str:
    return "".join(c for c in match.group() if unicodedata.category(c) != "Mn")


def fold_words(text: str) -> list[str]:
    """Lower-case words without accents, split where search.js splits a query."""
    # Accents are combining marks after NFD; only non-ASCII runs can hold one.
    text = _NOT_ASCII.sub(_without_marks, unicodedata.normalize("NFD", text))
    return _NOT_WORD.sub(" ", text.lower()).split()


def file_key(text: str) -> str:
    """A file name for a term, prefix, actor id or topic slug: itself if lower-case
    ASCII letters, digits and hyphens, else ``x`` + its UTF-8 in hex (search.js names
    the files it asks for the same way)."""
    return text if _PLAIN.fullmatch(text) else "x" + text.encode("utf-8").hex()


@dataclass(frozen=True)
class SearchFile:
    """One file of the index: its path, data, the briefings it shows, a content digest."""

    path: str
    data: Any
    sources: tuple[str, ...] = ()
    key: str = ""


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def actor_names(index: SiteIndex, briefing: Briefing, actor_id: str) -> str | None:
    """The name and aliases of an actor as ``briefing`` knows it, joined by " / "."""
    actor = index.actor_in(briefing, actor_id)
    if actor is None:
        return None
    return " / ".join(dict.fromkeys((actor.name, *actor.aliases)))


def own_words(briefing: Briefing) -> str:
    """The indexed words of a briefing's own text by tier, weakest first: dek and
    gist, then topics and figures, then the title; tab-separated, each folded and
    without stop words (kept in the summary as ``Briefing.search_words``)."""
    middle = list(briefing.topics)
    for figure in briefing.figures:
        middle += (figure.text, figure.label)
    tiers = (" ".join([briefing.dek, *briefing.summary]), " ".join(middle), briefing.title)
    return "\t".join(" ".join(w for w in fold_words(text) if len(w) > 1 and w not in STOP_WORDS)
                     for text in tiers)


def briefing_terms(index: SiteIndex, briefing: Briefing,
                   folded: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Each indexed term of ``briefing`` with the strongest tier it appears in.

    ``folded`` remembers the words of actors' names across briefings (300 actors
    are named in 100,000 briefings: each name is folded once).
    """
    folded = {} if folded is None else folded
    text, middle, title = (briefing.search_words or own_words(briefing)).split("\t")
    terms = dict.fromkeys(text.split(), TEXT)
    terms.update(dict.fromkeys(middle.split(), TOPIC))
    for actor_id in briefing.actor_ids:
        names = actor_names(index, briefing, actor_id)
        if names is not None:
            words = folded.get(names)
            if words is None:
                words = folded[names] = [w for w in fold_words(names)
                                         if len(w) > 1 and w not in STOP_WORDS]
            terms.update(dict.fromkeys(words, ACTOR))
    terms.update(dict.fromkeys(title.split(), TITLE))
    return terms


def delta_code(values: Iterable[int], shift: int = 0) -> list[int]:
    """Sorted ``id << shift | low`` values as ``(id - previous id) << shift | low``."""
    out, previous = [], 0
    for value in values:
        ident = value >> shift
        out.append(((ident - previous) << shift) | (value & ((1 << shift) - 1)))
        previous = ident
    return out


@dataclass
class Block:
    """The postings and listings of a run of briefings, with ids counted from the
    oldest briefing of the site: what a sealed block adds to the index."""

    postings: dict[str, array]
    actors: dict[str, tuple[str, array]]
    topics: dict[str, tuple[str, array]]

    @classmethod
    def of(cls, index: SiteIndex, docs: Sequence[Briefing], start: int,
           folded: dict[str, list[str]]) -> Block:
        """Index ``docs``, whose first has id ``start``."""
        block = cls({}, {}, {})
        postings, actors, topics = block.postings, block.actors, block.topics
        for ident, briefing in enumerate(docs, start):
            for term, tier in briefing_terms(index, briefing, folded).items():
                postings.setdefault(term, array("q")).append(ident << 2 | tier)
            for actor_id in dict.fromkeys(briefing.actor_ids):
                names = actor_names(index, briefing, actor_id)
                if names is not None:
                    actors.setdefault(actor_id, (names, array("q")))[1].append(ident)
            for name in dict.fromkeys(briefing.topics):
                slug = index.topic_slug(name)
                topics.setdefault(slug, (name, array("q")))[1].append(ident)
        return block


# Sealed blocks by ``block_key``: kept between builds by the caller (the build cache),
# which may give the mapping a ``summary_keys`` attribute (slug -> the key of its
# summary) to key blocks by, instead of digesting each briefing's fields again.
Blocks = MutableMapping[str, Block]


def names_key(index: SiteIndex) -> str:
    """A digest of every actor's names as the site knows them (a briefing's own
    definitions are in its summary, which ``block_key`` digests)."""
    h = hashlib.blake2b(digest_size=16)
    for actor_id in sorted(index.actors):
        actor = index.actors[actor_id].actor
        h.update("\x1f".join((actor_id, actor.name, *actor.aliases)).encode("utf-8",
                                                                          "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()


def block_key(names: str, start: int, docs: Sequence[Briefing],
              summary_keys: Mapping[str, str] | None = None) -> str:
    """What a block's postings depend on: the scheme, the actors' names, where it
    starts and, for each briefing, the summary fields its terms come from, or the
    key of its whole summary where ``summary_keys`` gives one for each."""
    h = hashlib.blake2b(f"{INDEX_VERSION}\0{__version__}\0{names}\0{start}".encode(),
                        digest_size=16)
    if summary_keys is not None and all(b.slug in summary_keys for b in docs):
        h.update(b"summaries\x1e")
        h.update("\0".join(f"{b.slug}\x1f{summary_keys[b.slug]}" for b in docs).encode(
            "utf-8", "surrogatepass"))
        return h.hexdigest()
    for b in docs:
        own = [f"{k}\x1f{a.name}\x1f{a.aliases}" for k, a in b.local_actors.items()]
        h.update("\0".join((b.slug, b.search_words or own_words(b), "\x1f".join(b.actor_ids),
                            "\x1f".join(b.topics), *own, "\x1e")).encode("utf-8",
                                                                         "surrogatepass"))
    return h.hexdigest()


class _Builder:
    """Postings and listings of one index: the sealed blocks from ``blocks`` where
    their briefings are unchanged, the rest indexed in one pass."""

    def __init__(self, index: SiteIndex, briefings: Sequence[Briefing], seal: int,
                 blocks: Blocks | None = None):
        self.index = index
        self.docs = sorted(briefings, key=lambda b: (b.date.toordinal(), b.slug))
        self.postings: dict[str, array] = {}
        self.actors: dict[str, tuple[str, array]] = {}
        self.topics: dict[str, tuple[str, array]] = {}
        folded: dict[str, list[str]] = {}
        if blocks is None:   # no memo: the whole index in one pass
            whole = Block.of(index, self.docs, 0, folded)
            self.postings, self.actors, self.topics = whole.postings, whole.actors, whole.topics
            return
        sealed = len(self.docs) // seal * seal
        names = names_key(index)
        for start in range(0, sealed, seal):
            docs = self.docs[start:start + seal]
            key = block_key(names, start, docs, getattr(blocks, "summary_keys", None))
            block = blocks.get(key)
            if block is None:
                block = blocks[key] = Block.of(index, docs, start, folded)
            self._add(block)
        self._add(Block.of(index, self.docs[sealed:], sealed, folded))

    def _add(self, block: Block) -> None:
        """Append a block's ids (all above those added so far); ``block`` is not changed."""
        if not (self.postings or self.actors or self.topics):   # the first: copied whole
            self.postings = {term: codes[:] for term, codes in block.postings.items()}
            self.actors = {k: (name, ids[:]) for k, (name, ids) in block.actors.items()}
            self.topics = {k: (name, ids[:]) for k, (name, ids) in block.topics.items()}
            return
        postings = self.postings
        for term, codes in block.postings.items():
            have = postings.get(term)
            if have is None:
                postings[term] = codes[:]
            else:
                have.extend(codes)
        for mine, theirs in ((self.actors, block.actors), (self.topics, block.topics)):
            for key, (name, ids) in theirs.items():
                have = mine.get(key)
                if have is None:
                    mine[key] = (name, ids[:])
                else:
                    have[1].extend(ids)

    def split(self, sealed: int) -> dict[str, array]:
        """Keep the postings of ids below ``sealed`` here; return the newer ones."""
        recent: dict[str, array] = {}
        bound = sealed << 2
        for term, codes in list(self.postings.items()):
            cut = bisect.bisect_left(codes, bound)
            if cut < len(codes):
                recent[term] = codes[cut:]
                if cut:
                    del codes[cut:]
                else:
                    del self.postings[term]
        return recent

    def groups(self, alone: int, group: int) -> dict[str, list[str]]:
        """Postings files: ``key -> terms``; frequent terms alone, the rest by prefix."""
        files: dict[str, list[str]] = {}
        shared: dict[str, list[str]] = {}
        for term in sorted(self.postings):
            if len(self.postings[term]) >= alone:
                files["t-" + file_key(term)] = [term]
            else:
                shared.setdefault(term[:3], []).append(term)
        for prefix, terms in shared.items():
            part, size, members = 0, 0, []
            for term in terms:
                if members and size + len(self.postings[term]) > group:
                    files[f"g-{file_key(prefix)}-{part}"] = members
                    part, size, members = part + 1, 0, []
                members.append(term)
                size += len(self.postings[term])
            files[f"g-{file_key(prefix)}-{part}"] = members
        return files


def _postings_file(builder: _Builder, key: str, terms: list[str]) -> SearchFile:
    postings = {term: builder.postings[term] for term in terms}
    digest = _digest(*(p for t in terms for p in (t.encode(), postings[t].tobytes())))
    # Encoded when the file is rendered (only if its digest changed), not when planned.
    return SearchFile(f"search/postings/{key}.json", partial(_encode_postings, postings),
                      key=digest)


def _encode_postings(postings: dict[str, array]) -> dict[str, list[int]]:
    return {term: delta_code(codes, 2) for term, codes in postings.items()}


def _filter_file(path: str, ids: array) -> SearchFile:
    return SearchFile(path, partial(delta_code, ids), key=_digest(ids.tobytes()))


def _small_file(path: str, data: Any, sources: tuple[str, ...] = ()) -> SearchFile:
    return SearchFile(path, data, sources, _digest(compact_json(data).encode("utf-8")))


def _facets(builder: _Builder, index: SiteIndex) -> dict[str, Any]:
    actors = []
    for actor_id in sorted(builder.actors):
        names, ids = builder.actors[actor_id]
        entry = index.actors.get(actor_id)
        kind = entry.actor.kind if entry is not None else ""
        actors.append([actor_id, names, kind, len(ids)])
    topics = [[slug, name, len(ids)] for slug, (name, ids) in sorted(builder.topics.items())]
    return {"actors": actors, "topics": topics}


def _days(builder: _Builder) -> list[int]:
    """Briefings a day, oldest first: ``[first day's ordinal, count, gap, count, …]``."""
    days: dict[int, int] = {}
    for briefing in builder.docs:
        day = briefing.date.toordinal()
        days[day] = days.get(day, 0) + 1
    out, previous = [], None
    for day, count in days.items():
        out += [day if previous is None else day - previous, count]
        previous = day
    return out


def _recent_files(builder: _Builder, recent: dict[str, array], sealed: int
                  ) -> tuple[list[str], list[SearchFile]]:
    """The recent (unsealed) briefings' postings by first letter, and their filters."""
    letters: dict[str, dict[str, array]] = {}
    for term in sorted(recent):
        letters.setdefault(file_key(term[0]), {})[term] = recent[term]
    files = [SearchFile(f"search/recent/{letter}.json", partial(_encode_postings, postings),
                        key=_digest(*(p for t, c in postings.items()
                                      for p in (t.encode(), c.tobytes()))))
             for letter, postings in letters.items()]

    def newer(ids: array) -> list[int]:
        return delta_code(ids[bisect.bisect_left(ids, sealed):])
    filters = {"a": {a: newer(ids) for a, (_, ids) in sorted(builder.actors.items())
                     if ids[-1] >= sealed},
               "t": {t: newer(ids) for t, (_, ids) in sorted(builder.topics.items())
                     if ids[-1] >= sealed}}
    files.append(_small_file("search/recent/filters.json", filters))
    return sorted(letters), files


def search_files(index: SiteIndex, briefings: Sequence[Briefing], *, chunk: int = CHUNK,
                 alone: int = ALONE, group: int = GROUP, seal: int = SEAL,
                 blocks: Blocks | None = None) -> list[SearchFile]:
    """Every file of the search index of ``briefings``, the manifest first.

    ``blocks``, a memo kept between builds, gives the sealed blocks whose briefings
    did not change and takes those indexed now."""
    builder = _Builder(index, briefings, seal, blocks)
    sealed = len(builder.docs) // seal * seal
    recent_letters, recent_files = _recent_files(builder, builder.split(sealed), sealed)
    groups = builder.groups(alone, group)
    lists: dict[str, dict[str, str]] = {}
    for key, terms in groups.items():
        for term in terms:
            lists.setdefault(term[:2], {})[term] = key
    slugs = tuple(b.slug for b in builder.docs)
    manifest = {"v": INDEX_VERSION, "docs": len(builder.docs), "sealed": sealed,
                "chunk": chunk, "terms": sorted(lists), "recent": recent_letters,
                "stop": sorted(STOP_WORDS)}
    files = [_small_file(MANIFEST_PATH, manifest),
             _small_file("search/facets.json", _facets(builder, index)),
             _small_file("search/days.json", _days(builder))]
    for prefix in sorted(lists):
        files.append(_small_file(f"search/terms/{file_key(prefix)}.json", lists[prefix]))
    files += [_postings_file(builder, key, terms) for key, terms in groups.items()]
    files += recent_files
    for start in range(0, len(builder.docs), chunk):
        part = builder.docs[start:start + chunk]
        files.append(SearchFile(
            f"search/docs/{start // chunk}.json",
            [[b.slug, b.title, b.date.isoformat(), b.dek] for b in part],
            slugs[start:start + chunk]))
    # Every actor and topic has its filter file (of sealed ids; maybe empty), so the
    # page can always fetch it and add the recent ids from recent/filters.json.
    for actor_id, (_, ids) in sorted(builder.actors.items()):
        files.append(_filter_file(f"search/filters/a-{file_key(actor_id)}.json",
                                  ids[:bisect.bisect_left(ids, sealed)]))
    for slug, (_, ids) in sorted(builder.topics.items()):
        files.append(_filter_file(f"search/filters/t-{file_key(slug)}.json",
                                  ids[:bisect.bisect_left(ids, sealed)]))
    return files
