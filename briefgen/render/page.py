"""The :class:`Page` record every page planner returns, and small shared views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, with what.

    ``sources`` names every briefing whose summary fields (title, date, dek, gist,
    topics, mentions, figures, quotes, sources…) the page shows; ``full`` those whose
    full content (``body_html``, ``text``, ``sidebars``, ``sections``) it shows. The
    incremental build re-renders a page only when one of these (or its templates,
    the config or the actor registry) changed, so a page must declare everything it
    uses. ``format`` is ``html`` / ``xml`` / ``text`` (rendered by ``template``) or
    ``json`` (``context["data"]`` serialised, ``template`` unused; ``data`` may be a
    function, called at render time, after the build has loaded the ``full`` content).
    ``key`` names anything else the output depends on that ``sources`` do not
    determine (which pages a sitemap file lists, whether a JSON page has a next page).
    """

    path: str
    template: str
    context: dict[str, Any]
    kind: str
    sources: tuple[str, ...] = ()
    full: tuple[str, ...] = ()
    format: str = "html"
    key: str = ""


@dataclass(frozen=True)
class FeedLink:
    """An Atom feed a page advertises with ``<link rel="alternate">``."""

    path: str
    title: str
