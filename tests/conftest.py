"""Shared fixtures: tiny sites in tmp_path, running the CLI, parsing HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text, dedented, or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_briefgen(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter, as a user would, from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"briefgen {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def parse_html(path: Path):
    """Parse an output page with a real HTML5 parser."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repository's example site (config, content, seeds) in tmp_path."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("content", "seeds"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, site / name)
    if (REPO / "briefgen.yaml").exists():
        shutil.copy(REPO / "briefgen.yaml", site / "briefgen.yaml")
    return site


@pytest.fixture(scope="session")
def built_example(tmp_path_factory) -> Path:
    """The example site built once per test session; returns the output directory."""
    site = tmp_path_factory.mktemp("example")
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, site / name)
    if (REPO / "briefgen.yaml").exists():
        shutil.copy(REPO / "briefgen.yaml", site / "briefgen.yaml")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    return site / "public"
