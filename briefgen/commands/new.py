"""``briefgen new SITE_DIR``: scaffold a working site with one example briefing."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"
DESCRIPTION = "Scaffold a working site in SITE_DIR (which must be new or empty)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", type=Path, metavar="SITE_DIR")


def run(args: argparse.Namespace) -> int:
    target: Path = args.site_dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"error: {target} exists and is not empty; choose a new folder", file=sys.stderr)
        return 1
    shutil.copytree(SCAFFOLD, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    print(f"Created a new briefing site in {target}/\n"
          f"  cd {target} && briefgen build      # writes public/\n"
          f"  cd {target} && briefgen serve      # live preview")
    return 0
