"""A briefing's "Who's who", grouped, and the policy for links on actor mentions.

The cast is grouped as a reader scans it: people first (name and role), then
organisations, then places (countries and any other kind) as compact chips; within
a group the most-mentioned come first, ties in order of first mention.

Actor mentions are written as links by the annotator; :class:`ActorLinks` keeps the
link on the first mention in each section of the page (``first-in-section``, the
default), on the first mention in the whole briefing (``first``), or on every
mention (``all``). Later mentions become ``<span class="actor">`` with the same
``data-actor``, so styles and scripts can still find them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from briefgen.indexes import SiteIndex
from briefgen.model import Actor, Briefing

GROUPS = (("people", "People"), ("organisations", "Organisations"), ("places", "Places"))
_GROUP_OF_KIND = {"person": "people", "organisation": "organisations"}
# An actor link exactly as the annotator writes it (see annotate.collect._actor).
_ACTOR_LINK = re.compile(r'<a class="actor" href="[^"<>]*" data-actor="([^"<>]*)">(.*?)</a>',
                         re.DOTALL)


@dataclass(frozen=True)
class CastMember:
    """An actor as a briefing's "Who's who" shows it: the role it plays there."""

    actor: Actor
    role: str
    count: int


@dataclass(frozen=True)
class CastGroup:
    """One group of the Who's who: ``key`` (people, organisations, places) and title."""

    key: str
    title: str
    members: tuple[CastMember, ...]


def briefing_cast(index: SiteIndex, briefing: Briefing) -> list[CastMember]:
    """Mentioned actors in order of first mention; unknown ids are left out."""
    cast = []
    for mention in briefing.mentions:
        actor = index.actor_in(briefing, mention.actor_id)
        if actor is not None:
            cast.append(CastMember(actor, mention.role or actor.role, mention.count))
    return cast


def cast_groups(cast: list[CastMember]) -> list[CastGroup]:
    """``cast`` (in order of first mention) as its non-empty groups, by prominence."""
    grouped: dict[str, list[CastMember]] = {key: [] for key, _ in GROUPS}
    for member in cast:
        grouped[_GROUP_OF_KIND.get(member.actor.kind, "places")].append(member)
    return [CastGroup(key, title, tuple(sorted(grouped[key], key=lambda m: -m.count)))
            for key, title in GROUPS if grouped[key]]


class ActorLinks:
    """Called on each section's HTML in reading order; returns it with the links the
    mode keeps. One instance per rendered page: it remembers what was linked."""

    def __init__(self, mode: str = "first-in-section"):
        self.mode = mode
        self._linked: set[str] = set()

    def __call__(self, html: str) -> Markup:
        if self.mode == "all" or 'class="actor"' not in html:
            return Markup(html)
        if self.mode == "first-in-section":
            self._linked = set()
        return Markup(_ACTOR_LINK.sub(self._keep_or_unlink, html))

    def _keep_or_unlink(self, match: re.Match) -> str:
        actor_id, inner = match.group(1), match.group(2)
        if "<a " in inner:   # a link inside the mention: leave the markup as it is
            return match.group(0)
        if actor_id not in self._linked:
            self._linked.add(actor_id)
            return match.group(0)
        return f'<span class="actor" data-actor="{actor_id}">{inner}</span>'


def actor_links_factory(mode: str) -> Callable[[], ActorLinks]:
    """The ``actor_links()`` template global for a site's ``link_actors`` setting."""
    return lambda: ActorLinks(mode)
