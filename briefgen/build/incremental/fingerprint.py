"""Fingerprints that decide which pages an incremental build must render again.

A page's fingerprint covers everything its output may depend on: the site key
(briefgen version, config, actor registry), its template and every template that
one extends, includes or imports, the summaries of the briefings it lists and the
full content of those it shows in full. Equal fingerprint, equal page.
"""

from __future__ import annotations

import jinja2
import jinja2.meta

from briefgen.build.incremental.cache import digest, digest_text
from briefgen.render import Page


def template_keys(env: jinja2.Environment) -> dict[str, str]:
    """Each template's key: a digest of its source and of all templates it pulls in."""
    loader = env.loader
    if loader is None:
        return {}
    sources: dict[str, str] = {}
    referenced: dict[str, set[str] | None] = {}
    for name in loader.list_templates():
        try:
            source, _, _ = loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            continue
        sources[name] = source
        try:
            refs = set(jinja2.meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            refs = set()  # the render will report the syntax error itself
        referenced[name] = None if None in refs else refs
    everything = digest(*(f"{n}\x00{s}" for n, s in sorted(sources.items())))
    keys: dict[str, str] = {}

    def closure(name: str, seen: set[str]) -> set[str]:
        refs = referenced.get(name, set())
        if refs is None:
            return set(sources)  # a dynamic include: depends on every template
        result = {name}
        for ref in refs:
            if ref not in seen:
                seen.add(ref)
                result |= closure(ref, seen)
        return result

    for name in sources:
        names = closure(name, {name})
        if names == set(sources):
            keys[name] = everything
        else:
            keys[name] = digest(*(f"{n}\x00{sources.get(n, '')}" for n in sorted(names)))
    return keys


class _Tokens(dict):
    """``slug -> "<tag>:<slug>:<key>"``, made once per slug (unknown slugs: empty key)."""

    def __init__(self, tag: str, keys: dict[str, str]):
        super().__init__((slug, f"{tag}:{slug}:{key}") for slug, key in keys.items())
        self.tag = tag

    def __missing__(self, slug: str) -> str:
        return f"{self.tag}:{slug}:"


class PageFingerprints:
    """Fingerprints of one build's planned pages: ``fingerprints(page)``.

    Listing pages name thousands of briefings; each briefing's part of a fingerprint
    is made once per build, not once per page that lists it.
    """

    def __init__(self, site_key: str, templates: dict[str, str],
                 summary_keys: dict[str, str], content_keys: dict[str, str]):
        self.site_key = site_key
        self.templates = templates
        self.summaries = _Tokens("s", summary_keys)
        self.contents = _Tokens("f", content_keys)

    def __call__(self, page: Page) -> str:
        parts = [self.site_key, page.path, page.kind, page.format]
        if page.format != "json":
            parts.append(self.templates.get(page.template, "missing:" + page.template))
        parts.extend(map(self.summaries.__getitem__, page.sources))
        parts.extend(map(self.contents.__getitem__, page.full))
        if page.key:
            parts.append("k:" + page.key)
        return digest_text(parts)
