"""Across the corpus: an entity, an outlet, the timeline of incidents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from unspin.store import queries

router = APIRouter(tags=["corpus"])


@router.get("/entities/{key:path}")
def read_entity(key: str, request: Request) -> dict[str, Any]:
    """An entity by knowledge-base id (Q42308), stable name key (name:person:…) or name:
    its mentions across the corpus, the entities it appears with, identity claims about it."""
    with request.app.state.store.reading() as conn:
        found = queries.entity(conn, key)
    if found is None:
        raise HTTPException(404, f"no entity {key!r} in the store")
    return found


@router.get("/outlets/{domain}")
def read_outlet(domain: str, request: Request) -> dict[str, Any]:
    """The outlet's published rating and, over its stored articles, technique rates per
    1,000 words, the share of unattributed claims and its most named entities."""
    with request.app.state.store.reading() as conn:
        return queries.outlet(conn, domain)


@router.get("/timeline")
def read_timeline(
    request: Request,
    entity: str | None = None,
    place: str | None = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Dated incidents across articles, by date then kind, a page of ``limit`` at a time
    (``next`` is the cursor of the following page; one incident is never split across
    pages); one incident reported by several outlets is one item with each outlet's version
    (sentence, casualty figures, sources)."""
    service = request.app.state.settings.service
    with request.app.state.store.reading() as conn:
        return queries.timeline(
            conn,
            entity,
            place,
            queries.parse_day(from_, "from"),
            queries.parse_day(to, "to"),
            limit=min(limit or service.page_size, service.max_page_size),
            cursor=cursor,
        )
