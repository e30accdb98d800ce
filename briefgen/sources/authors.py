"""Bylines: the authors' file (``content/authors.yaml``) and checking briefings' ``authors:``.

Author ids in front matter are checked after parsing, against the file as it is at
build time, so that editing the file (a bio, a new colleague) never parses a
briefing again: a build only re-renders the pages that show the authors it changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.config import SiteConfig
from briefgen.errors import Problem, SourceError, did_you_mean
from briefgen.links import safe_url
from briefgen.model import AUTHOR_TYPES, Author, Briefing
from briefgen.slugs import collision_key, is_valid_slug, name_too_long
from briefgen.sources.text import MAX_REGISTRY_BYTES, read_source_text
from briefgen.yamlsafe import YamlError, as_text, load_yaml, not_text

AUTHORS_FILE = "authors.yaml"
AUTHOR_FIELDS = ("name", "type", "role", "title", "bio", "url", "image")


def parse_author(author_id: Any, data: Any, path: str, line: int | None,
                 problems: list[Problem]) -> Author | None:
    """One entry of ``authors.yaml``; problems are appended, None when unusable."""
    author_id = as_text(author_id)
    if not is_valid_slug(author_id):
        problems.append(Problem(path, line, f"author id '{author_id}' must use letters, "
                                            "digits, '-' or '_' only (it is the author "
                                            "page's address)"))
        return None
    if long := name_too_long("author id", author_id):
        problems.append(Problem(path, line, long))
        return None
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict):
        problems.append(Problem(path, line, f"author '{author_id}' must be a mapping with "
                                            "a name (and role, bio, url, image, type)"))
        return None
    lines = getattr(data, "lines", {})
    values: dict[str, str] = {}
    for key, value in data.items():
        key = as_text(key)
        where = lines.get(key, line)
        if key not in AUTHOR_FIELDS:
            problems.append(Problem(path, where, f"unknown author field '{key}'"
                                                 f"{did_you_mean(key, AUTHOR_FIELDS)}"))
        elif bad := not_text(f"author '{author_id}': '{key}'", value):
            problems.append(Problem(path, where, bad))
        else:
            values["role" if key == "title" else key] = as_text(value).strip()
    if not values.get("name"):
        problems.append(Problem(path, line, f"author '{author_id}' needs a name"))
        return None
    kind = values.get("type") or "person"
    if kind == "organisation":
        kind = "organization"
    if kind not in AUTHOR_TYPES:
        problems.append(Problem(path, lines.get("type", line), f"author '{author_id}': type "
                                f"must be one of {', '.join(AUTHOR_TYPES)}, not '{kind}'"))
        return None
    for key in ("url", "image"):
        if values.get(key) and not safe_url(values[key]):
            problems.append(Problem(path, lines.get(key, line), f"author '{author_id}': "
                                    f"unsafe {key} '{values[key]}': use an http(s) or "
                                    "relative address"))
            return None
    image = values.get("image", "")
    if image.startswith(("//", "/")) or "://" in image:
        problems.append(Problem(path, lines.get("image", line), f"author '{author_id}': "
                                f"image '{image}' must be a file of the site (a path in "
                                "static/, e.g. images/jo.jpg): pages make no outside request"))
        return None
    return Author(author_id, values["name"], kind, values.get("role", ""),
                  values.get("bio", ""), values.get("url", ""), values.get("image", ""))


def load_authors(path: Path, display: str) -> tuple[dict[str, Author], list[Problem]]:
    """Read ``authors.yaml`` (a mapping of author id to entry); a missing file is none."""
    if not path.exists():
        return {}, []
    try:
        data = load_yaml(read_source_text(path, display, MAX_REGISTRY_BYTES))
    except YamlError as exc:
        return {}, [Problem(display, exc.line, exc.message)]
    except SourceError as exc:
        return {}, [exc.problem]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(display, 1, "authors.yaml must map author ids to entries "
                                        "(e.g. jdoe: {name: Jane Doe, role: …})")]
    problems: list[Problem] = []
    authors: dict[str, Author] = {}
    seen: dict[str, str] = {}
    for author_id, spec in data.items():
        line = data.line_of(author_id)
        author = parse_author(author_id, spec, display, line, problems)
        if author is None:
            continue
        other = seen.setdefault(collision_key(author.id), author.id)
        if other != author.id:
            problems.append(Problem(display, line, f"author id '{author.id}' differs from "
                                    f"'{other}' only by case or Unicode form: their pages "
                                    "would share one URL"))
            continue
        authors[author.id] = author
    return authors, problems


def check_bylines(briefings: Iterable[Briefing], authors: dict[str, Author],
                  config: SiteConfig, authors_display: str) -> list[Problem]:
    """Every ``authors:`` id and the site's ``default_author`` must name an author of
    ``authors.yaml``: a located problem, with the nearest id, for each that does not."""
    problems: list[Problem] = []

    def unknown(author_id: str) -> str:
        if not authors:
            return (f"unknown author '{author_id}': add it to {authors_display} "
                    f"(e.g. {author_id}: {{name: …, role: …}})")
        return (f"unknown author '{author_id}'{did_you_mean(author_id, authors)}: "
                f"authors are defined in {authors_display}")

    default = config.default_author
    if default and default not in authors:
        where = config.config_path.name if config.config_path else "briefgen.yaml"
        problems.append(Problem(where, None, f"default_author: {unknown(default)}"))
    for briefing in briefings:
        for author_id in briefing.authors:
            if author_id not in authors:
                problems.append(Problem(briefing.source_path, briefing.authors_line,
                                        unknown(author_id)))
    return problems
