"""Which briefings the site publishes at a moment, and when that set next changes.

One filter (:func:`published`) turns the parsed sources into the briefings of the
site before anything is indexed, so no output (page, feed, search, sitemap, API,
listing, count, previous/next link) can show a briefing the site does not publish:

* a draft, unless ``--drafts``;
* under embargo (``embargo:`` after now), unless ``--embargoed``, even with ``--future``;
* scheduled (``date:`` after now), unless ``--future``;
* expired (``expires:`` at or before now), unless ``--expired``.

Each such time still ahead is a moment the site changes: :class:`Schedule` keeps them
so a build knows when the published set (or a preview's banner) changes without
reading a briefing, and can say when the next build is due.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.config import SiteConfig
from briefgen.model import Briefing, When


@dataclass(frozen=True)
class Schedule:
    """The moments after ``at`` (a build's clock) at which the site changes, sorted,
    as POSIX timestamps."""

    at: float
    pending: tuple[float, ...] = ()

    def crossed(self, now: dt.datetime) -> bool:
        """True when the published set at ``now`` may differ from the one at ``at``:
        a pending moment has come, or the clock went back."""
        stamp = now.timestamp()
        return stamp < self.at or bool(self.pending) and self.pending[0] <= stamp

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        """The first pending moment after ``now``, in UTC; None when there is none."""
        i = bisect.bisect_right(self.pending, now.timestamp())
        if i == len(self.pending):
            return None
        return dt.datetime.fromtimestamp(self.pending[i], dt.timezone.utc)


def status(briefing: Briefing, now: dt.datetime) -> str:
    """``published``, or why the site holds it back: ``draft``, ``embargoed``,
    ``scheduled``, ``expired`` (in that order)."""
    if briefing.draft:
        return "draft"
    if briefing.embargo is not None and briefing.embargo > now:
        return "embargoed"
    if briefing.when.at > now:
        return "scheduled"
    if briefing.expires is not None and briefing.expires <= now:
        return "expired"
    return "published"


def is_shown(briefing: Briefing, config: SiteConfig, now: dt.datetime) -> bool:
    """Whether the site shows ``briefing`` at ``now`` (each reason checked against its flag:
    an embargoed briefing dated ahead needs ``--embargoed`` and ``--future``)."""
    if briefing.draft and not config.drafts:
        return False
    if briefing.embargo is not None and briefing.embargo > now and not config.embargoed:
        return False
    if briefing.when.at > now and not config.future:
        return False
    return config.expired or briefing.expires is None or briefing.expires > now


def published(briefings: Iterable[Briefing], config: SiteConfig,
              now: dt.datetime) -> tuple[list[Briefing], Schedule]:
    """The briefings the site shows at ``now``, in their order, and the schedule of
    the moments ahead at which that (or a preview banner) changes. One pass: O(n)."""
    stamp = now.timestamp()
    # A briefing dated two days before now (in any zone) with no embargo or expiry is
    # published and sets no moment: the common case costs a date comparison.
    settled = (now - dt.timedelta(days=2)).date()
    shown_now: list[Briefing] = []
    pending: set[float] = set()
    for briefing in briefings:
        if briefing.draft and not config.drafts:
            continue
        if briefing.date < settled and briefing.embargo is None and briefing.expires is None:
            shown_now.append(briefing)
            continue
        for moment in (briefing.embargo, briefing.when.at, briefing.expires):
            if moment is not None and moment.timestamp() > stamp:
                pending.add(moment.timestamp())
        if is_shown(briefing, config, now):
            shown_now.append(briefing)
    return shown_now, Schedule(stamp, tuple(sorted(pending)))


def banner(briefing: Briefing, now: dt.datetime) -> tuple[str, When | None]:
    """What a preview shows above a briefing the public site does not show yet (or
    any more): (``embargoed`` / ``scheduled`` / ``expired`` / ``draft``, the moment
    it changes); ("", None) for a published briefing."""
    state = status(briefing, now)
    moment = {"embargoed": briefing.embargo, "scheduled": briefing.when.at,
              "expired": briefing.expires}.get(state)
    if state == "published":
        return "", None
    return state, When(moment, True) if moment is not None else None
