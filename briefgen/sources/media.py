"""The front matter's ``image:`` (the lead image) and ``key_figure:`` fields."""

from __future__ import annotations

import re
from typing import Any

from briefgen.errors import Problem
from briefgen.model import Picture
from briefgen.yamlsafe import as_text, not_text

IMAGE_KEYS = ("src", "alt", "caption", "credit")
# A URL with a scheme, or one for another host: not a file of the site.
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def local_image_problem(src: str) -> str | None:
    """Why ``src`` cannot be an image file of the content folder, or None."""
    if not src:
        return "the image has no src: give the file's path (e.g. src: images/map.jpg)"
    if _EXTERNAL.match(src):
        return (f"image '{src}' is not a file of the site: put the picture in content/images/ "
                "or next to the briefing (pages make no requests to other hosts)")
    if src.startswith(("/", "\\")):
        return (f"image '{src}' is an absolute path: give it relative to the briefing or "
                "to content/images/")
    return None


def read_image(value: Any, display: str, line: int,
               errors: list[Problem]) -> Picture | None:
    """``image: {src, alt, caption, credit}``; alt is required (``alt: ""``: decorative)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.append(Problem(display, line, "'image' must be a mapping: "
                                             "{src: images/x.jpg, alt: what it shows, "
                                             "caption: …, credit: …}"))
        return None
    lines = getattr(value, "lines", {})

    def at(key: str) -> int:
        return lines[key] + 1 if key in lines else line   # YAML line 1 is file line 2

    texts: dict[str, str] = {}
    for key, item in value.items():
        key = as_text(key)
        if key not in IMAGE_KEYS:
            errors.append(Problem(display, at(key), f"unknown key 'image.{key}' (an image has "
                                                     f"{', '.join(IMAGE_KEYS)})"))
        elif problem := not_text(f"'image.{key}'", item):
            errors.append(Problem(display, at(key), problem))
        else:
            texts[key] = "" if item is None else as_text(item).strip()
    src = texts.get("src", "")
    if problem := local_image_problem(src):
        errors.append(Problem(display, at("src"), problem))
        return None
    if "alt" not in value:
        errors.append(Problem(display, line, f"image '{src}' has no alt text: say what it "
                                             "shows (alt: …), or write alt: \"\" if it is "
                                             "only decoration"))
        return None
    return Picture(src, texts.get("alt", ""), texts.get("caption", ""),
                   texts.get("credit", ""), at("src"))


def read_key_figure(value: Any, display: str, line: int,
                    errors: list[Problem]) -> str | bool | None:
    """``key_figure:`` the text of the figure to show (False: show none)."""
    if value is None:
        return None
    if value is False:
        return False
    if isinstance(value, (dict, list)) or value is True or not as_text(value).strip():
        errors.append(Problem(display, line, "'key_figure' must be the text of one of the "
                                             "briefing's figures (e.g. key_figure: €21 "
                                             "billion), or false for none"))
        return None
    return as_text(value).strip()
