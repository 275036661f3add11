"""PLACEHOLDER until its issue lands: fills doc.claims with check-worthy sentences and their attribution."""

from __future__ import annotations

from unspin.document import Document


class ClaimFinder:
    """Leaves the layer empty."""

    name = "claims"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        return doc
