"""Pictures: check one image file and make its responsive variants with Pillow.

An image is known by the digest of its bytes. Its variants (a few widths, each as
WebP and in the original format) are made once per digest into a cache folder and
reused by every later build: an unchanged picture is never decoded again. Broken
files, formats browsers cannot show and decompression bombs (more pixels than
``images.max_pixels``) are refused with a message saying what to do.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import SourceError
from briefgen.files import read_regular, write_file

MAX_IMAGE_BYTES = 50 * 1024 * 1024
# Pillow format -> (the fallback variant's format, its extension, its MIME type)
FORMATS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("PNG", "png", "image/png"),
    "WEBP": ("PNG", "png", "image/png"),
}


@dataclass(frozen=True)
class Variant:
    """One file of a picture's variants: its site path, size and MIME type."""

    path: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class ImageInfo:
    """A checked picture: the digest of its bytes, its size, and its variants."""

    digest: str
    width: int
    height: int
    variants: tuple[Variant, ...]

    @property
    def webp(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == "image/webp")

    @property
    def fallback(self) -> tuple[Variant, ...]:
        """The variants in the original format, narrowest first (og:image, ``src``)."""
        return tuple(v for v in self.variants if v.mime != "image/webp")


class ImageProblem(ValueError):
    """An image that cannot be used; the message says why and what to do."""


def variant_widths(width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The widths to make: those narrower than the picture, and the picture's own width
    when it is narrower than the widest asked for (never enlarged)."""
    chosen = [w for w in widths if w < width]
    if not chosen or width <= max(widths):
        chosen.append(min(width, max(widths)))
    return tuple(sorted(set(chosen)))


def plan_variants(digest: str, name: str, fmt: str, width: int, height: int,
                  widths: tuple[int, ...]) -> tuple[Variant, ...]:
    """The variants of a picture (no pixel is read): the site paths they go to."""
    _, ext, mime = FORMATS[fmt]
    stem = f"images/{digest[:2]}/{digest[2:14]}-{name}"
    out = []
    for w in variant_widths(width, widths):
        h = max(1, round(height * w / width))
        out.append(Variant(f"{stem}-{w}.webp", w, h, "image/webp"))
        out.append(Variant(f"{stem}-{w}.{ext}", w, h, mime))
    return tuple(out)


def _open(data: bytes, max_pixels: int):
    """Open ``data`` with Pillow (only its header is read), checked for size and format."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
    except UnidentifiedImageError:
        raise ImageProblem("not a picture briefgen can read: use a JPEG, PNG, WebP or GIF "
                           "file") from None
    except Image.DecompressionBombError as error:   # over Pillow's own, higher limit
        image, found = None, re.search(r"\((\d+) pixels\)", str(error))
    pixels = image.width * image.height if image is not None else \
        int(found.group(1)) if found else max_pixels + 1
    if pixels > max_pixels:
        size = f"{image.width}×{image.height} = " if image is not None else ""
        raise ImageProblem(f"the picture is too large ({size}{pixels:,} pixels; the limit is "
                           f"{max_pixels:,}, images.max_pixels): scale it down, or raise the "
                           "limit if it is genuine")
    return image


def probe(path: str | os.PathLike, display: str, max_pixels: int) -> tuple[bytes, str, str,
                                                                           int, int]:
    """(bytes, digest, Pillow format, width, height) of a regular image file."""
    try:
        data = read_regular(path, display, MAX_IMAGE_BYTES)
    except SourceError as error:
        raise ImageProblem(error.problem.message) from None
    image = _open(data, max_pixels)
    return data, hashlib.blake2b(data, digest_size=16).hexdigest(), image.format, \
        image.width, image.height


def make_variants(data: bytes, variants: tuple[Variant, ...], cache: Path, quality: int,
                  max_pixels: int) -> int:
    """Write the variants missing from ``cache`` (named by their site paths); returns how
    many were made. The picture is decoded only when one is missing."""
    missing = [v for v in variants if not (cache / v.path).is_file()]
    if not missing:
        return 0
    from PIL import Image, ImageOps

    image = _open(data, max_pixels)
    fallback_format = FORMATS[image.format][0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise ImageProblem(f"the picture is damaged ({error}): export it again") from None
    for variant in missing:
        frame = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
        if frame.width != variant.width:
            frame = frame.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if variant.mime == "image/webp":
            frame.save(buffer, "WEBP", quality=quality, method=4)
        elif variant.mime == "image/jpeg":
            frame.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True,
                                      progressive=True)
        else:
            frame.save(buffer, fallback_format, optimize=True)
        target = cache / variant.path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"
        write_file(tmp, buffer.getvalue())
        os.replace(tmp, target)
    return len(missing)
