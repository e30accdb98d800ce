"""``briefgen draft``: from a raw article to an annotated briefing source.

Built-in heuristics only (no model download): see docs/draft.md.
"""

from briefgen.draft.pipeline import Draft, draft_text, is_annotated, read_article

__all__ = ["Draft", "draft_text", "is_annotated", "read_article"]
