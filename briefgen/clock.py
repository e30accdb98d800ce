"""The build's clock: what "now" is for the output that depends on it (the news sitemap).

``SOURCE_DATE_EPOCH`` (the reproducible-builds.org convention) sets it, so a build can be
repeated byte for byte and tests never depend on the real date; otherwise it is the
current time, in UTC.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from briefgen.errors import ConfigError, Problem

ENV_NAME = "SOURCE_DATE_EPOCH"


def build_now(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """Now, as an aware UTC datetime: ``SOURCE_DATE_EPOCH`` if set, else the clock."""
    value = (os.environ if environ is None else environ).get(ENV_NAME, "").strip()
    if not value:
        return dt.datetime.now(dt.timezone.utc)
    try:
        if not value.isdigit():
            raise ValueError(value)
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ConfigError([Problem(ENV_NAME, None,
                                   f"'{value}' is not a Unix timestamp (whole seconds since "
                                   "1970-01-01 UTC): set it to one, e.g. $(date +%s), "
                                   "or unset it")]) from None


def as_utc(now: dt.datetime) -> dt.datetime:
    """``now`` in UTC; a naive datetime is taken to be UTC already."""
    if now.tzinfo is None:
        return now.replace(tzinfo=dt.timezone.utc)
    return now.astimezone(dt.timezone.utc)
