"""Footnotes as an accessible section: a heading, and back-links that say where they go.

mdit-py-plugins writes the notes as a bare ``<section>`` (which validators flag as a
section without a heading) whose back-links read only "↩︎". These renderers give the
section a "Notes" heading it is labelled by, and each back-link the label "Back to
reference N" (the second citation of a note: "Back to reference N (citation 2)").
"""

from __future__ import annotations

from markdown_it import MarkdownIt

HEADING_ID = "footnotes-heading"


def _block_open(self, tokens, idx, options, env) -> str:
    return (f'<section class="footnotes" aria-labelledby="{HEADING_ID}">\n'
            f'<h2 id="{HEADING_ID}" class="footnotes__title">Notes</h2>\n'
            '<ol class="footnotes-list">\n')


def _anchor(self, tokens, idx, options, env) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub = tokens[idx].meta.get("subId", 0)
    label = f"Back to reference {ident}"
    if sub > 0:
        label += f" (citation {sub + 1})"
        ident += f":{sub}"
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="{label}">\u21a9\ufe0e</a>'


def footnote_markup_plugin(md: MarkdownIt) -> None:
    """Replace the footnote section's opening and back-link renderers (after footnote_plugin)."""
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_anchor", _anchor)
