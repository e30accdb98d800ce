"""The pages of the site's taxonomies (``region`` and the declared ones) and of its
authors: like a topic's, each term's and each author's briefings paginated from the
oldest (``listings.listing_pages``), with an index of them all. Pure: no Jinja.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from briefgen.config import SiteConfig
from briefgen.indexes import SiteIndex, Topic
from briefgen.render import jsonld
from briefgen.render.bylines import AuthorEntry, authors_key
from briefgen.render.listings import alphabetical_pages, described_terms, listing_pages, topic_namer
from briefgen.render.page import Page
from briefgen.render.urls import absolute_url
from briefgen.taxonomies import Taxonomy


def term_path(taxonomy: Taxonomy, term: Topic) -> str:
    """The site path of a term's page: ``regions/europe/``."""
    return f"{taxonomy.path}/{term.slug}/"


def _namer(term: Topic) -> tuple[str, ...]:
    """The briefing whose spelling names the term on every page (see ``topic_namer``)."""
    namer = topic_namer(term)
    return (namer.slug,) if namer is not None else ()


def term_pages(config: SiteConfig, taxonomy: Taxonomy, term: Topic) -> Iterator[Page]:
    """A term's briefings, with its description from the config on every page."""
    settings = taxonomy.terms.get(term.slug)
    yield from listing_pages(config, term.briefings, root=term_path(taxonomy, term),
                             name=term.name, template="term.html", kind="term",
                             context={"taxonomy": taxonomy, "term": term, "description":
                                      settings.description if settings else ""},
                             also=_namer(term))


def taxonomy_pages(config: SiteConfig, index: SiteIndex) -> Iterator[Page]:
    """Every taxonomy's index of terms and each term's pages (a site whose briefings
    give no region and that declares none has no index of regions)."""
    everything = tuple(b.slug for b in index.briefings)
    for taxonomy in config.all_taxonomies:
        terms = index.terms.get(taxonomy.name, {})
        if not terms and taxonomy.name not in config.taxonomies:
            continue   # no region on any briefing, and none asked for: no empty index
        for term in terms.values():
            yield from term_pages(config, taxonomy, term)
        # Each entry shows its name, which its oldest briefing spells: ``everything``.
        yield from alphabetical_pages(
            list(terms.values()), config.paginate_index, root=f"{taxonomy.path}/",
            label=f"Pages of the {taxonomy.title.lower()}", template="terms.html",
            kind="terms", sources=everything,
            context_of=lambda shown, t=taxonomy: {
                "taxonomy": t, **described_terms(t.terms, "terms", shown)})


def author_pages(config: SiteConfig, entry: AuthorEntry) -> Iterator[Page]:
    """An author's page: their name, role, bio and picture on every page, their
    briefings paginated; every page carries the author's entry in its key."""
    author = entry.author

    def absolute(path: str) -> str:
        return absolute_url(config.base_url, path)

    yield from listing_pages(config, entry.briefings, root=entry.path, name=author.name,
                             template="author.html", kind="author",
                             context={"author": author, "entry": entry},
                             root_context={"jsonld": partial(jsonld.author_page, author,
                                                             absolute)},
                             key=authors_key([author]))


def authors_index_pages(config: SiteConfig, entries: Sequence[AuthorEntry],
                        everything: tuple[str, ...]) -> Iterator[Page]:
    """The authors index (``authors/``), alphabetical: each author's name, role and
    count of briefings, which depend on every briefing and on the entries shown."""
    yield from alphabetical_pages(list(entries), config.paginate_index, root="authors/",
                                  label="Pages of the authors", template="authors.html",
                                  kind="authors", sources=everything,
                                  context_of=lambda shown: {"entries": shown},
                                  key_of=lambda shown: authors_key(e.author for e in shown))
