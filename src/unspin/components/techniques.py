"""Persuasion-technique spans (the 14 PTC techniques) from the bundled ONNX model."""

from __future__ import annotations

from unspin.document import Document, Technique
from unspin.models.techniques import model
from unspin.pipeline import nlp
from unspin.pipeline.registry import component
from unspin.settings import TechniqueSettings


@component("techniques", assigns=("doc.techniques",), settings="techniques")
class TechniqueTagger:
    """Fills ``doc.techniques``, sorted by start.

    ``min_score`` drops spans whose calibrated score is lower (``--min-score`` on the CLI);
    ``model`` runs an exported model from a directory instead of the bundled one.
    """

    def __init__(self, settings: TechniqueSettings | None = None) -> None:
        settings = settings or TechniqueSettings()
        self.min_score = settings.min_score
        self.directory = settings.model
        self.threads = settings.threads

    @property
    def model_id(self) -> str:
        """The id of the model this tagger runs, recorded in ``doc.run.models``."""
        return model.load(self.directory, self.threads).id

    def __call__(self, doc: Document) -> Document:
        tagger = model.load(self.directory, self.threads)
        if not doc.text.strip():
            found = []
        else:
            # The shared parse, made here only if no earlier component needed it.
            parsed = nlp.parse(doc) if tagger.boundaries is not None else None
            found = tagger.tag(doc.text, tagger.document_outputs(doc), parsed)
        doc.techniques = [
            Technique(**t) for t in found if self.min_score is None or t["score"] >= self.min_score
        ]
        return doc
