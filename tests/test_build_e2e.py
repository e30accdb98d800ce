"""End to end: build the example and small purpose-made sites, inspect the HTML."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import REPO, parse_html, run_briefgen, write_files


def page(out: Path, rel: str):
    path = out / rel
    assert path.exists(), f"missing page {rel}"
    return parse_html(path)


def texts(soup, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ").split()) for el in soup.select(selector)]


def test_seed_briefing_page(built_example: Path) -> None:
    soup = page(built_example, "briefings/witkoff-putin-talks/index.html")
    body = " ".join(soup.get_text(" ").split())
    assert soup.find("h1") is not None
    for figure in ("€21 billion", "12 years", "February 2022"):
        assert figure in body
    marks = texts(soup, "mark.figure")
    assert any("€21 billion" in m for m in marks)
    actor_links = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("a.actor")}
    for actor in ("witkoff", "putin", "trump", "peskov", "karelina"):
        assert actor in actor_links, f"{actor} not linked in the text"
    assert "no breakthroughs" in body and "get moving on a ceasefire" in body
    asides = soup.find_all("aside")
    assert any("Key factors" in a.get_text() for a in asides)
    assert "Special Envoy" in body  # a role shown in who's who


def test_actor_and_topic_pages_list_right_briefings(built_example: Path) -> None:
    sources = {p.stem: p.read_text(encoding="utf-8")
               for p in (REPO / "content/briefings").glob("*.md")}
    witkoff = page(built_example, "actors/witkoff/index.html")
    linked = {a["href"].rstrip("/").split("/")[-1] for a in witkoff.select("main a[href]")
              if "briefings/" in a["href"]}
    expected = {slug for slug, text in sources.items()
                if "witkoff" in text.lower() and "draft: true" not in text}
    assert expected and expected <= linked
    topics = page(built_example, "topics/index.html")
    topic_links = [a["href"] for a in topics.select("main a[href]") if "topics/" in a["href"]
                   or a["href"].count("/") >= 1]
    assert topic_links


def test_drafts_excluded_by_default_and_included_with_flag(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "content/briefings/live.md": "---\ntitle: Live\ndate: 2025-01-02\n---\nText\n",
        "content/briefings/wip.md": "---\ntitle: Work in progress\ndate: 2025-01-03\n"
                                    "draft: true\n---\nText\n",
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert not (site / "public/briefings/wip").exists()
    everything = "".join(p.read_text() for p in (site / "public").rglob("*.html"))
    assert "Work in progress" not in everything
    run_briefgen("build", "--quiet", "--drafts", cwd=site, check=True)
    assert (site / "public/briefings/wip/index.html").exists()


def _internal_links(out: Path):
    for html in sorted(out.rglob("*.html")):
        soup = parse_html(html)
        rel = html.relative_to(out).as_posix()
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            url = tag.get("href") or tag.get("src")
            if tag.name == "base":   # the 404 page's: the path of base_url (tested elsewhere)
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
                continue
            yield rel, url


def test_sub_path_base_url_leaves_no_broken_link(example_site: Path) -> None:
    run_briefgen("build", "--quiet", "--base-url", "https://example.org/briefs/",
                 cwd=example_site, check=True)
    out = example_site / "public"
    broken, root_absolute = [], []
    count = 0
    for rel, url in _internal_links(out):
        count += 1
        if url.startswith("/"):
            root_absolute.append((rel, url))
            continue
        # Serve the output under /briefs/ and resolve as a browser would.
        page_url = "https://example.org/briefs/" + rel
        target = urlsplit(urljoin(page_url, url)).path
        assert target.startswith("/briefs/"), f"{rel}: {url} escapes the sub-path"
        local = out / unquote(target[len("/briefs/"):])
        if target.endswith("/"):
            local = local / "index.html"
        if not local.exists():
            broken.append((rel, url))
    assert count > 50
    assert root_absolute == [], root_absolute[:5]
    assert broken == [], broken[:10]


def test_summary_line_and_help(example_site: Path) -> None:
    proc = run_briefgen("build", cwd=example_site, check=True)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("Built ") and "briefings" in last and "actors" in last and " s" in last
    helptext = run_briefgen("build", "--help", cwd=example_site, check=True).stdout
    for option in ("--config", "--output", "--drafts", "--base-url", "--clean", "--quiet"):
        assert option in helptext


def test_timings_name_each_stage_in_order(example_site: Path) -> None:
    """``--timings`` shows which kind of build ran and every stage it went through."""
    first = run_briefgen("build", "--quiet", "--timings", cwd=example_site, check=True)
    line = first.stdout.strip().splitlines()[-1]
    assert line.startswith("site build: ")
    stages = [part.split()[0] for part in line.removeprefix("site build: ").split(" · ")]
    assert stages == ["parse", "images", "index", "plan", "render", "write", "save"]
    again = run_briefgen("build", "--quiet", "--timings", cwd=example_site, check=True)
    line = again.stdout.strip().splitlines()[-1]
    assert line.startswith("nothing build: parse ")   # parse and the pictures' stats only
    assert [part.split()[0] for part in line.removeprefix("nothing build: ").split(" · ")] \
        == ["parse", "images"]


def test_missing_config_means_defaults(tmp_path: Path) -> None:
    site = write_files(tmp_path, {"content/briefings/a.md": "---\ntitle: A\ndate: 2025-01-01\n"
                                                            "---\nHello\n"})
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert (site / "public/index.html").exists()
    assert (site / "public/briefings/a/index.html").exists()


def test_new_scaffolds_a_site_that_builds(tmp_path: Path) -> None:
    run_briefgen("new", "mysite", cwd=tmp_path, check=True)
    site = tmp_path / "mysite"
    assert (site / "briefgen.yaml").exists()
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert list((site / "public/briefings").glob("*/index.html"))
    again = run_briefgen("new", "mysite", cwd=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr


def test_site_templates_and_static_override_theme(tmp_path: Path) -> None:
    site = write_files(tmp_path, {
        "content/briefings/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nHello\n",
        "static/assets/style.css": "/* mine */\nbody {\n  color: #222;\n}\n",
        "static/extra.txt": "extra\n",
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert (site / "public/assets/style.css").read_text() == "body{color:#222}"
    assert (site / "public/extra.txt").read_text() == "extra\n"


def test_css_and_javascript_are_minified_unless_the_site_says_not(tmp_path: Path) -> None:
    script = "// a comment the reader need not download\nfunction add(a, b) {\n  return a + b;\n}\n"
    site = write_files(tmp_path, {
        "content/briefings/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nHello\n",
        "static/app.js": script,
        "static/vendor.min.js": script,
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    theme_css = (REPO / "themes/default/static/assets/style.css").read_bytes()
    built_css = (site / "public/assets/style.css").read_bytes()
    assert len(built_css) < 0.9 * len(theme_css) and b"/*" not in built_css
    assert (site / "public/app.js").read_text() == "function add(a,b){return a+b;}"
    assert (site / "public/vendor.min.js").read_text() == script   # already minified: as is
    (site / "briefgen.yaml").write_text("minify: false\n")
    run_briefgen("build", "--quiet", cwd=site, check=True)
    assert (site / "public/assets/style.css").read_bytes() == theme_css
    assert (site / "public/app.js").read_text() == script


@pytest.mark.vnu
def test_every_example_page_is_valid_html(built_example: Path, vnu_jar: Path) -> None:
    import json
    import subprocess

    pages = sorted(str(p) for p in built_example.rglob("*.html"))
    assert len(pages) > 10
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only",
                           *pages], capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').split('/public/')[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == [], "\n".join(errors[:30])


def test_a_local_actor_wins_over_the_registry_in_its_own_briefing_only(
        tmp_path: Path) -> None:
    """docs/format.md: "A local definition wins over a registry actor with the same
    id, for that briefing only." Also between two briefings defining one id."""
    site = write_files(tmp_path / "site", {
        "content/actors.yaml": "alpha: {name: Ada Alpha, kind: person, role: Minister}\n",
        "content/briefings/own.md": (
            "---\ntitle: Own\ndate: 2025-02-01\nactors:\n"
            "  alpha: {name: Other Alpha, kind: organisation, role: Broker}\n"
            "  zed: {name: Zed Newer, kind: person}\n---\n"
            "[Alpha]{.actor ref=alpha} met [Zed]{.actor ref=zed}. "
            "[\"Deal\"]{.quote by=alpha}\n"),
        "content/briefings/older.md": (
            "---\ntitle: Older\ndate: 2025-01-01\nactors:\n"
            "  zed: {name: Zed Older, kind: country}\n---\n"
            "[Alpha]{.actor ref=alpha} met [Zed]{.actor ref=zed}.\n"),
    })
    run_briefgen("build", "--quiet", cwd=site, check=True)
    own = (site / "public/briefings/own/index.html").read_text()
    older = (site / "public/briefings/older/index.html").read_text()
    assert "Other Alpha" in own and "Ada Alpha" not in own
    assert "Zed Newer" in own
    assert "Ada Alpha" in older and "Other Alpha" not in older
    assert "Zed Older" in older and "Zed Newer" not in older
    data = json.loads((site / "public/briefings/older/index.json").read_text())
    assert {a["id"]: a["name"] for a in data["actors"]} == {"alpha": "Ada Alpha",
                                                            "zed": "Zed Older"}
