"""The MarkdownIt set-up: CommonMark, tables, footnotes and the annotation plugins."""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.annotate.collect import collect_plugin
from briefgen.annotate.divs import divs_plugin
from briefgen.annotate.footnotes import footnote_markup_plugin
from briefgen.annotate.labels import labels_plugin
from briefgen.annotate.links import links_plugin
from briefgen.annotate.nesting import nesting_plugin
from briefgen.annotate.sanitize import sanitize_plugin
from briefgen.annotate.spans import spans_plugin

# A thematic break: three or more of one of ``-*_``, spaces and tabs between them.
_HR = re.compile(r"([-*_])[ \t]*\1[ \t]*\1")
# A setext underline: a line of ``=`` or ``-`` alone, after any container markers.
# It always follows another line, so it starts after a line break (a literal start
# the regex engine scans for quickly); markdown-it reads a lone CR as a line break.
_SETEXT = re.compile(r"[\r\n][ \t>]*(?:=+|-+)[ \t]*(?:[\r\n]|$)")


def _needed_rules(body: str) -> frozenset[str]:
    """The optional CommonMark rules that could match somewhere in ``body``.

    Each rule needs a character (or line) that every one of its matches contains:
    a rule whose trigger is absent can never match, and leaving it out gives
    identical tokens while sparing its check at every line or marker (markdown-it
    tries every block rule on every line). Indented code needs four columns of
    whitespace, which only a tab or four spaces in a row can give.
    """
    rules = {
        "table": "|" in body,
        "footnotes": "^" in body,
        "code": "\t" in body or "    " in body,
        "fence": "```" in body or "~~~" in body,
        "blockquote": ">" in body,
        "hr": _HR.search(body) is not None,
        "reference": "]:" in body,
        "heading": "#" in body,
        "lheading": _SETEXT.search(body) is not None,
        "backticks": "`" in body,
        "entity": "&" in body,
        "escape": "\\" in body,
        "image": "!" in body,
        "autolink": "<" in body,
    }
    return frozenset(name for name, present in rules.items() if present)


# Rules left out when their trigger is absent (tables and footnotes are added, not removed).
_OPTIONAL = ("code", "fence", "blockquote", "hr", "reference", "heading", "lheading",
             "backticks", "entity", "escape", "image", "autolink")


def markdown_for(body: str, allow_html: bool, max_nesting: int) -> MarkdownIt:
    """The parser for ``body``: only the rules that could match somewhere in it."""
    return build_markdown(allow_html, max_nesting, _needed_rules(body))


@functools.lru_cache(maxsize=64)
def build_markdown(allow_html: bool, max_nesting: int,
                   rules: frozenset[str] | None = None) -> MarkdownIt:
    """One configured parser per option set, reused for every briefing (it holds no
    state); ``rules`` names the optional rules to keep (None: all of them)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False,
                                   "linkify": False})
    if rules is None or "table" in rules:
        md.enable("table")
    md.use(labels_plugin)
    if rules is None or "footnotes" in rules:
        md.use(footnote_plugin)
        md.use(footnote_markup_plugin)
    md.use(links_plugin)
    md.use(divs_plugin)
    md.use(spans_plugin)
    md.use(sanitize_plugin)
    md.use(collect_plugin)
    md.use(nesting_plugin, max_nesting=max_nesting)
    unused = [] if rules is None else [name for name in _OPTIONAL if name not in rules]
    if not allow_html:   # both rules stop at once without the html option
        unused += ["html_block", "html_inline"]
    if unused:
        md.disable(unused)
    return md
