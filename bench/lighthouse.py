"""Lighthouse on every page type of the example site, on the mobile and desktop profiles.

    python bench/lighthouse.py [--rounds 3] [--form-factors mobile,desktop] [--json PATH]

Builds the repository's example site into a temporary folder with small pages
(``paginate: 3``, ``paginate_index: 8``, so numbered listing pages and their pager
exist too) for ``https://news.example.com/briefs/``, and serves it from another host,
``http://127.0.0.1:PORT/briefs/``, as a production host would: text gzip-compressed,
a missing URL answered with the site's 404 page and status 404. Then runs Lighthouse
(pinned in tests/.tools) in Debian's headless Chromium on each page type, ``--rounds``
times per profile, and prints the four category scores and the metrics (FCP, LCP, TBT,
CLS) as a Markdown table: the lowest and highest of the rounds. Performance is a
measure of time (Lighthouse simulates a slow phone and network from the observed
load, so a busy machine lowers it): the tests assert the other three categories and
what does not depend on time (no layout shift, no external request, no console
error); this script records Performance. docs/quality.md shows its last output.

The test module tests/test_lighthouse_browser.py uses the same site, server and runner.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))   # the tests' static server, stdlib only

from static_server import serve_directory

TOOLS = REPO / "tests" / ".tools"
RUNNER = BENCH / "lighthouse.mjs"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
BASE_URL = "https://news.example.com/briefs/"
SUB_PATH = "briefs"
# Small pages, so that every kind of page exists in the example: numbered pages
# (the archive's page 1, Who's who's page 2) with their pager.
SETTINGS = {"paginate": "3", "paginate_index": "8"}
MISSING = "no/such/page/"
# Every page type, by the path under the site's base.
PAGES: dict[str, str] = {
    "home": "",
    "briefing": "briefings/witkoff-putin-talks/",
    "actor": "actors/putin/",
    "actors index": "actors/",
    "actors index, page 2": "actors/page/2/",
    "topic": "topics/diplomacy/",
    "topics index": "topics/",
    "archive": "archive/",
    "archive, page 1": "archive/page/1/",
    "archive year": "archive/2025/",
    "archive month": "archive/2025/04/",
    "timeline": "timeline/",
    "corrections": "corrections/",
    "author": "authors/mara-lind/",
    "authors index": "authors/",
    "region": "regions/europe/",
    "regions index": "regions/",
    "search": "search/",
    "404 (missing URL)": MISSING,
    "404 page itself": "404.html",
}
FORM_FACTORS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint",
           "TBT": "total-blocking-time", "CLS": "cumulative-layout-shift"}


@dataclass(frozen=True)
class Run:
    """One Lighthouse run: a page type on a profile."""

    page: str
    form_factor: str
    url: str
    categories: tuple[str, ...] | None = None
    audits: tuple[str, ...] | None = None

    @property
    def ignore_status(self) -> bool:
        """The missing URL answers 404 by design; Lighthouse audits it anyway."""
        return PAGES[self.page] == MISSING


@dataclass
class Report:
    """What a run found: scores (0–100), metrics, and every audit that did not pass."""

    run: Run
    lhr: dict
    scores: dict[str, int | None] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)   # category -> "id: title"

    def __post_init__(self) -> None:
        for name, category in self.lhr.get("categories", {}).items():
            score = category.get("score")
            self.scores[name] = None if score is None else round(score * 100)
            self.failed[name] = [
                f"{ref['id']}: {self.audit(ref['id']).get('title')} "
                f"({self.audit(ref['id']).get('displayValue', '')})".replace(" ()", "")
                for ref in category["auditRefs"]
                if ref.get("weight") and self.audit(ref["id"]).get("score") not in (None, 1)]

    @property
    def error(self) -> str | None:
        problem = self.lhr.get("runtimeError")
        return f"{problem['code']}: {problem['message']}" if problem else None

    def audit(self, audit_id: str) -> dict:
        return self.lhr.get("audits", {}).get(audit_id, {})

    def metric(self, name: str) -> float | None:
        return self.audit(METRICS[name]).get("numericValue")

    def items(self, audit_id: str) -> list[dict]:
        return (self.audit(audit_id).get("details") or {}).get("items", [])


def find_tools(tools: Path = TOOLS) -> tuple[str, str, Path] | str:
    """(node, chromium, tools folder), or why Lighthouse cannot run here."""
    node = shutil.which("node")
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if node is None:
        return "node not installed (apt-get install nodejs npm)"
    if chromium is None:
        return "chromium not installed (apt-get install chromium)"
    if not (tools / "node_modules" / "lighthouse" / "package.json").exists():
        return (f"lighthouse not found in {tools}/node_modules "
                "(run: cd tests/.tools && npm install lighthouse@12.8.2)")
    return node, chromium, tools


def build_site(dest: Path) -> Path:
    """The example site (its config with ``SETTINGS``) built into ``dest``; the output."""
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, dest / name)
    lines = (REPO / "briefgen.yaml").read_text(encoding="utf-8").splitlines()
    for key, value in SETTINGS.items():
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        lines[at] = f"{key}: {value}"
    (dest / "briefgen.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", "--quiet",
                           "--base-url", BASE_URL], cwd=dest, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"the example did not build:\n{proc.stdout}{proc.stderr}")
    return dest / "public"


@contextlib.contextmanager
def serve_site(out: Path, scratch: Path) -> Iterator[str]:
    """Yield the site's URL on another host than its base URL, under its sub-path
    (``http://127.0.0.1:PORT/briefs/``), text compressed, missing URLs given the 404 page."""
    root = scratch / "host"
    root.mkdir()
    (root / SUB_PATH).symlink_to(out, target_is_directory=True)
    with serve_directory(root, not_found=out / "404.html", compress=True) as url:
        yield f"{url}{SUB_PATH}/"


def plan(site_url: str, form_factors=FORM_FACTORS, *, categories=None, audits=None,
         pages=PAGES) -> list[Run]:
    """One run per page type per profile."""
    return [Run(page, form_factor, site_url + pages[page], categories, audits)
            for form_factor in form_factors for page in pages]


def lighthouse(runs: list[Run], tools: tuple[str, str, Path], scratch: Path) -> list[Report]:
    """Run ``runs`` in order, in one headless Chromium; one report each."""
    node, chromium, folder = tools
    out = Path(tempfile.mkdtemp(prefix="reports-", dir=scratch))
    job = {"tools": str(folder), "chrome": chromium, "flags": CHROMIUM_FLAGS, "out": str(out),
           "runs": [{"url": r.url, "formFactor": r.form_factor,
                     "categories": list(r.categories) if r.categories else None,
                     "audits": list(r.audits) if r.audits else None,
                     "ignoreStatusCode": r.ignore_status} for r in runs]}
    proc = subprocess.run([node, "--", str(RUNNER)], input=json.dumps(job), text=True,
                          capture_output=True, timeout=120 + 90 * len(runs), check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"Lighthouse failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    reports = []
    for index, run in enumerate(runs):
        lhr = json.loads((out / f"{index}.json").read_text(encoding="utf-8"))
        reports.append(Report(run, lhr))
    shutil.rmtree(out)
    return reports


def _span(values: list[float], unit: str = "", scale: float = 1, digits: int = 0) -> str:
    shown = [f"{v / scale:.{digits}f}" for v in (min(values), max(values))]
    text = shown[0] if shown[0] == shown[1] else f"{shown[0]}–{shown[1]}"
    return text + unit


def table(reports: list[Report], form_factor: str) -> str:
    """A Markdown table of one profile: each page type's scores and metrics, lowest and
    highest over the rounds."""
    lines = ["| Page type | Perf. | A11y | Best pr. | SEO | FCP | LCP | TBT | CLS |",
             "|---|---|---|---|---|---|---|---|---|"]
    for page in PAGES:
        mine = [r for r in reports if r.run.page == page and r.run.form_factor == form_factor]
        if not mine:
            continue
        if any(r.error for r in mine):
            lines.append(f"| {page} | {mine[0].error} |")
            continue
        cells = [_span([r.scores[c] for r in mine]) for c in CATEGORIES]
        cells += [_span([r.metric("FCP") for r in mine], " s", 1000, 1),
                  _span([r.metric("LCP") for r in mine], " s", 1000, 1),
                  _span([r.metric("TBT") for r in mine], " ms"),
                  _span([r.metric("CLS") for r in mine], digits=3)]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                          check=False).stdout.strip()


def _load() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per page and profile")
    parser.add_argument("--form-factors", default=",".join(FORM_FACTORS),
                        help="mobile, desktop or both (comma-separated)")
    parser.add_argument("--json", type=Path, help="also write every run's scores and "
                                                  "metrics to this file")
    args = parser.parse_args(argv)
    tools = find_tools()
    if isinstance(tools, str):
        print(f"error: {tools}", file=sys.stderr)
        return 1
    form_factors = tuple(args.form_factors.split(","))
    version = json.loads((tools[2] / "node_modules" / "lighthouse" / "package.json")
                         .read_text())["version"]
    chromium = subprocess.run([tools[1], "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    dirty = "-dirty" if _git("status", "--porcelain", "--untracked-files=no") else ""
    started, load_before = dt.datetime.now(dt.timezone.utc), _load()
    with tempfile.TemporaryDirectory(prefix="briefgen-lighthouse-") as scratch_name:
        scratch = Path(scratch_name)
        out = build_site(scratch / "site")
        reports: list[Report] = []
        with serve_site(out, scratch) as site_url:
            for round_number in range(args.rounds):
                print(f"round {round_number + 1} of {args.rounds}…", file=sys.stderr)
                reports += lighthouse(plan(site_url, form_factors), tools, scratch)
    print(f"Lighthouse {version}, {chromium}; briefgen at {_git('rev-parse', '--short', 'HEAD')}"
          f"{dirty}; {started:%Y-%m-%d %H:%M}–{dt.datetime.now(dt.timezone.utc):%H:%M} UTC; "
          f"{args.rounds} round(s); load average {load_before} before, {_load()} after "
          f"({os.cpu_count()} cores).\n")
    for form_factor in form_factors:
        print(f"**{form_factor.capitalize()}**\n\n{table(reports, form_factor)}\n")
    if args.json:
        args.json.write_text(json.dumps([
            {"page": r.run.page, "form_factor": r.run.form_factor, "scores": r.scores,
             "metrics": {m: r.metric(m) for m in METRICS}, "error": r.error,
             "failed": {c: f for c, f in r.failed.items() if f}} for r in reports], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
