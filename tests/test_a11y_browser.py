"""axe-core finds no WCAG 2.2 A/AA violation, light and dark; no console error, no failed
request (favicon included) on the pages people land on."""

from __future__ import annotations

import json

import pytest
from example_builds import build_example
from static_server import serve_directory

pytestmark = pytest.mark.browser

PAGES = [   # every page type
    "",
    "briefings/witkoff-putin-talks/",
    "actors/peskov/",
    "actors/putin/",
    "actors/",
    "topics/diplomacy/",
    "topics/",
    "archive/",
    "archive/2025/04/",
    "search/",
    "search/?q=Peskov",
    "timeline/",
    "archive/",
    "topics/diplomacy/",
    "corrections/",
    "authors/",
    "authors/mara-lind/",
    "regions/",
    "regions/europe/",
    "404.html",
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site_url(example_url: str) -> str:
    return example_url


def summarise(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(n["target"]) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_violations_errors_or_failed_requests(browser, axe_script, site_url, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)
    try:
        page.goto(site_url + path, wait_until="load")
        if path.startswith("search/?q="):
            page.wait_for_function("document.querySelectorAll('#search-results a').length > 0")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark")
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        violations = result["violations"]
        assert violations == [], summarise(violations) + "\n" + json.dumps(
            violations[:1], indent=1)[:2000]
        assert result["passes"], "axe ran no checks"
        assert problems == []
    finally:
        context.close()


def test_favicon_is_requested_and_served(browser, site_url) -> None:
    page = browser.new_page()
    try:
        statuses = {}
        page.on("response", lambda r: statuses.setdefault(r.url.rsplit("/", 1)[-1], r.status))
        page.goto(site_url)
        href = page.eval_on_selector("link[rel=icon]", "l => l.href")
        assert page.request.get(href).status == 200
        assert all(status < 400 for status in statuses.values()), statuses
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 375])
def test_figure_values_fit_their_cards_on_phones(browser, site_url, width) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(site_url + "briefings/witkoff-putin-talks/")
        overflowing = page.eval_on_selector_all(
            ".number", "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
                       ".map(e => e.innerText)")
        assert overflowing == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_404_page_works_on_another_host_under_a_sub_path(browser, axe_script, tmp_path) -> None:
    """Built for https://news.example.com/briefs/ but served from 127.0.0.1 (a preview or
    staging host) under /briefs/: a missing page at any depth gets the 404 page, whose
    stylesheet loads and whose links stay inside /briefs/, with no console error."""
    out = build_example(tmp_path / "site", "--base-url", "https://news.example.com/briefs/")
    served = tmp_path / "root"
    served.mkdir()
    (served / "briefs").symlink_to(out, target_is_directory=True)
    with serve_directory(served, not_found=out / "404.html") as url:
        context = browser.new_context()
        page = context.new_page()
        problems: list[str] = []
        # The document's own 404 status is logged too: that one is the point.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error"
                and m.location.get("url") != page_url else None)
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 and r.url != page_url else None)
        try:
            page_url = url + "briefs/no/such/page/"
            response = page.goto(page_url, wait_until="load")
            page.wait_for_load_state("networkidle")
            assert response.status == 404
            assert page.title().startswith("Page not found")
            sheets = page.evaluate("[...document.styleSheets].map(s => [s.href, "
                                   "s.cssRules.length])")
            assert [href for href, _ in sheets] == [url + "briefs/assets/style.css"]
            assert sheets[0][1] > 20
            links = page.eval_on_selector_all("main a", "els => els.map(a => a.href)")
            assert links and all(link.startswith(url + "briefs/") for link in links), links
            assert page.request.get(links[1]).status == 200
            page.add_script_tag(path=str(axe_script))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
            assert result["violations"] == [], summarise(result["violations"])
            assert problems == []
        finally:
            context.close()
