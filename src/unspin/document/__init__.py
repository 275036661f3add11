"""The Document and its typed layers: what flows through the pipeline and out as unspin/1."""

from unspin.document.document import SCHEMA, Document, Metadata
from unspin.document.layers import (
    Argument,
    Attribution,
    Claim,
    Entity,
    Event,
    GenreSignal,
    Geo,
    IdentityClaim,
    Quantity,
    Run,
    SourceProfile,
    Span,
    Summary,
    Technique,
    Timex,
    first_day,
)

__all__ = [
    "SCHEMA",
    "Argument",
    "Attribution",
    "Claim",
    "Document",
    "Entity",
    "Event",
    "GenreSignal",
    "Geo",
    "IdentityClaim",
    "Metadata",
    "Quantity",
    "Run",
    "SourceProfile",
    "Span",
    "Summary",
    "Technique",
    "Timex",
    "first_day",
]
