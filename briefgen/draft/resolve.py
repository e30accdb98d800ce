"""Resolving candidates to actors: one kind per name, surnames to full names.

Runs found in the text become people, organisations or nothing here, looking at
every mention of a name at once so that its mentions agree ("a name used with
'shares' is an organisation everywhere in the article").
"""

from __future__ import annotations

from briefgen.draft import gazetteer as gz
from briefgen.draft.names import ActorInfo, Candidate, NameIndex, ascii_slug, first_names, fold


def _new_id(words: list[str], kind: str, taken: set[str]) -> str:
    base = ascii_slug(words[-1] if kind == "person" else " ".join(words))
    if base in taken:
        base = ascii_slug(" ".join(words))
    actor_id, n = base, 2
    while actor_id in taken:
        actor_id, n = f"{base}-{n}", n + 1
    return actor_id


def resolve_people(candidates: list[Candidate], index: NameIndex,
                    lower: set[str]) -> dict[int, ActorInfo]:
    """Candidate number -> actor; surnames merge with full names seen anywhere, and
    every mention of a name gets the one kind its mentions agree on."""
    taken = set(index.registry)
    org_keys = {fold(" ".join(c.words)) for c in candidates if c.org_context}
    full: dict[str, ActorInfo] = {}
    surname: dict[str, list[str]] = {}
    for c in candidates:
        key = fold(" ".join(c.words))
        if len(c.words) > 1 and c.kind == "person" and key not in full and key not in org_keys:
            info = index.person(c.words)
            if info is None:
                info = ActorInfo(_new_id(c.words, "person", taken), " ".join(c.words), "person",
                                 c.role)
                taken.add(info.id)
            full[key] = info
            surname.setdefault(fold(c.words[-1]), []).append(key)
    _merge_short_forms(full, surname)
    _prefer_first_names(surname)
    first_names = _first_names(full, surname)
    kinds = _name_kinds(candidates, full, surname, index, lower)
    display = {fold(" ".join(c.words)): c.words for c in candidates}
    short = _short_org_forms(kinds)
    result: dict[int, ActorInfo] = {}
    single: dict[str, ActorInfo] = {}
    for n, c in enumerate(candidates):
        if c.kind == "place" and kinds.get(fold(" ".join(c.words))) != "organisation":
            continue  # a place, unless listed with organisations
        key = short.get(fold(" ".join(c.words)), fold(" ".join(c.words)))
        words = display[key]
        if key in full:
            info = full[key]
        elif len(surname.get(key, [])) == 1:
            info = full[surname[key][0]]
        elif key in first_names and not c.org_context and c.kind == "person":
            info = full[first_names[key]]  # "Sir Digby" after "Sir Digby Jones"
        elif key in kinds:
            info = single.get(key) or (index.person(words) if kinds[key] == "person" else None)
            if info is None:
                name = " ".join(words) if kinds[key] != "person" else words[-1]
                info = ActorInfo(_new_id(words, kinds[key], taken), name, kinds[key], c.role)
        else:
            continue
        taken.add(info.id)
        single.setdefault(key, info)
        if not info.role and c.role and info.kind == "person":
            info.role = c.role
        result[n] = info
    return result


def _first_names(full: dict[str, ActorInfo], surname: dict[str, list[str]]) -> dict[str, str]:
    """A lone first name that opens exactly one person's full name, and is nobody's
    surname, refers to that person ("Paul has been…" after "Paul Boateng")."""
    opening: dict[str, dict[str, str]] = {}
    for key, info in full.items():
        if info.kind == "person" and " " in key:
            opening.setdefault(key.split()[0], {})[info.id] = key
    return {word: next(iter(keys.values())) for word, keys in opening.items()
            if len(keys) == 1 and word not in surname}


def _short_org_forms(kinds: dict[str, str]) -> dict[str, str]:
    """A lone word that opens exactly one organisation's name is that organisation
    ("Northwind" after "Northwind Energy"); so is an acronym of its initials
    ("MPC" after "Monetary Policy Committee")."""
    longer: dict[str, list[str]] = {}
    for key, kind in kinds.items():
        if kind == "organisation" and " " in key:
            longer.setdefault(key.split()[0], []).append(key)
            initials = "".join(w[0] for w in key.split() if w not in ("of", "the", "and", "for"))
            if len(initials) > 1:
                longer.setdefault(initials, []).append(key)
    return {key: longer[key][0] for key, kind in kinds.items()
            if kind == "organisation" and " " not in key and len(longer.get(key, [])) == 1}


def _prefer_first_names(surname: dict[str, list[str]]) -> None:
    """A surname shared by full names of which one alone opens with a common first
    name is that person's ("Mr Blair" is Tony Blair, not the "Vote Blair" of a
    slogan)."""
    common = first_names()
    for last, keys in surname.items():
        named = [k for k in keys if k.split()[0] in common]
        if len(keys) > 1 and len(named) == 1:
            surname[last] = named


def _merge_short_forms(full: dict[str, ActorInfo], surname: dict[str, list[str]]) -> None:
    """"Lo Cicero" after "Andrea Lo Cicero" is the same person: a full name that ends
    another one is merged into it."""
    by_last: dict[str, list[str]] = {}
    for key in full:
        by_last.setdefault(key.split()[-1], []).append(key)
    for keys in by_last.values():
        for key in keys:
            longer = [k for k in keys if k != key and k.endswith(" " + key)]
            if len(longer) == 1:
                full[key] = full[longer[0]]
                surname[key.split()[-1]] = [longer[0]]


def _name_kinds(candidates: list[Candidate], full: dict[str, ActorInfo],
                surname: dict[str, list[str]], index: NameIndex,
                lower: set[str]) -> dict[str, str]:
    """The kind of each name that is not a full person name or its surname: an
    organisation when its words or context say so ("firm X", "X shares"), when a
    lone word speaks ("Novartis said") or comes back mid-sentence; a person with a
    role ("President Macron")."""
    stats: dict[str, list] = {}
    models: dict[str, list[str]] = {}
    for c in candidates:
        key = fold(" ".join(c.words))
        if key in full or len(surname.get(key, [])) == 1 or c.kind == "place":
            continue
        st = stats.setdefault(key, [0, 0, False, False, False, False, len(c.words) > 1, False])
        st[7] |= _acronym(c.words)
        st[0] += 1
        st[1] += not c.initial
        st[2] |= c.org_context
        st[3] |= c.kind == "organisation"
        st[4] |= c.speaks and not c.initial
        st[5] |= bool(c.role) or c.person_context
        if c.model_kind:
            models.setdefault(key, []).append(c.model_kind)
    kinds: dict[str, str] = {}
    for key, (count, inner, context, org_words, speaks, role, multi, acronym) in stats.items():
        if acronym and key in gz.NOT_ORG_ACRONYMS:
            continue
        lone_acronym = acronym and not index.places.is_place(key)  # "CBI", "AOL"
        if context or lone_acronym or (org_words and (multi or count > 1 or speaks or role)):
            kinds[key] = "organisation"
        elif role or index.person([key]) is not None:
            kinds[key] = "person"
        elif key in models:
            kind = max(set(models[key]), key=models[key].count)
            if kind != "person" or multi or (inner and _name_word(key, index, lower)):
                kinds[key] = kind  # a lone word the model calls a person must be a name
                # word seen mid-sentence ("Faster" opening a sentence is not)
        elif not multi and _name_word(key, index, lower) and (speaks or (count > 1 and inner)):
            kinds[key] = "organisation"
    _kinds_from_lists(candidates, kinds, full, index, lower)
    return kinds


def _kinds_from_lists(candidates: list[Candidate], kinds: dict[str, str],
                      full: dict[str, ActorInfo], index: NameIndex, lower: set[str]) -> None:
    """A name with no kind of its own, listed with an organisation ("the GMB and
    Unison"), is an organisation too, even a city's name ("Juventus, Lyon": a club
    named by its city; a known organisation is listed with kind "organisation"); one
    pass, so the work stays linear."""
    for c in candidates:
        key = fold(" ".join(c.words))
        if key in kinds or key in full or (c.kind != "place" and len(c.words) == 1
                                           and not _name_word(key, index, lower)):
            continue
        if any(o.kind == "organisation" or kinds.get(fold(" ".join(o.words))) == "organisation"
               for o in c.listed):
            kinds[key] = "organisation"


def _acronym(words: list[str]) -> bool:
    """A lone word of two to five capitals ("CBI", "AOL")."""
    return len(words) == 1 and words[0].isalpha() and words[0].isupper() \
        and 2 <= len(words[0]) <= 5


def _name_word(key: str, index: NameIndex, lower: set[str]) -> bool:
    """Whether a lone capitalised word can be a name (not a common or place word)."""
    return not (key in lower or key in gz.NOT_NAMES or key in gz.OPENER_WORDS
                or key in gz.EVENT_WORDS or key in gz.TITLE_WORDS or key in gz.PERSON_NOUNS
                or key in index.demonyms or index.places.is_place(key) or len(key) < 3)


