"""The floor: the least a Python generator built on markdown-it-py and Jinja2 can do.

    python bench/floor.py --jobs 2 --out floor-public   # in a Hugo-shaped corpus folder

Reads every post of ``content/posts`` (the corpus the peers build), parses its YAML
front matter with libyaml, renders its body with markdown-it-py's CommonMark preset,
puts both in a small Jinja2 page and writes one ``<slug>/index.html`` per post, in
``--jobs`` processes. No listing pages, feeds, search, annotations or checks: any
generator that uses these two libraries pays at least this much, so a target below
it cannot be met with them. bench/run.py times it beside the real tools.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor

import jinja2
import yaml
from markdown_it import MarkdownIt

PAGE = jinja2.Environment(autoescape=True).from_string(
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ fm.title }}</title>'
    '<meta name="description" content="{{ fm.description }}"></head>\n<body><main>'
    "<h1>{{ fm.title }}</h1><p>{{ fm.description }}</p>"
    "<ul>{% for tag in fm.tags or [] %}<li>{{ tag }}</li>{% endfor %}</ul>\n"
    "<article>{{ body | safe }}</article></main></body></html>\n")
MARKDOWN = MarkdownIt("commonmark")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def build_posts(folder: str, names: list[str], out: str) -> int:
    """Build the posts ``names`` of ``folder`` into ``out``; how many were built."""
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            _, front, body = handle.read().split("---\n", 2)
        page = PAGE.render(fm=yaml.load(front, Loader=LOADER), body=MARKDOWN.render(body))
        target = os.path.join(out, name.removesuffix(".md"))
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as handle:
            handle.write(page)
    return len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", default="floor-public")
    args = parser.parse_args()
    folder = os.path.join("content", "posts")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".md"))
    chunks = [names[i:i + 64] for i in range(0, len(names), 64)]
    with ProcessPoolExecutor(args.jobs) as pool:
        built = sum(pool.map(build_posts, [folder] * len(chunks), chunks,
                             [args.out] * len(chunks)))
    print(f"floor: {built} posts")


if __name__ == "__main__":
    main()
