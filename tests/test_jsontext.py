"""compact_json writes the same text as the standard library's compact form."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from markupsafe import Markup

from briefgen.render import jsontext
from briefgen.render.jsontext import compact_json
from briefgen.yamlsafe import load_yaml


def stdlib(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


SAMPLES = [
    {"title": "Putin’s “red lines” <script>", "n": 3, "share": 0.25, "ok": True, "none": None},
    [dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 10, 30), dt.time(9, 5)],
    {"markup": Markup("<b>x</b>"), "nested": {"list": [1, 2.5, "é", ["deep"]]}},
    {1: "int key", "s": "str key"},
    {"big": 21_000_000_000, "neg": -12, "small": 1e-3, "money": 21e9},
    load_yaml("title: a\nlist:\n  - 1\n  - two\n"),   # dict and list subclasses
    {"object": object.__name__, "set-like": str({"a"})},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_same_text_as_the_standard_library(data):
    assert compact_json(data) == stdlib(data)


def test_values_orjson_refuses_fall_back_to_the_standard_library():
    data = {"huge": 10 ** 30, "text": "ok"}
    assert compact_json(data) == stdlib(data)
    assert json.loads(compact_json({"nan": math.nan})) in ({"nan": None}, {"nan": math.nan})


def test_floats_read_back_the_same():
    for value in (1e16, 1.5e-7, 0.1, 123456.789, 2.0 ** 60):
        assert json.loads(compact_json(value)) == value


def test_without_orjson_the_standard_library_is_used(monkeypatch):
    monkeypatch.setattr(jsontext, "orjson", None)
    assert compact_json(SAMPLES[0]) == stdlib(SAMPLES[0])
