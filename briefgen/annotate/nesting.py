"""Report Markdown nested deeper than the limit instead of letting text vanish.

markdown-it stops parsing blocks (dropping their text) and inlines (leaving
them literal) at ``maxNesting``. We configure it one level above the allowed
depth, so reaching that level always means the author went too deep.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefgen.annotate.state import collector_of


def _too_deep(tokens: list[Token], limit: int) -> Token | None:
    for token in tokens:
        if token.nesting == 1 and token.level + 1 > limit:
            return token
    return None


def check_nesting(state: StateCore) -> None:
    """Core rule: one problem at the first block or inline nested past the limit."""
    collector = collector_of(state.env)
    if collector is None:
        return
    limit = collector.max_nesting
    line = None
    deep = _too_deep(state.tokens, limit)
    if deep is not None:
        line = deep.map[0] if deep.map else 0
    else:
        for token in state.tokens:
            if token.type == "inline" and _too_deep(token.children or [], limit):
                line = token.map[0] if token.map else 0
                break
        else:
            return
    collector.problem(collector.file_line(line),
                      f"Markdown nested too deeply (more than {limit} levels)")


def nesting_plugin(md: MarkdownIt, max_nesting: int) -> None:
    """Let markdown-it go one level past ``max_nesting`` and report when anything does."""
    md.options["maxNesting"] = max_nesting + 1
    md.core.ruler.push("briefgen_nesting", check_nesting)
