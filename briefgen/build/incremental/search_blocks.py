"""The search index's sealed blocks, kept between builds (``.briefgen-cache/search/``).

Each block is stored under its key (``search_index.block_key``: a digest of the
briefings it indexes), sealed like every cache file; a build asks for the blocks of
its sealed briefings, indexes only those it does not find, and once it has
succeeded writes the new ones and deletes the ones it no longer uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping

from briefgen.build.incremental.cache import BuildCache
from briefgen.render.search_index import Block

FOLDER = "search"


class SearchBlocks(MutableMapping):
    """Sealed blocks by key, read from the cache folder when first asked for.

    ``memory`` holds the blocks across builds of one process (a preview); without
    ``cache`` nothing is read from or written to disk. ``trust=False`` (``--clean``)
    reads nothing but still writes what it makes. ``summary_keys`` (each briefing's
    summary key) key the blocks by the summaries they index.
    """

    def __init__(self, cache: BuildCache | None, memory: dict[str, Block] | None = None,
                 *, trust: bool = True, summary_keys: Mapping[str, str] | None = None):
        self.summary_keys = summary_keys   # slug -> summary key: what blocks are keyed by
        self._cache = cache
        self._blocks = {} if memory is None else memory
        self._trust = trust
        self._new: set[str] = set()    # made by this build: to write
        self._used: set[str] = set()   # asked for or made by this build: to keep

    def __getitem__(self, key: str) -> Block:
        block = self._blocks.get(key) if self._trust else None
        if block is None and self._trust and self._cache is not None:
            found = self._cache.read_sealed(f"{FOLDER}/{key}")
            if isinstance(found, Block):
                block = self._blocks[key] = found
        if block is None:
            raise KeyError(key)
        self._used.add(key)
        return block

    def __setitem__(self, key: str, block: Block) -> None:
        self._blocks[key] = block
        self._new.add(key)
        self._used.add(key)

    def __delitem__(self, key: str) -> None:
        del self._blocks[key]
        self._new.discard(key)
        self._used.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._blocks)

    def __len__(self) -> int:
        return len(self._blocks)

    def settle(self) -> None:
        """After a build that succeeded: keep the blocks it used, write the new ones
        to the cache and delete the others there."""
        for key in self._blocks.keys() - self._used:
            del self._blocks[key]
        if self._cache is None:
            return
        for key in sorted(self._new):
            self._cache.write_sealed(f"{FOLDER}/{key}", self._blocks[key])
        self._cache.prune_folder(FOLDER, self._used)
        self._new = set()
