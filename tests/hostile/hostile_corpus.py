"""The pathological corpus: bodies that break naive Markdown parsers, at any size.

The cases follow cmark's ``test/pathological_tests.py`` and markdown-it's
``test/pathological.mjs``, plus our own annotation syntax. Each generator takes a
scale ``n`` (1.0 is the full size those suites use) and returns a briefing body,
so the same case can be run at N and 4·N to check that time grows linearly.
"""

from __future__ import annotations

from collections.abc import Callable

FRONT_MATTER = "---\ntitle: Hostile\ndate: 2025-01-01\n---\n"


def _k(n: float, full: int) -> int:
    return max(1, int(full * n))


def _nested_lists(n: float) -> str:
    depth = _k(n, 1000)
    return "".join("  " * i + "* a\n" for i in range(depth))


def _backticks(n: float) -> str:
    # Runs of 1..k backticks: k² / 2 bytes, so k grows with √n to keep size ∝ n.
    return "".join("e" + "`" * i for i in range(1, _k(n ** 0.5, 5000)))


def _many_references(n: float) -> str:
    count = _k(n, 800_000)
    defs = "".join(f"[r{i}]: /u{i}\n" for i in range(count))
    return defs + "\n" + "[r0] [r1] [missing] " * _k(n, 1200)


def _nested_spans(n: float) -> str:
    depth = _k(n, 5000)
    return "[" * depth + "x" + "]{.figure label=a}" * depth + "\n"


def _many_actors(n: float) -> str:
    count = _k(n, 10_000)
    return " ".join(f"[A{i % 50}]{{.actor ref=a{i % 50}}}" for i in range(count)) + "\n"


def _big_source(n: float) -> str:
    paragraph = ("Talks in [Moscow]{.actor ref=a1} ended with [€21 billion]{.figure label=x} "
                 "pledged and *no* breakthrough, said [Peskov]{.actor ref=a2}. ") * 4 + "\n\n"
    return paragraph * max(1, int(10 * 1024 * 1024 * n) // len(paragraph))


def _nested_divs(n: float) -> str:
    depth = _k(n, 5000)
    return "::: sidebar S\n" * depth + "text\n" + ":::\n" * depth


def _fence_in_div(n: float) -> str:
    block = "::: sidebar S\n```\n:::\n```\ntext\n:::\n\n"
    return block * _k(n, 10_000)


CASES: dict[str, Callable[[float], str]] = {
    # cmark test/pathological_tests.py
    "nested strong emph": lambda n: "*a **a " * _k(n, 65000) + "b" + " a** a*" * _k(n, 65000),
    "many emph closers with no openers": lambda n: "a_ " * _k(n, 65000),
    "many emph openers with no closers": lambda n: "_a " * _k(n, 65000),
    "many 3-emph openers with no closers": lambda n: "a***" * _k(n, 65000),
    "many link closers with no openers": lambda n: "a]" * _k(n, 65000),
    "many link openers with no closers": lambda n: "[a" * _k(n, 65000),
    "mismatched openers and closers": lambda n: "*a_ " * _k(n, 50000),
    "openers and closers multiple of 3": lambda n: "a**b" + "c* " * _k(n, 50000),
    "link openers and emph closers": lambda n: "[ a_" * _k(n, 50000),
    "pattern [ (]( repeated": lambda n: "[ (](" * _k(n, 80000),
    "pattern ![[]() repeated": lambda n: "![[]()" * _k(n, 160000),
    "nested brackets": lambda n: "[" * _k(n, 50000) + "a" + "]" * _k(n, 50000),
    "nested block quotes": lambda n: "> " * _k(n, 50000) + "a",
    "deeply nested lists": _nested_lists,
    "backticks": _backticks,
    "unclosed links A": lambda n: "[a](<b" * _k(n, 30000),
    "unclosed links B": lambda n: "[a](b" * _k(n, 30000),
    "unclosed <!--": lambda n: "</" + "<!--" * _k(n, 300000),
    "many references": _many_references,
    "only brackets": lambda n: "[" * _k(n, 20000),
    # markdown-it test/pathological.mjs
    "emphasis **_* pattern": lambda n: "**_* " * _k(n, 50000),
    "many < and one >": lambda n: "<" * _k(n, 400000) + ">",
    "hard break after many spaces": lambda n: "x" + " " * _k(n, 150000) + "x  \nx\n",
    "unclosed autolinks": lambda n: "<a:" * _k(n, 100000),
    "many closing link brackets with refs": lambda n: "[x]: /u\n\n" + "[x]" * _k(n, 100000),
    # our own syntax
    "nested annotation spans": _nested_spans,
    "unclosed annotation spans": lambda n: "[a]{.actor ref=" * _k(n, 20000),
    "unclosed span labels": lambda n: "[a]{" * _k(n, 50000),
    "unclosed attribute quotes": lambda n: '[a]{.figure label="' * _k(n, 30000),
    "nested divs": _nested_divs,
    "unclosed divs": lambda n: "::: sidebar S\ntext\n\n" * _k(n, 10000),
    "stray div closers": lambda n: ":::\n" * _k(n, 50000),
    "fenced code inside divs": _fence_in_div,
    "10,000 actors in one paragraph": _many_actors,
    "10 MB source": _big_source,
    "100,000-character line": lambda n: "word " * _k(n, 20000) + "\n",
}

# Cases the linear-growth check runs at N and 4·N (the ones most likely to go quadratic).
GROWTH_CASES = ("only brackets", "many link openers with no closers", "nested brackets",
                "unclosed span labels", "nested divs", "many < and one >",
                "emphasis **_* pattern", "backticks")

ACTORS_YAML = "".join(f"a{i}:\n  name: A{i}\n" for i in range(50))


def source(case: str, n: float = 1.0) -> str:
    """A whole briefing source file for ``case`` at scale ``n``."""
    return FRONT_MATTER + CASES[case](n)
