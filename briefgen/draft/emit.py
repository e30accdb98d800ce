"""Writing the draft: front matter, then the body with the suggested spans inserted."""

from __future__ import annotations

import datetime as dt
import json
import re

from briefgen.draft.actors import ActorInfo
from briefgen.draft.gist import Gist
from briefgen.draft.sentences import Block
from briefgen.draft.sidebars import Enumeration
from briefgen.draft.spans import Suggestion

WIDTH = 80
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}])")
_BARE_ID = re.compile(r"[A-Za-z0-9_-]+")
# a wrapped line must not start with something Markdown reads as a new block
_BLOCK_START = re.compile(r"(?:[-+*>#=|]|\d+[.)]|:::|~~~|```)")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def escape_markdown(text: str) -> str:
    """Plain text made literal for Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def attribute(key: str, value: str) -> str:
    """``key=value``; quoted unless a bare id."""
    if key in ("ref", "by") and _BARE_ID.fullmatch(value):
        return f"{key}={value}"
    value = " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}="{value}"'


def span(text: str, item: Suggestion) -> str:
    """``[text]{.kind key=value …}``."""
    attrs = "".join(" " + attribute(k, v) for k, v in item.attrs if v)
    return f"[{text}]{{.{item.kind}{attrs}}}"


def annotate_text(text: str, items: list[Suggestion], plain: bool, offset: int = 0) -> str:
    """``text`` (starting at block offset ``offset``) with ``items`` wrapped as spans."""
    escape = escape_markdown if plain else (lambda s: s)
    out: list[str] = []
    pos = 0
    for item in items:
        start, end = item.start - offset, item.end - offset
        if start < pos or end > len(text):
            continue
        out.append(escape(text[pos:start]))
        out.append(span(escape(text[start:end]).replace("\x00", " "), item))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def wrap(markup: str, width: int = WIDTH, indent: str = "") -> str:
    """Greedy wrap that never breaks inside a span or starts a line with a block marker."""
    atoms: list[str] = []
    depth = 0
    current = ""
    for ch in markup:
        if ch == "[" and (not current or current[-1] != "\\"):
            depth += 1
        elif ch == "}" and depth and (not current or current[-1] != "\\"):
            depth -= 1
        if ch == " " and depth == 0:
            if current:
                atoms.append(current)
            current = ""
        else:
            current += ch
    if current:
        atoms.append(current)
    lines: list[str] = []
    line = ""
    for atom in atoms:
        if line and len(line) + 1 + len(atom) > width - len(indent) \
                and not _BLOCK_START.match(atom):
            lines.append(line)
            line = atom
        else:
            line = f"{line} {atom}" if line else atom
    if line:
        lines.append(line)
    return ("\n" + indent).join(lines)


def front_matter(gist: Gist, date: dt.date, local: list[ActorInfo],
                 source: dict[str, str] | None) -> str:
    """The YAML front matter block, ``---`` to ``---``."""
    lines = ["---", f"title: {quoted(gist.title)}", f"date: {date.isoformat()}",
             "draft: true  # suggestions to review; delete this line to publish",
             f"dek: {quoted(gist.dek)}", "summary:"]
    lines += [f"  - {quoted(item)}" for item in gist.summary] or ["  []"]
    lines.append("topics: []")
    if source:
        fields = ", ".join(f"{k}: {quoted(v)}" for k, v in source.items() if v)
        lines += ["sources:", f"  - {{{fields}}}"]
    if local:
        lines.append("actors:")
        for actor in local:
            fields = [f"name: {quoted(actor.name)}", f"kind: {actor.kind}"]
            if actor.role:
                fields.append(f"role: {quoted(actor.role)}")
            lines.append(f"  {actor.id}: {{{', '.join(fields)}}}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _sidebar(block: Block, enum: Enumeration, items: list[Suggestion], plain: bool) -> str:
    lines = [f"::: sidebar {enum.title}"]
    for start, end in enum.items:
        inside = [s for s in items if start <= s.start and s.end <= end]
        text = block.text[start:end].strip()
        text = text[:1].upper() + text[1:]
        body = annotate_text(text, inside, plain, offset=start)
        lines.append("- " + (wrap(body, indent="  ") if plain else body))
    lines.append(":::")
    return "\n".join(lines)


def _paragraph(block: Block, items: list[Suggestion], plain: bool, start: int, end: int) -> str:
    text = block.text[start:end].strip()
    lead = len(block.text[start:end]) - len(block.text[start:end].lstrip())
    inside = [s for s in items if start + lead <= s.start and s.end <= end]
    markup = annotate_text(text, inside, plain, offset=start + lead)
    return wrap(markup) if plain else markup


def body(blocks: list[Block], items: list[Suggestion], enums: list[Enumeration],
         plain: bool) -> str:
    """The Markdown body: one chunk per block, sidebars where enumerations were."""
    by_block: dict[int, list[Suggestion]] = {}
    for item in items:
        by_block.setdefault(item.block, []).append(item)
    enum_of = {e.block: e for e in enums}
    chunks: list[str] = []
    for number, block in enumerate(blocks):
        mine = by_block.get(number, [])
        if not block.annotate or block.kind != "para":
            chunks.append(block.text)
            continue
        enum = enum_of.get(number)
        if enum is None:
            chunks.append(_paragraph(block, mine, plain, 0, len(block.text)))
            continue
        for start, end in ((0, enum.start), (enum.end, len(block.text))):
            if block.text[start:end].strip():
                chunks.append(_paragraph(block, mine, plain, start, end))
            if start == 0:
                chunks.append(_sidebar(block, enum, mine, plain))
    return "\n\n".join(chunks) + "\n"
