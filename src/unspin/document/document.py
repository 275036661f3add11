"""The one Document every component reads and writes.

Like spaCy's Doc, it owns the text; every layer refers back to it by character offsets
(Python ``str`` indices into ``Document.text``), so any label can be checked against the
exact fragment that earned it.  ``to_dict`` gives the unspin/1 JSON object and
``from_dict`` rebuilds the Document from it, offsets checked.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, ValidationError

from unspin.document.layers import (
    Claim,
    Entity,
    Event,
    IdentityClaim,
    Item,
    Quantity,
    Run,
    SourceProfile,
    Span,
    Summary,
    Technique,
    Timex,
)

SCHEMA = "unspin/1"


class Metadata(Item):
    """The article as ingested: its text and what the page says about itself."""

    id: str | None = None
    title: str | None = None
    text: str = Field("", description="The title, a blank line, then the body.")
    url: str | None = None
    site: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or date-time.")
    authors: list[str] = []
    language: str | None = Field(None, description="ISO 639-1 code, declared or identified.")
    genre: Literal["opinion", "reporting", "satire"] | None = None


class Document(Item):
    """An article and every analysis layer over it.

    ``text`` is the title, a blank line, then the body (the PTC article layout), so offsets
    from a model trained on that corpus carry over unchanged.  Two results derived from the
    text alone are kept beside the layers, shared by the components that read them and
    dropped when the pipeline ends, never serialised: the spaCy parse (``_parse``, see
    ``unspin.pipeline.nlp``) and the encoder pass every model head reads (``_encoding``, see
    ``unspin.models.techniques.model``).
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_serialization_defaults_required=True,
    )

    schema_: Literal["unspin/1"] = Field(SCHEMA, alias="schema")
    meta: Metadata = Field(default_factory=Metadata, alias="document")
    sentences: list[Span] = []
    dates: list[Timex] = []
    quantities: list[Quantity] = []
    techniques: list[Technique] = []
    claims: list[Claim] = []
    events: list[Event] = []
    entities: list[Entity] = []
    timeline: list[str] = Field([], description="event ids by date, undated last")
    identity_claims: list[IdentityClaim] = []
    source: SourceProfile | None = None
    summary: Summary | None = None
    run: Run | None = None

    _parse: Any = PrivateAttr(default=None)
    _encoding: Any = PrivateAttr(default=None)

    def __init__(self, text: str | None = None, /, **data: Any) -> None:
        """``Document("some text")`` or ``Document(text=..., meta=...)``: the text belongs to
        the article block (``meta``, "document" in JSON), where this puts it."""
        text = data.pop("text", text)
        if text is not None:
            meta = data.pop("meta", None) or data.pop("document", None) or Metadata()
            if isinstance(meta, Metadata):
                meta = meta.model_copy(update={"text": text})
            else:
                meta = {**meta, "text": text}
            data["meta"] = meta
        super().__init__(**data)

    @property
    def text(self) -> str:
        return self.meta.text

    @classmethod
    def from_parts(cls, title: str | None, body: str, meta: Metadata | None = None) -> Document:
        """Build the text as title + blank line + body, the layout every offset refers to."""
        meta = meta or Metadata()
        title = " ".join((title or "").split())
        body = body.strip("\n")
        meta.title = title or None
        meta.text = f"{title}\n\n{body}" if title else body
        return cls(meta=meta)

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
        return Span(start=start, end=end, text=self.text[start:end])

    def date(self, timex_id: str | None) -> Timex | None:
        """The dates-layer item a claim or event refers to."""
        return next((t for t in self.dates if t.id == timex_id), None) if timex_id else None

    def quantities_of(self, ids: list[str]) -> list[Quantity]:
        """The quantities-layer items a claim or event refers to, in the order given."""
        by_id = {q.id: q for q in self.quantities}
        return [by_id[i] for i in ids if i in by_id]

    def entity_at(self, start: int, end: int, head: int | None = None) -> str | None:
        """The id of the entity mentioned inside [start, end), so claims and events can name it.

        A mention holding ``head`` (the span's syntactic head, e.g. 'Ministry' in 'the
        Interior Ministry') wins; otherwise the first mention inside the span ('a spokesman
        for *the army*').  None when the layer is empty or nothing is mentioned there.
        """
        inside: list[tuple[int, str]] = []
        for entity in self.entities:
            for mention in entity.mentions:
                s, e = mention.start, mention.end
                if head is not None and s <= head < e and start <= head < end:
                    return entity.id
                if start <= s and e <= end:
                    inside.append((s, entity.id))
        return min(inside)[1] if inside else None

    def to_dict(self) -> dict[str, Any]:
        """The unspin/1 JSON object."""
        return self.model_dump(by_alias=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """The Document an unspin/1 object describes; ValueError naming the first problem.

        Offsets are checked too: every span's text must be ``text[start:end]``.
        """
        try:
            doc = cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"not an {SCHEMA} analysis: {where}: {first['msg']}") from None
        doc.check_offsets()
        return doc

    def check_offsets(self) -> None:
        """Raise ValueError unless every span in every layer quotes the text exactly."""
        for span in _spans(self):
            if self.text[span.start : span.end] != span.text or span.end > len(self.text):
                raise ValueError(f"span {span.start}:{span.end} does not match the text")


def _spans(item: Item) -> list[Span]:
    """Every Span inside ``item``'s fields, at any depth."""
    found: list[Span] = []
    stack: list[Any] = [getattr(item, name) for name in type(item).model_fields]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, Item):
            if isinstance(value, Span):
                found.append(value)
            stack.extend(getattr(value, name) for name in type(value).model_fields)
    return found
