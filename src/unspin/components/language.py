"""The document's language, when the page did not declare it, by py3langid.

py3langid (a maintained, faster fork of langid.py by trafilatura's author) ships its model
in the wheel, so identification needs no download.  The language decides which models and
word lists run (``Settings.languages``); a language unspin has none for gets only the
language-independent layers, never English rules.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from unspin.cache import cached
from unspin.document import Document
from unspin.pipeline.registry import component

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Characters classified: the opening of an article says its language as well as the whole.
SAMPLE_CHARS = 2000
# Below this normalised probability the guess is left out and the default language applies;
# short English texts ('A plan.') score under 0.1 for English, whole paragraphs over 0.95.
MIN_PROBABILITY = 0.6


@cache
def identifier() -> LanguageIdentifier:
    """py3langid's identifier, loaded on the first document that does not declare its
    language; decompressing the model takes about as long as spaCy's load, so the unpacked
    identifier is kept in unspin's cache (``unspin.cache``)."""
    return cached("langid", _load_identifier, packages=("py3langid",))


def _load_identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the guess is weak."""
    language, probability = identifier().classify(text[:SAMPLE_CHARS])
    return language if probability >= MIN_PROBABILITY else None


@component("language", assigns=("doc.meta.language",), any_language=True)
class LanguageGuesser:
    """Fills ``doc.meta.language`` unless the page or record declared it."""

    def __call__(self, doc: Document) -> Document:
        if doc.meta.language is None and doc.text.strip():
            doc.meta.language = identify(doc.text)
        return doc
