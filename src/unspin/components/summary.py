"""A reader's overview: counts per layer and the most frequent techniques."""

from __future__ import annotations

from collections import Counter

from unspin.document import Document, Summary, TechniqueCount
from unspin.pipeline.registry import component


@component("summary", assigns=("doc.summary",), any_language=True)
class Summarizer:
    """Fills ``doc.summary`` from whatever layers the other components wrote; what ran and
    what was skipped is ``doc.run``'s to say."""

    def __call__(self, doc: Document) -> Document:
        techniques = Counter(t.technique for t in doc.techniques)
        doc.summary = Summary(
            words=len(doc.text.split()),
            sentences=len(doc.sentences),
            techniques=len(doc.techniques),
            technique_counts=[
                TechniqueCount(technique=t, count=n) for t, n in techniques.most_common()
            ],
            sentences_with_techniques=sum(
                any(t.start < s.end and s.start < t.end for t in doc.techniques)
                for s in doc.sentences
            ),
            claims=len(doc.claims),
            unattributed_claims=sum(1 for c in doc.claims if not c.attribution),
            events=len(doc.events),
            entities=len(doc.entities),
        )
        return doc
