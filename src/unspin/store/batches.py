"""Batch progress kept in the store, so any request (or a restarted reader) can ask."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from unspin.store.database import Store
from unspin.store.models import Batch


def create(store: Store, total: int = 0) -> str:
    batch_id = uuid.uuid4().hex
    with store.writing() as conn:
        conn.execute(
            Batch.__table__.insert(),
            {
                "id": batch_id,
                "total": total,
                "done": 0,
                "failed": 0,
                "finished": False,
                "errors": [],
                "created": datetime.now(UTC),
            },
        )
    return batch_id


def progress(store: Store, batch_id: str, error: str | None, keep: int) -> None:
    """One more record: done, or failed with its reason (the first ``keep`` reasons kept)."""
    with store.writing() as conn:
        row = conn.execute(select(Batch.__table__).where(Batch.id == batch_id)).one()
        values: dict[str, Any] = {"total": row.total + 1}
        if error is None:
            values["done"] = row.done + 1
        else:
            values["failed"] = row.failed + 1
            if len(row.errors) < keep:
                values["errors"] = [*row.errors, error]
        conn.execute(update(Batch).where(Batch.id == batch_id).values(**values))


def finish(store: Store, batch_id: str, error: str | None = None) -> None:
    """The batch read to its end (or stopped by ``error``, kept with the others)."""
    with store.writing() as conn:
        values: dict[str, Any] = {"finished": True}
        if error is not None:
            row = conn.execute(select(Batch.errors).where(Batch.id == batch_id)).scalar_one()
            values["errors"] = [*row, error]
        conn.execute(update(Batch).where(Batch.id == batch_id).values(**values))


def status(store: Store, batch_id: str) -> dict[str, Any] | None:
    with store.reading() as conn:
        row = conn.execute(select(Batch.__table__).where(Batch.id == batch_id)).first()
    if row is None:
        return None
    return {
        "id": row.id,
        "done": row.done,
        "failed": row.failed,
        "total": row.total,
        "finished": row.finished,
        "errors": row.errors,
    }
