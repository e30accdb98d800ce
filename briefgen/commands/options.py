"""Options shared by the commands that build a site, and loading the config from them."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefgen.config import SiteConfig, load_config


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """--config, --drafts, --base-url (and --output when the command writes a site)."""
    parser.add_argument("-c", "--config", type=Path, metavar="FILE",
                        help="site configuration file (default: ./briefgen.yaml; "
                             "missing means defaults)")
    parser.add_argument("--drafts", action="store_true", help="include briefings with draft: true")
    parser.add_argument("--future", action="store_true",
                        help="include briefings dated after now (scheduled ones)")
    parser.add_argument("--expired", action="store_true",
                        help="include briefings past their 'expires' time")
    parser.add_argument("--embargoed", action="store_true",
                        help="include embargoed briefings, with an EMBARGOED banner "
                             "(a private preview: never publish that output)")
    parser.add_argument("--base-url", metavar="URL",
                        help="public URL of the site, e.g. https://example.org/briefs/")


def config_from_args(args: argparse.Namespace) -> SiteConfig:
    """Load the config named by --config and apply the command-line overrides."""
    config = load_config(args.config)
    overrides = {"base_url": getattr(args, "base_url", None)}
    for flag in ("drafts", "future", "expired", "embargoed"):
        overrides[flag] = getattr(args, flag, False) or None
    output = getattr(args, "output", None)
    if output is not None:
        overrides["output_dir"] = str(Path(output).resolve())
    return config.with_overrides(**overrides)
