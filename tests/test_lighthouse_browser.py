"""Lighthouse on every page type, on the mobile and the desktop profile: Accessibility,
Best Practices and SEO score 100, and what does not depend on time holds: nothing moves
but a web font's swap between metric-matched faces, no request leaves the site, nothing
fails or logs an error, only the site's own stylesheet blocks rendering.

The example site is built once with small pages (so numbered pages exist too) for
https://news.example.com/briefs/ and served from another host, 127.0.0.1 under /briefs/,
as production serves it (gzip, the 404 page with status 404 for a missing URL); one
Lighthouse run per page type and profile, all in one browser. Performance is a measure
of time, never asserted here: bench/lighthouse.py records it (docs/quality.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import _missing, load_bench

pytestmark = pytest.mark.browser

bench = load_bench("lighthouse")
CATEGORIES = ("accessibility", "best-practices", "seo")
AUDITS = ("cumulative-layout-shift", "layout-shifts", "network-requests",
          "render-blocking-resources")
CASES = [(page, form_factor) for form_factor in bench.FORM_FACTORS for page in bench.PAGES]
MISSING = next(page for page, path in bench.PAGES.items() if path == bench.MISSING)
# A swap between metric-matched faces can still move a line that ends within a pixel
# of its box (whether it happens depends on when the font arrives); anything else that
# moves the layout is a defect. A tenth of Lighthouse's "good" bound, 0.1, at most.
FONT_SHIFT_BOUND = 0.01


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[tuple[str, str], object]:
    tools = bench.find_tools()
    if isinstance(tools, str):
        _missing(tools)
    scratch = tmp_path_factory.mktemp("lighthouse")
    out = bench.build_site(scratch / "site")
    for page, path in bench.PAGES.items():
        if path != bench.MISSING:
            assert (out / path / ("" if path.endswith(".html") else "index.html")).is_file(), page
    with bench.serve_site(out, scratch) as site_url:
        runs = bench.plan(site_url, categories=CATEGORIES, audits=AUDITS)
        found = bench.lighthouse(runs, tools, scratch)
    return {(report.run.page, report.run.form_factor): report for report in found}


def site_of(report) -> str:
    """``http://127.0.0.1:PORT/briefs/``: the run's URL up to the site's sub-path."""
    parts = urlsplit(report.run.url)
    return f"{parts.scheme}://{parts.netloc}/{bench.SUB_PATH}/"


@pytest.mark.parametrize(("page", "form_factor"), CASES)
def test_accessibility_best_practices_and_seo_score_100(reports, page, form_factor) -> None:
    report = reports[page, form_factor]
    assert report.error is None
    assert set(report.scores) == set(CATEGORIES)
    if page != MISSING:
        assert report.scores == dict.fromkeys(CATEGORIES, 100), report.failed
        return
    # A missing URL gets the 404 page with status 404, as it must. Lighthouse reports that
    # status twice, and nothing else: SEO's "unsuccessful HTTP status code" and the
    # browser's own console line for the document. The 404 page's own URL scores 100.
    assert report.scores["accessibility"] == 100, report.failed
    assert [line.split(":")[0] for line in report.failed["seo"]] == ["http-status-code"]
    assert [line.split(":")[0] for line in report.failed["best-practices"]] == [
        "errors-in-console"]
    errors = report.items("errors-in-console")
    assert [(e["sourceLocation"]["url"], e["source"]) for e in errors] == [
        (report.run.url, "network")], errors
    assert "status of 404" in errors[0]["description"]


@pytest.mark.parametrize(("page", "form_factor"), CASES)
def test_nothing_shifts_leaves_the_site_or_fails(reports, page, form_factor) -> None:
    report = reports[page, form_factor]
    site = site_of(report)

    not_fonts = [shift["node"].get("selector") for shift in report.items("layout-shifts")
                 if {cause.get("cause") for cause in (shift.get("subItems") or {}).get(
                     "items", [])} != {"Web font loaded"}]
    assert not_fonts == []
    assert report.metric("CLS") <= FONT_SHIFT_BOUND

    requests = report.items("network-requests")
    assert requests and requests[0]["url"] == report.run.url
    assert [r["url"] for r in requests
            if not r["url"].startswith((site, "data:"))] == []   # data: is in the page
    failed = [(r["url"], r.get("statusCode")) for r in requests
              if r.get("statusCode", 0) >= 400 or r.get("finished") is False]
    expected = [(report.run.url, 404)] if page == MISSING else []
    assert failed == expected
    assert f"{site}assets/style.css" in {r["url"] for r in requests}
    # Compressed as served: the page and its stylesheet travel gzip'd.
    assert all(r["transferSize"] < r["resourceSize"] for r in requests[:2]
               if r["url"].endswith(("/", ".css", ".html")))

    blocking = {item["url"] for item in report.items("render-blocking-resources")}
    assert blocking <= {f"{site}assets/style.css"}
    if page != MISSING:
        assert report.audit("errors-in-console")["score"] == 1
