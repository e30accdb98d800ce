"""Turn a planned :class:`Page` into a full HTML document."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

from briefgen.config import SiteConfig
from briefgen.render.environment import make_environment
from briefgen.render.pages import Page
from briefgen.render.urls import root_for, url_maker


@dataclass(frozen=True)
class PageInfo:
    """The ``page`` variable: what kind of page this is and where it lives."""

    kind: str
    path: str
    root: str

    @property
    def url_path(self) -> str:
        """The page's pretty URL relative to the site root (``briefings/x/``, ``404.html``)."""
        return self.path.removesuffix("index.html")


class Renderer:
    """Renders pages with one Jinja environment built from the config."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.env = make_environment(config)

    def render(self, page: Page) -> str:
        """The page's full document; ``url`` and ``page`` are added to a template's context.

        Context values given as ``functools.partial`` are worked out here, only for the
        pages that are rendered, and after the build has loaded the full content the
        page declared: planning every page of a large site stays cheap.
        """
        context = resolve_context(page.context)
        if page.format == "json":
            return json.dumps(context["data"], ensure_ascii=False, separators=(",", ":"),
                              default=str) + "\n"
        template = self.env.get_template(page.template)
        info = PageInfo(page.kind, page.path, root_for(page.path))
        return template.render(context, url=url_maker(page.path), page=info)


def resolve_context(context: dict) -> dict:
    """The context with deferred (``functools.partial``) values computed."""
    if not any(isinstance(v, partial) for v in context.values()):
        return context
    return {k: v() if isinstance(v, partial) else v for k, v in context.items()}
