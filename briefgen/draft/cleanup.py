"""Preparing raw article text: mojibake repaired, a glued headline split from the body.

Plain-text corpora often ship UTF-8 read as Latin-1 (``Â£`` for ``£``) and the
headline on the same line as the first sentence ("Sella wants Michalak recall
Former France centre Philippe Sella believes…"). Both are fixed before anything
else reads the text, in one pass each.
"""

from __future__ import annotations

import re

import ftfy

from briefgen.draft import gazetteer as gz

_WORD = re.compile(r"\S+")
MAX_HEADLINE_WORDS = 14
# Words that open a news sentence but rarely end a headline.
OPENERS = frozenset(["the", "a", "an", "all", "more", "most", "some", "many", "former", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "one", "shares", "police", "officials", "prices", "plans", "government", "budget", "software", "novelist", "comedy", "film", "singer", "actor", "actress", "it", "there", "this", "these", "when", "after", "in", "on", "at", "for", "as", "global"])
_COUNTRY_WORDS = frozenset(w.casefold() for e in gz.COUNTRIES
                           for w in (e.name, *e.aliases, *e.demonyms))
_DEMONYMS = frozenset(d.casefold() for e in gz.COUNTRIES for d in e.demonyms)


def repair(text: str) -> str:
    """``text`` with mojibake undone (``Â£5m`` -> ``£5m``); quotes and widths untouched."""
    if not re.search("[ÂÃâ]", text):
        return text
    return ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, normalization=None,
                         fix_line_breaks=False, unescape_html=False)


def _capital(word: str) -> bool:
    word = word.strip("'\"‘’“”(")
    return word[:1].isupper()


def _core(word: str) -> str:
    word = word.strip("'\"‘’“”(),:;.")
    return re.sub(r"[’']s$", "", word)


def _demonym(word: str) -> bool:
    parts = [p.casefold() for p in _core(word).split("-")]
    return all(p in _COUNTRY_WORDS for p in parts) and (len(parts) > 1 or parts[0] in _DEMONYMS)


def glued_headline(paragraph: str) -> int:
    """Where the body starts when a headline is glued to it, else 0.

    The body starts at a capitalised word after a lower-case one, when the
    capitalised run it starts brings back a capitalised word of the headline
    ("Radcliffe yet to answer GB call | Paula Radcliffe has…") or when it is a
    common sentence opener ("The", "Shares"); failing both, at a demonym
    ("American Olympic stars…"). A comma or a speech verb before it means the
    paragraph starts with a sentence, not a headline.
    """
    words = [w for w in _WORD.finditer(paragraph[:400])]
    if len(words) < 8:
        return 0
    texts = [w.group() for w in words]
    limit = min(MAX_HEADLINE_WORDS, len(words) - 5) + 1
    for strict in (True, False):
        for k in range(2, limit):
            head = paragraph[:words[k].start()]
            if texts[k - 1].endswith((".", "!", "?")) or "," in head or _SPEECH.search(head):
                break
            if _capital(texts[k]) and _starts_body(texts, k, strict):
                return words[k].start()
    return 0


_SPEECH = re.compile(r"\b(?:said|says|told)\b")


def _starts_body(texts: list[str], k: int, strict: bool) -> bool:
    core = _core(texts[k]).casefold()
    if not strict:
        return not _capital(texts[k - 1]) and _demonym(texts[k])
    if core in OPENERS:
        return True
    run_before = []
    i = k - 1
    while i >= 0 and _capital(texts[i]):
        run_before.insert(0, _core(texts[i]))
        i -= 1
    if run_before:  # inside a capitalised run: only a repeat of that run ("New Zealand New Zealand")
        return [_core(t) for t in texts[k:k + len(run_before)]] == run_before
    head = {_core(t).casefold() for t in texts[:k] if _capital(t)}
    run = []
    for t in texts[k:k + 4]:
        if not _capital(t):
            break
        run.append(_core(t).casefold())
    return any(w in head for w in run)
