"""A reader's overview: counts per layer, what ran, and the most frequent techniques."""

from __future__ import annotations

from collections import Counter

import unspin
from unspin.document import Document


class Summarizer:
    """Fills ``doc.summary`` from the layers the other components wrote."""

    name = "summary"

    def __init__(self, skipped: list[str] | tuple[str, ...] = ()) -> None:
        # A skipped layer and a layer that found nothing look alike; the report tells them
        # apart from this list.
        self.skipped = list(skipped)

    def __call__(self, doc: Document) -> Document:
        techniques = Counter(t["technique"] for t in doc.techniques)
        # Components that use a model record its id in doc.summary["models"]; keep it.
        doc.summary = {
            "unspin_version": unspin.__version__,
            "models": doc.summary.get("models", {}),
            "skipped": self.skipped,
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
