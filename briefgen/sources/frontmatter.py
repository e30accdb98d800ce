"""Front matter: split it from the body, then validate it into typed fields.

Lines in every problem are real file lines (the YAML starts on line 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import Problem
from briefgen.links import safe_url
from briefgen.model import Actor, Note, Picture, Source, When
from briefgen.slugs import is_valid_slug, name_too_long, slugify
from briefgen.sources.actors import parse_actor
from briefgen.sources.media import read_image, read_key_figure
from briefgen.times import DEFAULT_ZONE, FORMS, read_when, site_zone
from briefgen.yamlsafe import LineDict, YamlError, as_text, load_yaml, not_text

KNOWN_KEYS = ("title", "date", "updated", "dek", "summary", "topics", "region", "sources",
              "draft", "slug", "actors", "expires", "embargo", "updates", "corrections",
              "authors", "image", "key_figure")
_FENCE = "---"
# Each topic is a page and a feed of its own: a briefing filed under hundreds of them is
# a paste gone wrong, not an article (10,000 topics made 20,000 files).
MAX_TOPICS = 50


@dataclass
class FrontMatter:
    """Validated front-matter fields; unknown keys are kept in ``extra``."""

    title: str = ""
    date: When | None = None
    updated: When | None = None
    expires: When | None = None
    embargo: When | None = None
    updates: list[Note] = field(default_factory=list)
    corrections: list[Note] = field(default_factory=list)
    dek: str = ""
    summary: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    region: str = ""
    sources: list[Source] = field(default_factory=list)
    draft: bool = False
    slug: str = ""
    actors: dict[str, Actor] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    authors_line: int = 0
    terms: dict[str, list[str]] = field(default_factory=dict)   # declared taxonomies
    image: Picture | None = None
    key_figure: str | bool | None = None   # the figure's text; False: none
    key_figure_line: int = 0


def split_front_matter(text: str, display: str) -> tuple[str, str, int]:
    """Return (yaml text, body, file line of the body's first line).

    Raises YamlError-free SourceError-style problems through ValueError-free
    return: a missing or unclosed fence is reported as a Problem by the caller.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise _FenceProblem(1, "missing front matter: start the file with a '---' line, "
                               "then title: and date:, then another '---'")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (_FENCE, "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise _FenceProblem(1, "front matter is not closed: add a '---' line after it")


class _FenceProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


def read_front_matter(text: str, display: str) -> tuple[LineDict | None, str, int, list[Problem]]:
    """Split and load the YAML; returns (mapping or None, body, body line, problems)."""
    try:
        yaml_text, body, body_line = split_front_matter(text, display)
    except _FenceProblem as exc:
        return None, "", 1, [Problem(display, exc.line, exc.message)]
    try:
        data = load_yaml(yaml_text)
    except YamlError as exc:
        line = exc.line + 1 if exc.line is not None else 1
        return None, body, body_line, [Problem(display, line, exc.message)]
    if data is None:
        data = LineDict()
        data.lines = {}
    if not isinstance(data, dict):
        return None, body, body_line, [Problem(display, 2, "front matter must be a mapping "
                                                           "of keys (title:, date:, …)")]
    return data, body, body_line, []


def _string_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [text for text in (as_text(v).strip() for v in value) if text]
    return None


@dataclass
class _Fields:
    """One front matter being checked: its data, and the problems found so far."""

    data: LineDict
    display: str
    zone: dt.tzinfo = dt.timezone.utc
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        lines = getattr(self.data, "lines", {})
        return lines.get(key, 0) + 1 if key in lines else 2

    def error(self, key: str, message: str) -> None:
        self.errors.append(Problem(self.display, self.line_of(key), message))

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(Problem(self.display, self.line_of(key), message))

    def moment(self, key: str) -> When | None:
        """The field as a moment (None, with an error if it is set but not a time)."""
        value = self.data.get(key)
        if value is None:
            return None
        when = read_when(value, self.zone)
        if when is None:
            self.error(key, f"bad {'date' if key == 'date' else 'time'} "
                            f"'{as_text(value)}' in '{key}': use {FORMS}")
        return when

    def text(self, key: str) -> str | None:
        """The field's text; None (and an error) when it holds a mapping or a list."""
        value = self.data.get(key)
        if problem := not_text(f"'{key}'", value):
            self.error(key, problem)
            return None
        return as_text(value).strip()


def validate_front_matter(data: LineDict, display: str, timezone: str = DEFAULT_ZONE,
                          taxonomies: tuple[str, ...] = (),
                          ) -> tuple[FrontMatter, list[Problem], list[Problem]]:
    """Check every field; returns (front matter, errors, warnings). Times are read in
    the site's ``timezone``; ``taxonomies`` are the keys of the site's declared
    taxonomies (besides ``region``)."""
    fields, fm = _Fields(data, display, site_zone(timezone) or dt.timezone.utc), FrontMatter()
    _unknown_keys(fields, fm, taxonomies)
    _bylines_and_terms(fields, fm, taxonomies)
    _title_and_dates(fields, fm)
    _schedule(fields, fm)
    fm.updates, fm.corrections = _notes(fields, "updates"), _notes(fields, "corrections")
    fm.dek, fm.region = fields.text("dek") or "", fields.text("region") or ""
    _lists(fields, fm)
    _draft_and_slug(fields, fm)
    for topic in fm.topics:
        if problem := name_too_long("topic", slugify(topic)):
            fields.error("topics", problem)
    fm.sources = _sources(data.get("sources"), display, fields.line_of("sources"),
                          fields.errors)
    _local_actors(fields, fm)
    fm.image = read_image(data.get("image"), display, fields.line_of("image"), fields.errors)
    fm.key_figure_line = fields.line_of("key_figure")
    fm.key_figure = read_key_figure(data.get("key_figure"), display, fm.key_figure_line,
                                    fields.errors)
    return fm, fields.errors, fields.warnings


def _unknown_keys(fields: _Fields, fm: FrontMatter, taxonomies: tuple[str, ...]) -> None:
    """Keys briefgen does not know are kept for templates; a near miss is a warning."""
    known = (*KNOWN_KEYS, *taxonomies)
    for key, value in fields.data.items():
        key_text = as_text(key)
        if key_text in known:
            continue
        fm.extra[key_text] = value
        near = difflib.get_close_matches(key_text, known, n=1, cutoff=0.75)
        if near and near[0] not in fields.data:
            fields.warn(key, f"unknown key '{key_text}' (did you mean '{near[0]}'?); "
                             "kept for templates")


def _bylines_and_terms(fields: _Fields, fm: FrontMatter, taxonomies: tuple[str, ...]) -> None:
    """``authors:`` (ids of content/authors.yaml, checked once the site is read) and
    the terms of declared taxonomies: one name or a list, like ``topics``."""
    for key in ("authors", *taxonomies):
        if fields.data.get(key) is None:
            continue
        items = _string_list(fields.data[key])
        if items is None:
            fields.error(key, f"'{key}' must be one name or a list of names")
        elif len(items) > MAX_TOPICS:
            fields.error(key, f"{len(items)} entries in '{key}'; at most {MAX_TOPICS} "
                              "are allowed")
        elif key == "authors":
            fm.authors, fm.authors_line = list(dict.fromkeys(items)), fields.line_of(key)
        else:
            fm.terms[key] = items
            for term in items:
                if problem := name_too_long(key, slugify(term)):
                    fields.error(key, problem)


def _title_and_dates(fields: _Fields, fm: FrontMatter) -> None:
    data, display = fields.data, fields.display
    title = fields.text("title")
    fm.title = title or ""
    if "title" not in data or title == "":
        fields.errors.append(Problem(display, fields.line_of("title") if "title" in data else 1,
                                     "missing title: add 'title: …' to the front matter"))
    if "date" not in data or data.get("date") is None:
        fields.errors.append(Problem(display, 1, "missing date: add 'date: YYYY-MM-DD' to the "
                                                 "front matter"))
    else:
        fm.date = fields.moment("date")
    fm.updated = fields.moment("updated")
    if fm.date and fm.updated and fm.updated.at < fm.date.at:
        fields.warn("updated", "updated is before date")


def _schedule(fields: _Fields, fm: FrontMatter) -> None:
    """``expires`` and ``embargo``: moments that take the briefing out of the site."""
    fm.expires, fm.embargo = fields.moment("expires"), fields.moment("embargo")
    if fm.expires and fm.date and fm.expires.at <= fm.date.at:
        fields.warn("expires", "expires is not after date: the briefing is never published")


def _notes(fields: _Fields, key: str) -> list[Note]:
    """``updates`` or ``corrections``: a list of ``{at, text}``, oldest first."""
    value = fields.data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fields.error(key, f"'{key}' must be a list of {{at, text}} entries")
        return []
    notes: list[Note] = []
    item_lines = getattr(value, "lines", [])
    for i, item in enumerate(value):
        line = item_lines[i] + 1 if i < len(item_lines) else fields.line_of(key)
        if not isinstance(item, dict) or set(map(as_text, item)) - {"at", "text"}:
            fields.errors.append(Problem(fields.display, line, f"each entry of '{key}' must "
                                         "be a mapping with 'at' (a date or date-time) and "
                                         "'text', e.g. {at: 2026-12-04T10:00:00Z, text: …}"))
            continue
        when = read_when(item.get("at"), fields.zone)
        raw = item.get("text")
        text = "" if raw is None or isinstance(raw, (dict, list)) else as_text(raw).strip()
        if when is None:
            fields.errors.append(Problem(fields.display, line, f"bad time "
                                         f"'{as_text(item.get('at'))}' in '{key}': use {FORMS}"))
        elif not text:
            fields.errors.append(Problem(fields.display, line, f"an entry of '{key}' has no "
                                         "text: say what changed"))
        else:
            notes.append(Note(when, text, line))
    return sorted(notes, key=lambda n: n.at.at)


def _lists(fields: _Fields, fm: FrontMatter) -> None:
    """``summary`` and ``topics``: lists of strings, within their limits."""
    for key in ("summary", "topics"):
        if fields.data.get(key) is None:
            continue
        items = _string_list(fields.data[key])
        if items is None:
            fields.error(key, f"'{key}' must be a list of strings")
        else:
            setattr(fm, key, items)
    if len(fm.topics) > MAX_TOPICS:
        fields.error("topics", f"{len(fm.topics)} topics; at most {MAX_TOPICS} are allowed "
                               "(keep those a reader would follow)")
    if len(fm.summary) > 5:
        fields.warn("summary", f"summary has {len(fm.summary)} bullets; 2–5 read best")


def _draft_and_slug(fields: _Fields, fm: FrontMatter) -> None:
    draft = fields.data.get("draft", False)
    if not isinstance(draft, bool):
        fields.error("draft", "'draft' must be true or false")
    else:
        fm.draft = draft
    if fields.data.get("slug") is not None and (slug := fields.text("slug")) is not None:
        fm.slug = slug
        if problem := _slug_problem(slug):
            fields.error("slug", problem)


def _local_actors(fields: _Fields, fm: FrontMatter) -> None:
    """Actors the briefing defines for itself (``actors:``)."""
    actors = fields.data.get("actors")
    if actors is None:
        return
    if not isinstance(actors, dict):
        fields.error("actors", "'actors' must map actor ids to definitions")
        return
    for actor_id, spec in actors.items():
        actor_line = actors.lines.get(actor_id, 0) + 1
        actor = parse_actor(actor_id, spec, fields.display, actor_line, fields.errors,
                            offset=1)
        if actor is not None:
            fm.actors[actor.id] = actor


def _slug_problem(slug: str) -> str | None:
    if not is_valid_slug(slug):
        return f"slug '{slug}' may only hold letters, digits, '-' and '_'"
    return name_too_long("slug", slug)


def _sources(value: Any, display: str, line: int, errors: list[Problem]) -> list[Source]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(Problem(display, line, "'sources' must be a list of {title, url, publisher}"))
        return []
    result: list[Source] = []
    item_lines = getattr(value, "lines", [])
    for i, item in enumerate(value):
        item_line = item_lines[i] + 1 if i < len(item_lines) else line
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            errors.append(Problem(display, item_line, "each source needs a title"))
            continue
        bad = next((p for key in ("title", "url", "publisher")
                    if (p := not_text(f"the source's {key}", item.get(key)))), None)
        if bad:
            errors.append(Problem(display, item_line, bad))
            continue
        title = as_text(item.get("title")).strip()
        url = as_text(item.get("url")).strip()
        if not title:
            if not url:
                errors.append(Problem(display, item_line, "each source needs a title or url"))
                continue
            title = url
        if url and not safe_url(url):
            errors.append(Problem(display, item_line,
                                  f"unsafe source url '{url}': only http(s), mailto or "
                                  "relative links are allowed"))
            url = ""
        result.append(Source(title=title, url=url, publisher=as_text(item.get("publisher")).strip()))
    return result
