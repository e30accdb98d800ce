"""The default theme's shipped assets: fonts small, licensed, swapped; the inline script's
hash in docs/security.md (for a Content Security Policy) is the template's."""

from __future__ import annotations

import base64
import hashlib
import re

from conftest import REPO

THEME = REPO / "themes" / "default"
FONTS = THEME / "static" / "assets" / "fonts"


def test_fonts_are_few_small_licensed_woff2_files():
    files = sorted(FONTS.glob("*.woff2"))
    assert len(files) == 4
    assert all(f.read_bytes()[:4] == b"wOF2" for f in files)
    assert sum(f.stat().st_size for f in files) < 80 * 1024
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_every_font_face_swaps_and_points_at_a_shipped_file():
    css = (THEME / "static" / "assets" / "style.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.DOTALL)
    shipped = [f for f in faces if "url(" in f]
    assert len(shipped) == 4
    for face in shipped:
        assert "font-display: swap" in face
        assert (THEME / "static" / "assets" / re.search(r'url\("([^"]+)"\)', face)[1]).is_file()


def test_the_documented_csp_hash_is_the_inline_scripts():
    base = (THEME / "templates" / "base.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.+?)</script>", base)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in (REPO / "docs" / "security.md").read_text(encoding="utf-8")
