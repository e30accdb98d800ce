"""The briefing page in Chromium: reading order from element positions at phone and desktop
widths, no text wider than the screen, the theme's own fonts in use, print on two pages,
and the light/dark switch."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.browser

SEED = "briefings/witkoff-putin-talks/"
# The reading order: each block starts below (or, for a sidebar, beside) the one before.
ORDER = ["h1.briefing__title", ".briefing__dek", ".gist", ".section--why-it-matters",
         ".numbers", ".cast", ".story", ".section--whats-next", ".sources"]
BOX = "e => { const r = e.getBoundingClientRect(); " \
      "return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; }"


@pytest.fixture(scope="module")
def site_url(example_url: str) -> str:
    return example_url


@pytest.fixture
def open_page(browser, site_url):
    contexts = []

    def opener(path: str, width: int = 1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        return page
    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_reading_order_is_the_same_at_every_width(open_page, width):
    page = open_page(SEED, width)
    boxes = [page.eval_on_selector(selector, BOX) for selector in ORDER]
    for (before, a), (after, b) in zip(zip(ORDER, boxes), zip(ORDER[1:], boxes[1:])):
        assert b["top"] >= a["bottom"] - 1, f"{after} starts above the end of {before}"
    story, sidebar = boxes[ORDER.index(".story")], page.eval_on_selector(".sidebar", BOX)
    nxt = boxes[ORDER.index(".section--whats-next")]
    assert sidebar["top"] >= story["top"] and sidebar["bottom"] <= nxt["top"] + 1
    if width >= 960:   # beside the story it belongs to
        assert sidebar["left"] >= story["right"] and sidebar["top"] < story["bottom"]
    else:              # after it
        assert sidebar["top"] >= story["bottom"] - 1


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["", SEED, "actors/putin/", "topics/diplomacy/", "archive/"])
def test_no_text_runs_off_the_screen(open_page, path, width):
    page = open_page(path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate("""w => [...document.body.querySelectorAll('*')]
        .filter(e => !e.closest('.visually-hidden, .skip-link') && e.getClientRects().length)
        .filter(e => e.getBoundingClientRect().right > w + 0.5
                  || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
                     && e.clientWidth > 0 && getComputedStyle(e).display !== 'inline')
        .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""", width)
    assert wide == []


def test_the_themes_fonts_are_loaded_and_used_by_role(open_page):
    page = open_page(SEED)
    loaded = page.evaluate("""[...document.fonts].filter(f => f.status === 'loaded')
        .map(f => `${f.family.replace(/"/g, '')} ${f.weight} ${f.style}`)""")
    for face in ("Source Serif 4 400 normal", "Source Serif 4 700 normal",
                 "Source Sans 3 200 900 normal"):
        assert face in loaded
    family = "(s) => getComputedStyle(document.querySelector(s)).fontFamily.split(',')[0]"
    roles = {"h1.briefing__title": "Source Serif 4", ".story .prose": "Source Serif 4",
             ".gist li": "Source Serif 4", ".site-nav a": "Source Sans 3",
             ".number__value": "Source Sans 3", ".cast__name": "Source Sans 3"}
    for selector, expected in roles.items():
        assert page.evaluate(family, selector).strip('"') == expected, selector
    # Served by the site itself: every font request went to the page's own origin.
    origin = page.evaluate("location.origin")
    fonts = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"
                          ".filter(n => n.endsWith('.woff2'))")
    assert fonts and all(url.startswith(origin) for url in fonts)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_seed_briefing_prints_on_two_pages(open_page, paper):
    from pypdf import PdfReader

    page = open_page(SEED)
    pdf = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    assert len(pdf.pages) <= 2
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Why it matters".upper() in text and "Sources".upper() in text
    page.emulate_media(media="print")
    for selector in (".number", ".sidebar", ".gist", ".cast__item"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).breakInside") == "avoid"


def test_printed_sources_show_their_urls(open_page):
    from pypdf import PdfReader

    page = open_page("briefings/trump-presses-moscow-ceasefire/")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages)
    assert "themoscowtimes.com/2025/04/11/trump-tells-russia" in text.replace("\n", "")


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_theme_switch_defaults_to_the_system_and_remembers_the_choice(open_page):
    page = open_page(SEED, color_scheme="dark")
    button = page.get_by_role("button", name="Dark mode")
    assert button.get_attribute("aria-pressed") == "true"
    dark = background(page)
    button.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    light = background(page)
    assert light != dark
    assert page.evaluate("localStorage.getItem('briefgen-theme')") == "light"
    # The next page starts light, before any deferred script runs: no flash of dark.
    page.route("**/theme.js", lambda route: route.abort())
    page.goto(page.url.replace(SEED, "archive/"))
    assert background(page) == light
    assert page.evaluate("document.documentElement.dataset.theme") == "light"


def test_without_javascript_the_system_setting_applies(open_page):
    page = open_page(SEED, color_scheme="dark", java_script_enabled=False)
    assert page.locator(".theme-toggle").is_hidden()
    assert background(page) == "rgb(18, 20, 23)"
    light = open_page(SEED, color_scheme="light", java_script_enabled=False)
    assert background(light) == "rgb(250, 249, 246)"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_font_swap_moves_nothing_on_the_first_screen(browser, site_url, width):
    """While the fonts load, metric-matched stand-ins hold the same lines (no layout shift)."""
    tops = []
    for block_fonts in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            if block_fonts:
                page.route("**/*.woff2", lambda route: route.abort())
            page.goto(site_url + SEED)
            page.wait_for_load_state("networkidle")
            tops.append([page.eval_on_selector(s, "e => Math.round(e.getBoundingClientRect().top)")
                         for s in (".site-main", ".briefing__dek", ".gist", ".gist li:last-child",
                                   ".section--why-it-matters")])
        finally:
            context.close()
    loaded, fallback = tops
    assert all(abs(a - b) <= 2 for a, b in zip(loaded, fallback)), (loaded, fallback)
