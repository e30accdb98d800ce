"""A deterministic benchmark corpus: annotated briefings for briefgen, plain posts for its peers.

Every article is drawn from its own seeded generator, so article ``i`` is the same
bytes whatever the corpus size (a 1,000-article corpus is the first 1,000 of a
5,000 one) and on every machine. Each article is ~5 KB of Markdown with YAML
front matter. The briefgen shape annotates actors, figures and quotes and has a
sidebar and a why-it-matters block; the peers get the same text with the
annotations reduced to their words and the blocks turned into headings.

Usage: ``python bench/corpus.py --size 200 --out /tmp/corpus [--shapes briefgen,hugo]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_SEED = 2025
SHAPES = ("briefgen", "hugo", "mkdocs", "pelican", "eleventy")
BASE_URL = "https://bench.example.org/"  # the briefgen site's
BODY_CHARS = 3500  # body length to reach before stopping; with front matter ~5 KB a file

TOPICS = (
    "Diplomacy", "Sanctions", "Energy", "Military aid", "Elections", "Trade", "Migration",
    "Climate", "Public health", "Cybersecurity", "Human rights", "Arms control",
    "Central banks", "Inflation", "Food security", "Shipping", "Technology", "Space",
    "Agriculture", "Labour", "Courts", "Corruption", "Refugees", "Nuclear power",
    "Water", "Telecoms", "Education", "Housing", "Defence spending", "Peace talks",
)
FIRST_NAMES = (
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Ines", "Jonas",
    "Katya", "Lucas", "Maria", "Nikolai", "Olga", "Pavel", "Quentin", "Rosa", "Sergei",
    "Tamara", "Ulrich", "Vera", "Walter", "Ximena", "Yusuf", "Zofia", "Amir", "Bianca",
    "Carlos", "Dana", "Emil", "Fatima", "Gustav", "Hana", "Igor", "Julia", "Karim", "Lena",
    "Marek", "Nadia", "Oskar", "Petra", "Rafael", "Sofia", "Tomas", "Uma", "Viktor", "Wanda",
)
SYLLABLES = (
    "var", "ten", "kor", "lis", "mar", "dov", "ren", "sal", "bek", "nor", "vin", "tal",
    "gor", "hel", "mir", "zan", "pol", "ros", "kav", "den", "lum", "sev", "tor", "ank",
)
ROLES = (
    "Foreign Minister", "Prime Minister", "President", "Finance Minister", "Defence Minister",
    "Special Envoy", "Central bank governor", "Opposition leader", "Spokesperson",
    "Ambassador", "Trade negotiator", "Energy Minister", "Army chief", "Mayor", "Senator",
)
ORG_KINDS = (
    "Council", "Energy Group", "Development Bank", "Shipping Line", "Union", "Institute",
    "Party", "Commission", "Alliance", "Agency",
)
COUNTRY_ENDINGS = ("ia", "land", "stan", "ovia", "ena", "ar")
PROSE = (
    "government officials said the talks would continue next week despite deep disagreements "
    "over the timetable for withdrawal and the terms of any verification regime analysts "
    "expect a long negotiation as both sides test each other's resolve while markets react "
    "to every statement from the capital the ministry confirmed that a delegation had "
    "arrived for consultations with regional partners who have pressed for a broader "
    "agreement covering trade energy and security guarantees critics argue that the plan "
    "lacks detail on financing and enforcement and that earlier promises were not kept "
    "supporters point to the progress made since the spring when a first framework was "
    "agreed in principle the outcome will shape relations for years and could reset the "
    "balance of power across the region observers noted a change in tone but few concrete "
    "commitments diplomats cautioned against expecting a breakthrough before the summit "
    "while lawmakers demanded a vote on any deal that touches the budget or the armed forces"
)
WORDS = tuple(PROSE.split())
FIGURES = (
    ("€{n} billion", "Aid pledged by {org}"),
    ("${n} million", "Funding approved by {org}"),
    ("{n}%", "Share of exports affected"),
    ("{n} years", "Length of the agreement"),
    ("{n},000 troops", "Troops deployed near the border"),
    ("£{n} billion", "Loan guarantees from {org}"),
    ("{n} days", "Deadline set by {org}"),
    ("{n} million people", "People affected by the shortages"),
)
QUOTE_WORDS = (
    "we will not accept any deal that ignores our security", "the door remains open",
    "there is no alternative to dialogue", "this is a turning point for the region",
    "nothing is agreed until everything is agreed", "we expect results, not promises",
    "the pressure will continue", "our partners understand what is at stake",
)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One article in both shapes; ``annotated`` is briefgen's body, ``plain`` the peers'."""

    slug: str
    title: str
    date: dt.date
    dek: str
    summary: tuple[str, ...]
    topics: tuple[str, ...]
    sources: tuple[tuple[str, str, str], ...]  # (title, url, publisher)
    annotated: str
    plain: str


def _made_up_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def make_actors(seed: int = DEFAULT_SEED, people: int = 200, organisations: int = 60,
                countries: int = 40) -> list[Actor]:
    """The actor registry: made-up names, every name and alias unique (case-insensitive)."""
    rng = random.Random(f"{seed}:actors")
    taken: set[str] = set()
    actors: list[Actor] = []

    def unique(make) -> str:
        while True:
            candidate = make()
            if candidate.casefold() not in taken:
                taken.add(candidate.casefold())
                return candidate

    for i in range(countries):
        name = unique(lambda: _made_up_word(rng, 2) + rng.choice(COUNTRY_ENDINGS))
        actors.append(Actor(f"country-{i:03d}", name, "country", "", ()))
    for i in range(organisations):
        base = _made_up_word(rng, 2)
        name = unique(lambda base=base: f"{base} {rng.choice(ORG_KINDS)}")
        acronym = "".join(word[0] for word in name.split()).upper() + str(i)
        aliases = (unique(lambda acronym=acronym: acronym),)
        actors.append(Actor(f"org-{i:03d}", name, "organisation", "", aliases))
    for i in range(people):
        surname = unique(lambda: _made_up_word(rng, rng.choice((2, 3))))
        first = rng.choice(FIRST_NAMES)
        name = unique(lambda first=first, surname=surname: f"{first} {surname}")
        alias = unique(lambda first=first, surname=surname: f"{first[0]}. {surname}")
        actors.append(Actor(f"person-{i:03d}", name, "person", rng.choice(ROLES),
                            (surname, alias)))
    return actors


def _sentence(rng: random.Random, inserts: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 22))]
    for insert in inserts:
        words.insert(rng.randint(1, len(words) - 1), insert)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _actor_span(rng: random.Random, actor: Actor) -> str:
    text = rng.choice((actor.name, *actor.aliases)) if actor.aliases else actor.name
    if actor.role and rng.random() < 0.3:
        return f'[{text}]{{.actor ref={actor.id} role="{actor.role}"}}'
    return f"[{text}]{{.actor ref={actor.id}}}"


def _figure_span(rng: random.Random, orgs: list[Actor]) -> str:
    text, label = rng.choice(FIGURES)
    org = rng.choice(orgs).name
    return f'[{text.format(n=rng.randint(2, 95))}]{{.figure label="{label.format(org=org)}"}}'


def _quote_span(rng: random.Random, person: Actor) -> str:
    return f"[“{rng.choice(QUOTE_WORDS)}”]{{.quote by={person.id}}}"


_SPAN = re.compile(r"\[([^\]]*)\]\{[^}]*\}")


def to_plain(annotated: str) -> str:
    """The peers' body: spans reduced to their text, fenced blocks turned into headings."""
    lines = []
    for line in annotated.split("\n"):
        if line.startswith("::: sidebar "):
            lines.append("### " + line[len("::: sidebar "):])
        elif line == "::: why-it-matters":
            lines.append("### Why it matters")
        elif line == ":::":
            continue
        else:
            lines.append(_SPAN.sub(r"\1", line))
    return "\n".join(lines)


def make_article(index: int, actors: list[Actor], seed: int = DEFAULT_SEED) -> Article:
    """Article number ``index``; depends only on the seed, the index and the actor list."""
    rng = random.Random(f"{seed}:article:{index}")
    people = [a for a in actors if a.kind == "person"]
    orgs = [a for a in actors if a.kind == "organisation"]
    cast = rng.sample(actors, 6)
    speakers = rng.sample(people, 2)
    title_words = [rng.choice(WORDS) for _ in range(rng.randint(4, 7))]
    title = f"{cast[0].name} {' '.join(title_words)}"
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-")
    slug = f"{slug}-{index:05d}"
    date = _date(index)
    topics = tuple(rng.sample(TOPICS, rng.randint(2, 4)))
    dek = _sentence(rng, [])
    summary = tuple(_sentence(rng, [a.name]) for a in cast[:3])
    sources = tuple(
        (f"Report {index}-{n}", f"https://example.org/reports/{index}/{n}",
         rng.choice(("Wire service", "Daily Ledger", "Evening Post", "Public broadcaster")))
        for n in range(1, rng.randint(2, 3)))

    # Spread the annotations over the paragraphs: every cast member once or twice,
    # 2–4 figures, 1–2 quotes.
    pending = [_actor_span(rng, a) for a in cast + rng.sample(cast, 3)]
    pending += [_figure_span(rng, orgs) for _ in range(rng.randint(2, 4))]
    pending += [_quote_span(rng, speakers[n]) for n in range(rng.randint(1, 2))]
    rng.shuffle(pending)
    paragraphs: list[str] = []
    length = 0
    while length < BODY_CHARS or pending:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            inserts = [pending.pop()] if pending and rng.random() < 0.6 else []
            sentences.append(_sentence(rng, inserts))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        if len(paragraphs) == 2:
            items = "\n".join(f"- {_sentence(rng, [])}" for _ in range(rng.randint(3, 5)))
            paragraphs.append(f"::: sidebar Key facts\n\n{items}\n\n:::")
        if len(paragraphs) == 5:
            paragraphs.append(f"::: why-it-matters\n\n{_sentence(rng, [])} "
                              f"{_sentence(rng, [_actor_span(rng, cast[1])])}\n\n:::")
    annotated = "\n\n".join(paragraphs) + "\n"
    return Article(slug, title, date, dek, summary, topics, sources, annotated,
                   to_plain(annotated))


def make_corpus(size: int, seed: int = DEFAULT_SEED) -> tuple[list[Actor], list[Article]]:
    """The actors and the first ``size`` articles."""
    actors = make_actors(seed)
    return actors, [make_article(i, actors, seed) for i in range(size)]


def newest_date(size: int) -> dt.date:
    """The latest date among the first ``size`` articles, without generating them."""
    return _date(max(range(size), key=lambda i: (i * 7919) % 3900))


def _date(index: int) -> dt.date:
    return dt.date(2015, 1, 1) + dt.timedelta(days=(index * 7919) % 3900)


def new_article(size: int, extra: int = 0, seed: int = DEFAULT_SEED) -> Article:
    """An article to add to a corpus of ``size``: article number ``size + extra``, dated
    ``extra + 1`` days after the corpus's newest, as a newsroom publishes today's briefing."""
    article = make_article(size + extra, make_actors(seed), seed)
    return replace(article, date=newest_date(size) + dt.timedelta(days=extra + 1))


def article_file(shape: str, article: Article) -> tuple[str, str]:
    """(path inside the shape's folder, text) of one article, as ``write_corpus`` writes it."""
    if shape == "briefgen":
        return f"content/briefings/{article.slug}.md", briefgen_post(article)
    if shape == "hugo":
        return f"content/posts/{article.slug}.md", _plain_post(article, _yaml_front(article))
    raise ValueError(f"no single-article writer for the {shape} shape")


# --- writers: one per shape ---------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_briefgen(root: Path, actors: list[Actor], articles: list[Article]) -> None:
    """A briefgen site: briefgen.yaml, content/actors.yaml, content/briefings/*.md."""
    _write(root / "briefgen.yaml", 'title: "briefgen benchmark"\n'
                                   'description: "Generated benchmark corpus (bench/corpus.py)"\n'
                                   f'base_url: "{BASE_URL}"\n')
    lines = ["# Generated by bench/corpus.py; made-up actors.\n"]
    for a in actors:
        lines.append(f"{a.id}:\n  name: {_q(a.name)}\n  kind: {a.kind}\n")
        if a.role:
            lines.append(f"  role: {_q(a.role)}\n")
        if a.aliases:
            lines.append(f"  aliases: [{', '.join(_q(x) for x in a.aliases)}]\n")
    _write(root / "content" / "actors.yaml", "".join(lines))
    for art in articles:
        _write(root / "content" / "briefings" / f"{art.slug}.md", briefgen_post(art))


def briefgen_post(art: Article) -> str:
    """One briefing's source: YAML front matter and the annotated body."""
    fm = [f"title: {_q(art.title)}", f"date: {art.date.isoformat()}", f"dek: {_q(art.dek)}",
          "summary:", *(f"  - {_q(s)}" for s in art.summary),
          "topics:", *(f"  - {_q(t)}" for t in art.topics), "sources:"]
    for title, url, publisher in art.sources:
        fm += [f"  - title: {_q(title)}", f"    url: {url}", f"    publisher: {_q(publisher)}"]
    return "---\n" + "\n".join(fm) + "\n---\n\n" + art.annotated


def _plain_post(art: Article, front: list[str]) -> str:
    summary = "\n".join(f"- {s}" for s in art.summary)
    return "\n".join(front) + f"\n\n{summary}\n\n{art.plain}"


def _yaml_front(art: Article) -> list[str]:
    return ["---", f"title: {_q(art.title)}", f"date: {art.date.isoformat()}",
            f"description: {_q(art.dek)}", f"tags: [{', '.join(_q(t) for t in art.topics)}]",
            "---"]


HUGO_BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time> {{ .Description }}</p>
{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ (printf "/tags/%s/" (urlize .)) | relURL }}">{{ . }}</a> {{ end }}</p>
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul>{{ end }}
"""


def write_hugo(root: Path, articles: list[Article]) -> None:
    """A Hugo site: hugo.toml, content/posts/*.md, minimal baseof/single/list layouts."""
    _write(root / "hugo.toml", 'baseURL = "https://example.org/"\nlanguageCode = "en"\n'
                               'title = "Hugo benchmark"\nrelativeURLs = true\n')
    _write(root / "layouts" / "_default" / "baseof.html", HUGO_BASEOF)
    _write(root / "layouts" / "_default" / "single.html", HUGO_SINGLE)
    _write(root / "layouts" / "_default" / "list.html", HUGO_LIST)
    for art in articles:
        _write(root / "content" / "posts" / f"{art.slug}.md", _plain_post(art, _yaml_front(art)))


def write_mkdocs(root: Path, articles: list[Article]) -> None:
    """A MkDocs project: mkdocs.yml (automatic nav), docs/index.md, docs/*.md."""
    _write(root / "mkdocs.yml", "site_name: MkDocs benchmark\nsite_url: https://example.org/\n"
                                "theme:\n  name: mkdocs\n")
    _write(root / "docs" / "index.md", "# MkDocs benchmark\n\nGenerated by bench/corpus.py.\n")
    for art in articles:
        front = _yaml_front(art)
        body = _plain_post(art, front).replace("---\n\n", f"---\n\n# {art.title}\n\n", 1)
        _write(root / "docs" / f"{art.slug}.md", body)


PELICAN_CONF = '''AUTHOR = "bench"
SITENAME = "Pelican benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 20
'''


def write_pelican(root: Path, articles: list[Article]) -> None:
    """A Pelican project: pelicanconf.py (relative URLs, no feeds), content/*.md."""
    _write(root / "pelicanconf.py", PELICAN_CONF)
    for art in articles:
        front = [f"Title: {art.title}", f"Date: {art.date.isoformat()}", f"Slug: {art.slug}",
                 f"Tags: {', '.join(art.topics)}", f"Summary: {art.dek}"]
        _write(root / "content" / f"{art.slug}.md", _plain_post(art, front))


ELEVENTY_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><article><h1>{{ title }}</h1><p>{{ description }}</p>
{{ content | safe }}
<p>{% for tag in tags %}<a href="/tags/{{ tag | slugify }}/">{{ tag }}</a> {% endfor %}</p>
</article></main></body></html>
"""
ELEVENTY_INDEX = """---
title: Eleventy benchmark
---
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><ul>{% for post in collections.all %}<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>
{% endfor %}</ul></body></html>
"""
ELEVENTY_TAGS = """---
pagination:
  data: collections
  size: 1
  alias: tag
  filter: [all]
permalink: /tags/{{ tag | slugify }}/
---
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ tag }}</title></head>
<body><h1>{{ tag }}</h1><ul>{% for post in collections[tag] %}
<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}</ul></body></html>
"""


def write_eleventy(root: Path, articles: list[Article]) -> None:
    """An Eleventy project: src/posts/*.md, one layout, an index and per-tag list pages."""
    _write(root / "src" / "_includes" / "post.njk", ELEVENTY_LAYOUT)
    _write(root / "src" / "index.njk", ELEVENTY_INDEX)
    _write(root / "src" / "tags.njk", ELEVENTY_TAGS)
    _write(root / "src" / "posts" / "posts.json", '{"layout": "post.njk"}\n')
    for art in articles:
        _write(root / "src" / "posts" / f"{art.slug}.md", _plain_post(art, _yaml_front(art)))


def write_corpus(out: Path, size: int, shapes=SHAPES, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write each shape under ``out/<shape>/`` (replacing it); returns shape → folder."""
    actors, articles = make_corpus(size, seed)
    folders = {}
    for shape in shapes:
        folder = out / shape
        if folder.exists():
            shutil.rmtree(folder)
        if shape == "briefgen":
            write_briefgen(folder, actors, articles)
        else:
            {"hugo": write_hugo, "mkdocs": write_mkdocs, "pelican": write_pelican,
             "eleventy": write_eleventy}[shape](folder, articles)
        folders[shape] = folder
    return folders


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the shapes in")
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help=f"comma-separated subset of {','.join(SHAPES)}")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = sorted(set(shapes) - set(SHAPES))
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    for shape, folder in write_corpus(args.out, args.size, shapes, args.seed).items():
        print(f"{shape}: {folder}")


if __name__ == "__main__":
    main()
