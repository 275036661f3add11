"""W3C Web Annotation (JSON-LD) of an analysis: technique spans and check-worthy claims.

Each annotation's target carries a ``TextPositionSelector`` and a ``TextQuoteSelector``.
Positions count Unicode code points, as the Web Annotation model requires and as Python
``str`` offsets do (``document.text[start:end]``); a JavaScript client, counting UTF-16 code
units, must convert them for text outside the Basic Multilingual Plane (emoji), or anchor by
the quote instead.  Scores and the claim's source have no term in the Web Annotation
vocabulary, so a small context of unspin's own names them beside the standard one.
"""

from __future__ import annotations

from typing import Any

from unspin.document import Document, Span
from unspin.exports.common import as_document, source_iri

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'
VOCABULARY = "https://unspin.invalid/ns/1#"
# Characters of context either side of a quote: enough to anchor it again in edited text.
QUOTE_CONTEXT = 32
_OWN_TERMS = {
    "unspin": VOCABULARY,
    "score": {"@id": "unspin:score", "@type": "xsd:decimal"},
    "checkworthy": {"@id": "unspin:checkworthy", "@type": "xsd:decimal"},
    "attributedTo": "unspin:attributedTo",
}


def _target(doc: Document, iri: str, span: Span) -> dict[str, Any]:
    text = doc.text
    return {
        "source": iri,
        "selector": [
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            {
                "type": "TextQuoteSelector",
                "exact": text[span.start : span.end],
                "prefix": text[max(0, span.start - QUOTE_CONTEXT) : span.start],
                "suffix": text[span.end : span.end + QUOTE_CONTEXT],
            },
        ],
    }


def annotations(analysis: dict[str, Any] | Document) -> list[dict[str, Any]]:
    """The analysis as Web Annotations (without ``@context``; ``page`` adds it)."""
    doc = as_document(analysis)
    iri = source_iri(doc)
    found: list[dict[str, Any]] = []
    for n, t in enumerate(doc.techniques, 1):
        found.append({
            "id": f"{iri}#technique-{n}",
            "type": "Annotation",
            "motivation": "classifying",
            "body": {
                "type": "TextualBody",
                "purpose": "classifying",
                "value": t.technique,
                "score": t.score,
            },
            "target": _target(doc, iri, t),
        })
    for c in doc.claims:
        source = c.attribution.source if c.attribution else None
        found.append({
            "id": f"{iri}#claim-{c.id}",
            "type": "Annotation",
            "motivation": "assessing",
            "body": [
                {
                    "type": "TextualBody",
                    "purpose": "assessing",
                    "value": f"check-worthiness {c.checkworthy:.2f}",
                    "checkworthy": c.checkworthy,
                },
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": f"attributed to {source}" if source else "not attributed",
                    **({"attributedTo": source} if source else {}),
                },
            ],
            "target": _target(doc, iri, c),
        })
    return found


def page(analysis: dict[str, Any] | Document) -> dict[str, Any]:
    """One document's annotations as an ``AnnotationPage`` with its JSON-LD context."""
    items = annotations(analysis)
    return {
        "@context": [CONTEXT, _OWN_TERMS],
        "type": "AnnotationPage",
        "items": items,
    }
