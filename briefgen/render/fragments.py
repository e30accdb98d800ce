"""``{% cache key, … %}…{% endcache %}``: render a fragment once per build for each key.

Many pages show the same fragment: every page at one depth has the same header, and
a briefing's card is on the home page and on each of its topics' pages. The pages of
one build share a store (the ``fragments`` context variable, a dict the page plan
makes): the first page to render a fragment for a key stores it, the others reuse it.
Without a store (a page rendered on its own) the fragment is simply rendered.

The key must name everything the fragment shows that differs between the pages that
use it (usually ``page.root``, the way to the site root that every link starts with,
and the briefing or actor shown). Objects that cannot be hashed (briefings) count by
identity; the store keeps them, so an identity is never reused while it lives.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context

STORE = "fragments"


def _part(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return id(value)
    return value


class FragmentCache(Extension):
    """The ``cache`` tag."""

    tags: ClassVar[set[str]] = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        # Each compiled copy of a template gets its own number, so an edited template
        # never meets fragments rendered from its old text.
        self._compiled = itertools.count()

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        number = next(self._compiled)
        # {% set f = cached(key) %}{% if f is none %}{% set f %}body{% endset %}
        # {% do keep(key, f) %}{% endif %}{{ f }}, in a scope of its own.
        key = nodes.Tuple([nodes.Const((parser.name, lineno, number)), *keys], "load")
        name = f"_fragment_{number}"
        store, load = nodes.Name(name, "store"), nodes.Name(name, "load")
        context = nodes.ContextReference()
        return nodes.Scope([
            nodes.Assign(store, self.call_method("_cached", [context, key])),
            nodes.If(nodes.Test(load, "none", [], [], None, None), [
                nodes.AssignBlock(store, None, body),
                nodes.ExprStmt(self.call_method("_keep", [context, key, load])),
            ], [], []),
            nodes.Output([load]),
        ]).set_lineno(lineno)

    @staticmethod
    def _cached(context: Context, key: tuple) -> str | None:
        store = context.get(STORE)
        return None if store is None else store.get(tuple(map(_part, key)), (None, None))[1]

    @staticmethod
    def _keep(context: Context, key: tuple, fragment: str) -> None:
        store = context.get(STORE)
        if store is not None:
            store[tuple(map(_part, key))] = (key, fragment)
