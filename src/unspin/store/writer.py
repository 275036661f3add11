"""Saving an analysis: the document, the analysis and its layer rows in one transaction.

Saving is idempotent: a document is found again by its key (``keys.document_key``) and an
analysis by its fingerprint, so loading the same JSON Lines twice adds nothing, while a new
model version adds a new analysis of the same document and makes it the current one.
The per-outlet counters (``aggregates``) change in the same transaction.
Concurrent writers of one document queue on its row (``SELECT … FOR UPDATE`` on
PostgreSQL, the file lock on SQLite); inserts that may race use ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Table, select, update

from unspin.components.events import incident_kind
from unspin.document import Claim, Document, Quantity, first_day
from unspin.errors import InputError
from unspin.store import aggregates, keys
from unspin.store.database import Store, dialect_insert
from unspin.store.models import (
    Analysis,
    CorpusEntity,
    EventParticipant,
    Mention,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    TechniqueSpan,
)


@dataclass(frozen=True, slots=True)
class Saved:
    """The analysis id, and whether this call added it (False: it was stored already)."""

    id: int
    created: bool


def _insert_ignoring(conn: Connection, table: Table, rows: list[dict[str, Any]], key: list[str]):
    """INSERT … ON CONFLICT (key) DO NOTHING, in the connection's dialect."""
    conn.execute(dialect_insert(conn, table).on_conflict_do_nothing(index_elements=key), rows)


def _day(value: str | None) -> date | None:
    """The first day of an ISO date or date-time, None when there is none."""
    try:
        return first_day(value[:10]) if value else None
    except ValueError:
        return None


def outlet(doc: Document) -> str | None:
    """The outlet's domain: the source profile's, else the site the page names, else the
    URL's host without ``www.``."""
    domain = doc.source.domain if doc.source else None
    host = urlsplit(doc.meta.url).hostname if doc.meta.url else None
    found = domain or doc.meta.site or (host.removeprefix("www.") if host else "")
    return found.lower() or None


def counts(doc: Document) -> dict[str, int]:
    """The per-layer counts a listing shows."""
    return {
        "words": doc.summary.words if doc.summary else len(doc.text.split()),
        "techniques": len(doc.techniques),
        "claims": len(doc.claims),
        "unattributed_claims": sum(not c.attributed for c in doc.claims),
        "events": len(doc.events),
        "entities": len(doc.entities),
    }


def _document_id(conn: Connection, doc: Document) -> int:
    """The stored document's id (added when new), its row locked for this transaction."""
    key = keys.document_key(doc)
    row = {"key": key, "url": doc.meta.url, "created": datetime.now(UTC)}
    _insert_ignoring(conn, StoredDocument.__table__, [row], ["key"])
    query = select(StoredDocument.id).where(StoredDocument.key == key)
    return conn.execute(query.with_for_update()).scalar_one()


def _entity_ids(conn: Connection, doc: Document) -> dict[str, int]:
    """Local entity id (E1) -> corpus entity id, adding entities not seen before."""
    by_key = {keys.entity_key(e): e for e in doc.entities}
    rows = [
        {
            "key": key,
            "kb_id": e.kb_id,
            "name": e.name,
            "name_key": keys.name_key(e.name),
            "type": e.type,
            "lat": e.geo.lat if e.geo else None,
            "lon": e.geo.lon if e.geo else None,
        }
        for key, e in sorted(by_key.items())  # one order for every writer: no deadlocks
    ]
    if not rows:
        return {}
    _insert_ignoring(conn, CorpusEntity.__table__, rows, ["key"])
    found = conn.execute(
        select(CorpusEntity.key, CorpusEntity.id).where(CorpusEntity.key.in_(by_key))
    ).all()
    corpus = dict(found)
    return {e.id: corpus[keys.entity_key(e)] for e in doc.entities}


def _analysis_row(doc: Document, document_id: int, fingerprint: str) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "fingerprint": fingerprint,
        "current": True,
        "unspin_version": doc.run.unspin_version if doc.run else None,
        "models": [m.model_dump() for m in doc.run.models] if doc.run else [],
        "title": doc.meta.title,
        "url": doc.meta.url,
        "site": outlet(doc),
        "published": _day(doc.meta.published),
        "genre": doc.meta.genre,
        "factuality": doc.source.factuality if doc.source else None,
        "words": counts(doc)["words"],
        "counts": counts(doc),
        "text": doc.text,
        "analysis": doc.to_dict(),
        "created": datetime.now(UTC),
    }


def _rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def _layers(conn: Connection, doc: Document, analysis_id: int) -> None:
    """The rows of the layer tables for one analysis."""
    entity_ids = _entity_ids(conn, doc)
    _rows(
        conn,
        TechniqueSpan.__table__,
        [
            {
                "analysis_id": analysis_id,
                "technique": t.technique,
                "start": t.start,
                "end": t.end,
                "score": t.score,
            }
            for t in doc.techniques
        ],
    )
    _rows(
        conn,
        StoredClaim.__table__,
        [
            {
                "analysis_id": analysis_id,
                "claim_id": c.id,
                "start": c.start,
                "end": c.end,
                "checkworthy": c.checkworthy,
                "attributed": c.attributed,
                "source": c.attribution.source if c.attribution else None,
            }
            for c in doc.claims
        ],
    )
    _rows(
        conn,
        Mention.__table__,
        [
            {
                "analysis_id": analysis_id,
                "entity_id": entity_ids[e.id],
                "local_id": e.id,
                "name": e.name,
                "count": len(e.mentions),
                "spans": [[m.start, m.end] for m in e.mentions],
            }
            for e in doc.entities
        ],
    )
    _events(conn, doc, analysis_id, entity_ids)


def _casualties(doc: Document, ids: list[str], claim: Claim | None) -> list[Quantity]:
    """The event's casualty figures, else those of the sentence reporting it: "rockets hit
    the market, killing 14" gives the toll to the killing, and the shelling needs it too."""
    own = doc.quantities_of(ids)
    if own or claim is None:
        return own
    return [q for q in doc.quantities_of(claim.quantities) if q.kind]


def _events(conn: Connection, doc: Document, analysis_id: int, entity_ids: dict[str, int]):
    claims = {c.id: c for c in doc.claims}
    for event in doc.events:
        timex = doc.date(event.date)
        day = _day(timex.value) if timex and timex.precision in ("day", "time") else None
        claim = claims.get(event.claim or "")
        source = claim.attribution.source if claim and claim.attribution else None
        place = event.location
        named = [*event.actors, *event.targets, *event.victims]
        participants = sorted({entity_ids[a.entity] for a in named if a.entity})
        row = {
            "analysis_id": analysis_id,
            "event_id": event.id,
            "type": event.type,
            "kind": incident_kind(event.type),
            "day": day,
            "place_id": entity_ids.get(place.entity) if place and place.entity else None,
            "place": place.text if place else None,
            "participants": participants,
            "casualties": [
                {"count": q.count, "kind": q.kind, "qualifier": q.qualifier, "text": q.text}
                for q in _casualties(doc, event.casualties, claim)
            ],
            "sources": [source] if source else [],
            "text": claim.text if claim else event.trigger.text,
        }
        event_id = conn.execute(
            StoredEvent.__table__.insert().returning(StoredEvent.id), row
        ).scalar_one()
        _rows(
            conn,
            EventParticipant.__table__,
            [{"event_id": event_id, "entity_id": p} for p in participants],
        )


def save(store: Store, data: dict[str, Any] | Document, source: str = "analysis") -> Saved:
    """Store one unspin/1 analysis; InputError naming ``source`` when it is not one."""
    if isinstance(data, Document):
        doc = data
    else:
        try:
            doc = Document.from_dict(data)
        except ValueError as exc:
            raise InputError(source, str(exc)) from None
    fingerprint = keys.fingerprint(doc)
    with store.writing() as conn:
        document_id = _document_id(conn, doc)
        existing = conn.execute(
            select(Analysis.id).where(
                Analysis.document_id == document_id, Analysis.fingerprint == fingerprint
            )
        ).scalar()
        if existing is not None:
            return Saved(existing, False)
        superseded = (
            update(Analysis)
            .where(Analysis.document_id == document_id, Analysis.current.is_(True))
            .values(current=False)
            .returning(Analysis.id)
        )
        removed = list(conn.execute(superseded).scalars())
        analysis_id = conn.execute(
            Analysis.__table__.insert().returning(Analysis.id),
            _analysis_row(doc, document_id, fingerprint),
        ).scalar_one()
        _layers(conn, doc, analysis_id)
        aggregates.count(conn, [analysis_id], removed)
    return Saved(analysis_id, True)
