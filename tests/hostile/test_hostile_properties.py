"""Property-based tests: whatever the input, only our errors, located, and no active content.

Covers the front-matter splitter and loader, the annotation parser, the figure parser,
the memoised link-label scanner (against markdown-it's own) and the whole build of a
one-briefing site.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.annotate import AnnotateOptions, annotate
from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BriefgenError, BuildError
from briefgen.figures import parse_figure
from briefgen.links import safe_url
from briefgen.model import Actor
from briefgen.sources.actors import ActorResolver
from briefgen.sources.frontmatter import read_front_matter, validate_front_matter

pytestmark = pytest.mark.hostile

# The theme's own inline script (it applies the reader's saved light/dark choice before
# the first paint): the one script without a src a page may hold, character for character.
THEME_SCRIPT = re.search(r"<script>(.+?)</script>", (
    Path(__file__).resolve().parents[2] / "themes/default/templates/base.html"
).read_text(encoding="utf-8")).group(1)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces that exercise every syntax we have, and every way of smuggling markup in.
MARKUP = st.sampled_from([
    "[", "]", "{", "}", "(", ")", "*", "_", "`", "```", "~~~", "\n", "\n\n", "> ", "- ",
    "1. ", "    ", ":::", "::: sidebar Key", "::: why-it-matters", "::: nope", "---", "...",
    "[Putin]{.actor}", "[x]{.actor ref=putin role=\"Pres\"}", "[€21 billion]{.figure label=a}",
    "[\"no\"]{.quote by=putin}", "[x]{.actor ref=nobody}", "[x]{.bogus}", "[x]{.figure",
    "[x]{onclick=alert(1)}", "[a](javascript:alert(1))", "[a](jav&#x61;script:x)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:x\">",
    "&lt;script&gt;", "[^1]", "[^1]: note", "[r]: /u", "[r]", "![i](data:text/html,x)",
    "<javascript:alert(1)>", "|a|b|\n|-|-|\n|1|2|", "\t", "\r\n", "\r", "\x00", "\ufeff",
    "\u202e", "é", "e\u0301", "#", "## h", "key: value", "title: x", "!!python/object:os.system",
    "&", "&amp;", "\"", "'",
])
BODY = st.lists(st.one_of(MARKUP, st.text(max_size=8)), max_size=40).map("".join)
RESOLVER = ActorResolver([Actor(id="putin", name="Vladimir Putin", aliases=("Putin",))])


def assert_located(problems, text: str) -> None:
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.line is not None, f"unlocated: {problem}"
        assert 1 <= problem.line <= lines, f"line {problem.line} of {lines}: {problem}"


@FAST
@given(st.lists(st.one_of(MARKUP, st.text(max_size=6)), max_size=30).map("".join))
def test_front_matter_never_raises_and_locates_every_problem(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    data, _body, body_line, problems = read_front_matter(text, "x.md")
    assert_located(problems, text)
    assert 1 <= body_line <= text.count("\n") + 2
    if data is not None:
        _, errors, warnings = validate_front_matter(data, "x.md")
        assert_located(errors + warnings, text)


@FAST
@given(BODY, st.integers(min_value=1, max_value=40), st.booleans())
def test_annotate_never_raises_and_locates_every_problem(body: str, first: int,
                                                         allow_html: bool) -> None:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    result = annotate(body, path="x.md", first_line=first, resolver=RESOLVER,
                      options=AnnotateOptions(allow_html=allow_html))
    file_lines = first - 1 + body.count("\n") + 1
    for problem in result.problems:
        assert problem.line is not None and first <= problem.line <= file_lines, problem
    for html in (result.html, *(sidebar.html for sidebar in result.sidebars)):
        assert active_in(html, "body") == []


@FAST
@given(st.text(max_size=300))
def test_parse_figure_is_total(text: str) -> None:
    value = parse_figure(text)
    assert value.kind is None or isinstance(value.kind, str)


@FAST
@given(st.lists(st.sampled_from(list("[[[]]]()!ab*_`<>: \n\"^{}.")), max_size=60).map("".join),
       st.integers(min_value=2, max_value=30))
def test_label_memo_matches_markdown_it(text: str, nesting: int) -> None:
    """The linear-time label scanner gives exactly markdown-it's output."""
    from markdown_it import MarkdownIt

    from briefgen.annotate.labels import labels_plugin

    plain, ours = MarkdownIt("commonmark"), MarkdownIt("commonmark").use(labels_plugin)
    plain.options["maxNesting"] = ours.options["maxNesting"] = nesting
    assert ours.render(text) == plain.render(text)


# --- the whole build ------------------------------------------------------------------

FIELD = st.one_of(st.sampled_from([
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "NO", "1.10", "12:30", "</script><script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}",
    "&#106;avascript:x", "\u2028", "x\ny",
]), st.text(max_size=12))


def yaml_string(value: str) -> str:
    return json.dumps(value)  # JSON strings are YAML double-quoted strings


@st.composite
def sources(draw) -> str:
    title, dek, topic, url = draw(FIELD), draw(FIELD), draw(FIELD), draw(FIELD)
    front = (f"---\ntitle: {yaml_string(title)}\ndate: 2025-01-01\ndek: {yaml_string(dek)}\n"
             f"topics: [{yaml_string(topic)}]\n"
             f"sources:\n  - {{title: t, url: {yaml_string(url)}}}\n---\n")
    return front + draw(BODY)


def active_in(html: str, where: str) -> list[str]:
    """Every script, on* attribute or unsafe URL in ``html`` as a browser parses it
    (escaped text shown to readers is fine). A JSON-LD block is data: it must parse."""
    from bs4 import BeautifulSoup

    found = []
    for tag in BeautifulSoup(html, "html5lib").find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{where}: {tag.name} {name}=")
            if name in ("href", "src", "action", "formaction") and not safe_url(str(value)):
                found.append(f"{where}: {name}={value!r}")
        if tag.name == "script":
            if tag.get("type") == "application/ld+json":
                json.loads(tag.string or "null")
            elif tag.string == THEME_SCRIPT and not tag.attrs:
                continue
            elif tag.get("src") is None or (tag.string and tag.string.strip()):
                found.append(f"{where}: script {str(tag)[:60]!r}")
    return found


def active_content(public: Path) -> list[str]:
    """Active content anywhere in the built site's pages."""
    found = []
    for path in public.rglob("*.html"):
        found += active_in(path.read_text(encoding="utf-8"), str(path.relative_to(public)))
    return found


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sources())
def test_whole_build_only_our_errors_and_no_active_content(text: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="briefgen-hostile-"))
    try:
        (root / "content" / "briefings").mkdir(parents=True)
        (root / "content" / "actors.yaml").write_text("putin:\n  name: Vladimir Putin\n",
                                                     encoding="utf-8")
        data = text.encode("utf-8", "surrogatepass")
        (root / "content" / "briefings" / "x.md").write_bytes(data)
        try:
            Builder(load_config(root=root), jobs=1, clean=True).build()
        except BuildError as exc:
            lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
            for problem in exc.problems:
                if problem.path.endswith("x.md"):
                    assert problem.line is not None and 1 <= problem.line <= lines, problem
            return
        except BriefgenError:
            return
        assert active_content(root / "public") == []
    finally:
        shutil.rmtree(root, ignore_errors=True)
