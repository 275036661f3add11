"""What every exporter needs: the Document behind an unspin/1 dict, and a name for it."""

from __future__ import annotations

from typing import Any

from unspin.document import Document
from unspin.store.keys import text_hash


def as_document(analysis: dict[str, Any] | Document) -> Document:
    """The Document; ValueError (offsets checked) when the dict is not an unspin/1 analysis."""
    return analysis if isinstance(analysis, Document) else Document.from_dict(analysis)


def source_iri(doc: Document) -> str:
    """The article's URL, else a URN from the hash of its text, so annotations name it."""
    return doc.meta.url or f"urn:unspin:sha256:{text_hash(doc.text)}"
