"""Site configuration: ``briefgen.yaml``, its defaults, and validation.

Every problem in the file is collected and reported at once; unknown keys are
refused with the nearest known key suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from briefgen.errors import ConfigError, Problem, SourceError, did_you_mean
from briefgen.files import read_regular
from briefgen.sections import DEFAULT_SECTIONS, SectionSpec, parse_sections
from briefgen.slugs import slugify
from briefgen.taxonomies import Taxonomy, parse_taxonomies, site_taxonomies
from briefgen.times import site_zone
from briefgen.yamlsafe import YamlError, load_yaml

CONFIG_NAME = "briefgen.yaml"
MAX_CONFIG_BYTES = 1024 * 1024   # a configuration is a page of settings, not a data file
BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
class MarkdownOptions:
    """``markdown:`` section."""

    allow_html: bool = False
    max_nesting: int = 50


@dataclass(frozen=True)
class FeedOptions:
    """``feeds:`` section."""

    limit: int = 20


@dataclass(frozen=True)
class SearchOptions:
    """``search:`` section."""

    include_body: bool = False


@dataclass(frozen=True)
class SitemapOptions:
    """``sitemap:`` section: URLs per sitemap file (the protocol allows 50,000), and
    whether to write the Google News sitemap of the last 48 hours."""

    max_urls: int = 50_000
    news: bool = True


@dataclass(frozen=True)
class ApiOptions:
    """``api:`` section: entries per page of the paginated JSON indexes."""

    per_page: int = 500


@dataclass(frozen=True)
class ImageOptions:
    """``images:`` section: the widths of the responsive variants, their quality, and
    the largest picture accepted (in pixels: a guard against decompression bombs)."""

    widths: tuple[int, ...] = (480, 960, 1600)
    quality: int = 80
    max_pixels: int = 40_000_000


@dataclass(frozen=True)
class TopicOptions:
    """One entry of ``topics:``: what a topic's page says the topic is about."""

    description: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """The whole site configuration, with paths resolved against the site root."""

    root: Path
    config_path: Path | None = None
    title: str = "Briefings"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    theme: str = "default"
    content_dir: str = "content"
    output_dir: str = "public"
    home_limit: int = 12
    paginate: int = 50
    paginate_index: int = 500
    link_actors: str = "first-in-section"
    minify: bool = True   # theme and site CSS and JavaScript written minified
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    feeds: FeedOptions = field(default_factory=FeedOptions)
    search: SearchOptions = field(default_factory=SearchOptions)
    sitemap: SitemapOptions = field(default_factory=SitemapOptions)
    api: ApiOptions = field(default_factory=ApiOptions)
    params: dict[str, Any] = field(default_factory=dict)
    publish: dict[str, Any] = field(default_factory=dict)
    topics: dict[str, TopicOptions] = field(default_factory=dict)   # by topic slug
    default_author: str = ""   # the byline of a briefing without ``authors:``
    taxonomies: dict[str, Taxonomy] = field(default_factory=dict)   # as declared
    sections: tuple[SectionSpec, ...] = DEFAULT_SECTIONS
    images: ImageOptions = field(default_factory=ImageOptions)
    drafts: bool = False
    # Where ``base_url`` came from, for messages: "" (briefgen.yaml or the default) or
    # "--base-url". Not part of the config's identity (nor of the cache key).
    base_url_from: str = field(default="", compare=False, repr=False)
    timezone: str = "UTC"     # IANA zone: how times are shown and bare dates are read
    future: bool = False      # --future: publish briefings dated after now
    expired: bool = False     # --expired: keep briefings past their ``expires``
    embargoed: bool = False   # --embargoed: show embargoed briefings (a private preview)

    @property
    def content_path(self) -> Path:
        return (self.root / self.content_dir).resolve()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def theme_path(self) -> Path:
        """The theme folder: ``themes/<name>`` in the site, else the bundled one."""
        local = self.root / "themes" / self.theme
        if local.is_dir():
            return local.resolve()
        return BUNDLED_THEMES / self.theme

    @property
    def template_dirs(self) -> list[Path]:
        """Template search path: the site's ``templates/`` overrides the theme's."""
        return [self.root / "templates", self.theme_path / "templates"]

    @property
    def static_dirs(self) -> list[Path]:
        """Static folders, lowest priority first: theme, then the site's ``static/``."""
        return [self.theme_path / "static", self.root / "static"]

    @property
    def all_taxonomies(self) -> list[Taxonomy]:
        """``region`` and the declared taxonomies (see ``briefgen.taxonomies``)."""
        return site_taxonomies(self.taxonomies)

    def with_overrides(self, **changes: Any) -> SiteConfig:
        """A copy with command-line overrides applied (None values ignored)."""
        clean = {k: v for k, v in changes.items() if v is not None}
        if "base_url" in clean:
            clean["base_url"] = normalise_base_url(clean["base_url"])
            clean.setdefault("base_url_from", "--base-url")
        return replace(self, **clean)


_SECTIONS = {"markdown": MarkdownOptions, "feeds": FeedOptions, "search": SearchOptions,
             "sitemap": SitemapOptions, "api": ApiOptions}
SITEMAP_MAX_URLS = 50_000   # the sitemap protocol's limit per file
LINK_ACTORS = ("first-in-section", "first", "all")   # which actor mentions are links
_SCALARS = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "theme": str,
    "content_dir": str,
    "output_dir": str,
    "home_limit": int,
    "paginate": int,
    "paginate_index": int,
    "link_actors": str,
    "params": dict,
    "publish": dict,
    "timezone": str,
    "default_author": str,
    "minify": bool,
}


def normalise_base_url(url: str) -> str:
    """Base URLs always end in ``/`` so relative joins land inside the sub-path."""
    url = url.strip() or "/"
    return url if url.endswith("/") else url + "/"


def _type_ok(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _parse_topics(value: Any, problem: Callable[[str], None],
                  where_all: str = "topics") -> dict[str, TopicOptions]:
    """``topics:``, a mapping of topic (its name or slug) to its settings, keyed by slug
    (``Russia–Ukraine war`` and ``russia-ukraine-war`` name the same topic)."""
    if not isinstance(value, dict):
        problem(f"'{where_all}' must be a mapping of name to settings "
                "(e.g. diplomacy: {description: …})")
        return {}
    topics: dict[str, TopicOptions] = {}
    for name, settings in value.items():
        where = f"{where_all}.{name}"
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            problem(f"'{where}' must be a mapping (e.g. description: …)")
            continue
        slug = slugify(str(name))
        if not slug:
            problem(f"'{where}': a name needs a letter or digit")
            continue
        if slug in topics:
            problem(f"'{where}' names the same {'topic' if where_all == 'topics' else 'term'} "
                    f"as another entry ('{slug}')")
            continue
        known = {f.name for f in fields(TopicOptions)}
        clean = {}
        for key, item in settings.items():
            if key not in known:
                problem(f"unknown key '{where}.{key}'{did_you_mean(str(key), sorted(known))}")
            elif not isinstance(item, str):
                problem(f"'{where}.{key}' must be a str")
            else:
                clean[key] = item.strip()
        topics[slug] = TopicOptions(**clean)
    return topics


def _parse_images(value: Any, problem: Callable[[str], None]) -> ImageOptions:
    """``images: {widths: [480, 960, 1600], quality: 80, max_pixels: 40000000}``."""
    if not isinstance(value, dict):
        problem("'images' must be a mapping (widths:, quality:, max_pixels:)")
        return ImageOptions()
    clean: dict[str, Any] = {}
    for key, item in value.items():
        key = str(key)
        if key == "widths":
            if (not isinstance(item, list) or not item or len(item) > 8
                    or not all(_type_ok(w, int) and 16 <= w <= 8192 for w in item)):
                problem("'images.widths' must be a list of 1 to 8 widths in pixels "
                        "(16 to 8192), e.g. [480, 960, 1600]")
                continue
            clean[key] = tuple(sorted(set(item)))
        elif key in ("quality", "max_pixels"):
            low, high = (1, 100) if key == "quality" else (1, 500_000_000)
            if not _type_ok(item, int) or not low <= item <= high:
                problem(f"'images.{key}' must be a whole number from {low} to {high:,}")
                continue
            clean[key] = item
        else:
            problem(f"unknown key 'images.{key}'"
                    f"{did_you_mean(key, ['widths', 'quality', 'max_pixels'])}")
    return ImageOptions(**clean)


def parse_config(data: Any, root: Path, path: Path | None, source: str) -> SiteConfig:
    """Validate a loaded mapping into a SiteConfig; raise ConfigError with all problems."""
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(source, None, message))

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Problem(source, 1, "the configuration must be a mapping of keys")])
    values: dict[str, Any] = {}
    known = sorted([*_SCALARS, *_SECTIONS, "topics", "taxonomies", "sections", "images"])
    for key, value in data.items():
        key = str(key)
        if key in _SCALARS:
            expected = _SCALARS[key]
            if value is None:
                continue
            if not _type_ok(value, expected):
                problem(f"'{key}' must be a {expected.__name__}, not {type(value).__name__}")
                continue
            values[key] = value
        elif key == "topics":
            values[key] = _parse_topics(value, problem)
        elif key == "taxonomies":
            values[key] = parse_taxonomies(value, problem, _parse_topics)
        elif key == "sections":
            values[key] = parse_sections(value, problem)
        elif key == "images":
            values[key] = _parse_images(value, problem)
        elif key in _SECTIONS:
            cls = _SECTIONS[key]
            if not isinstance(value, dict):
                problem(f"'{key}' must be a mapping")
                continue
            sub: dict[str, Any] = {}
            names = {f.name: f for f in fields(cls)}
            for subkey, subvalue in value.items():
                subkey = str(subkey)
                if subkey not in names:
                    problem(f"unknown key '{key}.{subkey}'{did_you_mean(subkey, sorted(names))}")
                    continue
                expected = type(names[subkey].default)
                if not _type_ok(subvalue, expected):
                    problem(f"'{key}.{subkey}' must be a {expected.__name__}")
                    continue
                sub[subkey] = subvalue
            values[key] = cls(**sub)
        else:
            problem(f"unknown key '{key}'{did_you_mean(key, known)}")
    for key in ("home_limit", "paginate", "paginate_index"):
        if key in values and values[key] < 1:
            problem(f"'{key}' must be at least 1")
    if values.get("link_actors", LINK_ACTORS[0]) not in LINK_ACTORS:
        problem(f"'link_actors' must be one of {', '.join(LINK_ACTORS)}, "
                f"not '{values['link_actors']}'")
    if "feeds" in values and values["feeds"].limit < 1:
        problem("'feeds.limit' must be at least 1")
    if "sitemap" in values and not 1 <= values["sitemap"].max_urls <= SITEMAP_MAX_URLS:
        problem(f"'sitemap.max_urls' must be between 1 and {SITEMAP_MAX_URLS:,} "
                "(the sitemap protocol's limit per file)")
    if "api" in values and values["api"].per_page < 1:
        problem("'api.per_page' must be at least 1")
    if "base_url" in values:
        values["base_url"] = normalise_base_url(values["base_url"])
    if "timezone" in values and site_zone(values["timezone"]) is None:
        line = getattr(data, "lines", {}).get("timezone")
        problems.append(Problem(source, line, f"unknown time zone '{values['timezone']}': use "
                                "an IANA name such as 'Europe/Paris', 'America/New_York' or "
                                "'UTC'"))
    if problems:
        raise ConfigError(problems)
    config = SiteConfig(root=root.resolve(), config_path=path, **values)
    if not config.theme_path.is_dir():
        raise ConfigError([Problem(source, None, f"theme '{config.theme}' not found "
                                   f"(looked in {root / 'themes'} and {BUNDLED_THEMES})")])
    return config


def load_config(path: Path | None = None, root: Path | None = None) -> SiteConfig:
    """Read ``briefgen.yaml`` (or ``path``); a missing default file means defaults."""
    if path is None:
        root = (root or Path.cwd()).resolve()
        candidate = root / CONFIG_NAME
        if not candidate.exists():
            return parse_config({}, root, None, CONFIG_NAME)
        path = candidate
    path = Path(path)
    try:
        data = read_regular(path, str(path), MAX_CONFIG_BYTES,
                            missing="configuration file not found")
    except SourceError as exc:
        raise ConfigError([exc.problem]) from None
    root = path.resolve().parent
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(str(path), None, f"not valid UTF-8 ({exc.reason})")]) from None
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise ConfigError([Problem(str(path), exc.line, exc.message)]) from None
    return parse_config(data, root, path, str(path))
