"""How deep raw HTML nests, estimated from markdown-it's tokens without parsing it.

HTML5 parsers (html5ever, which ammonia uses, and browsers) rescan the stack of
open elements for many block start tags, so parsing time grows with the square
of the nesting depth. Browsers stop nesting at 512 levels; raw HTML deeper than
that is refused before the sanitiser sees it.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

# Browsers stop nesting elements at this depth (Blink's HTML parser: 512).
MAX_HTML_DEPTH = 512
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                           "meta", "param", "source", "track", "wbr", "keygen", "frame",
                           "basefont", "bgsound", "image"})
# Elements whose end tag is optional: a new one closes an open sibling of the same family
# and lower or equal rank on top (a <tr> closes a <td> and a <tr>, not a <table>).
_SIBLINGS = {**dict.fromkeys(("td", "th", "tr", "thead", "tbody", "tfoot", "caption",
                              "colgroup"), "table"),
             "li": "li", "dt": "dl", "dd": "dl", "p": "p", "option": "select",
             "optgroup": "select", **dict.fromkeys(("rb", "rt", "rp", "rtc"), "ruby")}
_RANK = {**dict.fromkeys(_SIBLINGS, 1), "tr": 2, "thead": 3, "tbody": 3, "tfoot": 3,
         "caption": 3, "colgroup": 3, "optgroup": 2, "rtc": 2}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")


class _Depth:
    """How deep the elements opened so far nest, as an HTML parser would roughly see it.

    Closing tags pop back to their element; list items, cells, paragraphs and the
    like close an open sibling on top, as their optional end tags allow. It errs
    on the deep side, never by more than about twice.
    """

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.open: dict[str, int] = {}

    def step(self, closing: bool, name: str) -> None:
        if name in VOID_ELEMENTS:
            return
        if closing:
            if self.open.get(name):
                while self._pop() != name:
                    pass
            return
        family = _SIBLINGS.get(name)
        while family and self.stack and _SIBLINGS.get(self.stack[-1]) == family \
                and _RANK[self.stack[-1]] <= _RANK[name]:
            self._pop()
        self.stack.append(name)
        self.open[name] = self.open.get(name, 0) + 1

    def _pop(self) -> str:
        name = self.stack.pop()
        self.open[name] -= 1
        return name


def deepest_line(tokens: list[Token]) -> int | None:
    """The body line (0-based) where raw HTML nests past :data:`MAX_HTML_DEPTH`, or None."""
    depth, line = _Depth(), 0
    for token in tokens:
        line = token.map[0] if token.map else line
        for part in (token, *(token.children or ())):
            if part.type in ("html_block", "html_inline"):
                for closing, name in _TAG.findall(part.content):
                    depth.step(bool(closing), name.lower())
            elif part.nesting and part.tag:
                depth.step(part.nesting < 0, part.tag)
            if len(depth.stack) > MAX_HTML_DEPTH:
                return line
    return None
