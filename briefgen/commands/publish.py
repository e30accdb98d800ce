"""``briefgen publish TARGET``: build, then publish to a git branch or a served directory."""

from __future__ import annotations

import argparse
import sys

from briefgen.commands.options import add_site_options, config_from_args
from briefgen.publish import TARGETS

DESCRIPTION = ("Build the site, then publish it to a target: 'git' (a branch such as "
               "gh-pages, pushed) or 'dir' (a directory a web server serves). Settings can "
               "live under 'publish:' in briefgen.yaml; command-line options win.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    targets = parser.add_subparsers(dest="target", metavar="TARGET", required=True)
    for name, target in TARGETS.items():
        sub = targets.add_parser(name, help=target.help, description=target.help)
        target.add_arguments(sub)
        for setting in target.settings:
            if setting.option:
                sub.add_argument(f"--{setting.key.replace('_', '-')}", dest=setting.key,
                                 type=setting.type, default=None, help=setting.help)
        sub.add_argument("-n", "--dry-run", action="store_true",
                         help="build, then show what would be added, changed and deleted")
        add_site_options(sub)
        sub.add_argument("--relative-ok", action="store_true",
                         help="publish even though base_url is not an absolute URL (feeds, "
                              "sitemap and canonical links then hold root-relative URLs)")
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the traceback of an error")
        sub.set_defaults(target_class=target)


def make_target(args: argparse.Namespace, config):
    """The chosen target with its settings: command line over briefgen.yaml over defaults."""
    from briefgen.publish.base import check_publish_config, resolve_settings

    target = args.target_class
    check_publish_config(config.publish, list(TARGETS))
    cli = {s.key: getattr(args, s.key, None) for s in target.settings}
    options = resolve_settings(target, config.publish, cli)
    options.update(force=getattr(args, "force", False), yes=getattr(args, "yes", False))
    return target(config, options)


def refusal(config) -> str:
    """Why a site without an absolute base URL is not published, and what to do."""
    from briefgen.render.feeds import base_url_problem

    problem = base_url_problem(config, "its feeds, sitemap and canonical links would not "
                                       "lead to the published site")
    return (f"{problem}\nerror: nothing was published; set the site's address, or "
            "publish anyway with --relative-ok")


def run(args: argparse.Namespace) -> int:
    from briefgen.build import build
    from briefgen.commands.build import next_change_line, summary_line
    from briefgen.errors import BuildError
    from briefgen.render.urls import is_absolute

    config = config_from_args(args)
    if config.embargoed:
        print("error: --embargoed builds a private preview with embargoed briefings in it; "
              "it is never published (preview with 'briefgen serve' instead)", file=sys.stderr)
        return 2
    target = make_target(args, config)
    if getattr(args, "rollback", False):
        print(target.rollback())
        return 0
    if not args.relative_ok and not is_absolute(config.base_url):
        print(f"{refusal(config)}", file=sys.stderr)
        return 1
    try:
        result = build(config)
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("error: the build failed, so nothing was published", file=sys.stderr)
        return 1
    print(summary_line(result))
    if result.next_change is not None:
        print(next_change_line(result))
    site = config.output_path
    if args.dry_run:
        plan = target.plan(site)
        for line in plan.lines():
            print(line)
        print(f"Dry run ({target.name}): {plan.summary()}; nothing was changed")
        return 0
    outcome = target.publish(site)
    print(f"{outcome.message}: {outcome.plan.summary()}")
    return 0
