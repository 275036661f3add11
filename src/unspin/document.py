"""The one Document every component reads and writes.

Like spaCy's Doc, it owns the text; every layer refers back to it by character offsets
(Python ``str`` indices into ``Document.text``), so any label can be checked against the
exact fragment that earned it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "unspin/1"


@dataclass(frozen=True, slots=True)
class Span:
    """A fragment of the document text; ``text`` is always ``doc.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Metadata:
    """What the page says about itself, before any analysis."""

    id: str | None = None
    title: str | None = None
    url: str | None = None
    site: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    genre: str | None = None


@dataclass(slots=True)
class Document:
    """An article and every analysis layer over it.

    ``text`` is the title, a blank line, then the body (the PTC article layout), so offsets
    from a model trained on that corpus carry over unchanged.  Layers other than
    ``sentences`` are plain JSON-ready dicts: each component owns its layer's shape, and the
    JSON Schema in ``schema/unspin-1.schema.json`` is the contract.
    """

    text: str
    meta: Metadata = field(default_factory=Metadata)
    sentences: list[Span] = field(default_factory=list)
    techniques: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    identity_claims: list[dict[str, Any]] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    # Shared intermediate results (e.g. the spaCy parse), never serialised.
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_parts(cls, title: str | None, body: str, meta: Metadata | None = None) -> Document:
        """Build the text as title + blank line + body, the layout every offset refers to."""
        meta = meta or Metadata()
        title = " ".join((title or "").split())
        body = body.strip("\n")
        meta.title = title or None
        return cls(text=f"{title}\n\n{body}" if title else body, meta=meta)

    @property
    def body_start(self) -> int:
        """Offset where the body begins (after the title and its blank line)."""
        if self.meta.title and self.text.startswith(self.meta.title + "\n\n"):
            return len(self.meta.title) + 2
        return 0

    def span(self, start: int, end: int) -> Span:
        """A Span over ``text[start:end]``; raises on offsets outside the text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside text of length {len(self.text)}")
        return Span(start, end, self.text[start:end])

    def to_dict(self) -> dict[str, Any]:
        """The unspin/1 JSON object."""
        m = self.meta
        return {
            "schema": SCHEMA,
            "document": {
                "id": m.id,
                "title": m.title,
                "text": self.text,
                "url": m.url,
                "site": m.site,
                "published": m.published,
                "authors": list(m.authors),
                "language": m.language,
                "genre": m.genre,
            },
            "sentences": [s.to_dict() for s in self.sentences],
            "techniques": self.techniques,
            "claims": self.claims,
            "events": self.events,
            "entities": self.entities,
            "timeline": self.timeline,
            "identity_claims": self.identity_claims,
            "source": self.source,
            "summary": self.summary,
        }
