"""Which URLs may reach the output: no script-bearing schemes, however encoded."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# The only schemes a link or image may use (relative URLs need none).
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _scheme_view(url: str) -> str:
    """The URL as a browser would see its scheme: entities and escapes decoded, blanks gone."""
    text = url
    for _ in range(3):  # nested encodings like &amp;#106; or %256a
        decoded = unquote(html.unescape(text))
        if decoded == text:
            break
        text = decoded
    text = unicodedata.normalize("NFKC", text)
    return _CONTROL.sub("", text).lower()


def safe_url(url: str) -> bool:
    """True when ``url`` is http(s), mailto, tel, or relative: never javascript:, data: etc."""
    view = _scheme_view(url)
    if any(view.startswith(s) for s in _BAD_SCHEMES):
        return False
    match = re.match(r"^([a-z][a-z0-9+.-]*):", view)
    if match:
        return match.group(1) in SAFE_SCHEMES
    return True
