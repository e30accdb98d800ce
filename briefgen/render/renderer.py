"""Turn a planned :class:`Page` into a full HTML document."""

from __future__ import annotations

import contextlib
import os
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2

from briefgen.cachekey import Seal
from briefgen.config import SiteConfig
from briefgen.errors import BuildError, Problem, display_path
from briefgen.render.environment import make_environment
from briefgen.render.jsontext import compact_json
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

    def __init__(self, config: SiteConfig, bytecode_dir: Path | None = None,
                 seal: Seal | None = None):
        self.config = config
        self.env = make_environment(config, bytecode_dir, seal)

    def render(self, page: Page) -> str:
        """The page's full document; ``url`` and ``page`` are added to a template's context.

        Context values given as ``functools.partial`` are worked out here, only for the
        pages that are rendered, and after the build has loaded the full content the
        page declared: planning every page of a large site stays cheap.
        """
        context = resolve_context(page.context)
        if page.format == "json":
            data = context["data"]
            if page.full and isinstance(data, dict) and data.get("image"):
                data = self.env.globals["pictures"].api_document(data)
            return compact_json(data) + "\n"
        info = PageInfo(page.kind, page.path, root_for(page.path))
        try:
            template = self.env.get_template(page.template)
            return template.render(context, url=url_maker(page.path), page=info)
        except BuildError:   # a template file that cannot be read, already located
            raise
        except Exception as error:
            problem = self.template_problem(error, page)
            if problem is None:
                raise
            raise BuildError([problem]) from None

    def preload(self) -> None:
        """Compile every template now, so processes forked afterwards share the code
        instead of each compiling it again. A template that does not compile is left
        for the render of a page that uses it to report."""
        loader = self.env.loader
        for name in loader.list_templates() if loader is not None else ():
            with contextlib.suppress(jinja2.TemplateError, OSError, UnicodeDecodeError):
                self.env.get_template(name)

    def template_problem(self, error: Exception, page: Page) -> Problem | None:
        """A broken template as ``templates/x.html:3: message (while rendering …)``;
        None when the error did not come from a template (a bug in briefgen)."""
        where = f"while rendering {page.path}"
        if isinstance(error, jinja2.TemplateError):
            message = error.message or type(error).__name__
        else:
            message = f"{type(error).__name__}: {error}"
        if isinstance(error, jinja2.TemplateNotFound):
            message = f"template '{error.name}' not found in {self._folders()}"
        filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
        if filename is None:
            # A runtime error: Jinja maps template frames of the traceback to their lines.
            folders = tuple({str(p) + os.sep for d in self.config.template_dirs
                             for p in (d, d.resolve())})
            for frame in reversed(traceback.extract_tb(error.__traceback__)):
                if frame.filename.startswith(folders):
                    filename, line = frame.filename, frame.lineno
                    break
        if filename is None and not isinstance(error, jinja2.TemplateError):
            return None
        path = display_path(filename, self.config.root) if filename else page.template
        return Problem(path, line, f"{message} ({where})")

    def _folders(self) -> str:
        return ", ".join(display_path(d, self.config.root) for d in self.config.template_dirs)


def resolve_context(context: dict) -> dict:
    """The context with deferred (``functools.partial``) values computed."""
    if not any(isinstance(v, partial) for v in context.values()):
        return context
    return {k: v() if isinstance(v, partial) else v for k, v in context.items()}
