"""Shared fixtures: tiny sites in tmp_path, running the CLI, parsing HTML."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def cache_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The build cache's key for this test session (builds in this process and the
    CLI runs, which inherit the environment), not the user's own."""
    path = tmp_path_factory.mktemp("cache-key") / "key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_CACHE_KEY_FILE", str(path))
        yield path


# The clock every build in the tests sees unless a test sets its own: after every date
# the fixtures use (scale sites run one a day from 2026 for up to 20,000 days), so a
# briefing is never held back as scheduled because of the day the tests run.
TEST_NOW = "4102444800"   # 2100-01-01T00:00:00Z


@pytest.fixture(autouse=True, scope="session")
def fixed_clock() -> Iterator[str]:
    """``SOURCE_DATE_EPOCH`` for builds in this process and the CLI runs: tests never
    depend on the real date (a test that needs another "now" sets its own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", TEST_NOW)
        yield TEST_NOW


def load_bench_corpus():
    """bench/corpus.py as a module (``bench/`` is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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
    proc = subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, env=env, check=False,
                          capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"briefgen {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


@contextlib.contextmanager
def serve_cli(site: Path, *args: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """``briefgen serve --port 0`` running in ``site``: (the process, its port). Stopped
    with Ctrl-C (SIGINT) on leaving, killed if it outlives that."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "--port", "0", *args],
                            cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = ""
        while "Serving" not in line:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
        yield proc, int(line.split()[1].rstrip("/").rsplit(":", 1)[1])
    finally:
        if proc.poll() is None:   # the test did not stop it itself
            proc.send_signal(signal.SIGINT)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


def load_bench(name: str):
    """bench/<name>.py as a module (bench/ is not a package; its scripts import each other
    from their folder, so that folder is on sys.path while one loads)."""
    import importlib.util

    folder = str(REPO / "bench")
    sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(folder)


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


@pytest.fixture(scope="session")
def relative_example(tmp_path_factory) -> Path:
    """The example site built with a base URL that is not absolute (``--base-url /``),
    as a site that has not set its address yet; returns the output directory."""
    from example_builds import build_example

    return build_example(tmp_path_factory.mktemp("relative"), "--base-url", "/")


@pytest.fixture(scope="session")
def example_url(built_example: Path) -> Iterator[str]:
    """The built example site served over HTTP, for browser tests."""
    from static_server import serve_directory

    with serve_directory(built_example) as url:
        yield url


TOOLS = REPO / "tests" / ".tools" / "node_modules"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"]


def _missing(reason: str):
    """Skip with a visible reason, except on CI where the tool must be present."""
    if os.environ.get("BRIEFGEN_REQUIRE_BROWSER"):
        pytest.fail(f"required on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu Html Checker jar (npm vnu-jar in tests/.tools) and a Java to run it."""
    jar = Path(os.environ.get("VNU_JAR", TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"))
    if shutil.which("java") is None:
        _missing("Java not installed (needed by the Nu Html Checker)")
    if not jar.exists():
        _missing(f"vnu.jar not found at {jar} (run: cd tests/.tools && npm install vnu-jar)")
    return jar


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser script (npm axe-core in tests/.tools)."""
    script = TOOLS / "axe-core" / "axe.min.js"
    if not script.exists():
        _missing(f"axe-core not found at {script} (run: cd tests/.tools && npm install axe-core)")
    return script


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium binary."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not path:
        _missing("chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A Playwright-driven headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (Python) not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


@contextlib.contextmanager
def preview_server(output: Path):
    """A preview HTTP server over ``output`` on a free loopback port, in a thread."""
    from briefgen.serve.events import Hub, Status
    from briefgen.serve.gate import BuildGate
    from briefgen.serve.server import PreviewServer, ServeContext

    hub = Hub(Status("tok-1"))
    server = PreviewServer("127.0.0.1", 0, ServeContext(output, hub, BuildGate()))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
