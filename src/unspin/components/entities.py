"""PLACEHOLDER until its issue lands: fills doc.entities (people, organisations, places) linked to the knowledge base."""

from __future__ import annotations

from unspin.document import Document


class EntityLinker:
    """Leaves the layer empty."""

    name = "entities"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        return doc
