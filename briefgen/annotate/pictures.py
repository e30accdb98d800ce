"""Images in the text, ``![alt](src)``: alt text required, files of the site collected.

An image without alt text is an error; ``![](src){.decorative}`` marks one that is
only decoration. Images that are files of the content folder (a relative path) are
collected as :class:`~briefgen.model.Picture` for the build to size and to serve in
several widths; links to other files of the site (``/assets/x.png``) stay as written.
"""

from __future__ import annotations

from markdown_it.token import Token

from briefgen.annotate.state import Collector
from briefgen.model import Picture
from briefgen.sources.media import local_image_problem

DECORATIVE = "{.decorative}"


def collect_picture(collector: Collector, children: list[Token], index: int,
                    block_map: list[int] | None) -> None:
    """Check the image at ``children[index]`` (of the inline run at ``block_map``) and
    collect it if it is a content file."""
    token = children[index]
    src = str(token.attrGet("src") or "")
    alt = " ".join(token.content.split())
    line = None
    if block_map is not None:
        breaks = sum(t.type in ("softbreak", "hardbreak") for t in children[:index])
        line = collector.file_line(block_map[0] + breaks)
    following = children[index + 1] if index + 1 < len(children) else None
    decorative = (following is not None and following.type == "text"
                  and following.content.startswith(DECORATIVE))
    if decorative:
        following.content = following.content[len(DECORATIVE):]
        if alt:
            collector.problem(line, f"image '{src}' has alt text and {DECORATIVE}: a "
                                    "decorative image has none; keep one of the two")
    elif not alt:
        collector.problem(line, f"image '{src}' has no alt text: say what it shows in "
                                f"![…]({src}), or write ![]({src}){DECORATIVE} if it is "
                                "only decoration")
        return
    if local_image_problem(src) is None and not src.startswith(("#", "?")):
        collector.pictures.append(Picture(src, alt, line=line or 0))
