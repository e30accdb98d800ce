"""Jinja filters: dates (``date_long``, ``moment``, ``iso``, ``month_name``, ``rfc3339``), JSON in a
``<script>`` (``json_script``) and text safe for XML 1.0 (``xml_text``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import Markup

from briefgen.model import When
from briefgen.render.jsontext import compact_json

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_long(value: dt.date) -> str:
    """``25 November 2026``: unambiguous in every English-speaking newsroom."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def moment(value: When) -> str:
    """``4 December 2026, 09:30 CET`` where the source gave a time (in the site's zone),
    ``4 December 2026`` where it gave a date."""
    if not value.timed:
        return date_long(value.date)
    at = value.at
    return f"{date_long(at)}, {at:%H:%M} {at.tzname() or at.strftime('%z')}"


def iso(value: dt.date | When) -> str:
    """``2026-11-25``, the form ``<time datetime>`` accepts (dates stay dates); a moment
    with a time as ``2026-11-25T09:30:00+01:00``."""
    if isinstance(value, When):
        value = value.at if value.timed else value.date
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def month_name(value: dt.date | int) -> str:
    """``November`` for a date or a month number."""
    month = value if isinstance(value, int) else value.month
    return MONTHS[month - 1]


def rfc3339(value: dt.date | When) -> str:
    """``2026-11-25T00:00:00Z``: the timestamp Atom requires, with the moment's offset
    (a plain date is taken as UTC midnight)."""
    if isinstance(value, When):
        value = value.at
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


# Inside <script>, "</script>" or "<!--" in data would end or confuse the element; JSON
# allows these three characters as \u escapes, so the data reads back the same.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_script(data: Any) -> Markup:
    """``data`` as JSON that is safe to place inside a ``<script>`` element."""
    text = compact_json(data)
    return Markup(text.translate(_SCRIPT_ESCAPES))


# Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates; FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """``value`` as text with the characters XML 1.0 cannot hold removed (escaping is
    left to autoescape)."""
    return _NOT_XML.sub("", str(value))
