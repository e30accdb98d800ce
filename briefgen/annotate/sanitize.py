"""Raw HTML kept with ``allow_html``, cleaned by ammonia (``nh3``) against one allow-list.

markdown-it hands raw HTML over tag by tag (``html_inline``) or block by block
(``html_block``), so a tag's meaning depends on its neighbours. Each rendered
fragment that holds raw HTML is therefore parsed whole by ammonia (html5ever,
the HTML5 parsing algorithm browsers use) and re-serialised with only the
elements, attributes and URL schemes below: comments, scripts, handlers and
foreign (SVG/MathML) content cannot survive, and the fragment comes out
balanced, so it cannot close the page's own elements. Fragments without raw
HTML are left byte for byte as markdown-it wrote them.

The allow-list covers briefgen's own markup too (actor links, figures, quotes,
footnotes, table alignment), since it is cleaned along with the author's.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from briefgen.annotate.html_depth import MAX_HTML_DEPTH, deepest_line
from briefgen.annotate.state import collector_of
from briefgen.links import SAFE_SCHEMES

# Attributes any allowed element may carry.
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
_CELL = frozenset({"colspan", "rowspan", "headers", "style"})
# Allowed elements and the attributes each may carry besides the global ones.
ELEMENTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("p", "div", "span", "br", "hr", "wbr", "h1", "h2", "h3", "h4", "h5",
         "h6", "ul", "dl", "dt", "dd", "pre", "code", "kbd", "samp", "var", "em", "strong",
         "b", "i", "u", "s", "small", "sub", "sup", "abbr", "dfn", "bdi", "bdo", "ruby",
         "rt", "rp", "figure", "figcaption", "caption", "table", "thead", "tbody", "tfoot",
         "tr", "summary"),
        frozenset()),
    "a": frozenset({"href", "hreflang", "data-actor", "aria-label"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "mark": frozenset({"data-label"}),
    "q": frozenset({"data-by"}),
    "section": frozenset({"aria-labelledby"}),   # the footnotes' section
    "blockquote": frozenset(),   # no cite=: ammonia checks the schemes of href and src only
    "cite": frozenset(),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": _CELL | {"scope", "abbr"},
    "td": _CELL,
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
}
# The one CSS property allowed, on table cells: markdown-it writes column alignment with it.
STYLE_PROPERTIES = frozenset({"text-align"})
# Elements dropped together with everything inside them (others lose the tag, keep the text).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "textarea", "title", "xmp", "noembed", "noframes",
    "plaintext"})


# Names what raw HTML may become: part of the key of cached briefing bodies, so a cache
# written under another allow-list, ammonia version or depth limit is parsed again.
HTML_POLICY = hashlib.sha256(repr((
    "policy 1", nh3.__version__, sorted((k, sorted(v)) for k, v in ELEMENTS.items()),
    sorted(GLOBAL_ATTRIBUTES), sorted(STYLE_PROPERTIES), sorted(DROPPED_WITH_CONTENT),
    sorted(SAFE_SCHEMES), MAX_HTML_DEPTH)).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """One ammonia cleaner built from the allow-list (built once, it holds no state)."""
    return nh3.Cleaner(
        tags=set(ELEMENTS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRIBUTES),
                    **{tag: set(attrs) for tag, attrs in ELEMENTS.items() if attrs}},
        url_schemes=set(SAFE_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
        link_rel=None,   # keep links as markdown-it writes them: no rel is added
    )


def sanitize_html(html: str) -> str:
    """``html`` parsed as a browser would and re-serialised with only allowed markup."""
    return _cleaner().clean(html)


def raw_html(tokens: Iterable[Token]) -> list[str]:
    """The raw HTML from the source in ``tokens`` (blocks and inline tags), in order."""
    found = []
    for token in tokens:
        if token.type == "html_block":
            found.append(token.content)
        elif token.children:
            found += [child.content for child in token.children if child.type == "html_inline"]
    return found


def render_clean(md: MarkdownIt, tokens: list[Token], env: dict) -> str:
    """``tokens`` rendered, then sanitised as a whole when they hold raw HTML.

    Raw HTML nested deeper than browsers build (:data:`MAX_HTML_DEPTH`) is a
    located problem instead: parsing it costs time growing with the square of
    the depth (a 256 KiB source of ``<ul>`` took 10 s). The depth is only worked
    out when there are enough tags to get there.
    """
    html = md.renderer.render(tokens, md.options, env)
    raw = raw_html(tokens)
    if not raw:
        return html
    collector = collector_of(env)
    own_depth = 2 * (collector.max_nesting if collector else 50) + 10  # markdown's elements
    if sum(piece.count("<") for piece in raw) + own_depth <= MAX_HTML_DEPTH:
        return sanitize_html(html)
    too_deep = deepest_line(tokens)
    if too_deep is None:
        return sanitize_html(html)
    if collector is not None:
        collector.problem(collector.file_line(too_deep),
                          f"raw HTML nested more than {MAX_HTML_DEPTH} levels deep (browsers "
                          "stop nesting there): close the elements you open")
    return str(escape(html))


def _render_raw(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return tokens[idx].content   # cleaned with its whole fragment by render_clean


def sanitize_plugin(md: MarkdownIt) -> None:
    """Pass raw HTML through to :func:`render_clean`, which sanitises the fragment."""
    md.add_render_rule("html_block", _render_raw)
    md.add_render_rule("html_inline", _render_raw)
