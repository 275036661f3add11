"""PLACEHOLDER until its issue lands: fills doc.source (outlet rating) and doc.meta.genre."""

from __future__ import annotations

from unspin.document import Document


class SourceProfiler:
    """Leaves the layer empty."""

    name = "source"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        return doc
