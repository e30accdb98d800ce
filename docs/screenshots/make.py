"""Regenerate the screenshots in this folder from the example site.

    python docs/screenshots/make.py

Builds the repository's example site into a temporary folder, serves it on a
loopback port, and photographs the home, briefing, actor, topic and archive pages
at 390 px (a phone) and 1280 px (a laptop), light and dark, with headless
Chromium (Playwright, and a `chromium` on PATH or in $CHROMIUM). Each image is
the top of the page, up to WIDTHS' height; the briefing at 390 px is also
saved whole (briefing-390-full.png), to show its reading order;
reduced to a 256-colour palette with Pillow so the set stays small.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PAGES = {"home": "", "briefing": "briefings/witkoff-putin-talks/",
         "actor": "actors/putin/", "topic": "topics/diplomacy/", "archive": "archive/"}
WIDTHS = {390: 1600, 1280: 1500}   # width: the most of the page's top shown
FULL = {("briefing", 390, "light")}   # also shown whole, as NAME-WIDTH-full.png


def build_example(dest: Path) -> Path:
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "briefgen.yaml", dest / "briefgen.yaml")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-m", "briefgen", "build", "--quiet"], cwd=dest, env=env,
                   check=True)
    return dest / "public"


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def save_small(png: bytes, path: Path, height: int | None) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if height is not None and image.height > height:
        image = image.crop((0, 0, image.width, height))
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
        .save(path, optimize=True)


def shoot(url: str) -> list[Path]:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    made = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for scheme in ("light", "dark"):
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 800},
                                              color_scheme=scheme)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(url + path, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")
                    png = page.screenshot(full_page=True)
                    stem = f"{name}-{width}{'-dark' if scheme == 'dark' else ''}"
                    for suffix, crop in (("", height), ("-full", None)):
                        if crop is None and (name, width, scheme) not in FULL:
                            continue
                        save_small(png, HERE / f"{stem}{suffix}.png", crop)
                        made.append(HERE / f"{stem}{suffix}.png")
                context.close()
        browser.close()
    return made


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = serve(build_example(Path(tmp)))
        try:
            made = shoot(f"http://127.0.0.1:{server.server_address[1]}/")
        finally:
            server.shutdown()
            server.server_close()
    total = sum(p.stat().st_size for p in made)
    print(f"{len(made)} screenshots, {total / 1024:.0f} KB in {HERE.relative_to(REPO)}/")


if __name__ == "__main__":
    main()
