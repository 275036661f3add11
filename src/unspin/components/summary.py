"""A reader's overview: counts per layer and the most frequent techniques."""

from __future__ import annotations

from collections import Counter

from unspin.document import Document


class Summarizer:
    """Fills ``doc.summary`` from the layers the other components wrote."""

    name = "summary"

    def __call__(self, doc: Document) -> Document:
        techniques = Counter(t["technique"] for t in doc.techniques)
        doc.summary = {
            "words": len(doc.text.split()),
            "sentences": len(doc.sentences),
            "techniques": len(doc.techniques),
            "technique_counts": dict(techniques.most_common()),
            "sentences_with_techniques": sum(
                any(t["start"] < s.end and s.start < t["end"] for t in doc.techniques)
                for s in doc.sentences
            ),
            "claims": len(doc.claims),
            "unattributed_claims": sum(1 for c in doc.claims if not c.get("attribution")),
            "events": len(doc.events),
            "entities": len(doc.entities),
        }
        return doc
