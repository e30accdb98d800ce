"""Parse one briefing source file into a Briefing: the per-briefing unit of work.

This is what runs in worker processes: it takes only picklable inputs and
returns the model plus any problems, never raising for a user mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.annotate import AnnotateOptions, annotate, sanitize
from briefgen.errors import Problem, SourceError
from briefgen.leadfigure import choose_lead_figure
from briefgen.model import Briefing, latest_change
from briefgen.sections import DEFAULT_SECTIONS, SectionSpec
from briefgen.slugs import name_too_long, slugify
from briefgen.sources.actors import ActorResolver
from briefgen.sources.frontmatter import read_front_matter, validate_front_matter
from briefgen.sources.text import read_source_text


@dataclass(frozen=True)
class ParseOptions:
    """Everything parsing needs besides the file: picklable, shared by all workers."""

    allow_html: bool = False
    max_nesting: int = 50
    # In the options' repr, hence in the parse key: cached bodies cleaned under another
    # raw-HTML policy are parsed again (a security fix must not be served from the cache).
    html_policy: str = field(default_factory=lambda: sanitize.HTML_POLICY)
    timezone: str = "UTC"   # how times without an offset are read (the site's zone)
    taxonomies: tuple[str, ...] = ()   # front matter keys of the declared taxonomies
    sections: tuple[SectionSpec, ...] = DEFAULT_SECTIONS   # the site's section blocks


@dataclass
class ParseResult:
    """A parsed briefing (None when it had errors) with its errors and warnings."""

    display: str
    briefing: Briefing | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def actor_href(actor_id: str) -> str:
    """Link from a briefing page (``briefings/<slug>/``) to an actor page."""
    return f"../../actors/{actor_id}/"


def parse_text(text: str, display: str, resolver: ActorResolver,
               options: ParseOptions) -> ParseResult:
    """Parse a decoded source text; all problems are collected, not just the first."""
    result = ParseResult(display)
    data, body, body_line, problems = read_front_matter(text, display)
    if data is None:
        result.errors = problems
        return result
    fm, errors, warnings = validate_front_matter(data, display, options.timezone,
                                                 options.taxonomies)
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    annotated = annotate(
        body,
        path=display,
        first_line=body_line,
        resolver=resolver.with_local(fm.actors.values()),
        options=AnnotateOptions(allow_html=options.allow_html,
                                max_nesting=options.max_nesting, actor_url=actor_href,
                                sections=options.sections),
    )
    result.errors.extend(annotated.problems)
    lead_figure, figure_problems = choose_lead_figure(annotated.figures, fm.key_figure,
                                                      fm.key_figure_line, display)
    result.errors.extend(figure_problems)
    stem = Path(display).stem
    if not fm.slug and (long := name_too_long("the slug made from the file name", slugify(stem))):
        result.errors.append(Problem(display, 1, long + " (or set 'slug:')"))
    if result.errors:
        return result
    result.briefing = Briefing(
        slug=fm.slug or slugify(stem),
        title=fm.title,
        date=fm.date.date,
        source_path=display,
        updated=fm.updated.date if fm.updated else None,
        dek=fm.dek,
        summary=fm.summary,
        topics=fm.topics,
        region=fm.region,
        sources=fm.sources,
        draft=fm.draft,
        extra=fm.extra,
        body_html=annotated.html,
        text=annotated.text,
        mentions=annotated.mentions,
        figures=annotated.figures,
        quotes=annotated.quotes,
        sidebars=annotated.sidebars,
        sections=annotated.sections,
        local_actors=fm.actors,
        word_count=annotated.word_count,
        published=fm.date,
        modified=fm.updated,
        expires=fm.expires.at if fm.expires else None,
        embargo=fm.embargo.at if fm.embargo else None,
        updates=fm.updates,
        corrections=fm.corrections,
        revised=latest_change(fm.date, fm.updated, fm.updates, fm.corrections),
        authors=fm.authors,
        authors_line=fm.authors_line,
        terms=fm.terms,
        lead_figure=lead_figure,
        image=fm.image,
        pictures=annotated.pictures,
    )
    return result


def parse_file(path: Path, display: str, resolver: ActorResolver,
               options: ParseOptions) -> ParseResult:
    """Read and parse one source file."""
    try:
        text = read_source_text(path, display)
    except SourceError as exc:
        return ParseResult(display, errors=[exc.problem])
    return parse_text(text, display, resolver, options)
