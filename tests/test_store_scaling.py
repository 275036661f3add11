"""What keeps the store's queries flat as it grows, on SQLite and PostgreSQL: the per-outlet
counters match an aggregation from scratch after every kind of write, the word search pages
newest first from its own index, and the timeline pages by whole (day, kind) groups."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from conftest import as_article
from sqlalchemy import Connection, select, text

from unspin.errors import InputError
from unspin.store import aggregates, queries, writer
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


def _reanalysed(analysis: dict[str, Any], model: str) -> dict[str, Any]:
    """The same article analysed by another model version: a new current analysis."""
    newer = copy.deepcopy(analysis)
    newer["run"]["models"] = [{"component": "techniques", "id": model}]
    return newer


def _from_scratch(conn: Connection) -> dict[str, dict[tuple, tuple]]:
    """Each counter table's rows as a plain aggregation over the current analyses gives them."""
    current = {
        r.id: (r.site or "", r.published.isoformat()[:7] if r.published else None, r.words)
        for r in conn.execute(
            select(Analysis.id, Analysis.site, Analysis.published, Analysis.words).where(
                Analysis.current.is_(True)
            )
        )
    }
    totals: defaultdict[tuple, Counter[str]] = defaultdict(Counter)
    months: defaultdict[tuple, Counter[str]] = defaultdict(Counter)
    techniques: Counter[tuple] = Counter()
    entities: defaultdict[tuple, Counter[str]] = defaultdict(Counter)
    for site, month, words in current.values():
        totals[(site,)].update(articles=1, words=words)
        if month:
            months[(site, month)].update(articles=1, words=words)
    for analysis_id, attributed in conn.execute(
        select(StoredClaim.analysis_id, StoredClaim.attributed)
    ):
        if analysis_id in current:
            totals[(current[analysis_id][0],)].update(claims=1, unattributed=not attributed)
    for analysis_id, technique in conn.execute(
        select(TechniqueSpan.analysis_id, TechniqueSpan.technique)
    ):
        if analysis_id in current:
            site, month, _ = current[analysis_id]
            techniques[(site, technique)] += 1
            if month:
                months[(site, month)].update(spans=1)
    named: defaultdict[tuple, set[int]] = defaultdict(set)
    for analysis_id, entity_id, count in conn.execute(
        select(Mention.analysis_id, Mention.entity_id, Mention.count)
    ):
        if analysis_id in current:
            key = (current[analysis_id][0], entity_id)
            named[key].add(analysis_id)
            entities[key].update(mentions=count)
    return {
        "outlet_totals": {
            k: (v["articles"], v["words"], v["claims"], v["unattributed"])
            for k, v in totals.items()
        },
        "outlet_techniques": {k: (n,) for k, n in techniques.items()},
        "outlet_entities": {k: (len(named[k]), v["mentions"]) for k, v in entities.items()},
        "outlet_months": {k: (v["articles"], v["words"], v["spans"]) for k, v in months.items()},
    }


def _counters(conn: Connection) -> dict[str, dict[tuple, tuple]]:
    """The counter tables as they are, in the shape ``_from_scratch`` gives."""
    found = {}
    for model, key, values in (
        (OutletTotals, ["site"], ["articles", "words", "claims", "unattributed"]),
        (OutletTechnique, ["site", "technique"], ["spans"]),
        (OutletEntity, ["site", "entity_id"], ["articles", "mentions"]),
        (OutletMonth, ["site", "month"], ["articles", "words", "spans"]),
    ):
        table = model.__table__
        rows = conn.execute(select(table)).mappings()
        found[table.name] = {tuple(r[k] for k in key): tuple(r[v] for v in values) for r in rows}
    return found


def _assert_counted(store: Any) -> None:
    with store.reading() as conn:
        expected, counted = _from_scratch(conn), _counters(conn)
    assert expected["outlet_totals"], "nothing stored"
    assert counted == expected


def test_counters_follow_inserts_reanalysis_and_a_change_of_outlet(store, reports):
    wire, daily = reports
    writer.save(store, wire)
    writer.save(store, daily)
    for n in range(3):
        writer.save(store, as_article(daily, n, "daily.example", f"2024-0{n + 4}-02"))
    _assert_counted(store)
    # a new model version supersedes: the old analysis stops counting
    writer.save(store, _reanalysed(wire, "techniques-test-2"))
    _assert_counted(store)
    # the same document re-analysed under another outlet moves its counts across
    moved = as_article(daily, 0, "elsewhere.example", "2024-04-02")
    moved = _reanalysed(moved, "techniques-test-3")
    moved["document"]["url"] = "https://daily.example/story/0"
    writer.save(store, moved)
    _assert_counted(store)
    # storing an analysis again changes nothing
    writer.save(store, _reanalysed(wire, "techniques-test-2"))
    _assert_counted(store)
    with store.reading() as conn:
        assert queries.outlet(conn, "wire.example")["articles"] == 1
        assert queries.outlet(conn, "daily.example")["articles"] == 3
        assert queries.outlet(conn, "elsewhere.example")["articles"] == 1


def test_counters_stay_exact_under_concurrent_writers(store, reports):
    jobs = [as_article(reports[n % 2], n, f"o{n % 3}.example") for n in range(12)]
    jobs += [_reanalysed(job, "techniques-test-2") for job in jobs[:6]]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda a: writer.save(store, a), jobs))
    _assert_counted(store)


def test_the_migration_fills_the_counters_from_stored_analyses(store, reports):
    for n in range(4):
        writer.save(store, as_article(reports[n % 2], n, f"o{n % 2}.example"))
    writer.save(store, _reanalysed(as_article(reports[0], 0, "o0.example"), "techniques-test-2"))
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("unspin.store").joinpath("migrations"))
    )
    with store.writing() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002_current_published")
        assert "outlet_totals" not in _tables(conn)
        command.upgrade(config, "head")
    _assert_counted(store)


def _tables(conn: Connection) -> set[str]:
    if conn.dialect.name == "postgresql":
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return set(conn.execute(text(query)).scalars())


def test_profile_rates_and_months_read_the_counters(store, reports):
    daily = reports[1]
    for n, day in enumerate(["2024-03-02", "2024-03-20", "2024-05-01"]):
        stored = as_article(daily, n, "daily.example")
        stored["document"]["published"] = day
        writer.save(store, stored)
    writer.save(store, as_article(reports[0], 9, "wire.example"))
    words, spans = daily["summary"]["words"], len(daily["techniques"])
    with store.reading() as conn:
        profile = queries.outlet(conn, "Daily.Example")
        corpus = queries.corpus_rates(conn)
        months = queries.monthly_rates(conn, "daily.example")
        top = profile["top_entities"]
    assert profile["articles"] == 3 and profile["words"] == 3 * words
    assert sum(profile["techniques_per_1000_words"].values()) == pytest.approx(
        1000 * spans / words, abs=0.01
    )
    assert corpus["articles"] == 4 and corpus["words"] == 3 * words + reports[0]["summary"]["words"]
    assert months == {m: round(1000 * spans / words, 3) for m in ("2024-03", "2024-05")}
    assert [e["mentions"] for e in top] == sorted((e["mentions"] for e in top), reverse=True)
    kharkiv = next(e for e in top if e["name"] == "Kharkiv")
    named = next(e for e in daily["entities"] if e["name"] == "Kharkiv")
    assert kharkiv["mentions"] == 3 * len(named["mentions"])


def test_recount_equals_the_counts_kept_while_writing(store, reports):
    for n in range(3):
        writer.save(store, as_article(reports[n % 2], n, "a.example"))
    with store.reading() as conn:
        kept = _counters(conn)
    with store.writing() as conn:
        aggregates.recount(conn)
    with store.reading() as conn:
        assert _counters(conn) == kept


def test_word_search_pages_newest_first_over_current_analyses_only(store, reports):
    ids = [writer.save(store, as_article(reports[0], n, "wire.example")).id for n in range(7)]
    writer.save(store, reports[1])
    superseded = ids.pop(3)
    ids.append(writer.save(store, _reanalysed(as_article(reports[0], 3, "wire.example"), "t-2")).id)
    seen: list[int] = []
    cursor = None
    with store.reading() as conn:
        while True:
            page = queries.list_analyses(
                conn, queries.Filters(words="regional governor"), 3, cursor
            )
            seen += [item["id"] for item in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        outlet = queries.Filters(words="governor", outlet="wire.example")
        assert [i["id"] for i in queries.list_analyses(conn, outlet, 2)["items"]] == seen[:2]
    assert seen == sorted(ids, reverse=True) and superseded not in seen


def test_word_search_plan_reads_matches_in_id_order(store, reports):
    writer.save(store, reports[0])
    with store.reading() as conn:
        query = queries.listing_query(conn, queries.Filters(words="governor"), 10, "99")
        plan = queries.explain(conn, query)
    if store.dialect == "postgresql":
        assert "text_vector" in plan and "to_tsvector" not in plan, plan
    else:
        assert plan.startswith("SCAN analyses_fts VIRTUAL TABLE"), plan
        assert "TEMP B-TREE" not in plan and "PRIMARY KEY" in plan, plan


def _incidents(store: Any, limit: int, cursor: str | None = None, **kw: Any) -> dict[str, Any]:
    with store.reading() as conn:
        return queries.timeline(conn, limit=limit, cursor=cursor, **kw)


def test_timeline_pages_never_split_an_incident(store, reports):
    """Four days of one incident reported by two outlets, plus one outlet's own report."""
    for n, day in enumerate(["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]):
        writer.save(store, as_article(reports[0], n, "wire.example", day))
        writer.save(store, as_article(reports[1], n, "daily.example", day))
    whole = _incidents(store, 1000)
    assert whole["next"] is None
    for limit in (1, 2, 3):
        seen, cursor, pages = [], None, 0
        while True:
            page = _incidents(store, limit, cursor)
            seen += page["incidents"]
            pages += 1
            cursor = page["next"]
            if cursor is None:
                break
            assert page["incidents"]
        assert seen == whole["incidents"]
        assert pages > 1
    shared = [i for i in whole["incidents"] if i["outlets"] == ["daily.example", "wire.example"]]
    assert [i["date"] for i in shared] == ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]
    order = [(i["date"], i["kind"]) for i in whole["incidents"]]
    assert order == sorted(order)
    later = _incidents(store, 1000, date_from=queries.parse_day("2024-03-06", "from"))
    assert {i["date"] for i in later["incidents"]} == {"2024-03-06", "2024-03-07"}


@pytest.mark.parametrize("cursor", ["nonsense", "2024-13-01/attack", "2024-03-04", "/x"])
def test_a_timeline_cursor_this_service_did_not_give_is_refused(store, cursor):
    with pytest.raises(InputError, match="cursor"):
        _incidents(store, 10, cursor)
