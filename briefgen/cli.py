"""The ``briefgen`` command line: parses arguments, runs a command, prints problems.

User mistakes are printed as ``path:line: message`` lines with exit code 1;
tracebacks only with ``--debug``. Heavy commands are imported lazily so
``briefgen --help`` starts fast.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import traceback
from pathlib import Path

from briefgen import __version__
from briefgen.errors import BriefgenError, BuildError, ConfigError

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--config", type=Path, metavar="FILE",
                        help="site configuration file (default: ./briefgen.yaml; "
                             "missing means defaults)")
    parser.add_argument("--drafts", action="store_true", help="include briefings with draft: true")
    parser.add_argument("--base-url", metavar="URL",
                        help="public URL of the site, e.g. https://example.org/briefs/")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn annotated article sources into a static briefing site.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the output folder",
                                description="Read briefgen.yaml and content/, write the site "
                                            "(default: public/).")
    _add_site_options(build)
    build.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="output folder (default: output_dir from the config, 'public')")
    build.add_argument("--clean", action="store_true",
                       help="ignore any cached work and rebuild everything")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="print only errors and the summary line")

    new = commands.add_parser("new", help="create a new site with one example briefing",
                              description="Scaffold a working site in SITE_DIR.")
    new.add_argument("site_dir", type=Path, metavar="SITE_DIR")
    new.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    return parser


def _load_config(args: argparse.Namespace):
    from briefgen.config import load_config

    config = load_config(args.config)
    overrides = {"base_url": args.base_url, "drafts": args.drafts or None}
    output = getattr(args, "output", None)
    if output is not None:
        overrides["output_dir"] = str(Path(output).resolve())
    return config.with_overrides(**overrides)


def _print_problems(error: BriefgenError) -> None:
    problems = getattr(error, "problems", None)
    if problems:
        for problem in problems:
            print(f"{problem}", file=sys.stderr)
        count = len(problems)
        print(f"error: build failed with {count} problem{'s' if count != 1 else ''}; "
              "the previous output was left as it was", file=sys.stderr)
    else:
        print(f"error: {error}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """``briefgen build``."""
    from briefgen.build import build

    config = _load_config(args)
    result = build(config)
    for warning in result.warnings:
        print(f"{warning.path}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    try:
        where = result.output.relative_to(Path.cwd())
    except ValueError:
        where = result.output
    print(f"Built {result.pages} pages ({result.briefings} briefings, {result.actors} actors) "
          f"in {result.seconds:.2f} s → {where}/")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """``briefgen new SITE_DIR``."""
    target: Path = args.site_dir
    if target.exists() and any(target.iterdir()):
        print(f"error: {target} exists and is not empty; choose a new folder", file=sys.stderr)
        return 1
    shutil.copytree(SCAFFOLD, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    print(f"Created a new briefing site in {target}/\n"
          f"  cd {target} && briefgen build      # writes public/\n"
          f"  cd {target} && briefgen serve      # live preview")
    return 0


COMMANDS = {"build": cmd_build, "new": cmd_new}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefgen`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except (BuildError, ConfigError, BriefgenError) as error:
        if getattr(args, "debug", False):
            traceback.print_exc()
        _print_problems(error)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug in briefgen, not the user's mistake
        if getattr(args, "debug", False):
            raise
        print(f"internal error: {type(error).__name__}: {error}\n"
              "this is a bug in briefgen; run again with --debug for the traceback and "
              "report it", file=sys.stderr)
        return 70
