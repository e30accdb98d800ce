"""``briefgen check``: links, anchors, assets, titles and annotations of the built site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.commands.options import add_site_options, config_from_args, require_site
from briefgen.commands.wording import counted

DESCRIPTION = ("Walk the built output and report each problem as 'page: problem "
               "(source file:line)'. External links are never fetched; --external lists them.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_site_options(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="built site to check (default: output_dir from the config)")
    parser.add_argument("--external", action="store_true",
                        help="also list every external link (they are not fetched)")


def report_problems(report, stream=sys.stderr) -> None:
    """Print one line per problem and a closing count."""
    for problem in report.problems:
        print(problem, file=stream)
    print(f"error: check found {counted(len(report.problems), 'problem')} "
          f"in {counted(report.pages, 'page')}", file=stream)


def print_source_problems(error) -> None:
    """The sources themselves are broken: say so without claiming a build ran."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print("error: the sources have problems; fix them, build, then check again",
          file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from briefgen.check import check_site
    from briefgen.errors import BuildError, one_line, shown_path

    config = config_from_args(args, need_site=False)
    if not config.output_path.exists():   # a built site alone can be checked
        require_site(args)
    try:
        report = check_site(config)
    except BuildError as error:
        print_source_problems(error)
        return 1
    if args.external:
        for link in report.external:
            print(f"{shown_path(link.page)}: external {one_line(link.url)}")
    if not report.ok:
        report_problems(report)
        return 1
    print(f"Checked {counted(report.pages, 'page')}, {counted(report.files, 'file')}: "
          f"no problems ({counted(len(report.external), 'external link')}, not fetched)")
    return 0
