"""What a build wrote and what a reader downloads: the output tree weighed after a build.

``snapshot`` and ``count_written`` count the files a build created or changed
(by inode, size and mtime, so a file rewritten with the same bytes counts too);
``output_weights`` finds the largest HTML page and the largest JSON or XML file;
``search_first_load`` sums what the search page fetches before anything is typed.
The search page is read as a browser would: the page itself, its stylesheets,
scripts, preloads and icons, what those stylesheets import or point at with
``url()``, what the scripts import statically, and every ``.json`` file the page
names in an attribute (``data-index="…"``, ``data-manifest="…"``) or a script
names as a manifest: those are fetched on load. Index shards fetched only when a
query is typed are not named in the page and so are not counted.
"""

from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

Stamp = tuple[int, int, int]  # (inode, size, mtime_ns)
SEARCH_PAGES = ("search/index.html", "search.html")
LOAD_RELS = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}
CSS_REFS = re.compile(r"""url\(\s*["']?([^"')\s]+)["']?\s*\)|@import\s+["']([^"']+)["']""")
JS_IMPORTS = re.compile(r"""\bimport\s+(?:[\w*{},\s]+\s+from\s+)?["']([^"']+)["']""")
JS_MANIFESTS = re.compile(r"""["']([^"'\s]*manifest[^"'\s]*\.json)["']""")


def snapshot(folder: Path) -> dict[str, Stamp]:
    """Every regular file under ``folder`` (relative POSIX path) with its stamp."""
    found: dict[str, Stamp] = {}
    todo = [("", str(folder))] if folder.is_dir() else []
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    todo.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    found[name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


def count_written(before: dict[str, Stamp], after: dict[str, Stamp]) -> int:
    """Files in ``after`` that are new or whose inode, size or mtime changed."""
    return sum(1 for name, stamp in after.items() if before.get(name) != stamp)


def count_removed(before: dict[str, Stamp], after: dict[str, Stamp]) -> int:
    return sum(1 for name in before if name not in after)


@dataclass
class Weights:
    """The heaviest parts of one output tree, in bytes."""

    files: int = 0
    total: int = 0
    html: int = 0
    largest_html: tuple[str, int] = ("", 0)
    html_over: int = 0  # HTML pages above the page budget
    largest_data: tuple[str, int] = ("", 0)  # the largest .json or .xml
    search: SearchLoad | None = None


@dataclass
class SearchLoad:
    """What the search page fetches on its first load."""

    page: str
    how: str = "read statically"   # or "in Chromium": what a browser really fetched
    parts: list[tuple[str, int]] = field(default_factory=list)  # (output path, bytes)
    gzip: int = 0
    missing: list[str] = field(default_factory=list)  # named but not in the output
    external: list[str] = field(default_factory=list)  # on another host: not counted

    @property
    def total(self) -> int:
        return sum(size for _, size in self.parts)


def output_weights(output: Path, base_url: str, page_budget: int = 300 * 1024,
                   stamps: dict[str, Stamp] | None = None, in_browser: bool = False) -> Weights:
    """Sizes of the output tree's files, its largest pages and the search page's first
    load (``in_browser``: as Chromium fetches it, when it can run; else read statically)."""
    stamps = snapshot(output) if stamps is None else stamps
    weights = Weights(files=len(stamps), total=sum(s for _, s, _ in stamps.values()))
    for name, (_, size, _) in stamps.items():
        if name.endswith((".html", ".htm")):
            weights.html += 1
            weights.html_over += size > page_budget
            if size > weights.largest_html[1]:
                weights.largest_html = (name, size)
        elif name.endswith((".json", ".xml")) and size > weights.largest_data[1]:
            weights.largest_data = (name, size)
    page = next((p for p in SEARCH_PAGES if p in stamps), None)
    if page:
        weights.search = ((browser_first_load(output, page, base_url) if in_browser else None)
                          or search_first_load(output, page, base_url))
    return weights


def browser_first_load(output: Path, page: str, base_url: str,
                       chromium: str | None = None) -> SearchLoad | None:
    """What headless Chromium fetches when it opens ``page`` and the network goes
    quiet, the output served under the base URL's path on 127.0.0.1: fonts the page
    really uses, not every ``url()`` of the stylesheet. None without Playwright or
    Chromium (then the page is read statically)."""
    import shutil
    import tempfile

    chromium = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return None
    if not chromium:
        return None
    root_path = urlsplit(base_url).path.strip("/")
    load = SearchLoad(page, how="in Chromium")
    with tempfile.TemporaryDirectory() as served, _Server(Path(served)) as origin:
        mount = Path(served, root_path) if root_path else Path(served, "site")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(output.resolve(), target_is_directory=True)
        prefix = f"{origin}{root_path + '/' if root_path else 'site/'}"
        bodies: dict[str, bytes] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                try:
                    tab = browser.new_page(viewport={"width": 390, "height": 844})
                    tab.on("response", lambda r: bodies.__setitem__(r.url, r.body())
                           if r.ok else None)
                    tab.goto(prefix + page.removesuffix("index.html"))
                    tab.wait_for_load_state("networkidle")
                finally:
                    browser.close()
        except Error:
            return None
    for url, data in bodies.items():
        name = url[len(prefix):] if url.startswith(prefix) else url
        load.parts.append((name or page, len(data)))
        load.gzip += len(gzip.compress(data, 6))
    return load


class _Server:
    """A static server for ``root`` on 127.0.0.1 (its origin, ``http://…/``)."""

    def __init__(self, root: Path):
        import functools
        import http.server

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))

    def __enter__(self) -> str:
        import threading

        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class _PageRefs(HTMLParser):
    """The URLs an HTML page makes a browser fetch on load, and the JSON files it names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & LOAD_RELS and values.get("href"):
            self.refs.append(values["href"])
        elif tag in ("script", "img", "iframe") and values.get("src"):
            self.refs.append(values["src"])
        for key, value in values.items():
            if key not in ("href", "src") and urlsplit(value).path.endswith(".json"):
                self.refs.append(value)


def search_first_load(output: Path, page: str, base_url: str) -> SearchLoad:
    """Bytes of ``page`` and of everything it fetches before a query is typed."""
    load = SearchLoad(page)
    base = base_url if base_url.endswith("/") else base_url + "/"
    seen: set[str] = set()
    page_url = urljoin(base, page)
    todo: list[tuple[str, str]] = [(page_url, page)]
    while todo:
        url, name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        path = output / name
        if not path.is_file():
            load.missing.append(name)
            continue
        data = path.read_bytes()
        load.parts.append((name, len(data)))
        load.gzip += len(gzip.compress(data, 6))
        for ref, against in _refs(name, data.decode("utf-8", "replace")):
            # A script's fetch() resolves against the page (or a root the page hands it);
            # its imports and a stylesheet's url() against the file itself.
            bases = {"file": [url], "page": [page_url], "script": [page_url, base]}[against]
            found = [(a, _local(a, base)) for a in (urljoin(b, ref) for b in bases)]
            absolute, target = next(((a, t) for a, t in found if t and (output / t).is_file()),
                                    found[0])
            if target is None:
                if urlsplit(ref).scheme in ("http", "https") or ref.startswith("//"):
                    load.external.append(ref)
                continue
            todo.append((absolute, target))
    return load


def _refs(name: str, text: str) -> list[tuple[str, str]]:
    """(URL, what it resolves against: "page", "file" or "script") for one file."""
    if name.endswith((".html", ".htm")):
        parser = _PageRefs()
        parser.feed(text)
        return [(ref, "page") for ref in parser.refs]
    if name.endswith(".css"):
        return [(a or b, "file") for a, b in CSS_REFS.findall(text)]
    if name.endswith((".js", ".mjs")):
        return ([(ref, "file") for ref in JS_IMPORTS.findall(text)]
                + [(ref, "script") for ref in JS_MANIFESTS.findall(text)])
    return []


def _local(url: str, base: str) -> str | None:
    """The output path a URL under the site's base URL is served from; None elsewhere."""
    parts, root = urlsplit(url), urlsplit(base)
    if parts.scheme == "data" or (parts.scheme, parts.netloc) != (root.scheme, root.netloc):
        return None
    if not parts.path.startswith(root.path):
        return None
    name = parts.path[len(root.path):]
    return name + "index.html" if name.endswith("/") or not name else name
