"""Search on a generated 5,000-briefing site in headless Chromium: what it finds, how it
ranks and marks, its filters, and how many bytes the page and a query download."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from conftest import load_bench_corpus, run_briefgen
from static_server import checked_page, serve_directory

pytestmark = pytest.mark.browser

SIZE = 5000
WAIT_MS = 15_000
FIRST_LOAD_LIMIT = 100_000      # the issue-14 budget, in decimal bytes as the bench weighs it
QUERY_LIMIT = 300_000


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """The benchmark corpus at 5,000 briefings, built under the sub-path ``/news/``."""
    work = tmp_path_factory.mktemp("big")
    site = load_bench_corpus().write_corpus(work, SIZE, shapes=("briefgen",))["briefgen"]
    run_briefgen("build", "--quiet", "--base-url", "https://example.org/news/", cwd=site,
                 check=True)
    served = work / "served"
    served.mkdir()
    os.symlink(site / "public", served / "news")
    return site


@pytest.fixture(scope="module")
def site_url(big_site: Path):
    with serve_directory(big_site.parent / "served") as url:
        yield url + "news/"


class Tracker:
    """Bytes of every response the page received since the last ``reset``."""

    def __init__(self, page):
        self.sizes: dict[str, int] = {}
        page.on("response", self._record)

    def _record(self, response) -> None:
        from playwright.sync_api import Error  # installed: the browser fixture checked

        if response.ok:
            with contextlib.suppress(Error):   # the page closed first
                self.sizes[response.url] = len(response.body())

    def reset(self) -> int:
        total, self.sizes = sum(self.sizes.values()), {}
        return total


@pytest.fixture
def page(browser, site_url):
    def track(page) -> None:
        page.tracker = Tracker(page)

    with checked_page(browser, track) as page:
        page.goto(site_url + "search/")
        page.wait_for_function("!document.getElementById('search-filters').hidden",
                               timeout=WAIT_MS)
        yield page


def search(page, text: str) -> str:
    """Type ``text``; wait for the count to be announced; return the status text."""
    page.tracker.reset()
    page.fill("#search-q", text)
    page.wait_for_function("/(match|Nothing)/.test(document.getElementById('search-status')"
                           ".textContent)", timeout=WAIT_MS)
    return page.inner_text("#search-status")


def wait_for_change(page, before: int) -> int:
    """Wait until the announced count is no longer ``before``; return the new one."""
    page.wait_for_function(
        f"(t => /match|Nothing/.test(t) && !t.startsWith('{before} '))"
        "(document.getElementById('search-status').textContent)", timeout=WAIT_MS)
    return matched(page.inner_text("#search-status"))


def matched(status: str) -> int:
    found = re.match(r"(\d+) briefings? match", status)
    return int(found.group(1)) if found else 0


def result_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        "#search-results a", "els => els.map(a => a.href.split('/').slice(-2)[0])")


def briefing_meta(site: Path, slug: str) -> dict:
    return json.loads((site / "public/briefings" / slug / "index.json").read_text())


def test_first_load_is_small_and_a_query_stays_bounded(page, site_url) -> None:
    first = page.tracker.reset()
    assert 0 < first <= FIRST_LOAD_LIMIT          # HTML, CSS, JS, manifest
    status = search(page, "regional markets")
    assert matched(status) > 20 and "showing the first 20" in status
    assert page.tracker.reset() <= QUERY_LIMIT
    assert len(result_slugs(page)) == 20
    marks = page.eval_on_selector_all("#search-results mark",
                                      "els => els.map(m => m.textContent.toLowerCase())")
    assert marks and set(marks) <= {"regional", "markets"}
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 20",
                           timeout=WAIT_MS)


def test_an_actor_name_finds_the_actor_and_their_briefings(page, big_site) -> None:
    facets = json.loads((big_site / "public/search/facets.json").read_text())
    actor_id, names, _, count = max((a for a in facets["actors"] if a[2] == "person"),
                                    key=lambda a: a[3])
    surname = names.split(" / ")[0].split()[-1]
    status = search(page, surname)
    assert matched(status) >= count
    entity = page.locator("#search-entities a").first
    assert entity.get_attribute("href") == f"../actors/{actor_id}/"
    assert entity.locator("mark").first.inner_text() == surname
    first = result_slugs(page)[0]
    assert actor_id in {a["id"] for a in briefing_meta(big_site, first)["actors"]}


def test_a_one_letter_typo_still_finds_the_briefing(page, big_site) -> None:
    slug = sorted(p.name for p in (big_site / "public/briefings").iterdir())[1234]
    title = briefing_meta(big_site, slug)["title"]
    exact = search(page, title)
    assert slug in result_slugs(page), exact
    word = max(title.split(), key=len)
    assert len(word) >= 5
    typo = word[:3] + ("x" if word[3] != "x" else "y") + word[4:]     # one letter changed
    status = search(page, title.replace(word, typo))
    assert matched(status) and slug in result_slugs(page)
    marked = page.eval_on_selector_all("#search-results mark", "els => els.map(m => m.textContent)")
    assert word in marked                     # the word the typo stood for is marked


def test_topic_and_date_filters_narrow_the_results(page) -> None:
    everything = matched(search(page, "withdrawal"))
    page.select_option("#search-topic", "migration")
    by_topic = wait_for_change(page, everything)
    assert 0 < by_topic < everything
    assert "topic=migration" in page.url
    page.fill("#search-from", "2024-01-01")
    page.fill("#search-to", "2024-06-30")
    page.locator("#search-to").dispatch_event("change")
    assert 0 < wait_for_change(page, by_topic) < by_topic
    dates = page.eval_on_selector_all("#search-results time", "els => els.map(t => t.dateTime)")
    assert dates and all(dt.date(2024, 1, 1).isoformat() <= d <= "2024-06-30" for d in dates)


def test_keyboard_moves_from_the_box_through_entities_and_results(page) -> None:
    search(page, "migration")
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#search-entities') !== null")
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "search-q"


def test_without_javascript_the_archive_is_offered(browser, site_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "search/?q=markets")
        assert page.locator("#search-nojs").is_visible()
        assert page.locator("#search-filters").is_hidden()
        link = page.locator("#search-nojs a", has_text="the archive")
        assert link.get_attribute("href") == "../archive/"
    finally:
        context.close()
