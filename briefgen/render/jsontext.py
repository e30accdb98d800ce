"""Compact JSON text for the JSON API, JSON-LD, feeds and the search index.

The same text as ``json.dumps(data, ensure_ascii=False, separators=(",", ":"),
default=str)``, made by orjson, which is several times faster: JSON encoding was
a sixth of rendering a large site. Dates and times still go through ``str`` as
before; floats are written in their shortest form (``1e16``, where the standard
library writes ``1e+16``). What orjson refuses (integers beyond 64 bits, text
that is not valid Unicode) falls back to the standard library, so every value
the build could write before is still written.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; the fallback still works
    orjson = None

_OPTIONS = 0 if orjson is None else (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                                     | orjson.OPT_PASSTHROUGH_DATACLASS)


def compact_json(data: Any) -> str:
    """``data`` as compact JSON text, non-ASCII characters kept as they are."""
    if orjson is not None:
        try:
            return orjson.dumps(data, default=str, option=_OPTIONS).decode("utf-8")
        except (orjson.JSONEncodeError, UnicodeDecodeError):
            pass
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
