"""PLACEHOLDER until its issue lands: fills doc.techniques with persuasion-technique spans."""

from __future__ import annotations

from unspin.document import Document


class TechniqueTagger:
    """Leaves the layer empty."""

    name = "techniques"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        return doc
