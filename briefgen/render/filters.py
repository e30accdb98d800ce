"""Jinja filters for dates: ``date_long``, ``iso``, ``month_name``."""

from __future__ import annotations

import datetime as dt

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


def iso(value: dt.date) -> str:
    """``2026-11-25``, the form ``<time datetime>`` accepts (dates stay dates)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def month_name(value: dt.date | int) -> str:
    """``November`` for a date or a month number."""
    month = value if isinstance(value, int) else value.month
    return MONTHS[month - 1]
