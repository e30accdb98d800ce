"""JSON-LD (read with extruct) and link-preview meta tags on every page."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import pytest
from conftest import REPO, parse_html
from example_builds import ABSOLUTE_BASE, build_example

from briefgen.build import load_site
from briefgen.config import load_config
from briefgen.render.filters import iso, json_script

SCHEMA_TYPES = {"person": "Person", "organisation": "Organization", "country": "Country"}


@pytest.fixture(scope="module")
def absolute(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("abs"), "--base-url", ABSOLUTE_BASE)


def json_ld(path: Path, url: str) -> list[dict]:
    data = extruct.extract(path.read_text(encoding="utf-8"), base_url=url,
                           syntaxes=["json-ld"], uniform=True)
    return data["json-ld"]


def example_briefings():
    briefings, registry, _ = load_site(load_config(REPO / "briefgen.yaml"))
    return [b for b in briefings if not b.draft], registry


def test_every_briefing_is_a_news_article_mentioning_each_actor(absolute: Path) -> None:
    briefings, registry = example_briefings()
    assert briefings
    for briefing in briefings:
        url = f"{ABSOLUTE_BASE}briefings/{briefing.slug}/"
        (article,) = json_ld(absolute / f"briefings/{briefing.slug}/index.html", url)
        assert article["@type"] == "NewsArticle"
        assert article["headline"] == briefing.title
        assert article["datePublished"] == iso(briefing.when)
        assert article["dateModified"] == iso(briefing.changed)
        assert [c["text"] for c in article.get("correction", [])] == [
            n.text for n in reversed(briefing.corrections)]
        assert article["description"] == (briefing.dek or briefing.summary[0])
        assert article["url"] == url
        mentioned = {m["url"]: m for m in article["mentions"]}
        for actor_id in briefing.actor_ids:
            actor = registry.get(actor_id) or briefing.local_actors[actor_id]
            entity = mentioned[f"{ABSOLUTE_BASE}actors/{actor_id}/"]
            assert entity["@type"] == SCHEMA_TYPES[actor.kind]
            assert entity["name"] == actor.name
        assert len(article["mentions"]) == len(briefing.actor_ids)
        assert 1 <= len(article["about"]) <= 3
        assert [c["name"] for c in article.get("citation", [])] == [
            s.title for s in briefing.sources]


def test_actor_pages_describe_the_actor(absolute: Path) -> None:
    (person,) = json_ld(absolute / "actors/peskov/index.html", ABSOLUTE_BASE + "actors/peskov/")
    assert person["@type"] == "Person" and person["name"] == "Dmitry Peskov"
    assert person["sameAs"].startswith("https://")
    assert {a["url"] for a in person["subjectOf"]} >= {
        ABSOLUTE_BASE + "briefings/witkoff-putin-talks/"}
    (org,) = json_ld(absolute / "actors/nato/index.html", ABSOLUTE_BASE + "actors/nato/")
    assert org["@type"] == "Organization"


def test_every_page_has_title_description_canonical_and_previews(absolute: Path) -> None:
    for path in absolute.rglob("*.html"):
        rel = path.relative_to(absolute).as_posix()
        soup = parse_html(path)
        assert soup.title and soup.title.get_text(strip=True), rel
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), rel
        if rel != "404.html":
            canonical = soup.find("link", rel="canonical")["href"]
            assert canonical == ABSOLUTE_BASE + rel.removesuffix("index.html"), rel
            assert soup.find("meta", property="og:url")["content"] == canonical
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            assert soup.find("meta", property=prop)["content"], (rel, prop)
        card = "summary_large_image" if soup.find("meta", property="og:image") else "summary"
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == card, rel
    talks = parse_html(absolute / "briefings/witkoff-putin-talks/index.html")
    # The seed briefing's lead image: an absolute og:image with its size, in JSON-LD too.
    og_image = talks.find("meta", property="og:image")["content"]
    assert og_image.startswith(ABSOLUTE_BASE + "images/") and og_image.endswith("-1600.png")
    assert talks.find("meta", property="og:image:width")["content"] == "1600"
    assert talks.find("meta", property="og:image:height")["content"] == "900"
    (article,) = json_ld(absolute / "briefings/witkoff-putin-talks/index.html",
                         ABSOLUTE_BASE + "briefings/witkoff-putin-talks/")
    assert article["image"]["url"] == og_image
    assert talks.find("meta", attrs={"name": "description"})["content"].startswith(
        "The US envoy")
    assert talks.find("meta", property="og:type")["content"] == "article"


def test_relative_base_url_has_no_canonical(relative_example: Path) -> None:
    soup = parse_html(relative_example / "index.html")
    assert soup.find("link", rel="canonical") is None
    assert soup.find("meta", property="og:url") is None


def test_json_ld_cannot_break_out_of_its_script() -> None:
    hostile = {"headline": "</script><script>alert(1)</script> & <!--"}
    text = str(json_script(hostile))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile
