"""The command line's rough edges: no site, typos, counts, the base URL's origin, publish."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_briefgen, write_files

ONE = {
    "content/actors.yaml": "kallas:\n  name: Kaja Kallas\n  kind: person\n",
    "content/briefings/one.md": "---\ntitle: One\ndate: 2025-01-01\n---\n"
                                "[Kallas]{.actor ref=kallas} spoke.\n",
}


def test_no_site_here_is_one_clear_line_and_exit_1(tmp_path: Path) -> None:
    for command in ("build", "check", "serve"):
        proc = run_briefgen(command, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == (f"error: no briefgen site here (looked for briefgen.yaml and "
                               f"content/ in {tmp_path.resolve()}); run `briefgen new`\n")
    assert list(tmp_path.iterdir()) == []   # nothing written


def test_a_site_with_only_content_or_only_a_config_builds(tmp_path: Path) -> None:
    only_config = write_files(tmp_path / "a", {"briefgen.yaml": "title: T\n"})
    assert run_briefgen("build", "--quiet", cwd=only_config).returncode == 0
    only_content = write_files(tmp_path / "b", ONE)
    assert run_briefgen("build", "--quiet", cwd=only_content).returncode == 0


def test_a_mistyped_command_gets_a_suggestion(tmp_path: Path) -> None:
    proc = run_briefgen("biuld", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ("error: unknown command 'biuld' (did you mean 'build'?); "
                           "run 'briefgen --help' for the list\n")
    far = run_briefgen("zzzz", cwd=tmp_path)
    assert far.returncode == 2 and "did you mean" not in far.stderr
    assert "unknown command 'zzzz'" in far.stderr


def test_serve_does_not_offer_base_url(tmp_path: Path) -> None:
    site = write_files(tmp_path, ONE)
    assert "--base-url" not in run_briefgen("serve", "--help", cwd=site).stdout
    proc = run_briefgen("serve", "--base-url", "https://example.org/", cwd=site)
    assert proc.returncode == 2 and "unrecognized arguments: --base-url" in proc.stderr


def test_counts_read_well_and_build_and_check_agree(tmp_path: Path) -> None:
    site = write_files(tmp_path, {**ONE, "briefgen.yaml": "base_url: https://example.org/\n"})
    built = run_briefgen("build", cwd=site, check=True).stdout.strip().splitlines()[-1]
    assert "(1 briefing, 1 actor;" in built, built
    pages = int(re.match(r"Built (\d+) pages ", built).group(1))
    checked = run_briefgen("check", cwd=site, check=True).stdout.strip()
    assert checked.startswith(f"Checked {pages} pages, "), (built, checked)
    html = sum(1 for _ in (site / "public").rglob("*.html"))
    assert pages == html


def test_the_example_site_builds_without_a_warning(example_site: Path) -> None:
    proc = run_briefgen("build", cwd=example_site, check=True)
    assert proc.stderr == ""


def test_the_base_url_warning_names_where_the_value_came_from(tmp_path: Path) -> None:
    site = write_files(tmp_path, {**ONE, "briefgen.yaml": "base_url: /news/\n"})
    from_file = run_briefgen("build", cwd=site, check=True).stderr
    assert from_file.startswith("briefgen.yaml: warning: base_url '/news/' is not an "
                                "absolute URL"), from_file
    from_option = run_briefgen("build", "--clean", "--base-url", "/briefs", cwd=site,
                               check=True).stderr
    assert from_option.startswith("--base-url: warning: '/briefs/' is not an absolute URL"), \
        from_option
    good = run_briefgen("build", "--base-url", "https://example.org/", cwd=site, check=True)
    assert good.stderr == ""


def test_publish_refuses_a_relative_base_url_unless_told(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", ONE)
    www = tmp_path / "www"
    refused = run_briefgen("publish", "dir", str(www), cwd=site)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        ("briefgen.yaml: base_url is not set: its feeds, sitemap and canonical links would "
         "not lead to the published site; set base_url: https://…/ in briefgen.yaml (or pass "
         "--base-url) before publishing"),
        ("error: nothing was published; set the site's address, or publish anyway with "
         "--relative-ok")]
    assert not www.exists()
    by_option = run_briefgen("publish", "dir", str(www), "--base-url", "/x/", cwd=site)
    assert by_option.returncode == 1 and by_option.stderr.startswith("--base-url: ")
    assert run_briefgen("publish", "dir", str(www), "--relative-ok", cwd=site,
                        check=True).returncode == 0
    assert (www / "index.html").exists()
    absolute = run_briefgen("publish", "dir", str(www), "--base-url", "https://example.org/",
                            cwd=site, check=True)
    assert absolute.returncode == 0


# Distribution name -> the module tests import it as.
IMPORT_NAMES = {"beautifulsoup4": "bs4", "pyyaml": "yaml", "markdown-it-py": "markdown_it",
                "mdit-py-plugins": "mdit_py_plugins", "pillow": "PIL"}


def _imports(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def _module(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower()
    return IMPORT_NAMES.get(name, name.replace("-", "_"))


def test_the_test_extra_installs_what_the_tests_import_and_nothing_else() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {_module(r) for r in project["optional-dependencies"]["test"]}
    runtime = {_module(r) for r in project["dependencies"]}
    imported = _imports(REPO / "tests")
    assert extra - imported == set(), "in the test extra but imported by no test"
    local = {p.stem for p in (REPO / "tests").rglob("*.py")} | {"tests", "briefgen", "conftest"}
    third_party = {m for m in imported - local if m not in sys.stdlib_module_names}
    # markupsafe comes with jinja2.
    missing = third_party - extra - runtime - {"markupsafe"}
    assert missing == set(), "imported by tests but installed by neither the extra nor runtime"
