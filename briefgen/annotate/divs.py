"""Fenced divs ``::: sidebar Title`` … ``:::``: the block rule and its tokens.

Divs nest the way Pandoc's do: an opening fence (``:::`` followed by a name)
opens a level, a bare ``:::`` closes the innermost one.
"""

from __future__ import annotations

import difflib
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from briefgen.annotate.state import collector_of
from briefgen.sections import DEFAULT_SECTIONS

DIV_NAMES = ("sidebar", *(spec.name for spec in DEFAULT_SECTIONS))   # the default set
_COLONS = re.compile(r":{3,}")
_TRAILING_COLONS = re.compile(r"[ \t]:{3,}$")
_CODE_FENCE = re.compile(r"`{3,}|~{3,}")


def _fence(state: StateBlock, line: int) -> tuple[str, str] | None:
    """``(colons, rest)`` when ``line`` is a div fence at the current indent."""
    if state.sCount[line] - state.blkIndent >= 4:
        return None
    start = state.bMarks[line] + state.tShift[line]
    if not state.src.startswith(":::", start):
        return None
    colons = _COLONS.match(state.src, start).group(0)  # type: ignore[union-attr]
    rest = state.src[start + len(colons):state.eMarks[line]].strip()
    rest = _TRAILING_COLONS.sub("", rest).strip()
    return colons, " ".join(rest.split())


def _code_fence(state: StateBlock, line: int) -> str | None:
    """The backtick or tilde run when ``line`` is a code fence at the current indent."""
    if state.sCount[line] - state.blkIndent >= 4:
        return None
    start = state.bMarks[line] + state.tShift[line]
    match = _CODE_FENCE.match(state.src, start, state.eMarks[line])
    if match is None:
        return None
    marker = match.group(0)
    if marker[0] == "`" and "`" in state.src[match.end():state.eMarks[line]]:
        return None  # not a fence: a backtick fence's info string has no backticks
    return marker


def _closes_code(state: StateBlock, line: int, opening: str) -> bool:
    """Whether ``line`` closes a code block opened with ``opening``."""
    marker = _code_fence(state, line)
    if marker is None or marker[0] != opening[0] or len(marker) < len(opening):
        return False
    start = state.bMarks[line] + state.tShift[line] + len(marker)
    return not state.src[start:state.eMarks[line]].strip()


def _find_close(state: StateBlock, start_line: int, end_line: int) -> int | None:
    """The line of the fence closing the div opened at ``start_line``, or None.

    Deeply nested divs cost one scan of their lines, not one per level: the
    scan for the outer div remembers where every div inside it closes.
    """
    known = state.env.setdefault("briefgen_div_closes", {})
    context = (state.bMarks[start_line], state.tShift[start_line], state.blkIndent, end_line)
    if known.get(start_line, (None,))[0] == context:
        return known[start_line][1]
    closes, scopes = _scan_closes(state, start_line, end_line)
    for opened, scope in scopes.items():
        known[opened] = ((state.bMarks[opened], state.tShift[opened], state.blkIndent,
                          scope), closes[opened])
    return closes[start_line]


def _scan_closes(state: StateBlock, start_line: int,
                 end_line: int) -> tuple[dict[int, int | None], dict[int, int]]:
    """Where the div at ``start_line`` and each div nested in it close (None: unclosed).

    Also each nested div's scope: the line its own scan would stop at (where
    its parent's content ends). ``:::`` lines inside fenced code are code.
    """
    closes: dict[int, int | None] = {start_line: None}
    parents: dict[int, int] = {}
    inner = [start_line]    # divs open at this point, innermost last
    code: str | None = None
    for line in range(start_line + 1, end_line):
        begin, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if begin < end and state.sCount[line] < state.blkIndent:
            break  # the enclosing list item or blockquote ended first
        if code is not None:
            if _closes_code(state, line, code):
                code = None
            continue
        code = _code_fence(state, line)
        if code is not None:
            continue
        fence = _fence(state, line)
        if fence is None:
            continue
        if fence[1]:
            parents[line], closes[line] = inner[-1], None
            inner.append(line)
        else:
            closes[inner.pop()] = line
            if not inner:
                break
    scopes = {start_line: end_line}
    for opened, parent in parents.items():   # parents come before their children
        scopes[opened] = closes[parent] if closes[parent] is not None else scopes[parent]
    return closes, scopes


def div_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule for ``::: name title``; a stray closing ``:::`` is reported."""
    fence = _fence(state, start_line)
    if fence is None:
        return False
    if silent:
        return True
    collector = collector_of(state.env)
    line = collector.file_line(start_line) if collector else None
    colons, rest = fence
    if not rest:
        if collector:
            collector.problem(line, f"'{colons}' closes no open block")
        state.line = start_line + 1
        return True
    name, _, title = rest.partition(" ")
    close_line = _find_close(state, start_line, end_line)
    meta = {"name": name, "title": title.strip(), "line": line,
            "extract": _check_name(collector, line, name)}
    if close_line is None and collector:
        collector.problem(line, f"unclosed '::: {name}' block opened here")
    _tokenize_div(state, start_line, end_line if close_line is None else close_line, meta)
    state.line = end_line if close_line is None else close_line + 1
    return True


def _check_name(collector, line: int | None, name: str) -> bool:
    """Whether the div is one the theme places (and so leaves the body); report if not."""
    names = ("sidebar", *collector.section_names) if collector else DIV_NAMES
    if name not in names:
        if collector:
            near = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean '::: {near[0]}'?" if near else ""
            expected = ", ".join(names[:-1]) + " or " + names[-1]
            collector.problem(line, f"unknown block '::: {name}' (expected {expected}"
                                    f"{hint})")
        return False
    if collector and collector.div_stack:
        collector.problem(line, f"'::: {name}' cannot be inside "
                                f"'::: {collector.div_stack[-1]}'")
        return False
    return True


def _tokenize_div(state: StateBlock, start_line: int, close_line: int, meta: dict) -> None:
    collector = collector_of(state.env)
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "briefgen_div"
    state.lineMax = close_line
    token = state.push("briefgen_div_open", "div", 1)
    token.block, token.map, token.meta = True, [start_line, close_line], meta
    if collector and meta["extract"]:
        collector.div_stack.append(meta["name"])
    state.md.block.tokenize(state, start_line + 1, close_line)
    if collector and meta["extract"]:
        collector.div_stack.pop()
    token = state.push("briefgen_div_close", "div", -1)
    token.block, token.meta = True, meta
    state.parentType, state.lineMax = old_parent, old_max


def divs_plugin(md: MarkdownIt) -> None:
    """Add fenced divs; their wrappers render as nothing (contents are kept or extracted)."""
    md.block.ruler.before("fence", "briefgen_div", div_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.add_render_rule("briefgen_div_open", lambda *args: "")
    md.add_render_rule("briefgen_div_close", lambda *args: "")
