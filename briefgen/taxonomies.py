"""Taxonomies: ways of filing briefings, each term with a page and a feed, like topics.

``region`` is built in; a site declares more in ``briefgen.yaml`` (``taxonomies:``),
e.g. a ``desk`` or a ``country``, and briefings then set them in front matter
(``desk: Europe``, or a list). This module holds the declarations and reads the
``taxonomies:`` setting; the index and the pages are built from them elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from briefgen.errors import did_you_mean
from briefgen.slugs import is_valid_slug

# Keys front matter already gives a meaning (a taxonomy cannot take them), and the
# folders of the output a taxonomy's pages may not use.
FRONT_MATTER_KEYS = ("title", "date", "updated", "dek", "summary", "topics", "sources",
                     "draft", "slug", "actors", "expires", "embargo", "updates",
                     "corrections", "authors", "image", "key_figure")
RESERVED_PATHS = ("actors", "api", "archive", "assets", "authors", "briefings", "corrections",
                  "page", "search", "timeline", "topics")
FIELDS = ("title", "singular", "path", "description", "terms")


@dataclass(frozen=True)
class Taxonomy:
    """One taxonomy: its front matter key, its names and where its pages live."""

    name: str              # the front matter key: region, desk
    title: str             # the index page's title: "Regions"
    singular: str          # one term's kind: "Region"
    path: str              # the folder of its pages: regions/<term>/
    description: str = ""  # what the index page says it is
    terms: dict[str, Any] = field(default_factory=dict)   # term slug -> its settings
    single: bool = False   # one term per briefing (region), else one or a list


REGION = Taxonomy("region", "Regions", "Region", "regions", single=True)
# Topics are filed and shown as a taxonomy is (its pages add related topics).
TOPICS = Taxonomy("topic", "Topics", "Topic", "topics")


def parse_taxonomies(value: Any, problem: Callable[[str], None],
                     parse_terms: Callable[[Any, Callable[[str], None], str], dict[str, Any]],
                     ) -> dict[str, Taxonomy]:
    """``taxonomies:``, a mapping of front matter key to settings: ``region`` refines
    the built-in one, any other declares a taxonomy. ``parse_terms`` reads a
    ``terms:`` mapping (as ``topics:`` is read: term name or slug to its description)."""
    if not isinstance(value, dict):
        problem("'taxonomies' must be a mapping of front matter key to settings "
                "(e.g. desk: {title: Desks, singular: Desk})")
        return {}
    taxonomies: dict[str, Taxonomy] = {}
    paths = {REGION.path: REGION.name}
    for name, settings in value.items():
        name = str(name)
        where = f"taxonomies.{name}"
        if not is_valid_slug(name) or name in FRONT_MATTER_KEYS:
            problem(f"'{where}': a taxonomy's name is its front matter key, so it must be "
                    "letters, digits, '-' or '_' and not one of front matter's own keys "
                    f"({', '.join(FRONT_MATTER_KEYS)})")
            continue
        if not isinstance(settings, dict | None):
            problem(f"'{where}' must be a mapping (e.g. title: …, singular: …)")
            continue
        clean: dict[str, Any] = {}
        for key, item in (settings or {}).items():
            key = str(key)
            if key == "terms":
                clean["terms"] = parse_terms(item, problem, f"{where}.terms")
            elif key not in FIELDS:
                problem(f"unknown key '{where}.{key}'{did_you_mean(key, FIELDS)}")
            elif not isinstance(item, str) or not item.strip():
                problem(f"'{where}.{key}' must be a non-empty str")
            else:
                clean[key] = item.strip()
        base = REGION if name == REGION.name else _declared(name)
        taxonomy = replace(base, **clean)
        if not is_valid_slug(taxonomy.path) or taxonomy.path in RESERVED_PATHS:
            problem(f"'{where}.path' must be a folder name of letters, digits, '-' or '_', "
                    f"not one of briefgen's own ({', '.join(RESERVED_PATHS)})")
            continue
        if paths.setdefault(taxonomy.path, name) != name:
            problem(f"'{where}.path': '{taxonomy.path}' is already the folder of "
                    f"'{paths[taxonomy.path]}'")
            continue
        taxonomies[name] = taxonomy
    return taxonomies


def _declared(name: str) -> Taxonomy:
    """A declared taxonomy's defaults: its key for every name and its folder."""
    label = name.replace("_", " ").replace("-", " ").capitalize()
    return Taxonomy(name, label, label, name)


def site_taxonomies(declared: dict[str, Taxonomy]) -> list[Taxonomy]:
    """Every taxonomy of a site: ``region`` (as the config refines it) first, then the
    declared ones in the config's order."""
    return [declared.get(REGION.name, REGION),
            *(t for name, t in declared.items() if name != REGION.name)]
