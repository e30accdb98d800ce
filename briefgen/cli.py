"""The ``briefgen`` command line: parse arguments, run a command, print problems.

User mistakes are printed as ``path:line: message`` lines with exit code 1;
tracebacks only with ``--debug``. Commands live in ``briefgen.commands.<name>``.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
import traceback

from briefgen import __version__
from briefgen.errors import BriefgenError, one_line

# name -> (module, one-line help). Each module has DESCRIPTION, add_arguments(parser)
# and run(args); only the module of the command being run is imported.
COMMANDS = {
    "build": ("briefgen.commands.build",
        "build the site into the output folder"),
    "draft": ("briefgen.commands.draft",
        "draft an annotated briefing source from a raw article"),
    "new": ("briefgen.commands.new",
        "create a new site with one example briefing"),
    "serve": ("briefgen.commands.serve",
        "preview the site locally, rebuilding and reloading on every save"),
    "check": ("briefgen.commands.check",
        "check the built site: links, anchors, assets, annotations (exit 1 on any problem)"),
    "publish": ("briefgen.commands.publish",
        "build the site and publish it (git branch, directory)"),
}


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser. Given the ``command`` about to run, only that command's
    module is imported (and its options known); the others are listed by name."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn annotated article sources into a static briefing site.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if command is not None and name != command:
            commands.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=help_text, description=module.DESCRIPTION)
        module.add_arguments(sub)
        sub.add_argument("--debug", action="store_true",
                         help="show the traceback of an error")
        sub.set_defaults(run=module.run)
    return parser


def print_error(error: BriefgenError) -> None:
    """Print a user-facing error: one ``path:line: message`` line per problem."""
    problems = getattr(error, "problems", None)
    if not problems:
        print(f"error: {one_line(str(error))}", file=sys.stderr)
        return
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"error: build failed with {count} problem{'s' if count != 1 else ''}; "
          "the previous output was left as it was", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefgen`` console script."""
    words = sys.argv[1:] if argv is None else argv
    command = _command(words)
    if command is not None and command not in COMMANDS:
        print(f"error: unknown command '{one_line(command)}'{_did_you_mean(command)}; "
              "run 'briefgen --help' for the list", file=sys.stderr)
        return 2
    parser = make_parser(command)
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


def run() -> None:
    """The ``briefgen`` command and ``python -m briefgen``: ``main``, then exit.

    After ``build`` (which keeps no temporary files and has shut its worker pools
    down when ``main`` returns), what is left is the interpreter freeing every
    object the build made: a tenth of a one-edit build at 5,000 briefings. So the
    output is flushed and the process ends without that teardown, as mypy does.
    Other commands exit normally (publish, for one, leaves cleanup to finalizers).
    """
    code = main()
    if _command(sys.argv[1:]) != "build":
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):   # a closed or broken pipe: let Python report it
        raise SystemExit(code) from None
    os._exit(code)


def _did_you_mean(word: str) -> str:
    """`` (did you mean 'build'?)`` for the command nearest ``word``, if one is near."""
    near = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.5)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _command(words: list[str]) -> str | None:
    """The command a command line names: its first word that is not an option."""
    return next((word for word in words if not word.startswith("-")), None)
