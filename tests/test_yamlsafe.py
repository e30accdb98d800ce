"""Unit tests for briefgen.yamlsafe: the direct constructor matches PyYAML's full one."""

from __future__ import annotations

import pytest
import yaml

from briefgen import yamlsafe
from briefgen.yamlsafe import YamlError, load_yaml

pytestmark = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False),
                                reason="the direct constructor is used with libyaml only")


def _shape(value):
    """Value, type, and the remembered lines and raw text, recursively."""
    if isinstance(value, dict):
        return (type(value), [(_shape(k), _shape(v)) for k, v in value.items()], value.lines)
    if isinstance(value, list):
        return (type(value), [_shape(v) for v in value], value.lines)
    return (type(value), value, getattr(value, "raw", None))


def _both(text: str):
    loader = yamlsafe._LOADER(text)
    node = loader.get_single_node()
    return yamlsafe._construct_plain(loader, node), loader.construct_document(node)


@pytest.mark.parametrize("text", [
    "title: T\ndate: 2025-01-01\nupdated: 2025-01-02 10:00:00\n",
    "summary:\n  - one\n  - 'two'\ntopics: [a, b]\nn: 1.10\nm: 0x1F\nflag: true\nno: NO\nnil: ~\n",
    "actors:\n  bob: Bob\n  eve:\n    name: Eve\n    aliases: [E.]\nsources:\n  - {title: S, url: x}\n",
    "t: 12:30\ny: !!str 12\n1: int key\n",
])
def test_plain_documents_build_as_the_full_constructor_builds_them(text):
    plain, full = _both(text)
    assert _shape(plain) == _shape(full)


@pytest.mark.parametrize("text", [
    "a: &x [1]\nb: *x\n",            # alias: one node met twice
    "base: &b {k: 1}\nother:\n  <<: *b\n",
    "a: 1\na: 2\n",                  # duplicate key: the full path words the error
    "? [a]\n: b\n",                  # a key that is not a scalar
    "x: !!binary aGk=\n",
    "k: " + "[" * 60 + "]" * 60 + "\n",
])
def test_anything_else_takes_the_full_path(text):
    loader = yamlsafe._LOADER(text)
    assert yamlsafe._construct_plain(loader, loader.get_single_node()) is yamlsafe._NOT_PLAIN


def test_errors_are_the_full_paths():
    with pytest.raises(YamlError, match="duplicate key 'a' \\(first on line 1\\)"):
        load_yaml("a: 1\na: 2\n")
    assert load_yaml("a: &x [1]\nb: *x\n") == {"a": [1], "b": [1]}
