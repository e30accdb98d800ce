"""What templates know of a build's pictures: the ``pictures`` global.

The build checks every picture and makes its variants (``briefgen.build.images``);
this table maps each briefing's pictures to them, for the lead image, the cards,
link previews (og:image), JSON-LD, and the images in the text, which become
``<picture>`` elements with ``srcset``, ``sizes``, ``width`` and ``height``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from briefgen.imaging import ImageInfo, Variant
from briefgen.model import Briefing, Picture

BODY_SIZES = "(min-width: 48rem) 44rem, 100vw"
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\s([a-z-]+)="([^"]*)"')


@dataclass(frozen=True)
class PictureView:
    """A picture as a template shows it: the author's words and the files."""

    picture: Picture
    info: ImageInfo

    @property
    def alt(self) -> str:
        return self.picture.alt

    @property
    def caption(self) -> str:
        return self.picture.caption

    @property
    def credit(self) -> str:
        return self.picture.credit

    @property
    def webp(self) -> tuple[Variant, ...]:
        return self.info.webp

    @property
    def fallback(self) -> tuple[Variant, ...]:
        return self.info.fallback

    @property
    def largest(self) -> Variant:
        """The widest variant in the original format (``src``, og:image)."""
        return self.info.fallback[-1]


def srcset(variants: tuple[Variant, ...], url: Callable[[str], str]) -> str:
    """``a-480.webp 480w, a-960.webp 960w``."""
    return ", ".join(f"{url(v.path)} {v.width}w" for v in variants)


def picture_html(view: PictureView, url: Callable[[str], str], sizes: str,
                 eager: bool = False) -> Markup:
    """A ``<picture>``: WebP first, the original format as the ``<img>``."""
    largest = view.largest
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return Markup(
        f'<picture><source type="image/webp" srcset="{html.escape(srcset(view.webp, url))}" '
        f'sizes="{html.escape(sizes)}"><img src="{html.escape(url(largest.path))}" '
        f'srcset="{html.escape(srcset(view.fallback, url))}" sizes="{html.escape(sizes)}" '
        f'width="{largest.width}" height="{largest.height}" alt="{html.escape(view.alt)}" '
        f'{loading} decoding="async"></picture>')


@dataclass
class PictureTable:
    """Every picture of the build by (source path as shown, ``src`` as written)."""

    found: dict[tuple[str, str], ImageInfo] = field(default_factory=dict)
    leads: dict[str, ImageInfo] = field(default_factory=dict)   # slug -> its lead image

    def lead(self, briefing: Briefing) -> PictureView | None:
        """The briefing's lead image, or None."""
        picture = briefing.image
        if picture is None:
            return None
        info = self.found.get((briefing.source_path, picture.src))
        return PictureView(picture, info) if info is not None else None

    def html(self, view: PictureView, url: Callable[[str], str], sizes: str,
             eager: bool = False) -> Markup:
        """:func:`picture_html` for templates."""
        return picture_html(view, url, sizes, eager)

    def body(self, briefing: Briefing, text: str, url: Callable[[str], str]) -> Markup:
        """Body HTML (sanitised) with each content picture as a responsive, lazy
        ``<picture>``; other images are left as they are."""
        if "<img" not in text:
            return Markup(text)
        source = briefing.source_path

        def replace(match: re.Match) -> str:
            attrs = dict(_ATTR.findall(match.group(0)))
            src = html.unescape(attrs.get("src", ""))
            info = self.found.get((source, src))
            if info is None:
                return match.group(0)
            alt = html.unescape(attrs.get("alt", ""))
            return picture_html(PictureView(Picture(src, alt), info), url, BODY_SIZES)

        return Markup(_IMG.sub(replace, text))

    def og(self, briefing: Briefing) -> Variant | None:
        """The lead image's widest file in its original format (for link previews)."""
        view = self.lead(briefing)
        return view.largest if view is not None else None

    def with_image(self, data: dict, briefing: Briefing,
                   absolute: Callable[[str], str]) -> dict:
        """JSON-LD ``data`` with the lead image as its ``image`` (an ``ImageObject``)."""
        view = self.lead(briefing)
        if view is None or not isinstance(data, dict):
            return data
        image = {"@type": "ImageObject", "url": absolute(view.largest.path),
                 "width": view.largest.width, "height": view.largest.height}
        if view.caption:
            image["caption"] = view.caption
        if view.credit:
            image["creditText"] = view.credit
        return {**data, "image": image}

    def api_document(self, data: dict) -> dict:
        """A briefing's JSON document with its lead image's files: the path of the
        widest file in the original format, its size, and every variant."""
        info = self.leads.get(data.get("slug", "")) if isinstance(data.get("image"), dict) \
            else None
        if info is None:
            return data
        largest = info.fallback[-1]
        image = {**data["image"], "path": largest.path, "width": largest.width,
                 "height": largest.height,
                 "variants": [{"path": v.path, "width": v.width, "height": v.height,
                               "type": v.mime} for v in info.variants]}
        return {**data, "image": image}

    def keys(self) -> list[str]:
        """One line per picture (for the build's key of its pictures)."""
        return sorted(f"{d}\x00{s}\x00{i.digest}\x00{i.width}x{i.height}"
                      for (d, s), i in self.found.items())
