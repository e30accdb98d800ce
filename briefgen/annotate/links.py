"""Unsafe link targets are an error at their real line, never silently left as text.

markdown-it's own check would drop a ``javascript:`` link and leave its source,
URL included, as literal text. Instead every link and image is accepted by the
parser, its source offset recorded, and a core rule refuses the unsafe ones:
the author gets ``path:line: unsafe link …`` and the build stops.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from briefgen.annotate.state import Collector, collector_of
from briefgen.links import safe_url

URL_RULES = {"link": "[", "image": "!", "autolink": "<"}  # rule name → first character


def _accept_all(url: str) -> bool:
    return True


def _recording(rule, marker: str):
    """Wrap an inline rule so the link tokens it pushes remember where they started.

    ``marker`` is the character every match starts with; elsewhere the rule is skipped.
    """

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if state.src[start] != marker:
            return False
        matched = rule(state, silent)
        if matched and not silent:
            collector = collector_of(state.env)
            line = collector.inline_line(state.src, start) if collector else None
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta["line"] = line
        return matched

    return wrapped


def _check(tokens: list[Token], collector: Collector | None) -> None:
    for token in tokens:
        if token.children:
            _check(token.children, collector)
        if token.type == "link_open":
            attr = "href"
        elif token.type == "image":
            attr = "src"
        else:
            continue
        url = str(token.attrGet(attr) or "")
        if safe_url(url):
            continue
        token.attrs.pop(attr, None)
        if collector is not None:
            shown = url if len(url) <= 60 else url[:57] + "…"
            collector.problem(token.meta.get("line"),
                              f"unsafe link '{shown}': only http(s), mailto, tel or relative "
                              "links are allowed")


def check_links(state: StateCore) -> None:
    """Core rule: refuse links and images whose target is not a safe URL."""
    _check(state.tokens, collector_of(state.env))


def links_plugin(md: MarkdownIt) -> None:
    """Record link offsets and refuse unsafe targets after inline parsing."""
    md.validateLink = _accept_all  # type: ignore[method-assign]
    for rule in md.inline.ruler.__rules__:
        if rule.name in URL_RULES:
            md.inline.ruler.at(rule.name, _recording(rule.fn, URL_RULES[rule.name]))
    md.core.ruler.push("briefgen_links", check_links)
