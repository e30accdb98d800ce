"""The ``{% cache %}`` tag: a fragment rendered once per build and key, never stale."""

from __future__ import annotations

import dataclasses

import jinja2

from briefgen.indexes import build_index
from briefgen.render import Renderer, plan_pages
from briefgen.render.fragments import FragmentCache
from tests.test_render import REGISTRY, make_briefings, make_config


def environment(templates: dict[str, str]) -> tuple[jinja2.Environment, list[str]]:
    """An environment whose ``render_count(x)`` records every time a fragment renders."""
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                             extensions=[FragmentCache])
    rendered: list[str] = []
    env.globals["render_count"] = lambda name: rendered.append(name) or name
    return env, rendered


def test_a_fragment_renders_once_per_key_in_a_store():
    env, rendered = environment({
        "t.html": "{% cache who %}<b>{{ render_count(who) }}</b>{% endcache %}|{{ who }}",
    })
    template, store = env.get_template("t.html"), {}
    assert template.render(who="a", fragments=store) == "<b>a</b>|a"
    assert template.render(who="a", fragments=store) == "<b>a</b>|a"
    assert template.render(who="b&", fragments=store) == "<b>b&amp;</b>|b&amp;"
    assert rendered == ["a", "b&"]


def test_without_a_store_a_fragment_is_rendered_every_time():
    env, rendered = environment({"t.html": "{% cache 1 %}{{ render_count('x') }}{% endcache %}"})
    template = env.get_template("t.html")
    assert template.render() == template.render() == "x"
    assert rendered == ["x", "x"]


def test_unhashable_key_parts_count_by_identity():
    env, rendered = environment({
        "t.html": "{% for item in items %}{% cache item %}{{ render_count(item[0]) }}"
                  "{% endcache %}{% endfor %}",
    })
    first, twin = ["x"], ["x"]
    store: dict = {}
    html = env.get_template("t.html").render(items=[first, twin, first], fragments=store)
    assert html == "xxx"
    assert len(rendered) == 2


def test_each_tag_and_each_compiled_template_has_its_own_fragments():
    templates = {"t.html": "{% cache 1 %}one{% endcache %}{% cache 1 %}two{% endcache %}"}
    env, _ = environment(templates)
    store: dict = {}
    assert env.get_template("t.html").render(fragments=store) == "onetwo"
    templates["t.html"] = "{% cache 1 %}edited{% endcache %}"
    env.cache.clear()  # as when the file changes on disk
    assert env.get_template("t.html").render(fragments=store) == "edited"


def test_pages_render_the_same_with_and_without_the_shared_store(tmp_path):
    config = make_config(tmp_path)
    index = build_index(make_briefings(), REGISTRY)
    renderer = Renderer(config)
    pages = [p for p in plan_pages(config, index) if p.format == "html"]
    assert all("fragments" in p.context for p in pages)
    shared = [renderer.render(p) for p in pages]
    alone = []
    for page in pages:
        context = {k: v for k, v in page.context.items() if k != "fragments"}
        alone.append(renderer.render(dataclasses.replace(page, context=context)))
    assert shared == alone
    assert pages[0].context["fragments"], "the default theme caches its header and cards"
