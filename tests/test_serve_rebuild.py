"""briefgen serve end to end without a browser: rebuilds, errors, robustness, Ctrl-C."""

from __future__ import annotations

import gc
import http.client
import io
import json
import queue
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import serve_cli, write_files

from briefgen.config import load_config
from briefgen.serve.app import Rebuild, ServeOptions, serving
from briefgen.serve.watch import Change, ChangeKind


def briefing(sentence: str) -> str:
    return f"---\ntitle: Talks resume\ndate: 2025-01-02\n---\n\n{sentence}\n"


BROKEN = "---\ntitle: [unclosed\ndate: 2025-01-02\n---\n\nBroken.\n"


def make_site(root: Path, talks: str = briefing("First version.")) -> Path:
    return write_files(root / "site", {
        "briefgen.yaml": "title: Serve test\n",
        "content/briefings/talks.md": talks,
        "content/briefings/other.md": briefing("Another briefing."),
        "static/assets/extra.css": "body { outline: 0 }\n",
    })


class Live:
    """A running preview plus the rebuild reports it produced."""

    def __init__(self, session, out: io.StringIO, err: io.StringIO):
        self.session = session
        self.out, self.err = out, err
        self.reports: queue.Queue[Rebuild] = queue.Queue()
        session.preview.listeners.append(self.reports.put)

    def get(self, path: str, timeout: float = 30) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.session.server.port,
                                          timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            conn.close()

    def next_report(self, timeout: float = 30) -> Rebuild:
        return self.reports.get(timeout=timeout)


@pytest.fixture
def live(tmp_path: Path):
    site = make_site(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                 out=out, err=err) as session:
        yield site, Live(session, out, err)


def test_build_error_keeps_last_good_site_and_reports_everywhere(live):
    site, live = live
    (site / "content/briefings/talks.md").write_text(BROKEN, encoding="utf-8")
    report = live.next_report()
    assert not report.ok
    assert str(report.problems[0]).startswith("content/briefings/talks.md:3:")
    status, body = live.get("/briefings/talks/")
    assert status == 200 and "First version." in body
    errors = json.loads(body.split('id="briefgen-errors">')[1].split("</script>")[0])
    assert errors[0]["path"] == "content/briefings/talks.md" and errors[0]["line"] == 3
    assert "talks.md:3:" in live.err.getvalue()
    assert "build failed with 1 problem" in live.out.getvalue()

    (site / "content/briefings/talks.md").write_text(briefing("Fixed."), encoding="utf-8")
    assert live.next_report().ok
    status, body = live.get("/briefings/talks/")
    assert "Fixed." in body and "briefgen-errors" not in body


def test_config_error_and_internal_error_never_stop_the_server(live):
    site, live = live
    (site / "briefgen.yaml").write_text("title: Serve test\ntitel: typo\n", encoding="utf-8")
    report = live.next_report()
    assert "unknown key 'titel'" in str(report.problems[0])
    assert live.get("/")[0] == 200

    preview = live.session.preview

    def explode(changed=None):
        raise RuntimeError("boom")

    preview.builder.build = explode
    report = preview.rebuild([Change(ChangeKind.CONTENT, site / "content/briefings/talks.md")])
    assert "internal error: RuntimeError: boom" in str(report.problems[0])
    assert "Traceback" in live.err.getvalue()
    assert live.get("/briefings/talks/")[0] == 200


def test_stylesheet_change_is_announced_as_css(live):
    site, live = live
    subscription = live.session.preview.hub.subscribe()
    (site / "static/assets/extra.css").write_text("body { color: red }\n", encoding="utf-8")
    assert live.next_report().ok
    event = subscription.get(timeout=10)
    assert event is not None and event.name == "css"
    assert live.get("/assets/extra.css")[1] == "body{color:red}"   # minified, as built
    (site / "content/briefings/other.md").write_text(briefing("Changed."), encoding="utf-8")
    live.next_report()
    assert subscription.get(timeout=10).name == "reload"


def test_serve_writes_to_a_temporary_folder_removed_on_exit(tmp_path: Path):
    site = make_site(tmp_path)
    with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                 out=io.StringIO(), err=io.StringIO()) as session:
        output = session.preview.output
        assert (output / "index.html").exists()
    assert not (site / "public").exists()
    assert not output.exists()


def test_first_build_failing_still_serves_and_recovers(tmp_path: Path):
    site = make_site(tmp_path, talks=BROKEN)
    out, err = io.StringIO(), io.StringIO()
    with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                 out=out, err=err) as session:
        live = Live(session, out, err)
        status, body = live.get("/")
        assert status == 404 and "No site to show yet" in body
        assert "talks.md:3:" in body and "livereload.js" in body
        (site / "content/briefings/talks.md").write_text(briefing("Now fine."), encoding="utf-8")
        assert live.next_report().ok
        status, body = live.get("/briefings/talks/")
        assert status == 200 and "Now fine." in body


def test_no_reload_serves_pages_untouched(tmp_path: Path):
    site = make_site(tmp_path)
    with serving(lambda: load_config(site / "briefgen.yaml"),
                 ServeOptions(port=0, live_reload=False),
                 out=io.StringIO(), err=io.StringIO()) as session:
        live = Live(session, io.StringIO(), io.StringIO())
        status, body = live.get("/")
        assert status == 200 and "livereload" not in body
        assert live.get("/__briefgen/events")[0] == 404


def test_rebuilds_freeze_the_heap_and_stopping_thaws_it(tmp_path: Path):
    """What a rebuild leaves alive is kept out of the collector's sight (no full
    collection over the kept builder in the middle of the next rebuild), until exit."""
    site = make_site(tmp_path)
    with serving(lambda: load_config(site / "briefgen.yaml"), ServeOptions(port=0),
                 out=io.StringIO(), err=io.StringIO()):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_fifty_rapid_saves_with_requests_in_flight(live):
    """Every request is answered (no error, no half-built page) and the server stays up."""
    site, live = live
    source = site / "content/briefings/talks.md"
    port = live.session.server.port
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def client(path: str) -> None:
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status != 200 or (path.endswith("/") and b"</html>" not in body):
                    failures.append(f"{path}: {response.status}")
                answered[0] += 1
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                failures.append(f"{path}: {type(error).__name__}: {error}")

    def stream() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/__briefgen/events")
        response = conn.getresponse()
        while not stop.is_set() and response.readline():
            pass
        conn.close()

    paths = ["/", "/briefings/talks/", "/briefings/other/", "/assets/extra.css", "/nope/"]
    threads = [threading.Thread(target=client, args=(p.replace("/nope/", "/archive/"),))
               for p in paths * 2]
    threads += [threading.Thread(target=stream, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for n in range(50):
        source.write_text(briefing(f"Save number {n}."), encoding="utf-8")
        # Bursts (coalesced into one rebuild) with a pause after every tenth save.
        time.sleep(0.2 if n % 10 == 9 else 0.005)
    deadline = time.monotonic() + 60
    while "Save number 49." not in live.get("/briefings/talks/")[1]:
        assert time.monotonic() < deadline, "the last save never showed"
        time.sleep(0.05)
    stop.set()
    live.session.preview.hub.close()  # end the event streams too
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures[:10]
    assert answered[0] >= len(paths) * 2
    assert live.reports.qsize() >= 2  # the saves really did rebuild while requests ran
    assert live.get("/")[0] == 200


def test_cli_serve_prints_the_port_and_stops_on_ctrl_c(tmp_path: Path):
    site = make_site(tmp_path)
    with serve_cli(site) as (proc, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Stopped." in out
    assert not (site / "public").exists()
