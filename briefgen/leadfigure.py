"""Which figure is a briefing's key figure: the author's choice, checked.

The author marks one figure ``[€21 billion]{.figure lead=true …}`` in the text or
names it in the front matter (``key_figure: €21 billion``); ``key_figure: false``
shows none. Without a choice the first amount, count or percentage is taken
(:func:`briefgen.model.automatic_key_figure`): never a date, an ordinal or a phrase.
"""

from __future__ import annotations

import difflib

from briefgen.errors import Problem
from briefgen.model import Figure, automatic_key_figure

NO_FIGURE = False   # ``key_figure: false``: the briefing shows no key figure


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def choose_lead_figure(figures: list[Figure], chosen: str | bool | None, line: int,
                       display: str) -> tuple[str, list[Problem]]:
    """The key figure's id ("" for none) and any problem with the author's choice.

    ``chosen`` is the front matter's ``key_figure`` (None when absent, False for none)
    found at file line ``line``.
    """
    problems: list[Problem] = []
    marked = [f for f in figures if f.lead]
    for extra in marked[1:]:
        problems.append(Problem(display, extra.line, f"two figures are marked lead=true "
                                f"('{marked[0].text}' on line {marked[0].line} and "
                                f"'{extra.text}'): keep lead=true on one"))
    if chosen is NO_FIGURE:
        if marked:
            problems.append(Problem(display, line, "'key_figure: false' but figure "
                                    f"'{marked[0].text}' is marked lead=true: keep one"))
        return "", problems
    if isinstance(chosen, str):
        match = next((f for f in figures if _same(f.text, chosen)), None)
        if match is None:
            problems.append(Problem(display, line, _unknown(chosen, figures)))
            return "", problems
        if marked and marked[0] is not match:
            problems.append(Problem(display, line, f"key_figure '{chosen}' and lead=true on "
                                    f"'{marked[0].text}' (line {marked[0].line}) choose "
                                    "different figures: keep one"))
        return match.id, problems
    if marked:
        return marked[0].id, problems
    automatic = automatic_key_figure(figures)
    return (automatic.id if automatic else ""), problems


def _unknown(chosen: str, figures: list[Figure]) -> str:
    if not figures:
        return (f"key_figure '{chosen}' names no figure: the text marks none "
                "(mark one with [text]{.figure label=\"…\"})")
    texts = [f.text for f in figures]
    near = difflib.get_close_matches(chosen, texts, n=1, cutoff=0.5)
    hint = f"did you mean '{near[0]}'? " if near else ""
    listed = ", ".join(f"'{f.text}' (line {f.line})" for f in figures[:10])
    more = f" and {len(figures) - 10} more" if len(figures) > 10 else ""
    return (f"key_figure '{chosen}' matches no figure of the text; {hint}"
            f"the figures are {listed}{more}")
