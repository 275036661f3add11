"""Persuasion-technique spans (the 14 PTC techniques) from the bundled ONNX model."""

from __future__ import annotations

from unspin.document import Document
from unspin.techniques import model


class TechniqueTagger:
    """Fills ``doc.techniques`` with ``{start, end, text, technique, score}``, sorted by start.

    ``min_score`` drops spans whose calibrated score is lower (``--min-score`` on the CLI).
    """

    name = "techniques"

    def __init__(self, min_score: float | None = None) -> None:
        self.min_score = min_score

    def __call__(self, doc: Document) -> Document:
        tagger = model.load()
        found = tagger.tag(doc.text) if doc.text.strip() else []
        if self.min_score is not None:
            found = [t for t in found if t["score"] >= self.min_score]
        doc.techniques = found
        doc.summary.setdefault("models", {})[self.name] = tagger.id
        return doc
