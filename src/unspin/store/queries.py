"""The corpus queries: listing with filters, an entity across articles, an outlet's profile,
the cross-outlet timeline.  Each filter is an index range or an index lookup (see
``benchmarks/service_load.py`` for the query plans and the timings at 1,000 and 10,000
analyses); listings page by key (``id < cursor``) and the timeline by (day, kind), never
by offset; outlet figures come from the per-outlet counters (``aggregates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any, get_args

from sqlalchemy import Connection, Integer, Select, column, func, literal_column, select, table

from unspin.components.source import profile
from unspin.document.layers import TechniqueName
from unspin.errors import InputError
from unspin.store import incidents, keys
from unspin.store.models import (
    Analysis,
    CorpusEntity,
    EventParticipant,
    Mention,
    OutletEntity,
    OutletMonth,
    OutletTechnique,
    OutletTotals,
    StoredEvent,
    TechniqueSpan,
)

GENRES = ("opinion", "reporting", "satire")
# Event rows a timeline page reads at most, and mentions an entity answer lists (newest first;
# ``mention_count`` says how many there are): bounded work per request.
MAX_ROWS = 2000
MAX_MENTIONS = 200


@dataclass(frozen=True, slots=True)
class Filters:
    """What a listing asks for; every field optional."""

    outlet: str | None = None
    technique: str | None = None
    entity: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    genre: str | None = None
    factuality: str | None = None
    words: str | None = None


def parse_day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD filter value; InputError naming the parameter otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(name, f"not a date (YYYY-MM-DD): {value!r}") from None


def entity_ids(conn: Connection, value: str) -> list[int]:
    """Corpus entities named by ``value``: a key (Q42308, name:person:…) or a name."""
    query = select(CorpusEntity.id).where(
        (CorpusEntity.key == value) | (CorpusEntity.name_key == keys.name_key(value))
    )
    return list(conn.execute(query).scalars())


# The FTS5 table of the word search on SQLite; its rowid is the analysis id.
FTS = table("analyses_fts", column("rowid", Integer), column("analyses_fts"))
# The tsvector of the text PostgreSQL stores beside it (migration 0004), not in the model.
TEXT_VECTOR = literal_column("analyses.text_vector")


def _word_search(conn: Connection, query: Select, words: str) -> tuple[Select, Any]:
    """``query`` narrowed to analyses whose text holds every word, and the id to page on.

    SQLite pages on the FTS5 rowid, which FTS5 returns newest first by itself: a page reads
    its own matches, not every match.  PostgreSQL checks the stored tsvector, cheap per row,
    so its planner can walk the ids backwards for common words and use the GIN index for rare
    ones.
    """
    if conn.dialect.name == "postgresql":
        # the configuration inline, as the column was made, so EXPLAIN can show the plan
        match = TEXT_VECTOR.op("@@")(func.plainto_tsquery(literal_column("'simple'"), words))
        return query.where(match), Analysis.id
    phrase = " ".join('"' + w.replace('"', '""') + '"' for w in words.split())
    query = query.join(FTS, FTS.c.rowid == Analysis.id).where(FTS.c.analyses_fts.match(phrase))
    return query, FTS.c.rowid


def _filtered(conn: Connection, f: Filters, query: Select) -> Select:
    query = query.where(Analysis.current.is_(True))
    if f.outlet:
        query = query.where(Analysis.site == f.outlet.lower())
    if f.genre:
        if f.genre not in GENRES:
            raise InputError("genre", f"choose from {', '.join(GENRES)}")
        query = query.where(Analysis.genre == f.genre)
    if f.factuality:
        query = query.where(Analysis.factuality == f.factuality)
    if f.date_from:
        query = query.where(Analysis.published >= f.date_from)
    if f.date_to:
        query = query.where(Analysis.published <= f.date_to)
    if f.technique:
        if f.technique not in get_args(TechniqueName):
            raise InputError("technique", f"unknown technique {f.technique!r}")
        # EXISTS, probed newest first: a page stops after ``limit`` hits, whatever the size
        query = query.where(
            select(TechniqueSpan.id)
            .where(TechniqueSpan.analysis_id == Analysis.id, TechniqueSpan.technique == f.technique)
            .exists()
        )
    if f.entity:
        ids = entity_ids(conn, f.entity)
        query = query.where(
            select(Mention.id)
            .where(Mention.analysis_id == Analysis.id, Mention.entity_id.in_(ids))
            .exists()
        )
    return query


def listing_query(conn: Connection, f: Filters, limit: int, cursor: str | None) -> Select:
    """The SELECT behind ``list_analyses`` (one row more than a page, to know if more follow)."""
    query = select(
        Analysis.id,
        Analysis.title,
        Analysis.url,
        Analysis.site,
        Analysis.published,
        Analysis.genre,
        Analysis.counts,
    )
    query, key = _filtered(conn, f, query), Analysis.id
    if f.words and f.words.strip():
        query, key = _word_search(conn, query, f.words)
    if cursor:
        if not cursor.isdigit():
            raise InputError("cursor", "not a cursor this service gave")
        query = query.where(key < int(cursor))
    return query.order_by(key.desc()).limit(limit + 1)


def explain(conn: Connection, query: Select) -> str:
    """The database's plan for ``query``, one line per step (to show which indexes serve it)."""
    sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN" if conn.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    rows = conn.exec_driver_sql(f"{prefix} {sql}").all()
    return "\n".join(str(row[-1]) for row in rows)


def list_analyses(
    conn: Connection, f: Filters, limit: int, cursor: str | None = None
) -> dict[str, Any]:
    """``{"items", "next"}``: the newest current analyses matching ``f``, ``limit`` at a time;
    ``next`` is the cursor of the following page (None on the last)."""
    rows = conn.execute(listing_query(conn, f, limit, cursor)).all()
    items = [
        {
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "site": r.site,
            "published": r.published.isoformat() if r.published else None,
            "genre": r.genre,
            "counts": r.counts,
        }
        for r in rows[:limit]
    ]
    return {"items": items, "next": str(rows[limit - 1].id) if len(rows) > limit else None}


def analysis(conn: Connection, analysis_id: int) -> dict[str, Any] | None:
    """The stored unspin/1 object, or None."""
    found = select(Analysis.analysis).where(Analysis.id == analysis_id)
    return conn.execute(found).scalar()


def entity(conn: Connection, value: str) -> dict[str, Any] | None:
    """An entity across the corpus: its mentions per analysis, the entities it appears with
    and the identity claims about it; None when the store has none by that key or name."""
    ids = entity_ids(conn, value)
    if not ids:
        return None
    first = conn.execute(
        select(CorpusEntity.__table__).where(CorpusEntity.id.in_(ids)).order_by(CorpusEntity.id)
    ).first()
    mentions = conn.execute(
        select(
            Mention.analysis_id,
            Mention.local_id,
            Mention.name,
            Mention.count,
            Mention.spans,
            Analysis.title,
            Analysis.site,
            Analysis.published,
        )
        .join(Analysis, Analysis.id == Mention.analysis_id)
        .where(Mention.entity_id.in_(ids), Analysis.current.is_(True))
        .order_by(Mention.analysis_id.desc())
        .limit(MAX_MENTIONS)
    ).all()
    total = conn.execute(
        select(func.count()).select_from(Mention).where(Mention.entity_id.in_(ids))
    ).scalar_one()
    analysis_ids = [m.analysis_id for m in mentions]
    return {
        "key": first.key,
        "kb_id": first.kb_id,
        "name": first.name,
        "type": first.type,
        "geo": {"lat": first.lat, "lon": first.lon} if first.lat is not None else None,
        "mention_count": total,
        "mentions": [
            {
                "analysis_id": m.analysis_id,
                "title": m.title,
                "site": m.site,
                "published": m.published.isoformat() if m.published else None,
                "name": m.name,
                "count": m.count,
                "spans": m.spans,
            }
            for m in mentions
        ],
        "appears_with": _appears_with(conn, ids, analysis_ids),
        "identity_claims": _identity_claims(conn, mentions),
    }


def _appears_with(conn: Connection, ids: list[int], analysis_ids: list[int]) -> list[dict]:
    """The entities most often named in the same articles."""
    shared = func.count(Mention.analysis_id.distinct()).label("articles")
    rows = conn.execute(
        select(CorpusEntity.key, CorpusEntity.name, CorpusEntity.type, shared)
        .join(CorpusEntity, CorpusEntity.id == Mention.entity_id)
        .where(Mention.analysis_id.in_(analysis_ids), Mention.entity_id.not_in(ids))
        .group_by(CorpusEntity.key, CorpusEntity.name, CorpusEntity.type)
        .order_by(shared.desc(), CorpusEntity.key)
        .limit(20)
    ).all()
    return [{"key": r.key, "name": r.name, "type": r.type, "articles": r.articles} for r in rows]


def _identity_claims(conn: Connection, mentions: list[Any]) -> list[dict[str, Any]]:
    """Identity claims naming the entity, read from the stored analyses that mention it."""
    local = {m.analysis_id: m.local_id for m in mentions}
    found = []
    stored = conn.execute(
        select(Analysis.id, Analysis.analysis).where(Analysis.id.in_(list(local)[:200]))
    )
    for analysis_id, data in stored:
        names = {e["id"]: e["name"] for e in data.get("entities", [])}
        for claim in data.get("identity_claims", []):
            if local[analysis_id] in claim["actors"]:
                found.append(
                    {
                        "analysis_id": analysis_id,
                        "text": claim["text"],
                        "relation": claim["relation"],
                        "cue": claim["cue"],
                        "actors": [names.get(a, a) for a in claim["actors"]],
                    }
                )
    return found


def _rates(conn: Connection, domain: str | None) -> dict[str, Any]:
    """Articles, words, technique rates per 1,000 words and the unattributed-claim share of
    one outlet's current analyses, or of the whole corpus (``domain`` None): read from the
    per-outlet counters, so the cost is the number of outlets, not of articles."""
    totals, spans = OutletTotals, OutletTechnique
    articles, words, claims, unattributed = conn.execute(
        select(
            *(
                func.coalesce(func.sum(c), 0)
                for c in (totals.articles, totals.words, totals.claims, totals.unattributed)
            )
        ).where(*([totals.site == domain] if domain else []))
    ).one()
    techniques = conn.execute(
        select(spans.technique, func.sum(spans.spans))
        .where(*([spans.site == domain] if domain else []))
        .group_by(spans.technique)
        .order_by(func.sum(spans.spans).desc(), spans.technique)
    ).all()
    return {
        "articles": articles,
        "words": words,
        "techniques_per_1000_words": {
            t: round(1000 * n / words, 3) if words else None for t, n in techniques
        },
        "claims": claims,
        "unattributed_share": round(unattributed / claims, 3) if claims else None,
    }


def corpus_rates(conn: Connection) -> dict[str, Any]:
    """``outlet``'s rates over the whole corpus: the average an outlet is set against."""
    return _rates(conn, None)


def monthly_rates(conn: Connection, domain: str | None) -> dict[str, float]:
    """Technique spans per 1,000 words by publication month (YYYY-MM), of one outlet or of
    the corpus; undated articles are left out."""
    where = [OutletMonth.site == domain.lower()] if domain else []
    rows = conn.execute(
        select(OutletMonth.month, func.sum(OutletMonth.words), func.sum(OutletMonth.spans))
        .where(*where)
        .group_by(OutletMonth.month)
        .order_by(OutletMonth.month)
    )
    return {month: round(1000 * spans / words, 3) for month, words, spans in rows if words}


def outlet(conn: Connection, domain: str) -> dict[str, Any]:
    """The outlet's published rating and, over its stored articles, technique rates per
    1,000 words, the share of unattributed claims and its most named entities."""
    domain = domain.lower()
    top = conn.execute(
        select(CorpusEntity.key, CorpusEntity.name, CorpusEntity.type, OutletEntity.mentions)
        .join(CorpusEntity, CorpusEntity.id == OutletEntity.entity_id)
        .where(OutletEntity.site == domain)
        .order_by(OutletEntity.mentions.desc(), OutletEntity.entity_id.desc())
        .limit(20)
    ).all()
    rating = profile(domain)
    return {
        "domain": domain,
        "rating": rating.model_dump(exclude={"genre_signals", "section"}),
        **_rates(conn, domain),
        "top_entities": [
            {"key": r.key, "name": r.name, "type": r.type, "mentions": r.mentions} for r in top
        ],
    }


def _timeline_cursor(cursor: str | None) -> tuple[date, str] | None:
    """The (day, kind) a timeline page ended on, from its ``next`` cursor ``DAY/KIND``."""
    if not cursor:
        return None
    day, _, kind = cursor.partition("/")
    try:
        if kind:
            return date.fromisoformat(day), kind
    except ValueError:
        pass
    raise InputError("cursor", "not a cursor this service gave")


def _bucket(event: incidents.StoredEventRow) -> tuple[date, str]:
    return event.day, event.kind


def _after(query: Select, bucket: tuple[date, str] | None) -> Select:
    """``query``'s events after the (day, kind) ``bucket``, in (day, kind, id) order."""
    if bucket:
        day, kind = bucket
        query = query.where(
            StoredEvent.day >= day, (StoredEvent.day > day) | (StoredEvent.kind > kind)
        )
    return query.order_by(StoredEvent.day, StoredEvent.kind, StoredEvent.id)


def _timeline_page(
    conn: Connection, query: Select, limit: int, after: tuple[date, str] | None
) -> tuple[list[incidents.StoredEventRow], bool]:
    """The events of whole (day, kind) groups after ``after``, in order, as many groups as
    ``limit`` incidents allow (at least one), and whether more events follow them.

    Events of one incident share their day and kind, so a page never splits an incident.
    Each event is read once, ``limit`` rows a query (more when one group is longer), at
    most ``MAX_ROWS`` a page: the rest of a single group longer than that is left out.
    """
    fields = incidents.StoredEventRow.__slots__
    page: list[incidents.StoredEventRow] = []
    found = total = 0
    wanted = limit
    while True:
        rows = conn.execute(_after(query, after).limit(wanted + 1)).all()
        events = [incidents.StoredEventRow(**{f: getattr(r, f) for f in fields}) for r in rows]
        read = [list(g) for _, g in groupby(events[:wanted], key=_bucket)]
        more = len(events) > wanted
        if more and _bucket(events[wanted]) == _bucket(read[-1][0]):
            if len(read) == 1 and total + wanted < MAX_ROWS:
                wanted *= 2  # one group longer than the rows read: read it whole
                continue
            if len(read) > 1:
                read.pop()  # the last group goes on past the rows read
        for bucket in read:
            count = len(incidents.clusters(bucket))
            if page and found + count > limit:
                return page, True
            page += bucket
            found += count
        total += wanted
        if found >= limit or not more or total >= MAX_ROWS:
            return page, more
        after, wanted = _bucket(page[-1]), limit


def timeline(
    conn: Connection,
    entity: str | None = None,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    limit: int,
    cursor: str | None = None,
) -> dict[str, Any]:
    """``{"incidents", "next"}``: dated events of current analyses grouped into incidents
    across articles, by date then kind, ``limit`` incidents a page (more only when one day's
    incidents of one kind outnumber it); ``next`` is the cursor of the following page."""
    # "current IS NOT false", not "= true": SQLite without statistics would start from the
    # index of current analyses and read them all; this way the events' day index leads.
    query = (
        select(StoredEvent.__table__, Analysis.site, Analysis.title)
        .join(Analysis, Analysis.id == StoredEvent.analysis_id)
        .where(StoredEvent.day.is_not(None), Analysis.current.is_not(False))
    )
    if date_from:
        query = query.where(StoredEvent.day >= date_from)
    if date_to:
        query = query.where(StoredEvent.day <= date_to)
    if entity:
        ids = entity_ids(conn, entity)
        query = query.where(
            StoredEvent.id.in_(
                select(EventParticipant.event_id).where(EventParticipant.entity_id.in_(ids))
            )
            | StoredEvent.place_id.in_(ids)
        )
    if place:
        ids = entity_ids(conn, place)
        query = query.where(
            StoredEvent.place_id.in_(ids) | (func.lower(StoredEvent.place) == place.lower())
        )
    events, more = _timeline_page(conn, query, limit, _timeline_cursor(cursor))
    last = events[-1] if events and more else None
    return {
        "incidents": _group(conn, events),
        "next": f"{last.day.isoformat()}/{last.kind}" if last else None,
    }


def _group(conn: Connection, events: list[incidents.StoredEventRow]) -> list[dict[str, Any]]:
    wanted = {p for e in events for p in e.participants} | {
        e.place_id for e in events if e.place_id is not None
    }
    names = dict(
        conn.execute(
            select(CorpusEntity.id, CorpusEntity.name).where(CorpusEntity.id.in_(wanted))
        ).all()
    )
    return incidents.group(events, names)
