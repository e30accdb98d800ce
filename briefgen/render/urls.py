"""Page-relative URLs, so a built site works under any sub-path and from file://."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

# Characters left as they are in a target; everything else (spaces, non-ASCII) is escaped.
_SAFE = "/#?&=%~:@!$'()*+,;-._"
# A target made only of characters ``quote`` leaves alone: most are, and skipping
# ``quote`` for them makes a page's dozens of links several times cheaper.
_PLAIN = re.compile(r"[A-Za-z0-9" + re.escape(_SAFE) + "]*").fullmatch


def _quote(target: str) -> str:
    """``target`` with the characters a URL cannot hold escaped."""
    return target if _PLAIN(target) else quote(target, safe=_SAFE)


def root_for(path: str) -> str:
    """The way back to the site root from an output file: ``"../" * depth``."""
    return "../" * path.count("/")


def url_maker(path: str) -> Callable[[str], str]:
    """A ``url(target)`` function for the page at ``path`` (site-root-relative targets).

    ``url("actors/putin/")`` on ``briefings/x/index.html`` gives ``../../actors/putin/``;
    ``url("")`` gives the root itself, or ``./`` on a top-level page.
    """
    root = root_for(path)

    def url(target: str = "") -> str:
        return (root + _quote(target.lstrip("/"))) or "./"

    return url


def absolute_url(base_url: str, path: str = "") -> str:
    """A site path joined to ``base_url``; ``absolute_url("https://x.org/b/", "a/")``
    is ``https://x.org/b/a/``. With a bare ``/`` base the result is root-relative."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + _quote(path.lstrip("/"))


def is_absolute(base_url: str) -> bool:
    """True when ``base_url`` is a full http(s) URL."""
    return base_url.startswith(("http://", "https://"))
