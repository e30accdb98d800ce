"""Full briefing content on demand, for the pages that show it.

The index holds compact summaries. Before a page that shows a briefing in full is
rendered, its summary is filled in with the full content (from this build's parse
or the cache) and emptied again afterwards, so memory stays flat however large the
archive.
"""

from __future__ import annotations

from briefgen.build.incremental.cache import FULL_FIELDS, BuildCache, CacheLost
from briefgen.model import Briefing, coarse_word_count


class BriefingStore:
    """Summaries by slug, hydrated with full content while a page needs it."""

    def __init__(self, cache: BuildCache, summaries: dict[str, Briefing],
                 keys: dict[str, str], in_memory: dict[str, Briefing]):
        self.cache = cache
        self.summaries = summaries
        self.keys = keys
        self.in_memory = in_memory
        self._last: tuple[str, dict] | None = None

    def _full(self, slug: str) -> dict:
        full = self.in_memory.get(slug)
        if full is not None:
            return {name: getattr(full, name) for name in FULL_FIELDS}
        if self._last is not None and self._last[0] == slug:
            return self._last[1]   # a briefing's HTML and JSON pages come one after the other
        fields = self.cache.load_full_fields(self.keys[slug])
        if fields is None:   # the builder then builds again, parsing every source
            raise CacheLost(f"the build cache lost briefing '{slug}' during the build "
                            "(did something change .briefgen-cache meanwhile?); build again")
        self._last = (slug, fields)
        return fields

    def hydrate(self, slugs: tuple[str, ...]) -> None:
        """Give these summaries their full content."""
        for slug in slugs:
            summary = self.summaries.get(slug)
            if summary is None or summary.body_html:
                continue
            for name, value in self._full(slug).items():
                setattr(summary, name, value)

    def dehydrate(self, slugs: tuple[str, ...]) -> None:
        """Drop the full content again."""
        for slug in slugs:
            summary = self.summaries.get(slug)
            if summary is not None:
                summary.body_html, summary.text = "", ""
                summary.sidebars, summary.sections = [], []
                summary.word_count = coarse_word_count(summary.word_count)
