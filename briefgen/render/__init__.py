"""Rendering: plan the site's pages from the index, then render each with Jinja.

The model never renders itself; this package turns model objects into HTML.
"""

from briefgen.render.pages import Page, plan_pages
from briefgen.render.renderer import Renderer

__all__ = ["Page", "Renderer", "plan_pages"]
