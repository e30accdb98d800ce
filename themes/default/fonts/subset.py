"""Rebuild the theme's WOFF2 fonts: Source Serif 4 and Source Sans 3, subset to Latin.

Run from the repository root after ``npm install @fontsource/source-serif-4
@fontsource-variable/source-sans-3`` in DIR (and ``pip install fonttools brotli``):

    python themes/default/fonts/subset.py DIR/node_modules

Keeps Basic Latin, Latin-1 (accents, £, €-adjacent signs), typographic punctuation
(dashes, curly quotes, ellipsis, primes, guillemets), € and ™, and the OpenType
features the theme uses (kerning, ligatures, tabular and lining figures). Hinting is
dropped: modern browsers do not use it, and it is a third of the bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

UNICODES = ("U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2009-200B,"
            "U+2010-2014,U+2018-201A,U+201C-201E,U+2020-2022,U+2026,U+2030,U+2032-2033,"
            "U+2039-203A,U+2044,U+20AC,U+2122,U+2191,U+2193,U+2212")
FEATURES = "kern,liga,tnum,lnum,onum,case,ccmp,mark,mkmk,locl"
SERIF = "@fontsource/source-serif-4/files/source-serif-4-latin-"
SANS = "@fontsource-variable/source-sans-3/files/source-sans-3-latin-"
FONTS = {   # output name: file in the npm packages
    "source-serif-4-400.woff2": SERIF + "400-normal.woff2",
    "source-serif-4-400-italic.woff2": SERIF + "400-italic.woff2",
    "source-serif-4-700.woff2": SERIF + "700-normal.woff2",
    "source-sans-3.woff2": SANS + "wght-normal.woff2",   # variable: weights 200-900
}
OUT = Path(__file__).resolve().parent.parent / "static" / "assets" / "fonts"


def main(node_modules: Path) -> None:
    for name, source in FONTS.items():
        subset.main([str(node_modules / source), f"--unicodes={UNICODES}",
                     f"--layout-features={FEATURES}", "--flavor=woff2", "--no-hinting",
                     "--desubroutinize", f"--output-file={OUT / name}"])
        print(f"{name}: {(OUT / name).stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
