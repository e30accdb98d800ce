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


@functools.lru_cache(maxsize=8)
def build_markdown(allow_html: bool, max_nesting: int) -> MarkdownIt:
    """One configured parser per option set, reused for every briefing (it holds no state)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False,
                                   "linkify": False})
    md.enable("table")
    md.use(labels_plugin)
    md.use(footnote_plugin)
    md.use(links_plugin)
    md.use(divs_plugin)
    md.use(spans_plugin)
    md.use(sanitize_plugin)
    md.use(collect_plugin)
    md.use(nesting_plugin, max_nesting=max_nesting)
    return md
