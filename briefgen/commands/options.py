"""Options shared by the commands that build a site, and loading the config from them."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefgen.config import CONFIG_NAME, SiteConfig, load_config
from briefgen.errors import BriefgenError


class NoSiteError(BriefgenError):
    """The command was run outside a site: no ``briefgen.yaml``, no ``content/``."""


def add_site_options(parser: argparse.ArgumentParser, *, base_url: bool = True) -> None:
    """--config, --drafts, --base-url (and --output when the command writes a site)."""
    parser.add_argument("-c", "--config", type=Path, metavar="FILE",
                        help="site configuration file (default: ./briefgen.yaml; "
                             "missing means defaults)")
    parser.add_argument("--drafts", action="store_true", help="include briefings with draft: true")
    if base_url:
        parser.add_argument("--base-url", metavar="URL",
                            help="public URL of the site, e.g. https://example.org/briefs/ "
                                 "(overrides base_url in briefgen.yaml)")
    parser.add_argument("--future", action="store_true",
                        help="include briefings dated after now (scheduled ones)")
    parser.add_argument("--expired", action="store_true",
                        help="include briefings past their 'expires' time")
    parser.add_argument("--embargoed", action="store_true",
                        help="include embargoed briefings, with an EMBARGOED banner "
                             "(a private preview: never publish that output)")


def require_site(args: argparse.Namespace, here: Path | None = None) -> None:
    """Refuse to work in a folder that is not a site (unless --config names one): a
    build there would write an empty site and say nothing useful."""
    if getattr(args, "config", None) is not None:
        return
    here = (here or Path.cwd()).resolve()
    if not (here / CONFIG_NAME).exists() and not (here / "content").exists():
        raise NoSiteError(f"no briefgen site here (looked for {CONFIG_NAME} and content/ "
                          f"in {here}); run `briefgen new`")


def config_from_args(args: argparse.Namespace, *, need_site: bool = True) -> SiteConfig:
    """Load the config named by --config and apply the command-line overrides; outside
    a site (see ``require_site``) fail, unless ``need_site`` is false."""
    if need_site:
        require_site(args)
    config = load_config(args.config)
    overrides = {"base_url": getattr(args, "base_url", None)}
    for flag in ("drafts", "future", "expired", "embargoed"):
        overrides[flag] = getattr(args, flag, False) or None
    output = getattr(args, "output", None)
    if output is not None:
        overrides["output_dir"] = str(Path(output).resolve())
    return config.with_overrides(**overrides)
