"""Link labels ``[...]`` found in linear time, however many brackets never close.

markdown-it's ``parseLinkLabel`` scans forward from every ``[`` until the label
closes, is cut by a nested link, or the inline source ends. Input made of
thousands of unclosed ``[`` makes each scan walk up to the nesting limit, so cost
grew with brackets × nesting limit (20,000 ``[`` took about three seconds). Two
memos, kept in the inline state's own cache, make it linear:

* each label's result, by start: a second scan would walk the same positions
  through markdown-it's per-position ``skipToken`` cache and reach the same end;
* labels that failed: a label that meets, as plain text, a ``[`` whose own label
  failed (ran unclosed to the end, or met a nested link) fails the same way,
  since everything after that ``[`` is at least one level deeper; it stops there.

Results are identical to markdown-it's.
"""

from __future__ import annotations

from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it import helpers as mdit_helpers
from markdown_it.rules_inline import StateInline


def parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:
    """markdown-it's ``parseLinkLabel`` (same contract and result), memoised."""
    # Tuple keys never clash with the int positions markdown-it keeps in state.cache.
    cache: dict = state.cache
    old_pos, max_pos = state.pos, state.posMax
    key = ("label", start, max_pos, disableNested)
    if key in cache:
        return cache[key]
    state.pos = start + 1
    level = 1
    label_end = -1
    reached_end = True
    while state.pos < max_pos:
        marker = state.src[state.pos]
        if marker == "]":
            level -= 1
            if level == 0:
                label_end = state.pos
                reached_end = False
                break
        previous = state.pos
        if marker == "[" and ("unclosed", previous, max_pos) in cache:
            break  # the inner label never closes, so neither can this one
        state.md.inline.skipToken(state)
        if marker == "[":
            if previous == state.pos - 1:
                inner_unclosed = ("unclosed", previous, max_pos) in cache
                if inner_unclosed or cache.get(("label", previous, max_pos, disableNested)) == -1:
                    reached_end = inner_unclosed
                    break  # what stopped the inner label stops this one too
                level += 1
            elif disableNested:
                reached_end = False
                break
    if reached_end:
        cache[("unclosed", start, max_pos)] = True
    cache[key] = label_end
    state.pos = old_pos
    return label_end


def labels_plugin(md: MarkdownIt) -> None:
    """Give this parser (only) the linear-time label scanner."""
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=parse_link_label,
        parseLinkDestination=mdit_helpers.parseLinkDestination,
        parseLinkTitle=mdit_helpers.parseLinkTitle,
    )
