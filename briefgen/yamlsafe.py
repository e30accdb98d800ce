"""A hardened YAML reader for front matter, the actor registry and the config.

* safe constructors only: ``!!python/...`` and other unknown tags are errors;
* duplicate keys are errors;
* aliases are limited, so an alias bomb is refused instead of eating memory (a
  large document without aliases, such as a registry of 40,000 actors, is not a
  bomb: the callers' byte limits bound it);
* YAML 1.2 core booleans (``true``/``false`` only: ``NO`` stays the string "NO")
  and no sexagesimal numbers (``12:30`` stays a string);
* numbers remember the text they were written as (``1.10``), so string fields
  get exactly what the author typed;
* mappings remember each key's line, so later checks can point at it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

import yaml
import yaml.cyaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

MAX_ALIASES = 100
MAX_NODES = 200_000   # the values aliases may add to a document, once expanded
_LARGE = 1 << 20      # bytes of YAML from which the garbage collector is paused


class YamlError(Exception):
    """A YAML problem at a 1-based line (relative to the text given)."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


class LineDict(dict):
    """A mapping that knows the 1-based line of each of its keys."""

    lines: dict

    def line_of(self, key, default: int | None = None) -> int | None:
        return self.lines.get(key, default)


class LineList(list):
    """A sequence that knows the 1-based line of each item."""

    lines: list


class YamlInt(int):
    """An int that remembers how it was written."""

    raw: str


class YamlFloat(float):
    """A float that remembers how it was written."""

    raw: str


class _Resolver(Resolver):
    pass


# Start from PyYAML's resolvers, then replace bool/int/float with YAML 1.2-like ones.
_Resolver.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in value
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                         "tag:yaml.org,2002:float")]
    for key, value in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


class _Composer(Composer):
    def compose_document(self):
        self._alias_count = 0
        return _checked_root(super().compose_document())

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            self._alias_count += 1
            if self._alias_count > MAX_ALIASES:
                event = self.peek_event()
                raise YamlError(event.start_mark.line + 1,
                                f"too many YAML aliases (more than {MAX_ALIASES})")
        return super().compose_node(parent, index)


def _distinct_nodes(root) -> int:
    """How many nodes the document holds, each counted once however often it is used."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            continue
        children = ([n for pair in node.value for n in pair] if isinstance(node, MappingNode)
                    else node.value)
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def _expanded_size(node, memo: dict, limit: int) -> int:
    """How many values the node stands for once every alias is expanded (capped)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = limit + 1  # a cycle expands forever
    if isinstance(node, ScalarNode):
        size = 1
    elif isinstance(node, MappingNode):
        size = 1 + sum(_expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
                       for k, v in node.value)
    else:
        size = 1 + sum(_expanded_size(child, memo, limit) for child in node.value)
    memo[key] = min(size, limit + 1)
    return memo[key]


class _Constructor(SafeConstructor):
    def construct_yaml_int(self, node):
        text = node.value.replace("_", "")
        # YAML 1.2: decimal digits are decimal even with a leading zero ("012" is 12,
        # not a Python syntax error); octal and hex are spelled 0o… and 0x….
        base = 0 if text[:2].lower() in ("0o", "0x") else 10
        try:
            value = YamlInt(int(text, base))
        except ValueError:
            raise YamlError(node.start_mark.line + 1,
                            f"'{node.value}' is not a valid integer") from None
        value.raw = node.value
        return value

    def construct_yaml_float(self, node):
        value = YamlFloat(SafeConstructor.construct_yaml_float(self, node))
        value.raw = node.value
        return value

    def construct_yaml_timestamp(self, node):
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError as exc:
            raise YamlError(node.start_mark.line + 1, f"invalid date '{node.value}': {exc}")

    def construct_yaml_bool(self, node):
        return node.value.lower() == "true"

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        self.flatten_mapping(node)
        result = LineDict()
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlError(key_node.start_mark.line + 1, "a mapping key must be a plain value")
            if key in result:
                raise YamlError(key_node.start_mark.line + 1,
                                f"duplicate key '{key}' (first on line {result.lines[key]})")
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_yaml_map(self, node):
        yield self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node):
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.lines = [child.start_mark.line + 1 for child in node.value]
        yield result

    def construct_undefined(self, node):
        raise YamlError(node.start_mark.line + 1,
                        f"unsupported YAML tag '{node.tag}' (only plain data is allowed)")


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:bool", _Constructor.construct_yaml_bool)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_yaml_seq)
# Binary data, sets and ordered pairs have no place in front matter or a registry
# (a title that is bytes would reach the page as "b'...'"): refused like any tag.
for _tag in ("binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor.construct_undefined)
_Constructor.add_constructor(None, _Constructor.construct_undefined)


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Composer,
              _Constructor, _Resolver):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


class _NotPlain(Exception):
    """The document needs PyYAML's full constructor."""


_NOT_PLAIN = object()
_PLAIN_DEPTH = 50  # deeper documents take the full path (and its recursion limit)


def _construct_plain(constructor: _Constructor, root):
    """The document built by one direct walk, as the full constructor would build it.

    Front matter is almost always plain data, and PyYAML's general machinery
    (generators, recursion tracking, alias memo) costs most of a load. Returns
    :data:`_NOT_PLAIN` for anything else, to go the full way: an alias (a node
    met twice), merge keys, other tags, duplicate keys, deep nesting, or a value
    that fails (so the error is the full path's).
    """
    seen: set[int] = set()
    scalars = {
        "tag:yaml.org,2002:str": lambda node: node.value,
        "tag:yaml.org,2002:null": lambda node: None,
        "tag:yaml.org,2002:bool": constructor.construct_yaml_bool,
        "tag:yaml.org,2002:int": constructor.construct_yaml_int,
        "tag:yaml.org,2002:float": constructor.construct_yaml_float,
        "tag:yaml.org,2002:timestamp": constructor.construct_yaml_timestamp,
    }

    def build(node, depth: int):
        if id(node) in seen or depth > _PLAIN_DEPTH:
            raise _NotPlain
        seen.add(id(node))
        kind = type(node)
        if kind is ScalarNode and node.tag in scalars:
            return scalars[node.tag](node)
        if kind is MappingNode and node.tag == "tag:yaml.org,2002:map":
            result = LineDict()
            result.lines = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise _NotPlain
                key = build(key_node, depth + 1)
                if key in result:
                    raise _NotPlain
                result[key] = build(value_node, depth + 1)
                result.lines[key] = key_node.start_mark.line + 1
            return result
        if kind is SequenceNode and node.tag == "tag:yaml.org,2002:seq":
            items = LineList(build(child, depth + 1) for child in node.value)
            items.lines = [child.start_mark.line + 1 for child in node.value]
            return items
        raise _NotPlain

    try:
        return build(root, 0)
    except Exception:  # noqa: BLE001 - not plain, or broken: the full path decides
        return _NOT_PLAIN


def _checked_root(node):
    """``node``, unless its aliases expand it by more than :data:`MAX_NODES` values."""
    if node is None:
        return node
    limit = _distinct_nodes(node) + MAX_NODES
    if _expanded_size(node, {}, limit) > limit:
        raise YamlError(node.start_mark.line + 1,
                        f"YAML aliases expand to more than {MAX_NODES} values (an alias bomb?)")
    return node


if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.cyaml.CParser, _Constructor, _Resolver):
        """libyaml scans and composes (fast); our constructor and checks do the rest."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

        def get_single_data(self):
            node = self.get_single_node()
            if node is None:
                return None
            data = _construct_plain(self, node)
            return self.construct_document(_checked_root(node)) if data is _NOT_PLAIN else data

        def dispose(self):
            pass

    _LOADER = _FastLoader
else:
    _LOADER = _Loader


def as_text(value) -> str:
    """A scalar as the author wrote it (``1.10`` stays ``"1.10"``)."""
    if type(value) is str:
        return value
    raw = getattr(value, "raw", None)
    if raw is not None:
        return raw
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def not_text(field: str, value) -> str | None:
    """Why ``value`` cannot fill the text field ``field`` (None when it can): a mapping
    or a list has no text, and its Python form must never reach a page."""
    if isinstance(value, dict):
        return f"{field} must be text, not a mapping (quote it if it holds ': ')"
    if isinstance(value, (list, tuple, set, bytes)):
        return f"{field} must be text, not a list (quote it if it starts with '[')"
    return None


@contextmanager
def _collector_paused(size: int) -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is built: its hundreds
    of thousands of new containers (a registry of 40,000 actors) would otherwise set
    off full collections over and over, tripling the load time. Nothing built here
    holds a cycle."""
    if size < _LARGE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_yaml(text: str):
    """Parse one YAML document safely; raise YamlError with a 1-based line."""
    loader = _LOADER(text)
    try:
        with _collector_paused(len(text)):
            return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.context}, {exc.problem}"
        raise YamlError(line, f"invalid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(None, "YAML nested too deeply") from None
    finally:
        loader.dispose()


__all__ = ["LineDict", "LineList", "ScalarNode", "YamlError", "as_text", "load_yaml", "not_text"]
