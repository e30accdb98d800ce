"""The Google News sitemap: the briefings published in the 48 hours before the build.

Briefings carry a publication *date*, taken (as in the feeds and JSON-LD) as midnight
UTC of that day. The window is ``(now - 48 h, now]``: whatever the time of day, that
holds exactly the briefings dated today or yesterday (UTC), never a future-dated one.
Google reads at most 1,000 URLs from a news sitemap: the newest are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from briefgen.clock import as_utc
from briefgen.model import Briefing

NEWS_PATH = "sitemap-news.xml"
NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_LIMIT = 1000   # Google News reads no more URLs from one news sitemap
# Languages Google News names with a region; every other is its ISO 639 code alone.
_REGIONAL = frozenset({"zh-cn", "zh-tw"})


def news_window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last publication dates inside ``(now - 48 h, now]``."""
    now = as_utc(now)
    return (now - NEWS_WINDOW).date() + dt.timedelta(days=1), now.date()


def window_key(now: dt.datetime) -> str:
    """What of ``now`` the output depends on: the window's dates."""
    first, last = news_window(now)
    return f"news:{first.isoformat()}..{last.isoformat()}"


def news_briefings(briefings: Iterable[Briefing], now: dt.datetime,
                   limit: int = NEWS_LIMIT) -> list[Briefing]:
    """The published briefings inside the window, from ``briefings`` newest first
    (as the site index lists them): only the window's part of the list is visited."""
    first, last = news_window(now)
    chosen: list[Briefing] = []
    for briefing in briefings:
        if briefing.date < first or len(chosen) == limit:
            break
        if briefing.date <= last and not briefing.draft:
            chosen.append(briefing)
    return chosen


def news_language(language: str) -> str:
    """``language`` as Google News wants it: ``en`` for ``en-GB``; ``zh-cn`` and
    ``zh-tw`` as they are."""
    tag = language.strip().lower().replace("_", "-")
    return tag if tag in _REGIONAL else tag.split("-", 1)[0] or "en"
