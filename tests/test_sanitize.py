"""Raw HTML under ``allow_html``: only the allow-list reaches the page, as a browser parses it.

Each rendered fragment is placed in a page the way the theme places a briefing
body, parsed with html5lib (the HTML5 algorithm browsers use), and every element,
attribute, comment and URL inside it is checked; the fragment must also stay
inside its container.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from conftest import write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.annotate import AnnotateOptions, annotate, sanitize
from briefgen.annotate.sanitize import ELEMENTS, GLOBAL_ATTRIBUTES, sanitize_html
from briefgen.links import safe_url
from briefgen.model import Actor
from briefgen.sources.actors import ActorResolver, load_registry
from briefgen.sources.frontmatter import read_front_matter

REPO = Path(__file__).resolve().parent.parent
HTML_NS = "{http://www.w3.org/1999/xhtml}"
RESOLVER = ActorResolver([Actor(id="putin", name="Vladimir Putin", aliases=("Putin",))])
# Never allowed, whatever the allow-list says: checked independently of it.
FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed",
                      "base", "meta", "link", "template", "svg", "math", "noscript", "form",
                      "input", "button", "textarea", "select", "applet", "portal"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background",
                  "data", "srcset", "ping", "xlink:href"}


def test_allow_list_holds_nothing_active() -> None:
    assert not FORBIDDEN_ELEMENTS & set(ELEMENTS)
    for attrs in (GLOBAL_ATTRIBUTES, *ELEMENTS.values()):
        assert not {a for a in attrs if a.startswith("on") or a in ("srcdoc", "formaction")}


def violations(fragment: str) -> list[str]:
    """What in ``fragment``, placed in a page and parsed as a browser would, breaks the rules."""
    page = ("<!DOCTYPE html><html lang=en><head><title>t</title></head><body><main>"
            f"<article>{fragment}</article><footer>end</footer></main></body></html>")
    root = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=True)
    main = root.find(f".//{HTML_NS}main")
    found = []
    if main is None or [child.tag for child in main] != [f"{HTML_NS}article", f"{HTML_NS}footer"]:
        found.append("the fragment left its container")
    article = root.find(f".//{HTML_NS}article")
    for element in article.iter() if article is not None else ():
        if element is article:
            continue
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        if not element.tag.startswith(HTML_NS):
            found.append(f"foreign element {element.tag}")
            continue
        name = element.tag[len(HTML_NS):]
        if name not in ELEMENTS or name in FORBIDDEN_ELEMENTS:
            found.append(f"element <{name}>")
        found += _attribute_violations(name, element.attrib)
    return found


def _attribute_violations(name: str, attributes: dict[str, str]) -> list[str]:
    found = []
    for attr, value in attributes.items():
        if attr not in GLOBAL_ATTRIBUTES and attr not in ELEMENTS.get(name, ()):
            found.append(f"attribute {attr} on <{name}>")
        if attr.lower().startswith("on"):
            found.append(f"handler {attr} on <{name}>")
        if attr in URL_ATTRIBUTES and not safe_url(value):
            found.append(f"unsafe URL {attr}={value!r}")
        if attr == "style" and value.replace(" ", "") not in (
                "text-align:left", "text-align:right", "text-align:center"):
            found.append(f"style {value!r}")
    return found


def rendered(body: str) -> list[str]:
    """Every HTML fragment ``annotate`` renders from ``body`` with raw HTML allowed."""
    result = annotate(body, path="x.md", first_line=1, resolver=RESOLVER,
                      options=AnnotateOptions(allow_html=True))
    return [result.html, *(s.html for s in result.sidebars), *(s.html for s in result.sections)]


PAYLOADS = {
    "comment ended early": [
        "<!--> <img src=x onerror=alert(1)> -->",
        "<!---> <img src=x onerror=alert(1)> -->",
        "<!-- --!> <img src=x onerror=alert(1)> -->",
        "<!-- a -- > <script>alert(1)</script> -->",
        "<!--<!--><img src=x onerror=alert(1)>-->",
        "a <!-->x<script>alert(1)</script>",
        "<![CDATA[><img src=x onerror=alert(1)>]]>",
        "<?xml ><img src=x onerror=alert(1)>?>",
        "<!DOCTYPE x><img src=x onerror=alert(1)>",
    ],
    "script, style, frames, plugins": [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<iframe src=javascript:alert(1)></iframe>",
        "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
        "<object data=javascript:alert(1)></object><embed src=x.swf>",
        "<base href=javascript:/><a href=x>x</a>",
        "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
        "<link rel=stylesheet href=x.css>",
        "<form action=javascript:alert(1)><button formaction=javascript:x>go</button></form>",
    ],
    "event handlers": [
        "<img src=x onerror=alert(1)>",
        "<img/src=x/onerror=alert(1)>",
        "<b onmouseover=alert(1)>x</b>",
        "<div\nonclick=alert(1)>x</div>",
        "<a href=x ONCLICK='x'>x</a>",
        "<details open ontoggle=alert(1)><summary>s</summary></details>",
        "<body onload=alert(1)>",
        "<img src=x onerror\t=alert(1)>",
        "<p style=\"x:expression(alert(1))\">x</p>",
        "<td style='background:url(javascript:x)'>",
    ],
    "script URLs": [
        "<a href=javascript:alert(1)>x</a>",
        "<a href=' javascript:alert(1)'>x</a>",
        "<a href='JaVaScRiPt:x'>x</a>",
        "<a href='java&#x09;script:x'>x</a>",
        "<a href='java\nscript:x'>x</a>",
        "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>x</a>",
        "<a href='&#x6A;avascript&colon;alert(1)'>x</a>",
        "<a href='javascript&#58;alert(1)'>x</a>",
        "<a href='&#0000106avascript:x'>x</a>",
        "<img src='data:image/svg+xml;base64,PHN2Zz4='>",
        "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
        "<a href='vbscript:msgbox(1)'>x</a>",
        "<blockquote cite='javascript:x'>q</blockquote>",
    ],
    "SVG and MathML namespace confusion": [
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>",
        "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
        ("<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea>"
         "<img onerror=alert(1) src=1>\">"),
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
        "<math href=javascript:alert(1)>x</math>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
    ],
    "noscript, template and raw-text tricks": [
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<template><img src=x onerror=alert(1)></template>",
        "<noscript><style></noscript><img src=x onerror=alert(1)></style>",
        "<template><script>alert(1)</script></template>",
        "<noembed><img title=\"</noembed><img src=x onerror=alert(1)>\"></noembed>",
        "<xmp><img title=\"</xmp><img src=x onerror=alert(1)>\"></xmp>",
        "<title><img title=\"</title><img src=x onerror=alert(1)>\">",
        "<textarea><img title=\"</textarea><img src=x onerror=alert(1)>\">",
        "<plaintext><img src=x onerror=alert(1)>",
    ],
    "breaking out of the page": [
        "</article></main><script>alert(1)</script>",
        "</p></div></body></html><img src=x onerror=alert(1)>",
        "<table><tr><td>x</article><img src=x onerror=alert(1)>",
        "<select><option>x</select><img src=x onerror=alert(1)>",
    ],
}
CASES = [(cls, payload) for cls, payloads in PAYLOADS.items() for payload in payloads]


@pytest.mark.parametrize(("cls", "payload"), CASES, ids=[f"{c}-{i}" for i, (c, _) in
                                                        enumerate(CASES)])
def test_payload_is_neutralised(cls: str, payload: str) -> None:
    # as a block, inline in a paragraph, inside a list, and inside a sidebar
    for body in (payload, f"Text {payload} more.", f"- item {payload}\n- next",
                 f"::: sidebar S\n{payload}\n:::\n"):
        for fragment in rendered(body):
            assert violations(fragment) == [], (cls, body, fragment)


def test_allowed_html_is_kept() -> None:
    (html, *_) = rendered(
        'The <abbr title="North Atlantic Treaty Organization">NATO</abbr> <b>summit</b>, '
        '<kbd>Ctrl</kbd>, H<sub>2</sub>O, <del>old</del> <ins>new</ins>, '
        '<a href="https://example.org/a?b=1&amp;c=2" hreflang="en">link</a>, '
        '<a href="../other/">other</a>, <a href="#fn">anchor</a>, <a href="mailto:a@b.org">m</a>.'
        '\n\n<details open><summary>Timeline</summary>\n\n'
        '<table><tr><th scope="col">Day</th><td colspan="2">1</td></tr></table>\n\n</details>\n\n'
        '<figure><img src="map.png" alt="Map" width="300"><figcaption>Map</figcaption></figure>\n')
    doc = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    assert doc.find(".//abbr").get("title") == "North Atlantic Treaty Organization"
    assert [a.get("href") for a in doc.iter("a")] == [
        "https://example.org/a?b=1&c=2", "../other/", "#fn", "mailto:a@b.org"]
    assert doc.find(".//a").get("hreflang") == "en" and doc.find(".//a").get("rel") is None
    assert doc.find(".//details").get("open") == "" and doc.find(".//summary").text == "Timeline"
    assert doc.find(".//th").get("scope") == "col" and doc.find(".//td").get("colspan") == "2"
    assert doc.find(".//img").attrib == {"src": "map.png", "alt": "Map", "width": "300"}
    for tag in ("b", "kbd", "sub", "del", "ins", "figure", "figcaption"):
        assert doc.find(f".//{tag}") is not None, tag
    assert violations(html) == []


def test_dropped_elements_take_their_content_and_unknown_ones_keep_text() -> None:
    (html, *_) = rendered("A <script>alert(1)</script><style>p{}</style> <blink>shown</blink> B")
    assert "alert" not in html and "p{}" not in html and "shown" in html


def _tree(html: str) -> list:
    def walk(element: ET.Element) -> list:
        return [element.tag, sorted(element.attrib.items()), element.text, element.tail,
                [walk(child) for child in element]]
    return walk(html5lib.parseFragment(html, treebuilder="etree"))


def test_allow_list_keeps_all_of_briefgens_own_markup() -> None:
    """Every example briefing (actors, figures, quotes, footnotes, tables, sidebars) comes
    through the sanitiser as the same tree: cleaning a fragment never loses our markup."""
    registry, _ = load_registry(REPO / "content/actors.yaml", "content/actors.yaml")
    resolver = ActorResolver(registry.values())
    bodies = [read_front_matter(path.read_text(encoding="utf-8"), path.name)[1]
              for path in sorted((REPO / "content/briefings").glob("*.md"))]
    bodies.append("| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |\n\nNote[^n].\n\n[^n]: A note.\n")
    fragments = []
    for body in bodies:
        result = annotate(body, path="x.md", first_line=1, resolver=resolver,
                          options=AnnotateOptions(allow_html=True))
        fragments += [result.html, *(s.html for s in (*result.sidebars, *result.sections))]
    joined = "".join(fragments)
    for marker in ('class="actor"', 'class="figure"', 'class="quote"', "data-by=",
                   "footnote-ref", "text-align", "<table"):
        assert marker in joined, marker
    for fragment in fragments:
        assert _tree(sanitize_html(fragment)) == _tree(fragment)


def test_cached_bodies_cleaned_under_another_policy_are_parsed_again(tmp_path: Path,
                                                                     monkeypatch) -> None:
    """After an upgrade that changes the sanitiser, no page keeps HTML the old one let by."""
    from briefgen.build import Builder
    from briefgen.config import load_config

    site = write_files(tmp_path, {
        "briefgen.yaml": "markdown:\n  allow_html: true\n",
        "content/briefings/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nSome <b>bold</b>.\n"})
    page = site / "public/briefings/a/index.html"
    monkeypatch.setattr(sanitize, "HTML_POLICY", "an older policy")
    monkeypatch.setattr(sanitize, "sanitize_html", lambda html: html.replace("bold", "OLD"))
    Builder(load_config(root=site), jobs=1).build()
    assert "<b>OLD</b>" in page.read_text(encoding="utf-8")
    monkeypatch.undo()
    Builder(load_config(root=site), jobs=1).build()
    assert "<b>bold</b>" in page.read_text(encoding="utf-8")


# --- nesting: html5ever's time grows with the square of the depth ---------------------

@pytest.mark.parametrize("unit", ["<ul>", "<dl><dt>", "<div><b>", "<li><ul>", "<blockquote>",
                                  "<section><em>", "<b>"])
def test_raw_html_nested_past_browsers_depth_is_a_located_problem(unit: str) -> None:
    body = "Intro.\n\n::: sidebar S\nText\n:::\n\n" + unit * 2000
    result = annotate(body, path="x.md", first_line=4, resolver=RESOLVER,
                      options=AnnotateOptions(allow_html=True))
    assert [str(p) for p in result.problems] == [
        ("x.md:10: raw HTML nested more than 512 levels deep (browsers stop nesting there): "
         "close the elements you open")]
    assert unit not in result.html  # shown as text, not parsed


@pytest.mark.parametrize("body", [
    "<table>" + "<tr><td>cell<td>cell<th>head" * 3000 + "</table>",
    "<ul>" + "<li>item" * 5000 + "</ul>",
    "<dl>" + "<dt>term<dd>definition" * 3000 + "</dl>",
    "<p><i>unclosed</p>\n\n" * 2000,
    "<div>" * 400 + "deep" + "</div>" * 400,
    "<select>" + "<optgroup><option>a<option>b" * 2000 + "</select>",
], ids=["table", "list", "dl", "paragraphs", "div-400", "select"])
def test_long_but_shallow_raw_html_is_accepted(body: str) -> None:
    result = annotate(body, path="x.md", first_line=1, resolver=RESOLVER,
                      options=AnnotateOptions(allow_html=True))
    assert result.problems == []


# --- fuzz: arbitrary HTML-ish fragments ------------------------------------------------

TAGS = sorted(set(ELEMENTS) | FORBIDDEN_ELEMENTS | {
    "mglyph", "malignmark", "mtext", "mi", "annotation-xml", "foreignObject", "desc", "path",
    "xmp", "noembed", "noframes", "plaintext", "title", "listing", "image", "use", "body",
    "html", "head", "article", "main", "blink", "x-y", "option", "table"})
ATTRIBUTE_NAMES = ["href", "src", "onerror", "onload", "ONCLICK", "style", "class", "id",
                   "xlink:href", "formaction", "srcdoc", "action", "title", "data-x", "cite",
                   "poster", "alt", "open", "colspan", "is", "xmlns", "/onerror"]
ATTRIBUTE_VALUES = ["javascript:alert(1)", "jav&#x61;script:x", "&#106;avascript:x",
                    " java\tscript:x", "JAVASCRIPT:x", "data:text/html,x", "vbscript:x",
                    "https://ok.example/", "p.png", "../x/", "#f", "text-align:left",
                    "x:expression(alert(1))", "</style><img src=x onerror=alert(1)>",
                    "--><img src=x onerror=alert(1)>", "</noscript><img src=x onerror=x>",
                    "&quot;><script>x</script>", ""]
QUOTES = ['"{}"', "'{}'", "{}", '"{}', "'{}", "`{}`"]


@st.composite
def attribute(draw) -> str:
    value = draw(st.sampled_from(QUOTES)).format(draw(st.sampled_from(ATTRIBUTE_VALUES)))
    sep = draw(st.sampled_from([" ", "\n", "/", "\t", "  "]))
    return f"{sep}{draw(st.sampled_from(ATTRIBUTE_NAMES))}={value}"


@st.composite
def tag(draw) -> str:
    name = draw(st.sampled_from(TAGS))
    if draw(st.sampled_from(["upper", "lower", "lower"])) == "upper":
        name = name.upper()
    if draw(st.booleans()):
        return f"</{name}>"
    attrs = "".join(draw(st.lists(attribute(), max_size=3)))
    return f"<{name}{attrs}{draw(st.sampled_from(['>', '/>', ' >', '']))}"


PIECES = st.one_of(
    tag(), tag(),
    st.sampled_from(["<!--", "-->", "<!-->", "<!--->", "--!>", "<!-- x -->", "<![CDATA[", "]]>",
                     "<?xml", "?>", "<!DOCTYPE html>", "&lt;", "&#60;", "&", "<", ">", "\"",
                     "'", "\n\n", "\n", "*", "`", "    ", "> ", "- ", "[a](javascript:x)",
                     "[Putin]{.actor}", "[3%]{.figure label=\"x\"}", "::: sidebar S\n", ":::\n",
                     "| a |\n|---|\n| b |\n", "alert(1)", " "]),
    st.text(alphabet="ab <>/=\"'!-&;:", max_size=6),
)
FRAGMENTS = st.lists(PIECES, min_size=1, max_size=25).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(FRAGMENTS)
def test_fuzzed_html_yields_only_allowed_markup(body: str) -> None:
    for fragment in rendered(body):
        assert violations(fragment) == [], fragment
