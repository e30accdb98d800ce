"""Bracketed spans ``[text]{.actor ref=id}``: the inline rule and its rendering.

The rule only recognises the syntax and records where it is; what an actor,
figure or quote *means* is decided later by :mod:`briefgen.annotate.collect`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from briefgen.annotate.state import collector_of

SPAN_CLASSES = ("actor", "figure", "quote")
MAX_ATTR_CHARS = 2000  # an attribute block longer than this is treated as unclosed
_NEXT_KEY = "briefgen_next_label_end"

_LOOKS_LIKE_ATTRS = re.compile(r"\{[ \t\n]*(?:[.#]|[A-Za-z_][\w:-]*[ \t]*=)")
_ATTR = re.compile(
    r"""[ \t\n]*(?:
        \.(?P<cls>[^\s{}"'=.#]+)
      | \#(?P<id>[^\s{}"'=.#]+)
      | (?P<key>[A-Za-z_][\w:-]*)[ \t]*=[ \t]*(?:
            "(?P<dq>(?:[^"\\]|\\.)*)"
          | “(?P<cq>[^”]*)”
          | '(?P<sq>[^']*)'
          | (?P<bare>[^\s{}"'“”]+)
        )
    )""",
    re.VERBOSE,
)
_ESCAPED = re.compile(r"\\(.)")


class AttrError(ValueError):
    """Attribute text that is not ``.class``, ``#id`` or ``key=value`` items."""


def parse_attrs(text: str) -> tuple[list[str], dict[str, str]]:
    """Parse the inside of ``{...}`` into classes and key/value pairs (first key wins)."""
    classes, pairs = _parse_attrs(text)
    return list(classes), dict(pairs)


@functools.lru_cache(maxsize=1024)
def _parse_attrs(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """:func:`parse_attrs` as immutable values, memoised: the same spans recur in a corpus."""
    classes: list[str] = []
    attrs: dict[str, str] = {}
    pos = 0
    end = len(text.rstrip(" \t\n"))
    while pos < end:
        match = _ATTR.match(text, pos)
        if match is None or match.end() == pos:
            raise AttrError(text[pos:end].strip())
        pos = match.end()
        cls, key, dq = match.group("cls", "key", "dq")
        if cls:
            classes.append(cls)
        elif key:
            if dq is not None:
                value = _ESCAPED.sub(r"\1", dq)
            else:
                value = next(v for v in match.group("cq", "sq", "bare") if v is not None)
            attrs.setdefault(key, " ".join(value.split()))
    return tuple(classes), tuple(attrs.items())


def _next_label_end(state: StateInline, start: int) -> int:
    """The offset of the first ``]{`` at or after ``start`` (``len(src)`` when none).

    Remembered per inline source, so a run of thousands of ``[`` without a ``]{``
    costs one scan instead of one scan per bracket (which was quadratic).
    """
    found = state.env.get(_NEXT_KEY) if isinstance(state.env, dict) else None
    if found is not None and found[0] is state.src and found[1] <= start <= found[2]:
        return found[2]
    end = state.src.find("]{", start)
    end = len(state.src) if end < 0 else end
    if isinstance(state.env, dict):
        state.env[_NEXT_KEY] = (state.src, start, end)
    return end


def span_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for ``[label]{attributes}``; an unclosed ``{`` is reported, not dropped."""
    src, start = state.src, state.pos
    if src[start] != "[" or _next_label_end(state, start) >= state.posMax:
        return False
    label_end = state.md.helpers.parseLinkLabel(state, start, False)
    if label_end < 0:
        return False
    brace = label_end + 1
    if brace >= state.posMax or src[brace] != "{":
        return False
    close = src.find("}", brace + 1, min(state.posMax, brace + 1 + MAX_ATTR_CHARS))
    if close < 0:
        if not silent and _LOOKS_LIKE_ATTRS.match(src, brace):
            _report(state, start, f"unclosed annotation '{{' after '{src[start:brace]}' "
                                  "(missing '}')")
        return False
    try:
        classes, attrs = parse_attrs(src[brace + 1:close])
        error = None
    except AttrError as exc:
        if not _LOOKS_LIKE_ATTRS.match(src, brace):
            return False
        classes, attrs, error = [], {}, f"malformed annotation attributes near '{exc}'"
    if silent:
        state.pos = close + 1
        return True
    _push_span(state, start, label_end, classes, attrs, error)
    state.pos = close + 1
    return True


def _push_span(state: StateInline, start: int, label_end: int, classes: list[str],
               attrs: dict[str, str], error: str | None) -> None:
    collector = collector_of(state.env)
    line = collector.inline_line(state.src, start) if collector else None
    kind, class_error = _kind(classes, state.src[start:label_end + 1])
    if collector and (error or class_error):
        collector.problem(line, error or class_error)  # type: ignore[arg-type]
    meta = {"kind": kind if not error else None, "attrs": attrs, "line": line}
    token = state.push("annotation_open", "", 1)
    token.meta = meta
    maximum = state.posMax
    state.pos, state.posMax = start + 1, label_end
    state.md.inline.tokenize(state)
    state.posMax = maximum
    token = state.push("annotation_close", "", -1)
    token.meta = meta


def _kind(classes: list[str], label: str) -> tuple[str | None, str | None]:
    """The annotation kind from the span's classes, or a message saying what is wrong."""
    if len(classes) == 1 and classes[0] in SPAN_CLASSES:
        return classes[0], None
    known = [c for c in classes if c in SPAN_CLASSES]
    unknown = [c for c in classes if c not in SPAN_CLASSES]
    expected = "(expected .actor, .figure or .quote)"
    if unknown:
        near = difflib.get_close_matches(unknown[0], SPAN_CLASSES, n=1)
        hint = f"; did you mean '.{near[0]}'?" if near else ""
        return None, f"unknown annotation class '.{unknown[0]}' {expected[:-1]}{hint})"
    if not known:
        return None, f"annotation {label} needs a class {expected}"
    if len(known) > 1:
        return None, f"annotation {label} has more than one class: " + \
            ", ".join(f".{c}" for c in known)
    return known[0], None


def _report(state: StateInline, offset: int, message: str) -> None:
    collector = collector_of(state.env)
    if collector:
        collector.problem(collector.inline_line(state.src, offset), message)


def render_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """``<tag attr="...">`` as decided by the collector (nothing for a broken span)."""
    meta = tokens[idx].meta
    tag = meta.get("tag")
    if not tag:
        return ""
    attrs = "".join(f' {name}="{escapeHtml(value)}"' for name, value in meta["html_attrs"])
    return f"<{tag}{attrs}>"


def render_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """The closing tag matching :func:`render_open`."""
    tag = tokens[idx].meta.get("tag")
    return f"</{tag}>" if tag else ""


def spans_plugin(md: MarkdownIt) -> None:
    """Add bracketed annotation spans, taking precedence over reference links."""
    md.inline.ruler.before("link", "annotation_span", span_rule)
    md.add_render_rule("annotation_open", render_open)
    md.add_render_rule("annotation_close", render_close)
