"""The shared spaCy parse: each model loaded once per process, each text parsed once.

This is the one result components share outside the Document's layers: the Pipeline
prepares it per document (``prepare``: which language model, what limits), the first
component that needs it parses (``parse``), and the Pipeline drops it at the end
(``release``).  It is derived from the text alone, so it is never serialised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from unspin.document import Document
from unspin.settings import Settings
from unspin.settings import load as load_settings

# A line with the line breaks that follow it: the unit the parser sees.
_LINE = re.compile(r"[^\n]*\n*")


@cache
def load(model: str) -> Language:
    """A spaCy pipeline from its installed package (no download at run time)."""
    return spacy.load(model)


@dataclass(slots=True)
class _Parse:
    """The parse a document will get: the model and limits, and the parse once made."""

    model: str
    max_line_chars: int
    batch_size: int
    parsed: Doc | None = None


def prepare(doc: Document, settings: Settings) -> None:
    """Choose the model for the document's language; nothing is parsed yet."""
    models = settings.models_for(doc.meta.language) or settings.models_for(None)
    limits = settings.limits
    doc._parse = _Parse(models.spacy, limits.max_line_chars, limits.parse_batch_size)


def release(doc: Document) -> None:
    """Drop what the components shared: the parse and the encoder pass."""
    doc._parse = None
    doc._encoding = None


def _pieces(text: str, size: int) -> list[str]:
    """The lines of ``text`` (each with its line breaks), longer ones cut at a space before
    ``size`` characters, so no single parser call exceeds the limit; joined, they are
    ``text``."""
    pieces = []
    for line in (m.group() for m in _LINE.finditer(text) if m.group()):
        while len(line) > size:
            cut = line.rfind(" ", 0, size) + 1 or size
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return pieces


def parse(doc: Document) -> Doc:
    """The spaCy parse of ``doc.text``, computed by the first component that asks for it.

    Each line (title, paragraph) is parsed on its own and the parses are joined: a title
    without a final full stop otherwise swallows the first body sentence ("... in Velmora
    Rebels attacked"), and even preset sentence starts do not stop the small parser from
    attaching words across the line break. The joined Doc's text is exactly ``doc.text``.
    Outside a pipeline the default settings apply.
    """
    if doc._parse is None:
        prepare(doc, load_settings())
    state: _Parse = doc._parse
    if state.parsed is None:
        nlp = load(state.model)
        pieces = _pieces(doc.text, state.max_line_chars)
        parts = list(nlp.pipe(pieces, batch_size=state.batch_size)) if pieces else [nlp("")]
        state.parsed = Doc.from_docs(parts, ensure_whitespace=False)
    return state.parsed
