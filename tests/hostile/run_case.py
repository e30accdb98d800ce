"""Build a one-briefing site from one pathological case; print the outcome as JSON.

Run in a subprocess by the tests (``python run_case.py CASE SCALE``) so a hang can be
killed and the CPU time measured without the test process's own noise. The JSON has
``outcome`` (``built`` or ``refused``), the build's CPU seconds, and the problems.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE)]

from hostile_corpus import ACTORS_YAML, source

from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BuildError


def run(case: str, scale: float) -> dict:
    """Build the case's site in a temporary folder; never raises for a BuildError."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        briefings = root / "content" / "briefings"
        briefings.mkdir(parents=True)
        (root / "content" / "actors.yaml").write_text(ACTORS_YAML, encoding="utf-8")
        data = source(case, scale).encode("utf-8")
        (briefings / "x.md").write_bytes(data)
        config = load_config(root=root)
        started = time.process_time()
        try:
            result = Builder(config, jobs=1, clean=True).build()
            outcome = {"outcome": "built", "pages": result.pages, "problems": []}
        except BuildError as exc:
            outcome = {"outcome": "refused", "problems": [str(p) for p in exc.problems]}
        outcome["cpu"] = time.process_time() - started
        outcome["bytes"] = len(data)
        outcome["lines"] = data.count(b"\n") + 1
        return outcome


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], float(sys.argv[2]))))
