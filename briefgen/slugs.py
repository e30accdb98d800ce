"""Slugs for URLs, and the keys that decide whether two slugs collide."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@functools.lru_cache(maxsize=16384)
def slugify(text: str) -> str:
    """A URL-safe slug: NFKC, lower case, words joined by ``-`` (Unicode letters kept)."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = text.replace("’", "").replace("'", "")
    slug = _NON_WORD.sub("-", text).strip("-_")
    return slug.replace("_", "-") or "untitled"


def collision_key(slug: str) -> str:
    """Two slugs that differ only by case or Unicode normal form share this key."""
    return unicodedata.normalize("NFKC", slug).casefold()


def is_valid_slug(slug: str) -> bool:
    """A slug may hold letters, digits, ``-`` and ``_``: nothing that escapes a path."""
    return bool(slug) and bool(re.fullmatch(r"[\w][\w-]*", slug, re.UNICODE))
