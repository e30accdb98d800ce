"""Markdown with annotations → body HTML plus the briefing's actors, figures and quotes.

``annotate`` parses once with a cached MarkdownIt instance and renders the body,
the sidebars and the sections from the same tokens. Every problem is collected
with its real file line; nothing stops at the first one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from briefgen.annotate.markdown import markdown_for
from briefgen.annotate.sanitize import render_clean
from briefgen.annotate.state import ENV_KEY, Collector
from briefgen.errors import Problem
from briefgen.model import Figure, Mention, Picture, Quote, Section, Sidebar
from briefgen.sections import DEFAULT_SECTIONS, SectionSpec
from briefgen.sources.actors import ActorResolver

__all__ = ["AnnotateOptions", "Annotated", "annotate"]


def _default_actor_url(actor_id: str) -> str:
    return f"../../actors/{actor_id}/"


@dataclass
class AnnotateOptions:
    """How to parse a body: raw HTML allowed?, nesting limit, where actor links point."""

    allow_html: bool = False
    max_nesting: int = 50
    actor_url: Callable[[str], str] = _default_actor_url
    sections: tuple[SectionSpec, ...] = DEFAULT_SECTIONS   # the declared section blocks


@dataclass
class Annotated:
    """The result of :func:`annotate`: body HTML and everything collected from it."""

    html: str
    text: str
    word_count: int
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sidebars: list[Sidebar] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def annotate(body: str, *, path: str, first_line: int, resolver: ActorResolver,
             options: AnnotateOptions) -> Annotated:
    """Parse an annotated Markdown body whose first line is file line ``first_line``."""
    md = markdown_for(body, options.allow_html, options.max_nesting)
    collector = Collector(path=path, first_line=first_line, resolver=resolver,
                          actor_url=options.actor_url, max_nesting=options.max_nesting,
                          section_names=tuple(spec.name for spec in options.sections))
    env = {ENV_KEY: collector}
    tokens = md.parse(body, env)
    body_tokens, divs = _split_divs(tokens)

    def render(part: list[Token]) -> str:
        return render_clean(md, part, env)

    sidebars: list[Sidebar] = []
    sections: list[Section] = []
    for meta, inner in divs:
        if meta["name"] == "sidebar":
            sidebars.append(Sidebar(id=f"sidebar-{len(sidebars) + 1}", title=meta["title"],
                                    html=render(inner), line=meta["line"] or 0))
        else:
            _add_section(collector, sections, meta, render(inner), options.sections)
    order = {spec.name: n for n, spec in enumerate(options.sections)}
    sections.sort(key=lambda section: order[section.name])   # the declared order
    text = "\n".join(part for part in collector.text_parts if part)
    return Annotated(
        html=render(body_tokens),
        text=text,
        word_count=len(text.split()),
        mentions=list(collector.mentions.values()),
        figures=collector.figures,
        quotes=collector.quotes,
        sidebars=sidebars,
        sections=sections,
        pictures=collector.pictures,
        problems=collector.all_problems(),
    )


def _split_divs(tokens: list[Token]) -> tuple[list[Token], list[tuple[dict, list[Token]]]]:
    """Take the sidebars and sections out of the token stream, in document order."""
    body: list[Token] = []
    divs: list[tuple[dict, list[Token]]] = []
    current: list[Token] | None = None
    for token in tokens:
        extract = token.type.startswith("briefgen_div_") and token.meta.get("extract")
        if extract and token.nesting == 1 and current is None:
            current = []
            divs.append((token.meta, current))
        elif extract and token.nesting == -1 and current is not None \
                and token.meta is divs[-1][0]:
            current = None
        elif current is not None:
            current.append(token)
        else:
            body.append(token)
    return body, divs


def _add_section(collector: Collector, sections: list[Section], meta: dict, html: str,
                 specs: tuple[SectionSpec, ...]) -> None:
    name = meta["name"]
    if any(section.name == name for section in sections):
        collector.problem(meta["line"], f"'::: {name}' appears more than once")
        return
    spec = next(spec for spec in specs if spec.name == name)
    sections.append(Section(name=name, title=meta["title"] or spec.heading, html=html,
                            line=meta["line"] or 0))
