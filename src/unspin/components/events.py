"""PLACEHOLDER until its issue lands: fills doc.events and doc.timeline."""

from __future__ import annotations

from unspin.document import Document


class EventExtractor:
    """Leaves the layer empty."""

    name = "events"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        return doc
