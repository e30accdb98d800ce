"""The Jinja environment: site templates over theme templates, autoescape everywhere."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from briefgen.cachekey import Seal
from briefgen.config import BUNDLED_THEMES, SiteConfig
from briefgen.errors import BuildError, Problem, SourceError, display_path
from briefgen.files import read_regular
from briefgen.render import filters
from briefgen.render.bytecode import SealedBytecodeCache
from briefgen.render.cast import actor_links_factory
from briefgen.render.fragments import FragmentCache
from briefgen.render.listings import day_groups, month_groups
from briefgen.render.pictures import PictureTable
from briefgen.render.urls import absolute_url
from briefgen.slugs import slugify


@dataclass(frozen=True)
class SiteInfo:
    """What templates may know about the site (the ``site`` global)."""

    title: str
    description: str
    language: str
    base_url: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def absolute(self) -> bool:
        """True when ``base_url`` is a full URL (so canonical links can be given)."""
        return self.base_url.startswith(("http://", "https://"))

    @property
    def base_path(self) -> str:
        """The path of ``base_url`` alone (``/briefs/``): where the site sits on any
        host, production, staging or a local preview alike."""
        return urlsplit(self.base_url).path or "/"

    def absolute_url(self, path: str = "") -> str:
        """``path`` (site-root-relative) joined to ``base_url``: a full URL when the
        base is absolute, else root-relative (``/briefings/x/``)."""
        return absolute_url(self.base_url, path)


class RegularFileLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads regular files only.

    Jinja's own loader passes over a FIFO or device (its ``isfile`` check fails) and
    silently takes the next folder's template of that name, and could block if the
    file was swapped between its check and its open. Here such a file is a BuildError
    at its path, and the read itself never blocks.
    """

    def __init__(self, searchpath: str, root: Path):
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            try:
                mode = os.stat(filename).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                continue
            display = display_path(filename, self.root)
            try:
                source = read_regular(filename, display).decode("utf-8")
            except SourceError as exc:
                raise BuildError([exc.problem]) from None
            except UnicodeDecodeError as exc:
                raise BuildError([Problem(display, None, f"not valid UTF-8 ({exc.reason}); "
                                                         "save the template as UTF-8")]) from None
            mtime = os.path.getmtime(filename)
            return source, os.path.normpath(filename), partial(_same_mtime, filename, mtime)
        raise jinja2.TemplateNotFound(template)


def _same_mtime(filename: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(filename) == mtime
    except OSError:
        return False


def make_environment(config: SiteConfig, bytecode_dir: Path | None = None,
                     seal: Seal | None = None) -> jinja2.Environment:
    """One environment per build: loaders, filters and the ``site`` global.

    With ``bytecode_dir`` and ``seal``, compiled templates are kept there, sealed
    (Jinja checks each template's source before reusing its code), so a small
    rebuild from the command line does not compile every template again.
    """
    dirs = [d for d in config.template_dirs if d.is_dir()]
    # A theme that leaves out a template (a feed, the sitemap, the search page) still
    # builds: the bundled default theme's copy is the last resort.
    fallback = BUNDLED_THEMES / "default" / "templates"
    if fallback.is_dir() and fallback.resolve() not in {d.resolve() for d in dirs}:
        dirs.append(fallback)
    loader = jinja2.ChoiceLoader([RegularFileLoader(str(d), config.root) for d in dirs])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The builder makes a new environment whenever a template file changes
        # (Builder._template_keys), so Jinja need not stat the file on every render.
        auto_reload=False,
        extensions=[FragmentCache],
        bytecode_cache=SealedBytecodeCache(str(bytecode_dir), seal)
        if bytecode_dir is not None and seal is not None and _usable(bytecode_dir) else None,
    )
    env.filters.update(
        date_long=filters.date_long,
        moment=filters.moment,
        iso=filters.iso,
        month_name=filters.month_name,
        by_month=month_groups,
        by_day=day_groups,
        slugify=slugify,
        json_script=filters.json_script,
        xml_text=filters.xml_text,
        rfc3339=filters.rfc3339,
    )
    env.globals["actor_links"] = actor_links_factory(config.link_actors)
    env.globals["pictures"] = PictureTable()   # each build sets its own
    # Where each declared section goes on a briefing page (lead, main or aside).
    env.globals["section_placement"] = {spec.name: spec.placement for spec in config.sections}
    env.globals["site"] = SiteInfo(
        config.title, config.description, config.language, config.base_url, dict(config.params)
    )
    return env


def _usable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True
