"""A small pass over raw HTML kept with ``allow_html``: no scripts, handlers or bad URLs.

This is defence in depth for trusted authors, not a general-purpose sanitiser:
dangerous elements are escaped to visible text, ``on*`` and ``style``
attributes are dropped, and URL attributes must pass :func:`briefgen.links.safe_url`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.links import safe_url

DANGEROUS_TAGS = frozenset({"script", "style", "iframe", "frame", "frameset", "object",
                            "embed", "base", "meta", "link", "template", "svg", "math",
                            "noscript", "form"})
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster",
                       "background", "cite", "data", "srcset", "ping"})
_TAG = re.compile(
    r"""<(/?)([A-Za-z][\w:-]{0,64})((?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,400})>""")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_COMMENT = re.compile(r"<!--(?:[^-]|-(?!->)){0,10000}-->")


def sanitize_html(raw: str) -> str:
    """``raw`` with dangerous tags escaped and unsafe attributes removed."""
    out: list[str] = []
    pos = 0
    while True:
        lt = raw.find("<", pos)
        if lt < 0:
            out.append(raw[pos:])
            return "".join(out)
        out.append(raw[pos:lt])
        tag = _TAG.match(raw, lt)
        comment = None if tag else _COMMENT.match(raw, lt)
        if tag:
            out.append(_clean_tag(tag))
            pos = tag.end()
        elif comment:
            out.append(comment.group(0))
            pos = comment.end()
        else:
            out.append("&lt;")
            pos = lt + 1


def _clean_tag(tag: re.Match) -> str:
    closing, name, attr_text = tag.group(1), tag.group(2), tag.group(3)
    if name.lower() in DANGEROUS_TAGS:
        return html.escape(tag.group(0))
    kept = []
    for match in _ATTR.finditer(attr_text):
        attr = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), None)
        if attr.startswith("on") or attr in ("style", "srcdoc", "formaction"):
            continue
        if attr in URL_ATTRS and value is not None and not safe_url(value):
            continue
        if value is None:
            kept.append(f" {match.group(1)}")
        else:
            kept.append(f' {match.group(1)}="{html.escape(html.unescape(value))}"')
    self_closing = " /" if attr_text.rstrip().endswith("/") else ""
    return f"<{closing}{name}{''.join(kept)}{self_closing}>"


def _render_raw(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return sanitize_html(tokens[idx].content)


def sanitize_plugin(md: MarkdownIt) -> None:
    """Render raw HTML blocks and inline tags through :func:`sanitize_html`."""
    md.add_render_rule("html_block", _render_raw)
    md.add_render_rule("html_inline", _render_raw)
