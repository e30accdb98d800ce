"""Pathological Markdown and annotation input through the whole pipeline, time-bounded.

Each case builds a one-briefing site in a subprocess (parse, annotate, render, write).
It must finish within the bound, or be refused with a located ``source too
large``/``nested too deeply`` error; it must never crash or hang. Times are the
build's CPU seconds in the subprocess, so a busy CI machine does not fail them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import CASES, GROWTH_CASES

from briefgen.sources.text import MAX_SOURCE_BYTES

pytestmark = pytest.mark.hostile

HERE = Path(__file__).resolve().parent
BOUND_SECONDS = 8.0       # 2× cmark's 4 s, at full size
HANG_SECONDS = 60         # wall clock: past this the case is a hang
GROWTH_SCALE = 0.1        # N; the growth check also runs 4·N
MAX_GROWTH = 6.0
LOCATED = re.compile(r"^content/briefings/x\.md:(\d+): .+")


def run_case(case: str, scale: float) -> dict:
    """Build the case's site in a fresh interpreter and return run_case.py's JSON."""
    try:
        proc = subprocess.run([sys.executable, str(HERE / "run_case.py"), case, str(scale)],
                              capture_output=True, text=True, timeout=HANG_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: still running after {HANG_SECONDS} s (a hang)")
    assert proc.returncode == 0, f"{case}: crashed\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout)


def assert_clear_outcome(case: str, result: dict) -> None:
    """Built, or refused with located one-line problems whose lines exist in the file."""
    if result["outcome"] == "built":
        return
    problems = result["problems"]
    assert problems, f"{case}: refused without saying why"
    assert len(problems) <= 51, f"{case}: {len(problems)} problems flood the terminal"
    for problem in problems:
        match = LOCATED.match(problem)
        assert match, f"{case}: unlocated problem {problem!r}"
        assert 1 <= int(match.group(1)) <= result["lines"], f"{case}: bad line in {problem!r}"


@pytest.mark.parametrize("case", list(CASES))
def test_full_size_case_finishes_in_bound_or_is_refused(case: str) -> None:
    """At full size; a case refused as too large also runs just under the size limit."""
    result = run_case(case, 1.0)
    assert_clear_outcome(case, result)
    assert result["cpu"] <= BOUND_SECONDS, f"{case}: {result['cpu']:.1f} s at full size"
    if any("source too large" in p for p in result["problems"]):
        scale = 0.95 * MAX_SOURCE_BYTES / result["bytes"]
        under = run_case(case, scale)
        assert under["bytes"] <= MAX_SOURCE_BYTES
        assert not any("source too large" in p for p in under["problems"])
        assert_clear_outcome(case, under)
        assert under["cpu"] <= BOUND_SECONDS, \
            f"{case}: {under['cpu']:.1f} s at {under['bytes']} bytes"


def test_oversized_sources_are_refused_as_too_large() -> None:
    result = run_case("10 MB source", 1.0)
    assert result["outcome"] == "refused"
    assert "source too large" in result["problems"][0]


def test_over_deep_nesting_is_refused_as_too_deep() -> None:
    result = run_case("nested block quotes", 1.0)
    assert result["outcome"] == "refused"
    assert any("nested too deeply" in p for p in result["problems"])


def best_cpu(case: str, scale: float, runs: int = 2) -> float:
    return min(run_case(case, scale)["cpu"] for _ in range(runs))


@pytest.mark.parametrize("case", GROWTH_CASES)
def test_time_grows_linearly(case: str) -> None:
    """N and 4·N inputs: 4·N may take at most 6× as long (a complexity check, not speed)."""
    small = best_cpu(case, GROWTH_SCALE)
    large = best_cpu(case, 4 * GROWTH_SCALE)
    # Below ~50 ms the ratio is noise from the fixed cost of a build.
    assert large <= MAX_GROWTH * max(small, 0.05), \
        f"{case}: {small:.2f} s at N, {large:.2f} s at 4·N"
