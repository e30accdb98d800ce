"""Live-preview latency: save one briefing → rebuild done → page reloaded in Chromium.

Generates an N-briefing site with bench/corpus.py (or takes ``--site``), starts
``briefgen serve`` in-process, opens one briefing in headless Chromium and edits
its source several times. For each save it records the time to the end of the
rebuild (the new site in place), the time until the reloaded page's ``load``
event in the browser, and how many files that rebuild wrote.

Usage: ``python bench/serve_latency.py [--size 1000] [--edits 5] [--site DIR]``
"""

from __future__ import annotations

import argparse
import io
import queue
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from briefgen.config import load_config
from briefgen.serve.app import Rebuild, ServeOptions, serving

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"]
# Stamped on every page load, in the same wall clock as Python's time.time().
LOADED_AT = "window.addEventListener('load', () => { window.__loadedAt = Date.now(); });"


def generate_site(size: int, parent: Path) -> Path:
    from corpus import write_corpus  # bench/corpus.py: deterministic, shared with run.py

    return write_corpus(parent, size, shapes=("briefgen",))["briefgen"]


def pick_briefing(site: Path) -> Path:
    sources = sorted((site / "content" / "briefings").glob("*.md"))
    return sources[len(sources) // 2]


def edit(source: Path, original: str, marker: str) -> None:
    """Add one sentence at the end of the body (a typical one-briefing edit)."""
    source.write_text(original.rstrip("\n") + f"\n\nEdited paragraph {marker}.\n",
                      encoding="utf-8")


def wait_subscribed(session, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while session.preview.hub.subscriber_count < 1:
        if time.monotonic() > deadline:
            raise SystemExit("the page never opened its live-reload stream")
        time.sleep(0.01)


def measure(site: Path, edits: int, chromium: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    reports: queue.Queue[Rebuild] = queue.Queue()
    source = pick_briefing(site)
    original = source.read_text(encoding="utf-8")
    log = io.StringIO()
    results = []
    try:
        with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                     out=log, err=log) as session, sync_playwright() as pw:
            session.preview.listeners.append(reports.put)
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.add_init_script(LOADED_AT)
            page.goto(f"{session.url}briefings/{source.stem}/")
            total_files = sum(1 for p in session.preview.output.rglob("*") if p.is_file())
            for n in range(edits):
                wait_subscribed(session)
                time.sleep(0.3)  # let the previous round settle (no overlap between runs)
                marker = f"run-{n}-{time.time_ns()}"
                saved_wall, saved = time.time(), time.perf_counter()
                edit(source, original, marker)
                report = reports.get(timeout=120)
                page.wait_for_function(
                    f"document.body && document.body.innerText.includes({marker!r}) "
                    "&& window.__loadedAt", timeout=120_000)
                loaded_at = page.evaluate("window.__loadedAt") / 1000
                results.append({
                    "rebuild_ms": (report.finished - saved) * 1000,
                    "build_ms": report.milliseconds,
                    "reload_ms": (loaded_at - saved_wall) * 1000,
                    "written": report.written,
                    "pages": report.pages,
                    "total_files": total_files,
                    "ok": report.ok,
                })
            browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="briefings to generate")
    parser.add_argument("--site", type=Path, help="use this site instead of generating one")
    parser.add_argument("--edits", type=int, default=5, help="saves to measure")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefgen-serve-bench-") as tmp:
        if args.site:
            site = args.site.resolve()
        else:
            started = time.perf_counter()
            site = generate_site(args.size, Path(tmp))
            print(f"generated {args.size} briefings in {time.perf_counter() - started:.1f} s")
        results = measure(site, args.edits, args.chromium)
    for n, r in enumerate(results, 1):
        print(f"edit {n}: save→rebuild done {r['rebuild_ms']:.0f} ms "
              f"(build {r['build_ms']:.0f} ms), save→page reloaded {r['reload_ms']:.0f} ms, "
              f"{r['written']} files written (site: {r['pages']} pages)")
    total = results[0]["total_files"]
    share = statistics.median(r["written"] for r in results) / total
    print(f"median over {len(results)} edits, site of {total} output files: "
          f"save→rebuild done {statistics.median(r['rebuild_ms'] for r in results):.0f} ms, "
          f"save→page reloaded {statistics.median(r['reload_ms'] for r in results):.0f} ms, "
          f"files written {statistics.median(r['written'] for r in results):.0f} "
          f"({share:.1%} of the site)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
