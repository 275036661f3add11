"""The corpus store's tables: documents, their analyses and the layers queries filter on.

The full unspin/1 object of every analysis is kept (``analyses.analysis``); the layer tables
hold the few fields the queries filter, join and group on, each with the index that serves
its query, so a listing never scans the corpus.  The schema is created and upgraded by the
Alembic migrations in ``migrations/`` (``unspin.store.database.open_store``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class StoredDocument(Base):
    """One article, identified by its canonical URL or, without one, a hash of its text."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Analysis(Base):
    """One analysis of a document by one unspin version and set of models.

    The listing's filters (outlet, date, genre, rating) are copied here from the analysis so
    each is one index range; ``current`` marks the newest analysis of its document.
    """

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("document_id", "fingerprint"),
        Index("ix_analyses_current_id", "current", "id"),
        Index("ix_analyses_site", "site", "current", "id"),
        Index("ix_analyses_published", "published", "id"),
        Index("ix_analyses_current_published", "current", "published", "id"),
        Index("ix_analyses_genre", "genre", "current", "id"),
        Index("ix_analyses_factuality", "factuality", "current", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # Hash of the text, unspin version, components and model ids: the same input analysed
    # by the same models is the same analysis.
    fingerprint: Mapped[str] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(Boolean)
    unspin_version: Mapped[str | None] = mapped_column(String(40))
    models: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(255))
    published: Mapped[date | None] = mapped_column(Date)
    genre: Mapped[str | None] = mapped_column(String(20))
    factuality: Mapped[str | None] = mapped_column(String(40))
    words: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    # Title and body, for the word search (an FTS5 table on SQLite, a GIN index on PostgreSQL).
    text: Mapped[str] = mapped_column(Text)
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TechniqueSpan(Base):
    __tablename__ = "techniques"
    __table_args__ = (Index("ix_techniques_technique", "technique", "analysis_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    technique: Mapped[str] = mapped_column(String(60))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)


class StoredClaim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    claim_id: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    checkworthy: Mapped[float] = mapped_column(Float)
    attributed: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str | None] = mapped_column(Text)


class CorpusEntity(Base):
    """An actor or place across the corpus: by knowledge-base id, or by a stable name key."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kb_id: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(Text)
    # casefolded name, to find an entity by name
    name_key: Mapped[str] = mapped_column(String(400), index=True)
    type: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class Mention(Base):
    """An entity of one analysis (its local id, e.g. E3) with its mentions' offsets."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_entity", "entity_id", "analysis_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    local_id: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer)
    spans: Mapped[list[list[int]]] = mapped_column(JSON)


class StoredEvent(Base):
    """An event with what the timeline groups on: type, day, place and participants."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_day", "day", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(60))
    # the PLOVER category when the taxonomy gives one, else the type: what incidents share
    kind: Mapped[str] = mapped_column(String(60))
    day: Mapped[date | None] = mapped_column(Date)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    place: Mapped[str | None] = mapped_column(Text)
    # corpus entity ids of the actors and targets
    participants: Mapped[list[int]] = mapped_column(JSON)
    # the casualty figures, each {"count", "kind", "qualifier", "text"}, and who said so
    casualties: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)


class EventParticipant(Base):
    """Which corpus entities take part in an event, so the timeline finds them by index."""

    __tablename__ = "event_participants"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), primary_key=True)
    __table_args__ = (Index("ix_event_participants_entity", "entity_id", "event_id"),)


class Gold(Base):
    """A person's correction of an analysis (e.g. from Label Studio): who, when, what."""

    __tablename__ = "gold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    layer: Mapped[str] = mapped_column(String(40))
    annotator: Mapped[str | None] = mapped_column(Text)
    annotated: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(String(200))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("analysis_id", "layer", "origin"),)


class Batch(Base):
    """A batch submitted to the web API and how far it has got."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    finished: Mapped[bool] = mapped_column(Boolean)
    errors: Mapped[list[str]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutletTotals(Base):
    """Running totals over one outlet's current analyses (``aggregates`` keeps them in the
    write transaction), so a profile reads one row instead of every article.  Articles
    without an outlet count under ``site`` ""."""

    __tablename__ = "outlet_totals"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    claims: Mapped[int] = mapped_column(Integer)
    unattributed: Mapped[int] = mapped_column(Integer)


class OutletTechnique(Base):
    """Technique spans in one outlet's current analyses, per technique."""

    __tablename__ = "outlet_techniques"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    technique: Mapped[str] = mapped_column(String(60), primary_key=True)
    spans: Mapped[int] = mapped_column(Integer)


class OutletEntity(Base):
    """How many of one outlet's current analyses name an entity, and how often; the index
    gives the most named first without reading the others."""

    __tablename__ = "outlet_entities"
    __table_args__ = (Index("ix_outlet_entities_top", "site", "mentions", "entity_id"),)

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    mentions: Mapped[int] = mapped_column(Integer)


class OutletMonth(Base):
    """Articles, words and technique spans of one outlet's dated current analyses per
    publication month (YYYY-MM), for the rate-by-month chart."""

    __tablename__ = "outlet_months"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    spans: Mapped[int] = mapped_column(Integer)
