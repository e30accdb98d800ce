"""An optional statistical entity recogniser behind one small interface.

The rule-based drafter works alone. When spaCy and an English pipeline are
installed (``pip install 'briefgen[nlp]'`` and ``python -m spacy download
en_core_web_sm``), the draft command loads it and its PERSON / ORG / GPE labels
settle whether a capitalised run is a person, an organisation or a place; the
rules still find the runs, roles, surnames and registry links. Anything that
has ``hints(blocks)`` can stand in (tests use a small fake).
"""

from __future__ import annotations

import importlib
from typing import Protocol

from briefgen.draft.sentences import Block

DEFAULT_MODELS = ("en_core_web_sm",)
KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
         "NORP": "place", "FAC": "place"}
Hint = tuple[int, int, str]  # start, end, kind in one block's text


class Recogniser(Protocol):
    """What the drafter asks of a recogniser."""

    name: str

    def hints(self, blocks: list[Block]) -> dict[int, list[Hint]]:
        """Entity spans of each annotatable paragraph, by block number, in order."""


class SpacyRecogniser:
    """A spaCy pipeline's named entities as kind hints (one pass per paragraph)."""

    def __init__(self, nlp, name: str):
        self.nlp = nlp
        self.name = name
        self.nlp.max_length = max(self.nlp.max_length, 3 * 1024 * 1024)

    def hints(self, blocks: list[Block]) -> dict[int, list[Hint]]:
        numbers = [n for n, b in enumerate(blocks) if b.annotate and b.kind == "para"]
        docs = self.nlp.pipe(blocks[n].text for n in numbers)
        return {n: [(e.start_char, e.end_char, KINDS[e.label_]) for e in doc.ents
                    if e.label_ in KINDS] for n, doc in zip(numbers, docs, strict=True)}


def load_recogniser(model: str | None = None) -> SpacyRecogniser | None:
    """spaCy with ``model`` (a pipeline name or an installed package), else the first
    default pipeline that is installed; None when spaCy or every model is missing."""
    try:
        spacy = importlib.import_module("spacy")
    except ImportError:
        return None
    exclude = ["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"]
    for name in (model,) if model else DEFAULT_MODELS:
        try:
            return SpacyRecogniser(spacy.load(name, exclude=exclude), name)
        except (OSError, ImportError, ValueError):
            try:
                module = importlib.import_module(name)
                return SpacyRecogniser(module.load(exclude=exclude), name)
            except (ImportError, AttributeError, OSError, ValueError):
                continue
    return None
