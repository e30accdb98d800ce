"""``briefgen check``: prove a built site is whole before it is published.

The output tree is walked on its own (``check_output``); the site model then maps
each page back to its source file and adds the problems only annotations reveal
(``check_site``). Nothing is fetched: external links are only listed.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.check.output import check_output
from briefgen.check.report import CheckProblem, CheckReport, ExternalLink
from briefgen.clock import build_now
from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError
from briefgen.sources.text import MAX_REGISTRY_BYTES, read_source_text

__all__ = ["CheckError", "CheckProblem", "CheckReport", "ExternalLink", "check_output",
           "check_site", "site_facts"]


class CheckError(BriefgenError):
    """The site cannot be checked (e.g. it was never built)."""


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def site_facts(config: SiteConfig):
    """Load the sources (raising BuildError if they are broken) into SiteFacts."""
    from briefgen.build import load_site
    from briefgen.check.model import facts_from_model
    from briefgen.indexes import build_index
    from briefgen.publication import published

    briefings, registry, _ = load_site(config)
    public, _ = published(briefings, config, build_now())   # as the build filters them
    index = build_index(public, registry)
    actors_path = config.content_path / "actors.yaml"
    try:   # load_site read it already: only lines of actors are looked up here
        actors_text = read_source_text(actors_path, "actors.yaml", MAX_REGISTRY_BYTES)
    except BriefgenError:
        actors_text = ""
    return facts_from_model(config.root, index, registry,
                            _display(actors_path, config.root), actors_text)


def check_site(config: SiteConfig) -> CheckReport:
    """Check the built output of ``config`` and tie each problem to its source file."""
    output = config.output_path
    if not output.is_dir():
        raise CheckError(f"no built site at {output}; run 'briefgen build' first")
    report = check_output(output, config.base_url)
    facts = site_facts(config)
    report.problems = [facts.locate(p) for p in report.problems] + facts.problems
    report.sort()
    return report
