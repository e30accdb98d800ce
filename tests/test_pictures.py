"""Pictures end to end: variants, srcset, alt text, bombs, og:image, warm builds."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from conftest import parse_html, write_files
from PIL import Image

from briefgen import imaging
from briefgen.build import Builder
from briefgen.config import load_config
from briefgen.errors import BuildError

STORY = """\
    ---
    title: Aid
    date: 2026-11-02
    image:
      src: chart.png
      alt: A bar chart of aid pledged by country
      caption: Pledges by country.
      credit: Newsroom graphic
    ---

    [€21 billion]{{.figure label="aid"}} was pledged.

    ![The map of the front line](map.jpg)

    ![](rule.png){{.decorative}}

    {extra}
    """


def draw(path: Path, size: tuple[int, int], fmt: str = "PNG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (30, 90, 160))
    for x in range(0, size[0], 40):
        for y in range(size[1] // 2, size[1]):
            image.putpixel((x, y), (250, 200, 0))
    image.save(path, fmt)


def make_site(tmp_path: Path, extra: str = "") -> Path:
    site = write_files(tmp_path / "site", {
        "briefgen.yaml": "title: News\nbase_url: https://example.org/news/\n",
        "content/briefings/aid.md": STORY.format(extra=extra.replace("\n", "\n    ")),
        "content/briefings/other.md": "---\ntitle: Other\ndate: 2026-11-01\n---\n\nText.\n",
    })
    draw(site / "content" / "images" / "chart.png", (2000, 1000))
    draw(site / "content" / "briefings" / "map.jpg", (800, 600), "JPEG")
    draw(site / "content" / "images" / "rule.png", (300, 10))
    return site


def build(site: Path, jobs: int = 1):
    return Builder(load_config(root=site), jobs=jobs).build()


def test_variants_srcset_and_the_lead_image_everywhere(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = build(site)
    out = site / "public"
    doc = parse_html(out / "briefings" / "aid" / "index.html")
    lead = doc.select_one(".briefing__image picture img")
    assert lead["alt"] == "A bar chart of aid pledged by country"
    assert (lead["width"], lead["height"]) == ("1600", "800")   # never enlarged, ratio kept
    assert lead["fetchpriority"] == "high" and not lead.has_attr("loading")
    webp = doc.select_one(".briefing__image picture source[type='image/webp']")
    widths = [part.split()[1] for part in webp["srcset"].split(", ")]
    assert widths == ["480w", "960w", "1600w"]
    for part in (*webp["srcset"].split(", "), *lead["srcset"].split(", ")):
        assert (out / "briefings" / "aid" / part.split()[0]).resolve().is_file()
    assert doc.select_one(".briefing__image figcaption").get_text(" ", strip=True) == \
        "Pledges by country. Newsroom graphic"
    body = doc.select(".story picture img")
    assert [img["alt"] for img in body] == ["The map of the front line", ""]
    assert all(img["loading"] == "lazy" and img.has_attr("width") for img in body)
    assert body[0]["src"].endswith("-800.jpg")   # 800 wide: 480 and its own 800
    # Link previews and JSON-LD: absolute under the sub-path base URL.
    og = doc.select_one("meta[property='og:image']")["content"]
    assert og.startswith("https://example.org/news/images/") and og.endswith("-1600.png")
    assert doc.select_one("meta[property='og:image:width']")["content"] == "1600"
    assert doc.select_one("meta[property='og:image:height']")["content"] == "800"
    assert doc.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"
    data = json.loads(doc.select_one("script[type='application/ld+json']").string)
    assert data["image"]["url"] == og and data["image"]["width"] == 1600
    other = parse_html(out / "briefings" / "other" / "index.html")
    assert other.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert other.select_one("meta[property='og:image']") is None
    # The home page's lead story shows it first (eager); cards on listings lazily.
    home = parse_html(out / "index.html")
    assert home.select_one(".lead .lead__image img")["fetchpriority"] == "high"
    write_files(site, {"content/briefings/other.md":
                       "---\ntitle: Other\ndate: 2026-11-03\n---\n\nText.\n"})
    build(site)
    card = parse_html(out / "index.html").select_one(".card .card__image img")
    assert card["loading"] == "lazy" and card["width"] == "1600" and card.has_attr("sizes")
    images = sorted(p.relative_to(out).as_posix() for p in (out / "images").rglob("*.*"))
    assert len(images) == 2 * 3 + 2 * 2 + 2 * 1   # chart 3 widths, map 2, rule 1; ×2 formats
    assert {p.rsplit(".", 1)[1] for p in images} == {"webp", "png", "jpg"}
    assert result.written > len(images)


def test_a_warm_build_reuses_the_variants_without_opening_a_picture(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    build(site)
    [cache] = (site / ".briefgen-cache").glob("images-*")
    made = {p: p.stat().st_mtime_ns for p in cache.rglob("*.webp")}
    assert len(made) == 6

    def no_open(*args, **kwargs):
        raise AssertionError("a picture was opened on a warm build")

    monkeypatch.setattr(imaging, "probe", no_open)
    monkeypatch.setattr(imaging, "make_variants", no_open)
    monkeypatch.setattr("briefgen.build.images.probe", no_open)
    monkeypatch.setattr("briefgen.build.images.make_variants", no_open)
    warm = build(site)
    assert warm.written == 0
    # A body edit re-renders that page only; the variants are neither made nor written.
    text = site / "content" / "briefings" / "aid.md"
    text.write_text(text.read_text().replace("was pledged", "was pledged in all"))
    edit = build(site)
    assert sorted(edit.written_paths) == ["briefings/aid/index.html",
                                          "briefings/aid/index.json", "feed.json", "feed.xml"]
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.webp")} == made


def test_a_picture_cache_that_came_with_the_site_is_never_read(tmp_path: Path) -> None:
    """The variants' folder is named by the machine's cache key: a folder of variants and
    a manifest shipped in a repository (here the real one, renamed, its variants swapped
    for other bytes under the same names) is removed, and the pictures are made again."""
    site = make_site(tmp_path)
    build(site)
    public = site / "public"
    good = {p.relative_to(public): p.read_bytes() for p in public.rglob("*.webp")}
    assert good
    [cache] = (site / ".briefgen-cache").glob("images-*")
    for variant in cache.rglob("*.webp"):
        variant.write_bytes(b"planted")
    for name in ("images", "images-0123456789abcdef01234567"):
        planted = cache.with_name(name)
        shutil.copytree(cache, planted)
    shutil.rmtree(cache)
    shutil.rmtree(public)
    build(site)
    assert {p.relative_to(public): p.read_bytes() for p in public.rglob("*.webp")} == good
    assert [p.name for p in (site / ".briefgen-cache").glob("images*")] == [cache.name]


def test_a_changed_picture_makes_new_variants_and_updates_its_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    build(site)
    draw(site / "content" / "images" / "chart.png", (1000, 1000))
    result = build(site)
    doc = parse_html(site / "public" / "briefings" / "aid" / "index.html")
    assert doc.select_one(".briefing__image img")["height"] == "1000"   # 480, 960, 1000
    assert "briefings/aid/index.html" in result.written_paths
    assert any(p.startswith("images/") for p in result.written_paths)


def problems(site: Path) -> str:
    with pytest.raises(BuildError) as caught:
        build(site)
    return "\n".join(str(p) for p in caught.value.problems)


def test_missing_alt_is_a_located_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="![](map.jpg)")
    text = problems(site)
    assert ("content/briefings/aid.md:17: image 'map.jpg' has no alt text: say what it "
            "shows in ![…](map.jpg), or write ![](map.jpg){.decorative} if it is only "
            "decoration") in text
    story = site / "content" / "briefings" / "aid.md"
    story.write_text(story.read_text().replace("![](map.jpg)", "").replace(
        "  alt: A bar chart of aid pledged by country\n", ""))
    assert "content/briefings/aid.md:4: image 'chart.png' has no alt text" in problems(site)


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels, with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_bombs_broken_files_and_escapes_are_refused_with_their_place(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="![huge](bomb.png)\n\n![broken](broken.png)\n\n"
                                     "![gone](missing.png)\n\n![big](big.png)")
    (site / "content" / "images" / "bomb.png").write_bytes(bomb_png(60000, 60000))
    (site / "content" / "images" / "broken.png").write_bytes(b"not a picture")
    (site / "content" / "images" / "big.png").write_bytes(bomb_png(8000, 6000))
    text = problems(site)
    assert ("content/briefings/aid.md:17: image 'bomb.png' (content/images/bomb.png): the "
            "picture is too large (3,600,000,000 pixels; the limit is "
            "40,000,000, images.max_pixels)") in text
    assert ("content/briefings/aid.md:19: image 'broken.png' (content/images/broken.png): "
            "not a picture briefgen can read") in text
    assert ("content/briefings/aid.md:21: image 'missing.png' not found (looked for "
            "content/briefings/missing.png or content/images/missing.png)") in text
    assert ("content/briefings/aid.md:23: image 'big.png' (content/images/big.png): the "
            "picture is too large (8000×6000 = 48,000,000 pixels; the limit is 40,000,000, "
            "images.max_pixels): scale it down, or raise the limit if it is genuine") in text
    assert not (site / "public").exists()   # nothing written


def test_a_lead_image_cannot_leave_the_content_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "secret.png").write_bytes(b"x")
    story = site / "content" / "briefings" / "aid.md"
    story.write_text(story.read_text().replace("src: chart.png", "src: ../../secret.png"))
    assert "image '../../secret.png' is outside the content folder" in problems(site)
    link = site / "content" / "images" / "link.png"
    link.symlink_to(site / "secret.png")
    story.write_text(story.read_text().replace("src: ../../secret.png", "src: link.png"))
    assert "it links out of the content folder" in problems(site)


def test_pictures_are_checked_in_parallel(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra="\n\n".join(f"![p{n}](p{n}.png)" for n in range(6)))
    for n in range(6):
        draw(site / "content" / "images" / f"p{n}.png", (500 + n, 300))
    build(site, jobs=2)
    doc = parse_html(site / "public" / "briefings" / "aid" / "index.html")
    assert len(doc.select(".story picture")) == 8


def test_the_json_api_gives_the_lead_image_and_its_files(tmp_path: Path) -> None:
    import jsonschema

    site = make_site(tmp_path)
    build(site)
    doc = json.loads((site / "public" / "briefings" / "aid" / "index.json").read_text())
    schema = json.loads((Path(imaging.__file__).parent / "schemas" / "briefing.json")
                        .read_text())
    jsonschema.validate(doc, schema)
    image = doc["image"]
    assert image["alt"] == "A bar chart of aid pledged by country"
    assert (image["width"], image["height"]) == (1600, 800)
    assert image["path"].startswith("images/") and image["path"].endswith("-1600.png")
    assert len(image["variants"]) == 6
    for variant in image["variants"]:
        assert (site / "public" / variant["path"]).is_file()
    other = json.loads((site / "public" / "briefings" / "other" / "index.json").read_text())
    assert other["image"] is None


def test_an_embargoed_briefings_pictures_stay_out_until_it_is_published(
        tmp_path: Path) -> None:
    site = make_site(tmp_path)
    story = site / "content" / "briefings" / "aid.md"
    story.write_text(story.read_text().replace("date: 2026-11-02\n",
                                               "date: 2026-11-02\nembargo: 2100-01-02\n"))
    build(site)
    out = site / "public"
    assert not (out / "briefings" / "aid").exists()
    assert not (out / "images").exists()
    after = dt.datetime(2100, 1, 3, tzinfo=dt.timezone.utc)
    later = Builder(load_config(root=site), jobs=1, now=after).build()
    assert (out / "briefings" / "aid" / "index.html").exists()
    assert any(p.startswith("images/") for p in later.written_paths)


def test_a_briefing_that_starts_or_stops_showing_a_picture_is_seen_from_the_manifest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest remembers the references of the briefings that show pictures and
    only the content keys of those that show none; an edit either way is seen, and no
    unchanged briefing's summary is read to find its pictures."""
    from briefgen.build import images as images_module
    from test_incremental import clean_build_of, snapshot

    site = make_site(tmp_path)
    build(site)
    [cache] = (site / ".briefgen-cache").glob("images-*")
    manifest = json.loads((cache / "manifest.json").read_text())
    assert list(manifest["refs"]) == ["content/briefings/aid.md"]
    assert len(manifest["bare"]) == 1   # other.md
    refs_of = images_module._refs_of
    seen: list[str] = []
    monkeypatch.setattr(images_module, "_refs_of",
                        lambda briefing: seen.append(briefing.slug) or refs_of(briefing))
    other = site / "content/briefings/other.md"
    other.write_text(other.read_text() + "\n![A second map](map.jpg)\n")
    build(site)
    assert seen == ["other"]
    doc = parse_html(site / "public/briefings/other/index.html")
    assert doc.select_one("img[alt='A second map']") is not None
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    other.write_text(other.read_text().replace("![A second map](map.jpg)", "No map."))
    build(site)
    assert parse_html(site / "public/briefings/other/index.html").select_one(
        "img[alt='A second map']") is None
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
