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


# Most file systems (ext4, APFS, NTFS, tmpfs) refuse a file name over 255 bytes.
MAX_NAME_BYTES = 255


def name_too_long(what: str, slug: str) -> str | None:
    """Why ``slug`` cannot name a folder of the output (None when it can): the limit
    is on UTF-8 bytes, so 128 accented letters are already too many."""
    size = len(slug.encode("utf-8", "surrogatepass"))
    if size <= MAX_NAME_BYTES:
        return None
    shown = slug if len(slug) <= 40 else slug[:40] + "…"
    return (f"{what} '{shown}' is too long for a file name ({size} bytes in UTF-8; the "
            f"limit is {MAX_NAME_BYTES}): shorten it")
