"""The briefing model: plain data, no I/O, no Markdown, no templates.

Everything a theme or the JSON API needs about a briefing is here, computed once
when the source is parsed. Objects are picklable so parsing can run in worker
processes and results can be cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ACTOR_KINDS = ("person", "organisation", "country")
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Actor:
    """A person, organisation or country, from content/actors.yaml or a briefing."""

    id: str
    name: str
    kind: str = "person"
    role: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    url: str = ""


AUTHOR_TYPES = ("person", "organization")


@dataclass(frozen=True)
class Author:
    """Who wrote a briefing (a byline), from content/authors.yaml."""

    id: str
    name: str
    type: str = "person"     # person | organization (schema.org's spelling)
    role: str = ""
    bio: str = ""
    url: str = ""
    image: str = ""


@dataclass
class Mention:
    """An actor as it appears in one briefing: the role it plays there and how often."""

    actor_id: str
    role: str = ""
    count: int = 0
    first_line: int = 0


@dataclass
class FigureValue:
    """A figure's parsed number: ``value`` in ``unit`` (e.g. 21e9 EUR), of a ``kind``.

    ``kind`` is one of currency, percent, count, duration, ordinal, date, or None
    when the text could not be parsed (the verbatim text is always kept).
    """

    value: float | None = None
    unit: str | None = None
    kind: str | None = None


@dataclass
class Figure:
    """A key figure marked up in the text: value text verbatim, label, parsed value."""

    id: str
    text: str
    label: str
    parsed: FigureValue = field(default_factory=FigureValue)
    note: str = ""
    source: str = ""
    line: int = 0
    lead: bool = False    # marked ``lead=true``: the author's key figure


# The kinds of figure chosen as a briefing's key figure when its author chose none:
# amounts, counts and percentages, never a date, an ordinal or a duration.
KEY_FIGURE_KINDS = ("currency", "percent", "count")


def automatic_key_figure(figures: list[Figure]) -> Figure | None:
    """The first figure whose value parses as an amount, a count or a percentage."""
    return next((f for f in figures
                 if f.parsed.kind in KEY_FIGURE_KINDS and f.parsed.value is not None), None)


@dataclass(frozen=True)
class Picture:
    """An image a briefing shows: its lead image (front matter ``image:``) or one in
    the text. ``src`` is the path as written; ``alt`` empty marks it decorative."""

    src: str
    alt: str
    caption: str = ""
    credit: str = ""
    line: int = 0


@dataclass
class Quote:
    """A quotation with its speaker's actor id (empty when unattributed)."""

    id: str
    text: str
    by: str = ""
    line: int = 0


@dataclass
class Sidebar:
    """A ``::: sidebar Title`` block: its title and rendered HTML."""

    id: str
    title: str
    html: str
    line: int = 0


@dataclass
class Section:
    """A section block (``::: why-it-matters``, or one the site declares: see
    ``briefgen.sections``) with its heading."""

    name: str
    title: str
    html: str
    line: int = 0


@dataclass
class Source:
    """A source the briefing cites; ``url`` is already checked to be a safe link."""

    title: str
    url: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class When:
    """A moment: an aware datetime in the site's time zone, and whether the source gave a
    time of day (``timed``) or only a date (then ``at`` is the start of that day)."""

    at: dt.datetime
    timed: bool = True

    @property
    def date(self) -> dt.date:
        """The calendar day in the site's time zone."""
        return self.at.date()


@dataclass(frozen=True)
class Note:
    """One entry of a briefing's ``updates`` or ``corrections``: when, and what."""

    at: When
    text: str
    line: int = 0


@dataclass
class Briefing:
    """One briefing: front matter plus everything collected from its annotations."""

    slug: str
    title: str
    date: dt.date
    source_path: str
    updated: dt.date | None = None
    dek: str = ""
    summary: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    region: str = ""
    sources: list[Source] = field(default_factory=list)
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    body_html: str = ""
    text: str = ""
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sidebars: list[Sidebar] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    local_actors: dict[str, Actor] = field(default_factory=dict)
    word_count: int = 0
    # The search index's words of the briefing's own text (dek and gist, topics and
    # figures, title: tab-separated, folded), made once when it is parsed so that
    # indexing 100,000 briefings does not fold every text again on each build.
    search_words: str = ""
    published: When | None = None     # ``date`` with its time, when parsed from a source
    modified: When | None = None      # ``updated`` with its time
    expires: dt.datetime | None = None
    embargo: dt.datetime | None = None
    updates: list[Note] = field(default_factory=list)
    corrections: list[Note] = field(default_factory=list)
    revised: When | None = None       # ``changed``, worked out when parsed
    authors: list[str] = field(default_factory=list)   # author ids (``authors:``)
    authors_line: int = 0             # the line of ``authors:``, for messages
    # Terms of the site's declared taxonomies (``desk: Europe``), by taxonomy name.
    terms: dict[str, list[str]] = field(default_factory=dict)
    # The key figure's id, chosen when parsed ("": none); None: a briefing made in
    # code, whose key figure is then the automatic choice.
    lead_figure: str | None = None
    image: Picture | None = None      # the lead image
    pictures: list[Picture] = field(default_factory=list)   # images in the text

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    @property
    def when(self) -> When:
        """The publication moment (a briefing made in code: the start of its date, UTC)."""
        if self.published is not None:
            return self.published
        return When(dt.datetime(self.date.year, self.date.month, self.date.day,
                                tzinfo=dt.timezone.utc), False)

    @property
    def changed(self) -> When:
        """When the briefing last changed: the latest of its publication, ``updated``,
        and its updates' and corrections' times (worked out once, at parse time)."""
        if self.revised is not None:
            return self.revised
        return latest_change(self.when, self.modified or _day(self.updated),  # made in code
                             self.updates, self.corrections)

    @property
    def last_modified(self) -> dt.date:
        """The day the briefing last changed (see ``changed``)."""
        return self.changed.date

    @property
    def key_figure(self) -> Figure | None:
        """The one figure cards, the timeline and the home page show for this briefing:
        the author's choice, else the first amount, count or percentage."""
        if self.lead_figure is None:
            return automatic_key_figure(self.figures)
        return next((f for f in self.figures if f.id == self.lead_figure), None)

    def terms_in(self, taxonomy: str) -> list[str]:
        """The briefing's terms of a taxonomy: its ``region``, or a declared one's."""
        if taxonomy == "region":
            return [self.region] if self.region else []
        return self.terms.get(taxonomy, [])

    @property
    def actor_ids(self) -> list[str]:
        """Ids of the actors this briefing mentions, in order of first mention."""
        return [m.actor_id for m in self.mentions]


def latest_change(published: When, modified: When | None, updates: list[Note],
                  corrections: list[Note]) -> When:
    """The latest of a briefing's publication, ``updated``, updates and corrections."""
    latest = published
    for moment in (modified, *(n.at for n in updates), *(n.at for n in corrections)):
        if moment is not None and moment.at > latest.at:
            latest = moment
    return latest


def _day(day: dt.date | None) -> When | None:
    if day is None:
        return None
    return When(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc), False)


def coarse_word_count(words: int) -> int:
    """The word count rounded to whole reading minutes: all a listing shows of it."""
    return round(words / WORDS_PER_MINUTE) * WORDS_PER_MINUTE
