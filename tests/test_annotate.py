"""Unit tests for briefgen.annotate: spans, divs, lines, problems, safety."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.annotate import Annotated, AnnotateOptions, annotate
from briefgen.model import Actor
from briefgen.sources.actors import ActorResolver

RESOLVER = ActorResolver([
    Actor("witkoff", "Steve Witkoff", aliases=("Witkoff",)),
    Actor("putin", "Vladimir Putin", aliases=("Putin",)),
    Actor("peskov", "Dmitry Peskov", aliases=("Peskov",)),
])


def run(body: str, first_line: int = 1, **options) -> Annotated:
    body = textwrap.dedent(body).lstrip("\n")
    return annotate(body, path="content/b.md", first_line=first_line, resolver=RESOLVER,
                    options=AnnotateOptions(**options))


def messages(result: Annotated) -> list[str]:
    return [str(p) for p in result.problems]


# --- spans -----------------------------------------------------------------

def test_actor_span_links_and_counts_mentions():
    result = run("""
        [Witkoff]{.actor ref=witkoff role="US Special Envoy"} met [Putin]{.actor}.
        Later [Steve Witkoff]{.actor role="Envoy"} left.
        """)
    assert result.problems == []
    assert ('<a class="actor" href="../../actors/witkoff/" data-actor="witkoff">Witkoff</a>'
            in result.html)
    assert [(m.actor_id, m.count, m.role) for m in result.mentions] == [
        ("witkoff", 2, "US Special Envoy"), ("putin", 1, "")]
    assert result.mentions[0].first_line == 1


def test_actor_url_option_is_used():
    result = run("[Putin]{.actor}", actor_url=lambda a: f"/people/{a}.html")
    assert 'href="/people/putin.html"' in result.html


def test_unknown_actor_has_suggestion_and_real_line():
    result = run("One.\n\nTwo [Putin]{.actor ref=putn}.", first_line=10)
    assert messages(result) == ["content/b.md:12: unknown actor 'putn' (did you mean 'putin'?)"]
    assert "<a" not in result.html and "Putin" in result.html
    assert result.mentions == []


def test_span_line_inside_multiline_paragraph():
    body = "First line of the paragraph\nsecond line\nthird [Putn]{.actor} here\n"
    result = run(body, first_line=12)
    assert [p.line for p in result.problems] == [14]
    assert result.problems[0].path == "content/b.md"


@pytest.mark.parametrize("body, line", [
    ("- one\n- two\n  [Nobody]{.actor}\n", 3),
    ("> quoted\n> more [Nobody]{.actor}\n", 2),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n| [Nobody]{.actor} | 3 |\n", 4),
    ("::: sidebar T\nfirst\n\nsecond [Nobody]{.actor}\n:::\n", 4),
    ("# Heading [Nobody]{.actor}\n", 1),
    ("Text[^1].\n\n[^1]: A note\n    that says [Nobody]{.actor}.\n", 4),
])
def test_span_lines_in_blocks(body, line):
    result = run(body, first_line=20)
    assert [p.line for p in result.problems] == [line + 19]
    assert "unknown actor 'Nobody'" in result.problems[0].message


def test_unknown_class_is_reported_with_suggestion():
    result = run("A [x]{.xyz} and [y]{.actr}.")
    assert messages(result) == [
        "content/b.md:1: unknown annotation class '.xyz' (expected .actor, .figure or .quote)",
        ("content/b.md:1: unknown annotation class '.actr' (expected .actor, .figure or .quote;"
        " did you mean '.actor'?)"),
    ]
    assert "A x and y." in result.html


def test_unknown_attribute_is_reported():
    result = run("[Putin]{.actor rol=President}")
    assert messages(result) == [("content/b.md:1: unknown attribute 'rol' on .actor "
                                "(did you mean 'role'?)")]


@pytest.mark.parametrize("body", ["[Putin]{.actor ref=putin", "[x]{.figure", "[x]{ .quote by=a"])
def test_unclosed_span_is_an_error_not_text(body):
    result = run("Intro line\n" + body + " and more", first_line=3)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.line == 4 and problem.message.startswith("unclosed annotation '{'")


def test_brackets_that_are_not_annotations_stay_literal():
    result = run("Arrays like a[1]{x} and [a link](https://example.org) and [note]")
    assert result.problems == []
    assert "a[1]{x}" in result.html
    assert '<a href="https://example.org">a link</a>' in result.html


def test_figure_span_collected_and_parsed():
    result = run("""
        Aid of [€21 billion]{.figure label="Military aid pledged" source="Kiel" note="2024"}
        and [40%]{.figure label='Share'} of it.
        """, first_line=5)
    assert result.problems == []
    first, second = result.figures
    assert (first.id, first.text, first.label, first.source, first.note, first.line) == (
        "fig-1", "€21 billion", "Military aid pledged", "Kiel", "2024", 5)
    assert (first.parsed.value, first.parsed.unit, first.parsed.kind) == (21e9, "EUR", "currency")
    assert (second.id, second.line, second.parsed.unit) == ("fig-2", 6, "%")
    assert ('<mark class="figure" id="fig-1" data-label="Military aid pledged">€21 billion</mark>'
            in result.html)


def test_figure_without_label_is_a_problem():
    result = run("Some [12 years]{.figure}.")
    assert messages(result) == ["content/b.md:1: figure '12 years' needs a label=\"...\""]
    assert len(result.figures) == 1


def test_figure_label_is_escaped():
    result = run('[5]{.figure label="a <b> & \\"c\\""}')
    assert 'data-label="a &lt;b&gt; &amp; &quot;c&quot;"' in result.html


def test_quote_strips_marks_and_resolves_speaker():
    result = run('Peskov said ["no breakthroughs"]{.quote by=peskov} and [“fine”]{.quote}.')
    assert [(q.id, q.text, q.by) for q in result.quotes] == [
        ("quote-1", "no breakthroughs", "peskov"), ("quote-2", "fine", "")]
    assert '<q class="quote" id="quote-1" data-by="peskov">no breakthroughs</q>' in result.html
    assert '<q class="quote" id="quote-2">fine</q>' in result.html


def test_quote_with_unknown_speaker():
    result = run('["x"]{.quote by=peskof}')
    assert messages(result) == ["content/b.md:1: unknown actor 'peskof' (did you mean 'peskov'?)"]
    assert result.quotes[0].by == ""


def test_span_attributes_never_emit_handlers_or_style():
    result = run('[Putin]{.actor onclick="alert(1)" style="color:red" ref=putin}')
    assert "onclick" not in result.html and "style" not in result.html
    assert any("unknown attribute 'onclick'" in p.message for p in result.problems)


def test_all_problems_are_reported_not_just_the_first():
    result = run("[a]{.actor}\n\n[b]{.nope}\n\n::: foo\nx\n:::\n\n[c]{.figure\n")
    assert [p.line for p in result.problems] == [1, 3, 5, 9]


# --- divs -------------------------------------------------------------------

def test_sidebar_removed_from_body_but_collected():
    result = run("""
        Before.

        ::: sidebar Key factors to watch
        - [Putin]{.actor} and [3 million people]{.figure label=Displaced}
        :::

        After.
        """, first_line=7)
    assert result.problems == []
    assert "Key factors" not in result.html and "Putin" not in result.html
    assert "<p>Before.</p>" in result.html and "<p>After.</p>" in result.html
    (sidebar,) = result.sidebars
    assert (sidebar.id, sidebar.title, sidebar.line) == ("sidebar-1", "Key factors to watch", 9)
    assert 'data-actor="putin"' in sidebar.html and "<ul>" in sidebar.html
    assert [m.actor_id for m in result.mentions] == ["putin"]
    assert result.figures[0].id == "fig-1"
    assert "Putin" in result.text


def test_sections_with_default_and_given_titles():
    result = run("""
        Body.

        ::: why-it-matters
        It *matters*.
        :::

        ::: whats-next The road ahead
        Talks.
        :::

        ::: background
        History.
        :::
        """)
    assert result.problems == []
    assert [(s.name, s.title) for s in result.sections] == [
        ("why-it-matters", "Why it matters"), ("whats-next", "The road ahead"),
        ("background", "Background")]
    assert result.sections[0].html == "<p>It <em>matters</em>.</p>\n"
    assert result.html == "<p>Body.</p>\n"


def test_unknown_div_is_reported_and_its_content_kept():
    result = run("Text.\n\n::: sidbar Title\nInside.\n:::\n", first_line=4)
    assert messages(result) == [
        ("content/b.md:6: unknown block '::: sidbar' (expected sidebar, why-it-matters, "
        "whats-next or background; did you mean '::: sidebar'?)")]
    assert "<p>Inside.</p>" in result.html


def test_unclosed_div_is_reported_at_its_opening_line():
    result = run("Text.\n\n::: sidebar Facts\nInside.\n", first_line=2)
    assert messages(result) == ["content/b.md:4: unclosed '::: sidebar' block opened here"]
    assert result.sidebars[0].html == "<p>Inside.</p>\n"


def test_nested_divs_pair_up_like_pandoc():
    result = run("::: sidebar A\n::: foo\nx\n:::\ny\n:::\nafter\n")
    assert [p.message.split(" (")[0] for p in result.problems] == ["unknown block '::: foo'"]
    assert result.sidebars[0].html == "<p>x</p>\n<p>y</p>\n"
    assert result.html == "<p>after</p>\n"


def test_section_inside_sidebar_is_a_problem():
    result = run("::: sidebar A\n::: background\nx\n:::\n:::\n")
    assert messages(result) == ["content/b.md:2: '::: background' cannot be inside '::: sidebar'"]


def test_stray_closing_fence_is_reported():
    result = run("Text\n:::\n")
    assert messages(result) == ["content/b.md:2: ':::' closes no open block"]


def test_duplicate_section_is_reported():
    result = run("::: background\na\n:::\n\n::: background\nb\n:::\n")
    assert messages(result) == ["content/b.md:5: '::: background' appears more than once"]


# --- nesting ----------------------------------------------------------------

def test_deep_nesting_is_reported_not_silently_dropped():
    result = run("Top.\n\n" + "> " * 60 + "lost text\n", first_line=3)
    assert messages(result) == ["content/b.md:5: Markdown nested too deeply (more than 50 levels)"]


def test_nesting_limit_follows_the_option():
    body = "> " * 6 + "text\n"
    assert run(body, max_nesting=20).problems == []
    assert "more than 5 levels" in run(body, max_nesting=5).problems[0].message


# --- safety -----------------------------------------------------------------

def test_raw_html_is_escaped_by_default():
    result = run("<script>alert(1)</script>\n\nA <b onclick=x>b</b>\n")
    assert "<script" not in result.html and "<b" not in result.html
    assert "&lt;script&gt;" in result.html


@pytest.mark.parametrize("link", [
    "[a](javascript:alert(1))", "[a](jav&#x61;script:alert(1))", "[a](&#106;avascript:x)",
    "[a](JAVASCRIPT:x)", "[a](java%0ascript:x)", "<javascript:alert(1)>",
    "[a](vbscript:x)", "[a](data:text/html,x)", "[a]: javascript:x\n\n[a]",
    "[a](<java&#x09;script:x>)",
])
def test_script_links_never_become_links(link):
    for allow_html in (False, True):
        html = run(link, allow_html=allow_html).html
        assert "href" not in html, html


def test_safe_links_survive():
    result = run("[a](https://example.org/x?y=1) and [b](../other/) and <mailto:a@b.org>")
    assert 'href="https://example.org/x?y=1"' in result.html
    assert 'href="../other/"' in result.html and 'href="mailto:a@b.org"' in result.html


def test_allow_html_keeps_html_but_strips_scripts_handlers_and_bad_urls():
    result = run("""
        <div class="box" onclick="steal()"><a href="jav&#x61;script:x">hi</a></div>

        <script>alert(1)</script>

        Inline <img onerror=alert(1) src="p.png"> <a href='https://ok.org' onmouseover=x>ok</a>
        <img/onerror=alert(1)>
        """, allow_html=True)
    html = result.html
    assert '<div class="box">' in html and "<script" not in html
    assert "onclick" not in html and "onmouseover" not in html
    assert " onerror" not in html and "<img/onerror" not in html
    assert "javascript" not in html.lower()
    assert '<img src="p.png">' in html and '<a href="https://ok.org">ok</a>' in html


# --- text, footnotes, tables ---------------------------------------------------

def test_text_and_word_count_cover_the_whole_body():
    result = run("""
        One *two* `three`.

        ::: sidebar S
        four five
        :::

        ```
        six
        ```
        """)
    assert result.text.split() == ["One", "two", "three.", "four", "five", "six"]
    assert result.word_count == 6


def test_footnotes_and_tables_render():
    result = run("""
        Claim[^1].

        | a | b |
        |---|---|
        | 1 | 2 |

        [^1]: Source.
        """)
    assert '<sup class="footnote-ref">' in result.html and 'class="footnotes"' in result.html
    assert "<table>" in result.html


LEAN_PARSER_DOCS = [
    "No carets or pipes: [Putin]{.actor} and [a link](https://ok.org).\n\n- item\n",
    "::: sidebar S\n\n[x](javascript:alert(1)) and [Peskov]{.actor ref=nobody}\n\n:::\n",
    "-     code in a list item\n\n>     code in a quote\n\n\tcode after a tab\n",
    "Title\n=====\n\nSub\n-\n\n- item\n  ---\n\n> quoted\n> ===\n",
    "Windows\r\n====\r\nMac\r---\r",
    "- - -\n\n* * *\n\n_ _ _\n\n- item -- with -- dashes\n",
    "[ref]: https://example.org\n\nA [ref] and [other][ref] and ![img](p.png)\n",
    "&amp; &#35; \\[not a link] `code` <https://auto.link> <b>raw</b>\n",
    "# Heading\n\n```\nfence\n```\n\n~~~\ntilde\n~~~\n\n| a |\n|---|\n| 1 |\n\n[^1]\n\n[^1]: n\n",
]


def _tokens_and_problems(md, body):
    from briefgen.annotate.state import ENV_KEY, Collector

    collector = Collector(path="p", first_line=1, resolver=RESOLVER,
                         actor_url=lambda actor_id: actor_id, max_nesting=50)
    tokens = md.parse(body, {ENV_KEY: collector})
    return [t.as_dict() for t in tokens], collector.problems


@pytest.mark.parametrize("body", LEAN_PARSER_DOCS)
def test_parser_without_unused_rules_gives_the_same_tokens(body):
    # markdown_for leaves out every rule whose trigger the body lacks: that must not show.
    from briefgen.annotate.markdown import build_markdown, markdown_for

    lean = markdown_for(body, False, 50)
    assert _tokens_and_problems(lean, body) == _tokens_and_problems(
        build_markdown(False, 50), body)


def test_parser_leaves_out_rules_whose_trigger_is_absent():
    from briefgen.annotate.markdown import build_markdown, markdown_for

    lean = markdown_for(LEAN_PARSER_DOCS[0], False, 50)
    assert lean is not build_markdown(False, 50)
    active = lean.block.ruler.get_active_rules() + lean.inline.ruler.get_active_rules()
    for rule in ("code", "fence", "blockquote", "hr", "heading", "table", "image"):
        assert rule not in active
    assert "list" in active and "annotation_span" in active


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "a", "b ", " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "-", "*", "_", "=", "#", ">", "`",
    "~", "|", "^", "[", "]", ":", "(", ")", "!", "<", "&", ";", "\\", "1.", "{", "}",
    ".actor", "ref=x", ":::", "sidebar", "http://x.org", "#35",
]), max_size=40).map("".join))
def test_lean_parser_matches_the_full_parser_on_any_input(body):
    from briefgen.annotate.markdown import build_markdown, markdown_for

    assert _tokens_and_problems(markdown_for(body, False, 50), body) == \
        _tokens_and_problems(build_markdown(False, 50), body)


def test_no_typographer():
    result = run('"quotes" -- and ... (c)')
    assert "&quot;quotes&quot; -- and ... (c)" in result.html


def test_same_parser_is_reused_and_state_not_shared():
    first = run("[Putin]{.actor} [1%]{.figure label=a}")
    second = run("[Putin]{.actor} [2%]{.figure label=b}")
    assert [f.id for f in second.figures] == ["fig-1"]
    assert second.mentions[0].count == 1 and first.mentions[0].count == 1


def test_sanitiser_handles_slash_separated_handlers_in_html_blocks():
    result = run('<div>\n<img/onerror=alert(1) src="p.png"><svg onload=x></svg>\n</div>\n',
                 allow_html=True)
    assert "onerror" not in result.html and "<svg" not in result.html
    assert '<img src="p.png">' in result.html


NESTED_DIV_DOCS = [
    "::: sidebar A\n::: foo\n::: bar\nx\n:::\n::: baz\ny\n:::\n:::\nz\n:::\nafter\n",
    "::: sidebar A\n::: foo\n::: bar\nx\n:::\n",
    "::: sidebar A\n```\n:::\n::: foo\n```\n::: foo\n~~~\n:::\n~~~\n:::\n:::\n",
    "> ::: sidebar A\n> ::: foo\n> x\n> :::\n> :::\n\n::: background\n- ::: foo\n  y\n:::\n",
    "- ::: sidebar A\n  ::: foo\n  x\n\n  :::\nnext\n:::\n",
]


@pytest.mark.parametrize("doc", NESTED_DIV_DOCS)
def test_remembered_div_closes_match_a_fresh_scan_per_div(doc, monkeypatch):
    """The one-scan memo for nested divs pairs fences exactly as scanning each div would."""
    from briefgen.annotate import divs
    remembered = run(doc)

    def fresh(state, start_line, end_line):
        return divs._scan_closes(state, start_line, end_line)[0][start_line]
    monkeypatch.setattr(divs, "_find_close", fresh)
    scanned = run(doc)
    assert remembered.html == scanned.html
    assert messages(remembered) == messages(scanned)
    assert [s.html for s in remembered.sidebars] == [s.html for s in scanned.sidebars]
