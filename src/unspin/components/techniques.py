"""Persuasion-technique spans (the 14 PTC techniques) from the bundled ONNX model."""

from __future__ import annotations

from unspin.document import Document, Technique
from unspin.models.techniques import model
from unspin.pipeline.registry import component
from unspin.settings import TechniqueSettings


def _model_id() -> str:
    return model.load().id


@component("techniques", assigns=("doc.techniques",), model=_model_id, settings="techniques")
class TechniqueTagger:
    """Fills ``doc.techniques``, sorted by start.

    ``min_score`` drops spans whose calibrated score is lower (``--min-score`` on the CLI).
    """

    def __init__(self, settings: TechniqueSettings | None = None) -> None:
        self.min_score = (settings or TechniqueSettings()).min_score

    def __call__(self, doc: Document) -> Document:
        found = model.load().tag(doc.text) if doc.text.strip() else []
        doc.techniques = [
            Technique(**t) for t in found if self.min_score is None or t["score"] >= self.min_score
        ]
        return doc
