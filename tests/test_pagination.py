"""Pagination of listings, checked on built sites with an HTML parser (``paginate: 3``).

Every listing is walked through its pager from its root; every link is resolved
against the page's URL under a sub-path base URL; and adding a briefing is checked
to change only the root and newest pages of the listings it appears in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import parse_html, run_briefgen, write_files

from briefgen.render.paging import Pager, paginate

BASE = "https://example.org/briefs/"
SIZE = 3
ACTORS = """
alpha: {name: Ada Alpha, kind: person, role: Minister}
beta: {name: Bo Beta, kind: person, role: Envoy}
"""
START = dt.date(2024, 11, 20)


def day_of(i: int) -> dt.date:
    return START + dt.timedelta(days=9 * i)   # November 2024 into March 2025


def briefing(i: int, day: dt.date | None = None) -> str:
    topic = "Trade" if i % 2 == 0 else "Security"
    day = day or day_of(i)
    return (f"---\ntitle: Briefing {i}\ndate: {day.isoformat()}\ntopics: [{topic}]\n---\n"
            f"[Alpha]{{.actor ref=alpha}} spoke. [\"Words number {i}\"]{{.quote by=alpha}}\n"
            + ("[Beta]{.actor ref=beta} listened.\n" if i % 3 == 0 else ""))


def make_site(root: Path, count: int) -> Path:
    files = {"content/actors.yaml": ACTORS,
             "briefgen.yaml": f"title: Paged\nbase_url: {BASE}\npaginate: {SIZE}\n"}
    for i in range(count):
        files[f"content/briefings/b{i:02d}.md"] = briefing(i)
    return write_files(root, files)


def build(site: Path) -> Path:
    run_briefgen("build", "--quiet", cwd=site, check=True)
    return site / "public"


def file_of(public: Path, url: str) -> Path:
    """The output file a URL of the site names (it must lie under the base URL)."""
    path = urlsplit(url).path
    base = urlsplit(BASE).path
    assert path.startswith(base), url
    rel = path[len(base):]
    return public / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def page_url(public: Path, path: Path) -> str:
    rel = path.relative_to(public).as_posix()
    return BASE + rel.removesuffix("index.html")


# What each listing's items look like in the page, and how a pager is found.
# (an actor page holds two listings, told apart by their pager's label).
LISTINGS = {
    "archive": (".briefing-list a", None),
    "timeline": (".timeline__title", None),
    "topic": (".card__title a", None),
    "actor": ("section:has(> #appearances) .timeline__title", "Pages of briefings"),
    "quotes": ("figure.pullquote figcaption a", "Pages of quotes"),
}


def pager_of(soup, label: str | None):
    navs = soup.select("nav.pagination")
    if label is not None:
        navs = [nav for nav in navs if nav["aria-label"] == label]
    assert len(navs) <= 1
    return navs[0] if navs else None


def items_on(soup, kind: str) -> list[str]:
    links = soup.select(LISTINGS[kind][0])
    return [re.search(r"briefings/([^/]+)/", a["href"]).group(1) for a in links]


def walk(public: Path, root_url: str, kind: str) -> list[tuple[str, list[str]]]:
    """Pages of one listing from its root, following rel=prev to page 1 and checking
    every pager link on the way: ``[(url, items)]``, newest page first."""
    label = LISTINGS[kind][1]
    seen: list[tuple[str, list[str]]] = []
    url = root_url
    while url is not None:
        path = file_of(public, url)
        assert path.is_file(), url
        soup = parse_html(path)
        items = items_on(soup, kind)
        assert len(items) <= SIZE, (url, items)
        seen.append((url, items))
        nav = pager_of(soup, label)
        if nav is None:
            assert url == root_url   # a listing that fits on its root has no pager
            break
        for link in nav.find_all("a"):
            assert file_of(public, urljoin(url, link["href"])).is_file(), (url, link["href"])
        current = nav.select('[aria-current="page"]')
        assert len(current) == 1, url
        assert urljoin(url, current[0]["href"]).split("#")[0] == url.split("#")[0]
        head = {rel: soup.select_one(f'head link[rel="{rel}"]') for rel in ("prev", "next")}
        visible = {rel: nav.select_one(f'a[rel="{rel}"]') for rel in ("prev", "next")}
        for rel in ("prev", "next"):
            if kind != "quotes" or url != root_url:   # the root's head serves its briefings
                assert (head[rel] is None) == (visible[rel] is None), (url, rel)
                if head[rel] is not None:
                    assert head[rel]["href"] == visible[rel]["href"]
        if len(seen) == 1:
            assert visible["next"] is None   # nothing is newer than the root
        else:   # "Newer" leads back to the page the walk came from
            newer = urljoin(url, visible["next"]["href"])
            assert newer.split("#")[0] == seen[-2][0].split("#")[0], (url, newer)
        url = urljoin(url, visible["prev"]["href"]) if visible["prev"] is not None else None
    return seen


def expected(count: int) -> dict[str, list[str]]:
    """Every listing of the site ``make_site(count)`` builds, newest first."""
    slugs = sorted((f"b{i:02d}" for i in range(count)), key=lambda s: day_of(int(s[1:])),
                   reverse=True)
    listings = {"archive/": slugs, "timeline/": slugs,
                "topics/trade/": [s for s in slugs if int(s[1:]) % 2 == 0],
                "topics/security/": [s for s in slugs if int(s[1:]) % 2 == 1],
                "actors/alpha/": slugs, "actors/alpha/#quotes": slugs,
                "actors/beta/": [s for s in slugs if int(s[1:]) % 3 == 0]}
    for s in slugs:
        day = day_of(int(s[1:]))
        listings.setdefault(f"archive/{day.year}/", []).append(s)
        listings.setdefault(f"archive/{day.year}/{day.month:02d}/", []).append(s)
    return listings


def kind_of(root: str) -> str:
    if root.endswith("#quotes"):
        return "quotes"
    return root.split("/")[0].rstrip("s") if not root.startswith("archive") else "archive"


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> tuple[Path, int]:
    count = 14
    site = make_site(tmp_path_factory.mktemp("paged"), count)
    return build(site), count


def test_every_briefing_is_reachable_through_every_listing(paged) -> None:
    public, count = paged
    for root, slugs in expected(count).items():
        pages = walk(public, BASE + root, kind_of(root))
        listed = [slug for _, items in pages for slug in items]
        assert listed == slugs, root   # each once, newest first, page after page
        if len(slugs) > SIZE:   # numbered pages are full; the root holds the rest
            assert all(len(items) == SIZE for _, items in pages[1:]), root
            assert 1 <= len(pages[0][1]) <= SIZE
            numbers = [int(re.search(r"page/(\d+)/", url).group(1)) for url, _ in pages[1:]]
            assert numbers == list(range(len(pages) - 1, 0, -1)), root


def test_numbered_pages_count_from_the_oldest_briefing(paged) -> None:
    public, _ = paged
    first = parse_html(public / "archive/page/1/index.html")
    assert items_on(first, "archive") == ["b02", "b01", "b00"]
    assert first.title.get_text() == "Archive, page 1 · Paged"
    # No total and no last page number on a numbered page: only its own dates.
    lede = first.select_one(".page-range").get_text(" ", strip=True)
    assert lede.startswith("Page 1: briefings from 20 November 2024 to 8 December 2024")
    assert "of" not in first.select_one("nav.pagination").get_text()


def test_canonical_and_sitemap_name_every_page(paged) -> None:
    public, _ = paged
    sitemap = "".join(p.read_text() for p in public.rglob("sitemap*.xml"))
    pages = [p for p in public.rglob("index.html") if "/page/" in p.as_posix()]
    assert len(pages) > 20
    for path in pages:
        url = page_url(public, path)
        canonical = parse_html(path).select_one('link[rel="canonical"]')["href"]
        assert canonical == url
        assert f"<loc>{url}</loc>" in sitemap, url


def test_archive_by_year_and_month(paged) -> None:
    public, count = paged
    root = parse_html(public / "archive/index.html")
    nav = root.select_one('nav[aria-label="Archive by year and month"]')
    links = {a["href"] for a in nav.find_all("a")}
    months = {(day_of(i).year, day_of(i).month) for i in range(count)}
    assert {f"../archive/{y}/{m:02d}/" for y, m in months} <= links
    assert {f"../archive/{y}/" for y, _ in months} <= links
    year = parse_html(public / "archive/2024/index.html")
    assert year.h1.get_text() == "2024"
    counts = [li.get_text(" ", strip=True) for li in
              year.select('nav[aria-label="Months of 2024"] li')]
    assert counts == ["December 3 briefings", "November 2 briefings"]
    month = parse_html(public / "archive/2025/01/index.html")
    assert month.h1.get_text() == "January 2025"
    assert month.select_one(".kicker").get_text(" ", strip=True) == "Archive · 2025"
    assert (public / "archive/2025/01/page/1/index.html").is_file()


def test_actor_pages_paginate_briefings_and_quotes_apart(paged) -> None:
    public, _ = paged
    root = parse_html(public / "actors/alpha/index.html")
    assert len(root.select("nav.pagination")) == 2
    quotes = parse_html(public / "actors/alpha/quotes/page/1/index.html")
    assert quotes.title.get_text() == "Ada Alpha, quotes, page 1 · Paged"
    assert not quotes.select(".timeline")
    assert len(quotes.select("figure.pullquote")) == SIZE
    # The actor's JSON-LD names only the briefings its page shows.
    assert root.select_one('script[type="application/ld+json"]').string.count("NewsArticle") \
        == len(items_on(root, "actor"))


def hashes(public: Path) -> dict[str, str]:
    return {p.relative_to(public).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(public.rglob("*")) if p.is_file()}


def test_a_new_briefing_changes_only_the_newest_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 9)   # 9 = 3 full pages: the root is full
    before = hashes(build(site))
    newest = day_of(8) + dt.timedelta(days=2)   # 2 February 2025: a month of its own
    write_files(site, {"content/briefings/b09.md": briefing(9, newest).replace(
        "[Beta]{.actor ref=beta} listened.\n", "")})
    after = hashes(build(site))
    changed = sorted(p for p in after if before.get(p) != after[p])
    paged_changed = sorted(p for p in changed if "/page/" in p)
    # The archive, timeline, Alpha's briefings and quotes had 9: their full root
    # becomes page 3, and page 2's "Newer" link now leads there. Security (4 before)
    # and 2025 (4 before) only gain an item on their root.
    assert paged_changed == sorted([
        "archive/page/2/index.html", "archive/page/3/index.html",
        "timeline/page/2/index.html", "timeline/page/3/index.html",
        "actors/alpha/page/2/index.html", "actors/alpha/page/3/index.html",
        "actors/alpha/quotes/page/2/index.html", "actors/alpha/quotes/page/3/index.html",
    ]), changed
    for path in before:
        if "/page/" in path and path not in paged_changed:
            assert before[path] == after[path], path
    roots = {"archive/index.html", "timeline/index.html", "actors/alpha/index.html",
             "topics/security/index.html", "archive/2025/index.html",
             "archive/2025/02/index.html"}
    assert roots <= set(changed)
    untouched = {"topics/trade/index.html", "actors/beta/index.html",
                 "archive/2024/index.html", "archive/2025/01/index.html"}
    assert not untouched & set(changed), changed
    # Once more, with no boundary crossed: only roots change among the listings.
    write_files(site, {"content/briefings/b10.md": briefing(10, newest + dt.timedelta(days=1))
                       .replace("[Beta]{.actor ref=beta} listened.\n", "")})
    again = hashes(build(site))
    assert not [p for p in again if "/page/" in p and after.get(p) != again[p]]


def test_an_incremental_build_equals_a_clean_one_across_a_page_boundary(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 9)
    build(site)
    write_files(site, {"content/briefings/b09.md": briefing(9)})
    incremental = hashes(build(site))
    fresh = make_site(tmp_path / "fresh", 10)
    run_briefgen("build", "--quiet", "--clean", cwd=fresh, check=True)
    assert incremental == hashes(fresh / "public")
    # Removing briefings shrinks every listing back; again equal to a clean build.
    for i in (0, 1, 2, 9):
        (site / f"content/briefings/b{i:02d}.md").unlink()
    shrunk = hashes(build(site))
    for i in (0, 1, 2, 9):
        (fresh / f"content/briefings/b{i:02d}.md").unlink()
    run_briefgen("build", "--quiet", "--clean", cwd=fresh, check=True)
    assert shrunk == hashes(fresh / "public")


def test_small_listings_have_no_pager(built_example: Path) -> None:
    # The example site fits on one page of every listing at the default size.
    assert not list(built_example.rglob("page/*/index.html"))
    for path in ("archive/index.html", "timeline/index.html", "actors/index.html"):
        soup = parse_html(built_example / path)
        assert not soup.select("nav.pagination") and not soup.select('link[rel="prev"]')


def test_long_indexes_are_split(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 4)
    path = site / "briefgen.yaml"
    path.write_text(path.read_text() + "paginate_index: 1\n")
    public = build(site)
    first = parse_html(public / "actors/index.html")
    second = parse_html(public / "actors/page/2/index.html")
    assert [a.get_text() for a in first.select(".actor-list__name")] == ["Ada Alpha"]
    assert [a.get_text() for a in second.select(".actor-list__name")] == ["Bo Beta"]
    assert second.title.get_text() == "Who's who, page 2 · Paged"
    assert first.select_one('link[rel="next"]')["href"] == "../actors/page/2/"
    current = second.select_one('nav.pagination [aria-current="page"]')
    assert current.get_text(" ", strip=True) == "Page 2"
    assert (public / "topics/page/2/index.html").is_file()


@pytest.mark.parametrize("value", ["0", "-3", "many", "true"])
def test_a_bad_page_size_is_refused(tmp_path: Path, value: str) -> None:
    site = make_site(tmp_path / "site", 2)
    path = site / "briefgen.yaml"
    path.write_text(path.read_text().replace(f"paginate: {SIZE}", f"paginate: {value}"))
    proc = run_briefgen("build", cwd=site)
    assert proc.returncode == 1
    assert "'paginate' must be" in proc.stderr and "Traceback" not in proc.stderr


def test_pager_links_never_name_the_last_page() -> None:
    # Page 5 of a listing with page 6 after it: it links 1, 3, 4, 6 and the root.
    pager = Pager("Pages", "x/", "x/page/", 5, 6)
    assert [link.label for link in pager.links()] == ["1", "…", "3", "4", "5", "6", "Latest"]
    assert (pager.prev_path, pager.next_path) == ("x/page/4/", "x/page/6/")
    newest = Pager("Pages", "x/", "x/page/", 6, 6)
    assert newest.next_path == "x/"
    root = Pager("Pages", "x/", "x/page/", None, 6)
    assert [link.label for link in root.links()] == ["1", "…", "5", "6", "Latest"]
    assert root.prev_path == "x/page/6/" and root.next_path is None


@pytest.mark.parametrize("count", [0, 1, 3, 4, 6, 7, 10])
def test_chunks_hold_every_item_once(count: int) -> None:
    items = [f"s{i}" for i in range(count)][::-1]   # newest first
    chunks = paginate(items, 3, label="L", root="r/", slug_of=str)
    assert [item for chunk in chunks for item in chunk.items] == items
    assert all(len(chunk.items) == 3 for chunk in chunks[1:])
    assert (chunks[0].pager is None) == (count <= 3)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pagers_are_accessible_and_fit_a_phone(browser, axe_script, paged, scheme) -> None:
    from static_server import serve_directory
    from test_a11y_browser import TAGS, summarise

    public, _ = paged
    with serve_directory(public) as url:
        context = browser.new_context(color_scheme=scheme, viewport={"width": 320,
                                                                      "height": 800})
        page = context.new_page()
        try:
            for path in ("archive/", "archive/page/2/", "actors/alpha/", "topics/trade/"):
                page.goto(url + path, wait_until="load")
                page.add_script_tag(path=str(axe_script))
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
                assert result["violations"] == [], path + ": " + summarise(result["violations"])
                wide = page.eval_on_selector_all(
                    "nav.pagination", "navs => navs.filter(n => n.scrollWidth > n.clientWidth)"
                    ".length")
                assert wide == 0, path
        finally:
            context.close()


@pytest.mark.vnu
def test_listing_pages_are_valid_html(paged, vnu_jar: Path) -> None:
    import json
    import subprocess

    public, _ = paged
    pages = sorted(str(p) for p in public.rglob("index.html")
                   if not p.relative_to(public).as_posix().startswith("briefings/"))
    assert len(pages) > 30
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only",
                           *pages], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []


def test_a_new_briefing_re_renders_no_older_numbered_page(tmp_path: Path) -> None:
    """What the incremental build renders again: pages whose declared briefings changed.
    A new briefing (spelling its topic differently) leaves older pages' declarations,
    and the topic's name, as they were."""
    from briefgen.build import load_site
    from briefgen.config import load_config
    from briefgen.indexes import build_index
    from briefgen.render import plan_pages

    site = make_site(tmp_path / "site", 31)
    write_files(site, {"content/briefings/b99.md": briefing(32).replace("[Trade]", "[TRADE]")})
    config = load_config(site / "briefgen.yaml")
    briefings, registry, _ = load_site(config)

    def plan(chosen):
        index = build_index(chosen, registry)
        assert index.topics["trade"].name == "Trade"
        return {p.path: p.sources for p in plan_pages(config, index)}

    before = plan([b for b in briefings if b.slug != "b99"])
    after = plan(briefings)
    redone = sorted(p for p in after if "/page/" in p and before.get(p) != after[p])
    # No listing crosses a page boundary (31 -> 32 briefings, Trade 16 -> 17, 2025
    # 26 -> 27): no numbered page is rendered again, Trade's included.
    assert len([p for p in after if "/page/" in p]) > 40
    assert redone == []


def test_the_home_page_lists_at_most_a_page(paged) -> None:
    public, _ = paged   # home_limit 12 (default), paginate 3
    home = parse_html(public / "index.html")
    shown = home.select(".lead__title a, .card__title a, .briefing-list a")
    assert [a["href"] for a in shown] == ["briefings/b13/", "briefings/b12/", "briefings/b11/"]
    assert home.select_one(".more a")["href"] == "archive/"
