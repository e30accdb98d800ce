"""Unit tests for briefgen.figures.parse_figure."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.figures import MAX_FIGURE_CHARS, parse_figure
from briefgen.model import FigureValue


@pytest.mark.parametrize("text, value, unit, kind", [
    ("€21 billion", 21e9, "EUR", "currency"),
    ("$3.5m", 3.5e6, "USD", "currency"),
    ("£400,000", 400_000, "GBP", "currency"),
    ("US$ 2 bn", 2e9, "USD", "currency"),
    ("21 billion euros", 21e9, "EUR", "currency"),
    ("EUR 5 million", 5e6, "EUR", "currency"),
    ("more than $2bn", 2e9, "USD", "currency"),
    ("40%", 40, "%", "percent"),
    ("4.5 per cent", 4.5, "%", "percent"),
    ("4.5 percent", 4.5, "%", "percent"),
    ("-3%", -3, "%", "percent"),
    ("2 percentage points", 2, "pp", "percent"),
    ("1,200 troops", 1200, "troops", "count"),
    ("about 1,200 troops", 1200, "troops", "count"),
    ("3 million people", 3e6, "people", "count"),
    ("0.5", 0.5, None, "count"),
    ("12 years", 12, "year", "duration"),
    ("6 months", 6, "month", "duration"),
    ("two weeks", 2, "week", "duration"),
    ("10 days", 10, "day", "duration"),
    ("48 hours", 48, "hour", "duration"),
    ("12-year", 12, "year", "duration"),
    ("third meeting", 3, "meeting", "ordinal"),
    ("3rd", 3, None, "ordinal"),
    ("3rd meeting", 3, "meeting", "ordinal"),
    ("fifth engagement", 5, "engagement", "ordinal"),
    ("February 2022", 2022, "2022-02", "date"),
    ("24 February 2022", 2022, "2022-02-24", "date"),
    ("February 24, 2022", 2022, "2022-02-24", "date"),
    ("2022-02-24", 2022, "2022-02-24", "date"),
    ("2022", 2022, "2022", "date"),
])
def test_parse_figure(text, value, unit, kind):
    assert parse_figure(text) == FigureValue(pytest.approx(value), unit, kind)


@pytest.mark.parametrize("text, unit", [
    ("12 March", "--03-12"), ("Saturday 12 March", "--03-12"), ("March 12", "--03-12"),
    ("3rd December", "--12-03"), ("29 February", "--02-29"),
])
def test_a_day_without_a_year_is_a_date_not_a_count(text, unit):
    assert parse_figure(text) == FigureValue(None, unit, "date")


@pytest.mark.parametrize("text", ["", "hello", "€", "30 February 2022", "31 April", "x" * 1000,
                                  "1" * (MAX_FIGURE_CHARS + 1)])
def test_unparseable_gives_empty_value(text):
    assert parse_figure(text).kind is None


def test_nbsp_and_extra_spaces_are_normalised():
    assert parse_figure("€\u00a021  billion") == FigureValue(21e9, "EUR", "currency")


@given(st.text(max_size=400))
@settings(max_examples=500, deadline=None)
def test_never_raises(text):
    result = parse_figure(text)
    assert isinstance(result, FigureValue)
    assert result.kind in (None, "currency", "percent", "count", "duration", "ordinal", "date")


@given(st.text(alphabet="0123456789,. -$€%bnmkyearsthirdFebruary", max_size=MAX_FIGURE_CHARS))
@settings(max_examples=300, deadline=None)
def test_never_raises_on_figure_like_text(text):
    parse_figure(text)


@pytest.mark.parametrize("text", [
    "1," * 99, "1" * 199, "€" + " 1" * 99, "1 " * 100, "third " * 33, "February " * 22,
    "$" + "1,000" * 39, "-" * 200, "9" * 30 + "." + "9" * 20 + " trillion",
])
def test_adversarial_inputs_are_fast(text):
    start = time.perf_counter()
    for _ in range(100):
        parse_figure(text)
    assert time.perf_counter() - start < 0.5
