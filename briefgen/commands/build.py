"""``briefgen build``: build the site into the output folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.commands.options import add_site_options, config_from_args
from briefgen.commands.wording import counted
from briefgen.times import utc_text

DESCRIPTION = "Read briefgen.yaml and content/, write the site (default: public/)."
# The last build's builder, kept: freeing its state object by object (0.15 s at
# 100,000 briefings) is left to the end of the process, which skips it (cli.run).
_LAST: list = []


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_site_options(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="output folder (default: output_dir from the config, 'public')")
    parser.add_argument("--clean", action="store_true",
                        help="ignore any cached work and rebuild everything")
    parser.add_argument("-j", "--jobs", type=int, metavar="N",
                        help="parse and render in N processes (default: the machine's cores)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors and the summary line")
    parser.add_argument("--timings", action="store_true",
                        help="after the summary, print how long each stage took")
    parser.add_argument("--print-next-change", action="store_true",
                        help="print only the next moment a scheduled, embargoed or expiring "
                             "briefing changes the site (ISO 8601 UTC; nothing when none)")
    parser.add_argument("--strict", action="store_true",
                        help="after building, run 'briefgen check' and fail on any problem")


def summary_line(result) -> str:
    """The one line a build ends with."""
    try:
        where = result.output.relative_to(Path.cwd())
    except ValueError:
        where = result.output
    return (f"Built {counted(result.pages, 'page')} ({counted(result.briefings, 'briefing')}, "
            f"{counted(result.actors, 'actor')}; {result.parsed:,} parsed, "
            f"{counted(result.written, 'file')} written) in {result.seconds:.2f} s → {where}/")


def next_change_line(result) -> str:
    """When a scheduled, embargoed or expiring briefing next changes the site."""
    return (f"Next change: {utc_text(result.next_change)} (a scheduled, embargoed or "
            "expiring briefing; build again then)")


def timings_line(result) -> str:
    """The stages of the build in the order they ran, each with its seconds."""
    stages = " · ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings.items())
    return f"{result.kind.value} build: {stages or 'no stage ran'}"


def run(args: argparse.Namespace) -> int:
    from briefgen.build import Builder
    from briefgen.errors import one_line
    from briefgen.progress import ProgressBar

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    config = config_from_args(args)
    bar = ProgressBar(enabled=False if args.quiet or args.print_next_change else None)
    builder = Builder(config, jobs=args.jobs, clean=args.clean, progress=bar)
    _LAST[:] = [builder]
    try:
        result = builder.build()
    finally:
        bar.finish()
    next_change = utc_text(result.next_change) if result.next_change is not None else ""
    if args.print_next_change:   # for scripts: the moment alone on stdout, or nothing
        if next_change:
            print(next_change)
    else:
        for warning in [] if args.quiet else result.warnings:
            print(f"{warning.location}: warning: {one_line(warning.message)}", file=sys.stderr)
        print(summary_line(result))
        if next_change:
            print(next_change_line(result))
    if args.timings:
        print(timings_line(result))
    if args.strict:
        from briefgen.check import check_site
        from briefgen.commands.check import report_problems

        report = check_site(config)
        if not report.ok:
            report_problems(report)
            return 1
    return 0
