"""Moments in time as front matter writes them: a date, or a date-time with an offset.

A bare date is the start of that day in the site's time zone, and a date-time without
an offset is a wall-clock time there; a date-time with an offset is that instant. Every
moment is kept as an aware datetime in the site's zone (:class:`briefgen.model.When`),
so pages show local time and feeds, JSON-LD and the API carry full ISO 8601 times.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from briefgen.model import When

DEFAULT_ZONE = "UTC"
FORMS = "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]±HH:MM (e.g. 2026-12-04T09:30:00+01:00)"


@functools.lru_cache(maxsize=64)
def site_zone(name: str) -> dt.tzinfo | None:
    """The IANA zone ``name`` (``Europe/Paris``), or None when there is no such zone."""
    if not name or name != name.strip() or "\\" in name or ".." in name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def read_when(value: Any, zone: dt.tzinfo) -> When | None:
    """``value`` (a YAML date or timestamp, or text) as a moment in ``zone``; None when
    it is not a date or a date-time."""
    if isinstance(value, str):
        value = _from_text(value.strip())
        if value is None:
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return When(value.replace(tzinfo=zone).astimezone(zone), True)
        return When(value.astimezone(zone), True)
    if isinstance(value, dt.date):
        midnight = dt.datetime(value.year, value.month, value.day, tzinfo=zone)
        return When(midnight.astimezone(zone), False)
    return None


def _from_text(text: str) -> dt.date | dt.datetime | None:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        if len(text) > 10 and text[10] in "Tt ":
            return dt.datetime.fromisoformat(text[:10] + "T" + text[11:])
    except ValueError:
        return None
    return None


def utc_text(moment: dt.datetime) -> str:
    """``2026-12-05T06:00:00Z``: a moment as scripts read it."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")
