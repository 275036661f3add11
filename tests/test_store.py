"""The corpus store on SQLite and PostgreSQL: idempotent, transactional, concurrent writes;
queries by outlet, technique, entity, words and date; incidents across outlets; loading."""

from __future__ import annotations

import copy
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import as_article
from sqlalchemy import func, select, text

from unspin.errors import InputError
from unspin.store import queries, writer
from unspin.store.load import load_directory
from unspin.store.models import Analysis, StoredDocument, TechniqueSpan


def _count(store: Any, table: Any) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_saving_again_is_idempotent_and_a_new_model_is_a_new_analysis(store, reports):
    first = writer.save(store, reports[0])
    assert first.created
    assert writer.save(store, reports[0]) == writer.Saved(first.id, False)
    newer = copy.deepcopy(reports[0])
    newer["run"]["models"] = [{"component": "techniques", "id": "techniques-test-2"}]
    second = writer.save(store, newer)
    assert second.created and second.id != first.id
    assert _count(store, StoredDocument) == 1
    with store.reading() as conn:
        current = conn.execute(select(Analysis.id).where(Analysis.current.is_(True))).all()
        listed = queries.list_analyses(conn, queries.Filters(), 10)["items"]
    assert current == [(second.id,)]
    assert [item["id"] for item in listed] == [second.id]


def test_the_same_url_written_differently_is_one_document(store, reports):
    moved = copy.deepcopy(reports[0])
    moved["document"]["url"] = "HTTPS://Wire.Example/2024/03/market?utm_source=feed#top"
    writer.save(store, reports[0])
    assert not writer.save(store, moved).created
    assert _count(store, StoredDocument) == 1


def test_a_bad_analysis_leaves_no_row(store, reports):
    broken = copy.deepcopy(reports[0])
    broken["techniques"] = [
        {"start": 0, "end": 5, "text": "wrong", "technique": "Slogans", "score": 0.9}
    ]
    with pytest.raises(InputError, match="does not match the text"):
        writer.save(store, broken, "broken.jsonl:1")
    assert _count(store, StoredDocument) == 0
    assert _count(store, Analysis) == 0


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(store, reports):
    """Eight threads post the same two articles and twenty distinct ones, interleaved."""
    copies = [as_article(reports[1], n, "copies.example") for n in range(20)]
    jobs = [reports[i % 2] for i in range(16)] + copies
    with ThreadPoolExecutor(8) as pool:
        saved = list(pool.map(lambda a: writer.save(store, a), jobs))
    assert sum(s.created for s in saved) == 22
    assert len({s.id for s in saved[:16:2]}) == 1
    assert _count(store, Analysis) == 22
    assert _count(store, StoredDocument) == 22
    per_analysis = len(reports[1]["techniques"])
    assert _count(store, TechniqueSpan) == len(reports[0]["techniques"]) + 21 * per_analysis


def test_queries_find_an_article_by_outlet_technique_entity_words_and_date(store, reports):
    wire, daily = (writer.save(store, r).id for r in reports)
    technique = reports[1]["techniques"][0]["technique"]
    kharkiv = next(e for e in reports[1]["entities"] if e["name"] == "Kharkiv")

    def ids(**filters: Any) -> list[int]:
        with store.reading() as conn:
            page = queries.list_analyses(conn, queries.Filters(**filters), 10)
        return [item["id"] for item in page["items"]]

    assert ids(outlet="daily.example") == [daily]
    assert ids(technique=technique) == [daily]
    assert ids(entity=kharkiv["kb_id"]) == [daily, wire]
    assert ids(entity="kharkiv") == [daily, wire]
    assert ids(words="regional governor") == [wire]
    assert ids(words="governor bloodbath") == []
    assert ids(date_from=queries.parse_day("2024-03-07", "from")) == []
    assert ids(date_to=queries.parse_day("2024-03-06", "to")) == [daily, wire]


def test_pages_follow_the_cursor_without_repeats(store, reports):
    for n in range(7):
        writer.save(store, as_article(reports[0], n, "copies.example"))
    seen: list[int] = []
    cursor = None
    with store.reading() as conn:
        while True:
            page = queries.list_analyses(conn, queries.Filters(), 3, cursor)
            seen += [item["id"] for item in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 7


def test_one_incident_reported_by_two_outlets_is_grouped(store, reports):
    for report in reports:
        writer.save(store, report)
    with store.reading() as conn:
        incidents = queries.timeline(conn, place="Kharkiv", limit=10)["incidents"]
    shared = [i for i in incidents if len(i["outlets"]) == 2]
    assert len(shared) == 1
    incident = shared[0]
    assert incident["date"] == "2024-03-04"  # "Monday" before publication on the 6th
    assert incident["outlets"] == ["daily.example", "wire.example"]
    versions = {v["site"]: v for v in incident["versions"]}
    assert [c["count"] for c in versions["wire.example"]["casualties"]] == [12]
    assert [c["count"] for c in versions["daily.example"]["casualties"]] == [14]
    assert versions["wire.example"]["sources"] == ["the regional governor"]
    assert versions["daily.example"]["sources"] == ["the Ukrainian army"]


def test_entity_and_outlet_profiles(store, reports):
    for report in reports:
        writer.save(store, report)
    with store.reading() as conn:
        kharkiv = queries.entity(conn, "Kharkiv")
        outlet = queries.outlet(conn, "daily.example")
        assert queries.entity(conn, "Nowhere At All") is None
    assert {m["site"] for m in kharkiv["mentions"]} == {"wire.example", "daily.example"}
    assert kharkiv["appears_with"]
    summary = reports[1]["summary"]
    assert outlet["articles"] == 1 and outlet["words"] == summary["words"]
    rates = outlet["techniques_per_1000_words"]
    assert sum(rates.values()) == pytest.approx(
        1000 * summary["techniques"] / summary["words"], abs=0.01
    )
    assert outlet["unattributed_share"] == round(
        summary["unattributed_claims"] / summary["claims"], 3
    )


def test_load_directory_skips_a_bad_line_and_is_idempotent(store, reports, tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        json.dumps(reports[0]),
        "{not json",
        json.dumps({"schema": "unspin/1", "x": 1}),
        json.dumps(reports[1]),
    ]
    (corpus / "day1.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    said: list[str] = []
    loaded = load_directory(store, corpus, said.append)
    assert (loaded.added, loaded.already, loaded.failed) == (2, 0, 2)
    assert said[0].endswith(
        "day1.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"
    )
    assert "day1.jsonl:3: not an unspin/1 analysis" in said[1]
    again = load_directory(store, corpus, said.append)
    assert (again.added, again.already) == (0, 2)
    assert _count(store, Analysis) == 2


def test_listing_queries_use_indexes(store, reports):
    """The plans name an index for every filter: no scan of the analyses table."""
    writer.save(store, reports[1])
    filters = [
        queries.Filters(outlet="daily.example"),
        queries.Filters(technique="Loaded_Language"),
        queries.Filters(entity="Kharkiv"),
    ]
    with store.reading() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))
        for f in filters:
            query = queries.listing_query(conn, f, 10, None)
            plan = queries.explain(conn, query)
            assert "SCAN analyses\n" not in plan + "\n" and "Seq Scan on analyses" not in plan
            assert "INDEX" in plan.upper() or "PRIMARY KEY" in plan.upper(), plan
