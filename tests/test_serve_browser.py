"""Acceptance for briefgen serve in a real headless Chromium.

The test never navigates after opening the page: every change it sees arrives
through the live-reload stream (reload, stylesheet swap, error overlay).
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import write_files

from briefgen.config import load_config
from briefgen.serve.app import ServeOptions, serving

pytestmark = pytest.mark.browser

WAIT_MS = 20_000


def briefing(sentence: str) -> str:
    return f"---\ntitle: Talks resume\ndate: 2025-01-02\n---\n\n{sentence}\n"


BROKEN = "---\ntitle: [unclosed\ndate: 2025-01-02\n---\n\nBroken.\n"


@pytest.fixture
def live(tmp_path: Path):
    site = write_files(tmp_path / "site", {
        "briefgen.yaml": "title: Live preview test\n",
        "content/briefings/talks.md": briefing("The first version of the text."),
        "static/assets/extra.css": "body { outline: 0 }\n",
    })
    with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                 out=io.StringIO(), err=io.StringIO()) as session:
        yield site, session


def wait_for_streams(session, count: int) -> None:
    """Let the pages' event streams connect before touching the sources."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while session.preview.hub.subscriber_count < count:
        assert time.monotonic() < deadline, "the page never opened its event stream"
        time.sleep(0.02)


def page_has(text: str) -> str:
    return f"document.body && document.body.innerText.includes({text!r})"


def test_edit_break_and_fix_a_briefing_live(browser, live):
    site, session = live
    source = site / "content/briefings/talks.md"
    page = browser.new_page()
    try:
        page.goto(session.url + "briefings/talks/")
        assert "first version" in page.inner_text("main")
        wait_for_streams(session, 1)

        source.write_text(briefing("The second version, edited on disk."), encoding="utf-8")
        page.wait_for_function(page_has("second version"), timeout=WAIT_MS)

        wait_for_streams(session, 1)
        source.write_text(BROKEN, encoding="utf-8")
        overlay = page.locator("#briefgen-overlay")
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        assert "content/briefings/talks.md:3:" in overlay.inner_text()
        assert overlay.get_attribute("role") == "alert"
        assert "second version" in page.inner_text("main")  # the last good page underneath

        # A page opened while the build is broken shows the overlay at once.
        other = browser.new_page()
        try:
            other.goto(session.url)
            other.locator("#briefgen-overlay").wait_for(state="visible", timeout=WAIT_MS)
            assert "talks.md:3:" in other.locator("#briefgen-overlay").inner_text()
        finally:
            other.close()

        source.write_text(briefing("The third version, fixed."), encoding="utf-8")
        page.wait_for_function(page_has("third version"), timeout=WAIT_MS)
        overlay.wait_for(state="detached", timeout=WAIT_MS)
    finally:
        page.close()


def test_stylesheet_change_swaps_without_reload(browser, live):
    site, session = live
    page = browser.new_page()
    try:
        page.goto(session.url + "briefings/talks/")
        page.evaluate("window.__notReloaded = true")
        wait_for_streams(session, 1)
        # extra.css is not linked by the theme; link it so the swap has a target.
        page.evaluate("""() => { const l = document.createElement('link');
            l.rel = 'stylesheet'; l.href = '/assets/extra.css';
            document.head.appendChild(l); }""")
        (site / "static/assets/extra.css").write_text(
            "body { outline: 7px solid rgb(1, 2, 3) }\n", encoding="utf-8")
        page.wait_for_function(
            "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=WAIT_MS)
        assert page.evaluate("window.__notReloaded") is True
    finally:
        page.close()
