"""Parse a figure's text ("€21 billion", "12 years", "40%") into value, unit and kind.

Pure and total: :func:`parse_figure` never raises and runs in linear time on any
input (text longer than :data:`MAX_FIGURE_CHARS` is not parsed at all, and every
pattern is anchored with bounded repetition).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from briefgen.model import FigureValue

MAX_FIGURE_CHARS = 200

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
NUMBER_WORDS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                     "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12})
ORDINAL_WORDS = {word: n for n, word in enumerate((
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
    "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"))}
ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100})
SCALES = {"trillion": 10**12, "tn": 10**12, "trn": 10**12, "billion": 10**9, "bn": 10**9,
          "b": 10**9, "million": 10**6, "mn": 10**6, "m": 10**6, "thousand": 10**3, "k": 10**3}
CURRENCY_PREFIXES = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB",
                     "₴": "UAH", "₹": "INR", "a$": "AUD", "c$": "CAD", "chf": "CHF",
                     "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "rub": "RUB",
                     "uah": "UAH", "cny": "CNY", "inr": "INR", "aud": "AUD", "cad": "CAD"}
CURRENCY_WORDS = {"us dollars": "USD", "us dollar": "USD", "dollars": "USD", "dollar": "USD",
                  "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
                  "pound": "GBP", "sterling": "GBP", "yen": "JPY", "roubles": "RUB",
                  "rubles": "RUB", "rouble": "RUB", "ruble": "RUB", "hryvnias": "UAH",
                  "hryvnia": "UAH", "yuan": "CNY", "rupees": "INR", "swiss francs": "CHF",
                  **{code.lower(): code for code in ("USD", "EUR", "GBP", "JPY", "RUB", "UAH",
                                                     "CNY", "CHF", "INR", "AUD", "CAD")}}
DURATION_UNITS = {"year": "year", "years": "year", "yr": "year", "yrs": "year",
                  "month": "month", "months": "month", "week": "week", "weeks": "week",
                  "day": "day", "days": "day", "hour": "hour", "hours": "hour",
                  "minute": "minute", "minutes": "minute", "decade": "decade",
                  "decades": "decade"}
QUALIFIERS = ("approximately", "at least", "more than", "fewer than", "less than", "up to",
              "nearly", "almost", "around", "roughly", "about", "over", "under", "some",
              "just", "~", "c.", "ca.")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s)?({_MONTH})\.?,?\s(\d{{4}})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(
    rf"({_MONTH})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?,?\s(\d{{4}})", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s)?"
_DAY_MONTH = re.compile(rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s({_MONTH})\.?", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"{_WEEKDAY}({_MONTH})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?", re.IGNORECASE)
_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_ORDINAL = re.compile(r"(\d{1,9})(?:st|nd|rd|th)\b[\s-]?(.{0,200})", re.IGNORECASE)
_PREFIX = "|".join(re.escape(p) for p in sorted(CURRENCY_PREFIXES, key=len, reverse=True))
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_WORD_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_AMOUNT = re.compile(
    rf"(?P<cur>{_PREFIX})?[ ]?(?P<sign>[-−+])?"
    rf"(?:(?P<num>\d{{1,3}}(?:,\d{{3}}){{1,10}}(?:\.\d{{1,20}})?|\d{{1,30}}(?:\.\d{{1,20}})?"
    rf"|\.\d{{1,20}})|(?P<word>{_WORD_NUMBER})\b)"
    rf"(?:[ ]?(?P<scale>{_SCALE})\b)?[ -]?(?P<rest>.{{0,200}})",
    re.IGNORECASE,
)
# A qualifier is followed by a space ("~" need not be); the first listed wins.
_QUALIFIER = re.compile(
    "(" + "|".join(re.escape(q) for q in QUALIFIERS if q != "~") + ") |(~)")
# The first currency word, in CURRENCY_WORDS order, that is all of the text or followed by a space.
_CURRENCY_WORD = re.compile("(" + "|".join(re.escape(w) for w in CURRENCY_WORDS) + r")(?: |\Z)")
_PERCENT = re.compile(r"(?:%|per ?cent\b|pc\b)", re.IGNORECASE)
_PERCENT_POINTS = re.compile(r"(?:percentage points?|pp|points?)\b", re.IGNORECASE)


def parse_figure(text: str) -> FigureValue:
    """Parse a figure's text into a :class:`FigureValue`; unparseable text gives ``kind=None``.

    Kinds and units:

    - currency: ``value`` in units of the currency, ``unit`` its ISO code
      ("€21 billion" → 21e9 EUR; "$3.5m" → 3.5e6 USD; "21 billion euros").
    - percent: unit ``"%"`` ("40%", "4.5 per cent"), or ``"pp"`` for percentage points.
    - count: the rest of the text as unit ("1,200 troops" → 1200 "troops"), None if bare.
    - duration: singular unit ("12 years" → 12 "year").
    - ordinal: the rest of the text as unit ("third meeting", "3rd meeting" → 3 "meeting").
    - date: ``unit`` is the ISO date ("February 2022" → "2022-02", "24 February 2022" →
      "2022-02-24", "2022" → "2022") and ``value`` the year, so dates sort and bucket;
      a day without a year ("12 March") has unit "--03-12" and no value.
    """
    try:
        if not isinstance(text, str) or len(text) > MAX_FIGURE_CHARS:
            return FigureValue()
        clean = " ".join(unicodedata.normalize("NFKC", text).split()).rstrip(".,;:")
        clean = _strip_qualifier(clean)
        for parser in (_parse_date, _parse_ordinal, _parse_amount):
            value = parser(clean)
            if value is not None:
                return value
    except (ValueError, ArithmeticError, OverflowError):
        pass
    return FigureValue()


def _strip_qualifier(text: str) -> str:
    match = _QUALIFIER.match(text.lower())
    if match is None:
        return text
    return text[len(match.group(1) or match.group(2)):].strip()


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _parse_date(text: str) -> FigureValue | None:
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match:
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        match = _MONTH_DAY_YEAR.fullmatch(text)
        if match:
            month, day, year = match.group(1), match.group(2), match.group(3)
    if match:
        iso = _iso(int(year), MONTHS[month.lower()], int(day) if day else None)
        return FigureValue(float(year), iso, "date") if iso else FigureValue()
    match = _ISO_DATE.fullmatch(text)
    if match:
        day = match.group(3)
        iso = _iso(int(match.group(1)), int(match.group(2)), int(day) if day else None)
        return FigureValue(float(match.group(1)), iso, "date") if iso else FigureValue()
    if _YEAR.fullmatch(text):
        return FigureValue(float(text), text, "date")
    return _parse_day(text)


def _parse_day(text: str) -> FigureValue | None:
    """A day without a year ("12 March", "Saturday 12 March", "March 12"): a date whose
    unit is the ISO 8601 month-day ``--03-12`` and whose value (the year) is unknown;
    never a count of "March"."""
    match = _DAY_MONTH.fullmatch(text)
    day, month = (match.group(1), match.group(2)) if match else (None, None)
    match = match or _MONTH_DAY.fullmatch(text)
    if match and day is None:
        month, day = match.group(1), match.group(2)
    if not match:
        return None
    number = MONTHS[month.lower()]
    if _iso(2000, number, int(day)) is None:  # a leap year: 29 February is a day
        return FigureValue()
    return FigureValue(None, f"--{number:02d}-{int(day):02d}", "date")


def _parse_ordinal(text: str) -> FigureValue | None:
    match = _ORDINAL.fullmatch(text)
    if match:
        return FigureValue(float(match.group(1)), _unit(match.group(2)), "ordinal")
    word, _, rest = text.partition(" ")
    number = ORDINAL_WORDS.get(word.lower())
    if number is None:
        return None
    return FigureValue(float(number), _unit(rest), "ordinal")


def _parse_amount(text: str) -> FigureValue | None:
    match = _AMOUNT.match(text)
    if match is None:
        return None
    value = _number(match)
    rest = match.group("rest").strip()
    currency = CURRENCY_PREFIXES.get((match.group("cur") or "").lower())
    if currency is None:
        currency, rest = _currency_word(rest)
    if currency:
        return FigureValue(value, currency, "currency")
    if _PERCENT.match(rest):
        return FigureValue(value, "%", "percent")
    if _PERCENT_POINTS.fullmatch(rest):
        return FigureValue(value, "pp", "percent")
    duration = DURATION_UNITS.get(rest.split(" ", 1)[0].lower()) if rest else None
    if duration:
        return FigureValue(value, duration, "duration")
    return FigureValue(value, _unit(rest), "count")


def _number(match: re.Match) -> float:
    if match.group("num") is not None:
        number = Decimal(match.group("num").replace(",", ""))
    else:
        number = Decimal(NUMBER_WORDS[match.group("word").lower()])
    scale = match.group("scale")
    if scale:
        number *= SCALES[scale.lower()]
    if match.group("sign") in ("-", "−"):
        number = -number
    return float(number)


def _currency_word(rest: str) -> tuple[str | None, str]:
    match = _CURRENCY_WORD.match(rest.lower())
    if match is None:
        return None, rest
    word = match.group(1)
    return CURRENCY_WORDS[word], rest[len(word):].strip()


def _unit(rest: str) -> str | None:
    rest = rest.strip(" -,.;:")
    return rest or None

