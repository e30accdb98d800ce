"""One ``briefgen serve`` session: a Builder, the watcher and the server, wired.

:class:`Preview` owns what happens on a change: classify, rebuild behind the
gate, record the status, tell the open pages, print one line.
:class:`PreviewSession` starts and stops the pieces around it.
"""

from __future__ import annotations

import gc
import itertools
import secrets
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from briefgen.build import Builder
from briefgen.build.write import check_output_dir
from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError, BuildError, ConfigError, Problem
from briefgen.leftovers import remove_stale_temp, temp_prefix
from briefgen.serve.events import Hub, Status
from briefgen.serve.gate import BuildGate
from briefgen.serve.server import PreviewServer, ServeContext
from briefgen.serve.watch import (
    Change,
    ChangeKind,
    Debouncer,
    WatchedPaths,
    Watcher,
    classify_all,
    describe,
    is_css_only,
)

ConfigLoader = Callable[[], SiteConfig]


class ServeError(BriefgenError):
    """The server cannot start (address in use, not permitted, …)."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    live_reload: bool = True
    open_browser: bool = False
    output: Path | None = None  # None: a temporary folder, removed on exit
    debounce: float = 0.05           # quiet seconds before a rebuild, while a file may be mid-write
    settled_debounce: float = 0.01   # ... once every changed file was closed or moved into place


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did: for the terminal line, the browsers, tests and benchmarks."""

    changes: tuple[Change, ...]
    problems: tuple[Problem, ...] = ()
    pages: int = 0
    written: int = 0
    milliseconds: float = 0.0
    finished: float = 0.0  # time.perf_counter() once the new site is served

    @property
    def ok(self) -> bool:
        return not self.problems


def problems_of(error: BaseException) -> tuple[Problem, ...]:
    """A failed build's problems, whatever it raised (never raises itself)."""
    if isinstance(error, (BuildError, ConfigError)):
        return tuple(error.problems)
    if isinstance(error, BriefgenError):
        return (Problem("briefgen", None, str(error)),)
    return (Problem("briefgen", None, f"internal error: {type(error).__name__}: {error} "
                    "(a bug in briefgen; the terminal shows the traceback)"),)


class Preview:
    """Rebuilds on change, keeps the last good site served, tells the open pages."""

    def __init__(self, load_config: ConfigLoader, output: Path,
                 out: TextIO | None = None, err: TextIO | None = None):
        self._load = load_config
        self.output = output
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.config = self._configure(load_config())
        self.builder = Builder(self.config, persist=False)
        self.watched = WatchedPaths.from_config(self.config)
        self.gate = BuildGate()
        self._tokens = (f"{secrets.token_hex(4)}-{n}" for n in itertools.count(1))
        self.hub = Hub(Status(next(self._tokens)))
        self.listeners: list[Callable[[Rebuild], None]] = []

    def _configure(self, config: SiteConfig) -> SiteConfig:
        """Serve at the root, into the preview's own output folder."""
        return config.with_overrides(output_dir=str(self.output), base_url="/")

    def on_batch(self, paths: list[Path]) -> None:
        """The debouncer's callback: rebuild for the paths that matter (never raises)."""
        changes = classify_all(paths, self.watched)
        if not changes:
            self.gate.release_pending()
            return
        self.rebuild(changes)

    def rebuild(self, changes: list[Change] | None = None) -> Rebuild:
        """Rebuild (everything when ``changes`` is None), then report and announce."""
        changes = list(changes or [])
        css_only = is_css_only(changes) and not self.hub.status.problems
        started = time.perf_counter()
        with self.gate.building():
            try:
                result = self._build(changes)
            except Exception as error:  # noqa: BLE001 - a failed build never stops the server
                if not isinstance(error, BriefgenError):
                    traceback.print_exc(file=self.err)
                report = Rebuild(tuple(changes), problems_of(error))
                status = Status(self.hub.status.build, report.problems)
            else:
                report = Rebuild(tuple(changes), (), result.pages, result.written)
                status = Status(next(self._tokens))
        report = _finished(report, started)
        self.hub.announce(status, css_only=css_only)
        self._print(report)
        for listener in self.listeners:
            listener(report)
        # After the browsers were told: a full collection after a slow rebuild takes
        # a third of a second at 5,000 briefings and must not delay the reload.
        _tidy_heap(report.milliseconds / 1000)
        return report

    def _build(self, changes: list[Change]):
        if not changes or any(c.kind is ChangeKind.CONFIG for c in changes):
            self._reload_config()
            return self.builder.build(None)
        return self.builder.build([c.path for c in changes])

    def _reload_config(self) -> None:
        config = self._configure(self._load())  # a ConfigError keeps the old builder
        if config != self.config:
            self.config = config
            self.builder = Builder(config, persist=False)
            self.watched = WatchedPaths.from_config(config)

    def _print(self, report: Rebuild) -> None:
        stamp = time.strftime("%H:%M:%S")
        what = describe(list(report.changes)) if report.changes else "initial build"
        if report.ok:
            print(f"{stamp} {what} → {report.written} files written "
                  f"(site: {report.pages} pages) in {report.milliseconds:.0f} ms",
                  file=self.out, flush=True)
            return
        count = len(report.problems)
        print(f"{stamp} {what} → build failed with {count} problem{'s' if count != 1 else ''}; "
              "still serving the last good build", file=self.out, flush=True)
        for problem in report.problems:
            print(problem, file=self.err, flush=True)


# The kept builder holds a large, long-lived heap (a third of a second for a full
# garbage collection at 5,000 briefings). After each rebuild what is left alive is
# frozen out of the collector's sight, so the collections that interrupt the next
# rebuild walk only what changed since. Cyclic garbage frozen meanwhile is reclaimed
# after the next slow (full) rebuild, where a full collection costs little in comparison.
SLOW_REBUILD = 1.0  # seconds


def _tidy_heap(seconds: float) -> None:
    if seconds >= SLOW_REBUILD:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)  # the young garbage of this rebuild, before it is frozen
    gc.freeze()


def _finished(report: Rebuild, started: float) -> Rebuild:
    now = time.perf_counter()
    return Rebuild(report.changes, report.problems, report.pages, report.written,
                   (now - started) * 1000, now)


class PreviewSession:
    """Start, serve and stop one preview: bind, build, watch, answer requests."""

    def __init__(self, load_config: ConfigLoader, options: ServeOptions = ServeOptions(),
                 out: TextIO | None = None, err: TextIO | None = None):
        self._load = load_config
        self.options = options
        self._out, self._err = out, err
        self._tempdir: tempfile.TemporaryDirectory | None = None
        self._serving = threading.Event()
        self.preview: Preview | None = None
        self.server: PreviewServer | None = None
        self._watcher: Watcher | None = None
        self._debouncer: Debouncer | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> str:
        """Bind the port, build once, start watching; returns the site's URL."""
        self.preview = Preview(self._load, self._output_folder(), self._out, self._err)
        config = self.preview.config
        check_output_dir(config.output_path, config.root, config.content_path)
        self.server = self._bind(ServeContext(config.output_path, self.preview.hub,
                                              self.preview.gate, self.options.live_reload))
        self.preview.rebuild()
        self._debouncer = Debouncer(self._flush, self.options.debounce,
                                    on_first=self.preview.gate.mark_pending,
                                    settled_delay=self.options.settled_debounce)
        self._watcher = Watcher(self.preview.watched, self._debouncer.add)
        self._debouncer.start()
        self._watcher.start()
        return self.server.url

    def _output_folder(self) -> Path:
        if self.options.output is not None:
            return self.options.output.resolve()
        remove_stale_temp("serve")   # the output of previews that were killed
        self._tempdir = tempfile.TemporaryDirectory(prefix=temp_prefix("serve"))
        return Path(self._tempdir.name).resolve() / "site"

    def _bind(self, context: ServeContext) -> PreviewServer:
        try:
            return PreviewServer(self.options.host, self.options.port, context)
        except OSError as error:
            raise ServeError(f"cannot serve on {self.options.host}:{self.options.port}: "
                             f"{error.strerror or error} (try --port 0 for a free port)"
                             ) from None

    def _flush(self, paths: list[Path]) -> None:
        self.preview.on_batch(paths)
        self._watcher.retarget(self.preview.watched)  # a new theme, or a new static/

    def serve_forever(self) -> None:
        """Answer requests until ``stop()`` (from another thread) or Ctrl-C."""
        self._serving.set()
        self.server.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="briefgen-serve", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop watching, end the event streams, close the port, drop the temporary output."""
        if self._watcher is not None:
            self._watcher.stop()
        if self._debouncer is not None:
            self._debouncer.stop()
        if self.preview is not None:
            self.preview.hub.close()
        if self.server is not None:
            if self._serving.is_set():
                self.server.shutdown()
            self.server.server_close()
        if self._tempdir is not None:
            self._tempdir.cleanup()
        gc.unfreeze()  # the builder's heap is ordinary garbage again


@contextmanager
def serving(load_config: ConfigLoader, options: ServeOptions = ServeOptions(),
            out: TextIO | None = None, err: TextIO | None = None) -> Iterator[PreviewSession]:
    """A started session answering requests on a background thread (tests, benchmarks)."""
    session = PreviewSession(load_config, options, out, err)
    try:
        session.start()
        session.serve_in_thread()
        yield session
    finally:
        session.stop()
