"""``briefgen draft ARTICLE``: turn a raw article into an annotated briefing source."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = ("Read a plain-text or Markdown article (e.g. seeds/<file>) and write "
               "content/briefings/<slug>.md with suggested actors, figures, quotes, "
               "sidebars and a summary, for an author to review. Offline, no model.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", type=Path, metavar="ARTICLE",
                        help="the raw article (.txt or .md)")
    parser.add_argument("-c", "--config", type=Path, metavar="FILE",
                        help="site configuration file (default: ./briefgen.yaml)")
    parser.add_argument("--slug", help="file name of the draft (default: from ARTICLE's name)")
    parser.add_argument("--stdout", action="store_true",
                        help="print the draft instead of writing it")
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing briefing source")
    parser.add_argument("--update-actors", action="store_true",
                        help="add the new actors to content/actors.yaml instead of the "
                             "draft's front matter")
    parser.add_argument("--source-title", help="title of the original article, for sources:")
    parser.add_argument("--publisher", help="publisher of the original article, for sources:")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    from briefgen.config import load_config
    from briefgen.draft import draft_text, read_article
    from briefgen.draft.pipeline import MARKDOWN_SUFFIXES
    from briefgen.draft.recogniser import load_recogniser
    from briefgen.draft.registry import append_actors, registry_for
    from briefgen.errors import SourceError
    from briefgen.files import not_regular
    from briefgen.slugs import slugify

    config = load_config(args.config)
    article: Path = args.article
    display = _display(article)
    text = read_article(article, display)
    actors_path = config.content_path / "actors.yaml"
    registry = registry_for(actors_path, _display(actors_path))
    source = {"title": args.source_title or (article.stem if args.publisher else ""),
              "publisher": args.publisher or ""}
    draft = draft_text(text, registry=registry,
                       markdown=article.suffix.lower() in MARKDOWN_SUFFIXES,
                       source=source if any(source.values()) else None, local_actors=not args.update_actors,
                       recogniser=load_recogniser())
    if args.stdout:
        sys.stdout.write(draft.text)
    else:
        target = config.content_path / "briefings" / f"{args.slug or slugify(article.stem)}.md"
        if target.exists() and not args.force and target.resolve() != article.resolve():
            raise SourceError(_display(target), None,
                              "already exists; use --force to overwrite it or --stdout")
        if target.exists() and not target.is_file():   # writing to a FIFO would block
            raise SourceError(_display(target), None, not_regular(target.stat().st_mode))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(draft.text, encoding="utf-8")
        print(f"Wrote {_display(target)}", file=sys.stderr)
    _report(draft, args.update_actors, actors_path, append_actors)
    return 0


def _report(draft, update: bool, actors_path: Path, append_actors) -> None:
    """Tell the author what to review, and add new actors to the registry if asked."""
    if draft.unchanged:
        print("already annotated: left unchanged", file=sys.stderr)
        return
    counts = {}
    for item in draft.suggestions:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    print(f"Suggested {counts.get('actor', 0)} actor, {counts.get('figure', 0)} figure and "
          f"{counts.get('quote', 0)} quote spans; review them before publishing.",
          file=sys.stderr)
    new = draft.new_actors
    if not new:
        return
    if update:
        append_actors(actors_path, new)
        print(f"Added {len(new)} new actors to {_display(actors_path)}: "
              f"{', '.join(a.id for a in new)}", file=sys.stderr)
    else:
        print("New actors (defined in the draft's front matter; --update-actors adds them "
              "to the registry):", file=sys.stderr)
        for actor in new:
            role = f" — {actor.role}" if actor.role else ""
            print(f"  {actor.id}: {actor.name} ({actor.kind}){role}", file=sys.stderr)
