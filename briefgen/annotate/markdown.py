"""The MarkdownIt set-up: CommonMark, tables, footnotes and the annotation plugins."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.annotate.collect import collect_plugin
from briefgen.annotate.divs import divs_plugin
from briefgen.annotate.labels import labels_plugin
from briefgen.annotate.links import links_plugin
from briefgen.annotate.nesting import nesting_plugin
from briefgen.annotate.sanitize import sanitize_plugin
from briefgen.annotate.spans import spans_plugin


def markdown_for(body: str, allow_html: bool, max_nesting: int) -> MarkdownIt:
    """The parser for ``body``: tables and footnotes only when it could contain them.

    A table needs a ``|`` and every footnote syntax a ``^``, so without those
    characters their rules can never match and leaving them out gives identical
    tokens; it saves their checks on every line and at every inline marker.
    """
    return build_markdown(allow_html, max_nesting, tables="|" in body, footnotes="^" in body)


@functools.lru_cache(maxsize=16)
def build_markdown(allow_html: bool, max_nesting: int, *, tables: bool = True,
                   footnotes: bool = True) -> MarkdownIt:
    """One configured parser per option set, reused for every briefing (it holds no state)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False,
                                   "linkify": False})
    if tables:
        md.enable("table")
    md.use(labels_plugin)
    if footnotes:
        md.use(footnote_plugin)
    md.use(links_plugin)
    md.use(divs_plugin)
    md.use(spans_plugin)
    md.use(sanitize_plugin)
    md.use(collect_plugin)
    md.use(nesting_plugin, max_nesting=max_nesting)
    return md
