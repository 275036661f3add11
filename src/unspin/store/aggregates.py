"""Per-outlet counters kept in step with the current analyses, so an outlet's profile, the
corpus average and the rates by month read a few counter rows instead of every article.

The writer calls ``count`` in the transaction that stores an analysis: the new current
analysis adds its articles, words, claims, technique spans and entity mentions, and the one
it supersedes takes away its own.  Every counter is therefore what an aggregation over the
current analyses from scratch gives (the tests check this after inserts and supersession);
a counter row that falls to nothing is deleted, as an aggregation would not list it.
Rows are upserted in one order (table, then key), so concurrent writers never deadlock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, Table, bindparam, delete, func, select

from unspin.store.database import dialect_insert
from unspin.store.models import (
    Analysis,
    Mention,
    OutletEntity,
    OutletMonth,
    OutletTechnique,
    OutletTotals,
    StoredClaim,
    TechniqueSpan,
)

NO_OUTLET = ""
# Each counter table and the column that says whether a row still counts anything.
TABLES: dict[Table, str] = {
    OutletTotals.__table__: "articles",
    OutletTechnique.__table__: "spans",
    OutletEntity.__table__: "articles",
    OutletMonth.__table__: "articles",
}
# Analyses whose contributions one round of the back-fill reads.
CHUNK = 1000

Change = dict[Table, defaultdict[tuple, Counter[str]]]


def _month(day: date | None) -> str | None:
    return day.isoformat()[:7] if day else None


def _change(conn: Connection, signs: dict[int, int]) -> Change:
    """What the analyses ``signs`` (+1 added, -1 taken away) do to each counter table."""
    change: Change = {table: defaultdict(Counter) for table in TABLES}
    totals, months = change[OutletTotals.__table__], change[OutletMonth.__table__]
    techniques, entities = change[OutletTechnique.__table__], change[OutletEntity.__table__]
    ids = list(signs)
    where: dict[int, tuple[str, str | None]] = {}
    stored = select(Analysis.id, Analysis.site, Analysis.published, Analysis.words)
    for analysis_id, site, published, words in conn.execute(stored.where(Analysis.id.in_(ids))):
        sign, site, month = signs[analysis_id], site or NO_OUTLET, _month(published)
        where[analysis_id] = site, month
        totals[(site,)].update(articles=sign, words=sign * words)
        if month:
            months[(site, month)].update(articles=sign, words=sign * words)
    claims = (
        select(
            StoredClaim.analysis_id,
            func.count(),
            func.count().filter(StoredClaim.attributed.is_(False)),
        )
        .where(StoredClaim.analysis_id.in_(ids))
        .group_by(StoredClaim.analysis_id)
    )
    for analysis_id, n, unattributed in conn.execute(claims):
        sign = signs[analysis_id]
        totals[(where[analysis_id][0],)].update(claims=sign * n, unattributed=sign * unattributed)
    spans = select(TechniqueSpan.analysis_id, TechniqueSpan.technique, func.count()).group_by(
        TechniqueSpan.analysis_id, TechniqueSpan.technique
    )
    for analysis_id, technique, n in conn.execute(spans.where(TechniqueSpan.analysis_id.in_(ids))):
        sign, (site, month) = signs[analysis_id], where[analysis_id]
        techniques[(site, technique)].update(spans=sign * n)
        if month:
            months[(site, month)].update(spans=sign * n)
    named = select(Mention.analysis_id, Mention.entity_id, func.sum(Mention.count)).group_by(
        Mention.analysis_id, Mention.entity_id
    )
    for analysis_id, entity_id, n in conn.execute(named.where(Mention.analysis_id.in_(ids))):
        sign = signs[analysis_id]
        entities[(where[analysis_id][0], entity_id)].update(articles=sign, mentions=sign * n)
    return change


def _apply(conn: Connection, change: Change) -> None:
    """Add ``change`` to the counters; delete the rows it leaves counting nothing."""
    for table, alive in TABLES.items():
        keys = [c.name for c in table.primary_key]
        values = [c.name for c in table.columns if c.name not in keys]
        rows = [
            {**dict(zip(keys, key, strict=True)), **{v: delta[v] for v in values}}
            for key, delta in sorted(change[table].items())
            if any(delta.values())
        ]
        if not rows:
            continue
        insert = dialect_insert(conn, table)
        added = {v: table.c[v] + insert.excluded[v] for v in values}
        conn.execute(insert.on_conflict_do_update(index_elements=keys, set_=added), rows)
        emptied = [{f"k_{k}": row[k] for k in keys} for row in rows if row[alive] < 0]
        if emptied:
            match = [table.c[k] == bindparam(f"k_{k}") for k in keys]
            conn.execute(delete(table).where(*match, table.c[alive] == 0), emptied)


def count(conn: Connection, added: Iterable[int], removed: Iterable[int] = ()) -> None:
    """Count the analyses ``added`` (now current) and stop counting ``removed`` (current no
    more), in the caller's transaction."""
    signs = dict.fromkeys(removed, -1) | dict.fromkeys(added, 1)
    if signs:
        _apply(conn, _change(conn, signs))


def recount(conn: Connection) -> None:
    """Every counter from scratch over the current analyses (the migration's back-fill)."""
    for table in TABLES:
        conn.execute(delete(table))
    current = select(Analysis.id).where(Analysis.current.is_(True)).order_by(Analysis.id)
    ids = list(conn.execute(current).scalars())
    for start in range(0, len(ids), CHUNK):
        count(conn, ids[start : start + CHUNK])
