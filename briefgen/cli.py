"""The ``briefgen`` command line: parse arguments, run a command, print problems.

User mistakes are printed as ``path:line: message`` lines with exit code 1;
tracebacks only with ``--debug``. Commands live in ``briefgen.commands.<name>``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from briefgen import __version__
from briefgen.errors import BriefgenError

# name -> module; each module has HELP, DESCRIPTION, add_arguments(parser), run(args).
COMMANDS = {
    "build": "briefgen.commands.build",
    "draft": "briefgen.commands.draft",
    "new": "briefgen.commands.new",
    "serve": "briefgen.commands.serve",
    "check": "briefgen.commands.check",
    "publish": "briefgen.commands.publish",
}


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn annotated article sources into a static briefing site.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(sub)
        sub.add_argument("--debug", action="store_true",
                         help="show the traceback of an error")
        sub.set_defaults(run=module.run)
    return parser


def print_error(error: BriefgenError) -> None:
    """Print a user-facing error: one ``path:line: message`` line per problem."""
    problems = getattr(error, "problems", None)
    if not problems:
        print(f"error: {error}", file=sys.stderr)
        return
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"error: build failed with {count} problem{'s' if count != 1 else ''}; "
          "the previous output was left as it was", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefgen`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except BriefgenError as error:
        if args.debug:
            traceback.print_exc()
        print_error(error)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug in briefgen, not the user's mistake
        if args.debug:
            raise
        print(f"internal error: {type(error).__name__}: {error}\n"
              "this is a bug in briefgen; run again with --debug for the traceback and "
              "report it", file=sys.stderr)
        return 70
