"""Search in a real headless Chromium, over HTTP, on the built example site."""

from __future__ import annotations

from pathlib import Path

import pytest
from static_server import checked_page, serve_directory

pytestmark = pytest.mark.browser

WAIT_MS = 10_000


@pytest.fixture(scope="module")
def site_url(built_example: Path):
    with serve_directory(built_example) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    with checked_page(browser) as page:
        page.goto(site_url + "search/")
        yield page


def results(page) -> list[str]:
    return page.eval_on_selector_all("#search-results a", "els => els.map(a => a.href)")


def search(page, text: str) -> list[str]:
    page.fill("#search-q", text)
    page.wait_for_function("document.querySelectorAll("
                           "'#search-results:not([aria-busy]) a').length > 0", timeout=WAIT_MS)
    return results(page)


def test_peskov_lists_the_seed_briefing_first(page) -> None:
    found = search(page, "Peskov")
    assert found[0].endswith("/briefings/witkoff-putin-talks/")
    assert any(url.endswith("/briefings/trump-presses-moscow-ceasefire/") for url in found)
    assert "briefings match" in page.inner_text("#search-status")
    assert page.is_hidden("#search-nojs")


def test_a_figure_label_finds_its_briefing(page) -> None:
    # A label only one briefing has: that briefing first.
    found = search(page, "Start of Russia's full-scale invasion of Ukraine")
    assert found[0].endswith("/briefings/witkoff-putin-talks/")
    found = search(page, "Length of the St Petersburg talks")
    assert found[0].endswith("/briefings/trump-presses-moscow-ceasefire/")
    # A label two briefings share: both found.
    found = search(page, "Military aid pledged to Ukraine")
    assert {url.rsplit("/", 2)[-2] for url in found} >= {
        "witkoff-putin-talks", "allies-pledge-military-aid"}
    assert search(page, "€21 billion")


def test_title_and_actor_matches_rank_above_gist_matches(page) -> None:
    found = search(page, "Karelina")
    # Her own briefing (title and cast) before the seed, which names her in its gist.
    assert found[0].endswith("/briefings/karelina-prisoner-exchange/")


def test_arrow_keys_and_enter_open_a_result(page, site_url) -> None:
    search(page, "Peskov")
    # The actor comes first, then the briefings.
    found = page.eval_on_selector_all("#search-entities a, #search-results a",
                                      "els => els.map(a => a.href)")
    assert found[0].endswith("/actors/peskov/") and len(found) >= 3
    page.focus("#search-q")
    for expected in found[:3]:
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.href") == expected
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == found[1]
    assert "Witkoff meets Putin" in page.inner_text("h1")


def test_header_box_leads_to_results(browser, site_url) -> None:
    page = browser.new_page()
    try:
        page.goto(site_url + "briefings/witkoff-putin-talks/")
        page.fill("#site-search-q", "Peskov")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/search/?q=Peskov" in page.url
        page.wait_for_function("document.querySelectorAll('#search-results a').length > 0",
                               timeout=WAIT_MS)
        assert results(page)[0].endswith("/briefings/witkoff-putin-talks/")
        assert page.input_value("#search-q") == "Peskov"
    finally:
        page.close()


def test_without_javascript_the_page_says_so(browser, site_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "search/?q=Peskov")
        note = page.locator("#search-nojs")
        assert note.is_visible()
        assert "needs JavaScript" in note.inner_text()
        assert note.locator("a", has_text="the archive").get_attribute("href") == "../archive/"
    finally:
        context.close()
