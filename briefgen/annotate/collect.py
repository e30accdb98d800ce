"""Turn annotation tokens into model objects: mentions, figures, quotes, plain text.

Runs as the last core rule, after inline parsing and the footnote tail, so it sees
every token in document order. It decides each span's output tag and attributes
(stored on the token's meta) for :mod:`briefgen.annotate.spans` to render.
"""

from __future__ import annotations

import difflib

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefgen.annotate.pictures import collect_picture
from briefgen.annotate.state import Collector, collector_of
from briefgen.figures import parse_figure
from briefgen.model import Figure, Mention, Quote

SPAN_KEYS = {"actor": ("ref", "role"), "figure": ("label", "note", "source", "lead"), "quote": ("by",)}
OPENING_QUOTES = "“\"‘'„«"
CLOSING_QUOTES = "”\"’'“»"


def parse_inline(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, telling the collector which lines each run spans."""
    collector = collector_of(state.env)
    for token in state.tokens:
        if token.type == "inline":
            if collector:
                collector.inline_map = token.map
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    if collector:
        collector.inline_map = None


def collect(state: StateCore) -> None:
    """Core rule: walk all tokens once, collecting annotations and the body's plain text."""
    collector = collector_of(state.env)
    if collector is None:
        return
    for token in state.tokens:
        if token.type == "inline":
            _collect_inline(collector, token.children or [], token.map)
            collector.text_parts.append(inline_text(token.children or []))
        elif token.type in ("code_block", "fence"):
            collector.text_parts.append(token.content.rstrip("\n"))


def _collect_inline(collector: Collector, children: list[Token],
                    block_map: list[int] | None) -> None:
    for index, token in enumerate(children):
        if token.type == "image":
            collect_picture(collector, children, index, block_map)
            continue
        if token.type != "annotation_open" or token.meta.get("kind") is None:
            continue
        inner = _span_children(children, index)
        kind = token.meta["kind"]
        _check_keys(collector, token.meta, kind)
        if kind == "actor":
            _actor(collector, token.meta, inline_text(inner))
        elif kind == "figure":
            _figure(collector, token.meta, inline_text(inner))
        else:
            _strip_quote_marks(inner)
            _quote(collector, token.meta, inline_text(inner))


def _span_children(children: list[Token], index: int) -> list[Token]:
    """The tokens between the annotation opening at ``index`` and its close."""
    meta, depth = children[index].meta, 0
    for end in range(index + 1, len(children)):
        token = children[end]
        if token.type == "annotation_close" and token.meta is meta and depth == 0:
            return children[index + 1:end]
        depth += token.type == "annotation_open"
        depth -= token.type == "annotation_close"
    return children[index + 1:]


def _check_keys(collector: Collector, meta: dict, kind: str) -> None:
    allowed = SPAN_KEYS[kind]
    for key in meta["attrs"]:
        if key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            collector.problem(meta["line"], f"unknown attribute '{key}' on .{kind}{hint}")


def _resolve(collector: Collector, meta: dict, ref: str | None, text: str):
    actor = collector.resolver.resolve(ref, text)
    if actor is None:
        wrong = ref or text
        near = collector.resolver.suggest(wrong)
        hint = f" (did you mean '{near}'?)" if near else ""
        collector.problem(meta["line"], f"unknown actor '{wrong}'{hint}")
    return actor


def _actor(collector: Collector, meta: dict, text: str) -> None:
    attrs = meta["attrs"]
    actor = _resolve(collector, meta, attrs.get("ref"), text)
    if actor is None:
        return
    mention = collector.mentions.get(actor.id)
    if mention is None:
        mention = collector.mentions[actor.id] = Mention(actor.id, first_line=meta["line"] or 0)
    mention.count += 1
    if not mention.role and attrs.get("role"):
        mention.role = attrs["role"]
    meta["tag"] = "a"
    meta["html_attrs"] = [("class", "actor"), ("href", collector.actor_url(actor.id)),
                          ("data-actor", actor.id)]


def _figure(collector: Collector, meta: dict, text: str) -> None:
    attrs = meta["attrs"]
    label = attrs.get("label", "")
    if not label:
        collector.problem(meta["line"], f"figure '{text}' needs a label=\"...\"")
    figure = Figure(id=f"fig-{len(collector.figures) + 1}", text=text, label=label,
                    parsed=parse_figure(text), note=attrs.get("note", ""),
                    source=attrs.get("source", ""), line=meta["line"] or 0,
                    lead=_flag(collector, meta, "lead"))
    collector.figures.append(figure)
    meta["tag"] = "mark"
    meta["html_attrs"] = [("class", "figure"), ("id", figure.id)]
    if label:
        meta["html_attrs"].append(("data-label", label))


def _flag(collector: Collector, meta: dict, key: str) -> bool:
    """A ``key=true`` / ``key=false`` attribute (absent: false)."""
    value = meta["attrs"].get(key)
    if value is None or value.lower() == "false":
        return False
    if value.lower() != "true":
        collector.problem(meta["line"], f"{key}={value} on a figure: write {key}=true")
    return value.lower() == "true"


def _quote(collector: Collector, meta: dict, text: str) -> None:
    by = meta["attrs"].get("by", "")
    actor_id = ""
    if by:
        actor = _resolve(collector, meta, by, by)
        actor_id = actor.id if actor else ""
    quote = Quote(id=f"quote-{len(collector.quotes) + 1}", text=text.strip(), by=actor_id,
                  line=meta["line"] or 0)
    collector.quotes.append(quote)
    meta["tag"] = "q"
    meta["html_attrs"] = [("class", "quote"), ("id", quote.id)]
    if actor_id:
        meta["html_attrs"].append(("data-by", actor_id))


def _strip_quote_marks(inner: list[Token]) -> None:
    """Remove the quotation marks around a quote's text, since ``<q>`` adds its own."""
    if not inner or inner[0].type != "text" or inner[-1].type != "text":
        return
    first, last = inner[0], inner[-1]
    if not first.content or first.content[0] not in OPENING_QUOTES:
        return
    tail = last.content if last is not first else last.content[1:]
    if not tail or tail[-1] not in CLOSING_QUOTES:
        return
    first.content = first.content[1:]
    last.content = last.content[:-1]


def inline_text(children: list[Token]) -> str:
    """The plain text of inline tokens (text, code, image alt; breaks as spaces)."""
    parts = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    return "".join(parts)


def collect_plugin(md: MarkdownIt) -> None:
    """Replace the core ``inline`` rule (to track lines) and collect after every other rule."""
    md.core.ruler.at("inline", parse_inline)
    md.core.ruler.push("briefgen_collect", collect)
