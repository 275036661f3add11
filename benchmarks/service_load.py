"""Store and service under load, on loopback only, bounded in count and time.

1. Query latency on stores of 1,000 and 10,000 analyses.  The stores are SYNTHETIC: the
   bundled samples and a few short texts are analysed and saved once through the normal
   writer; every further analysis is a copy of one of those stored analyses' rows (document,
   analysis, techniques, claims, mentions, events), inserted in batches with SQLAlchemy Core
   under a new URL, outlet (one of 20) and publication date (over two years, event days
   shifted with it).  So the 10,000 analyses hold real layers without running the pipeline,
   or the writer's per-analysis transaction, 10,000 times.  Each query runs ``--runs`` times;
   p50 and p95 are printed, with the query plan of each listing filter, and at the end the
   ratio of each figure at the largest size to the smallest.
2. HTTP load on a service started on 127.0.0.1: ``--clients`` threads send listing and
   timeline queries for ``--seconds`` seconds, then analyses of ``--posts`` distinct
   texts; requests/s, p50/p95 latency and errors per endpoint.

    python benchmarks/service_load.py [--db postgresql://...] [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Connection, Table, create_engine, select, text

from unspin import settings as settings_module
from unspin.api import analyze_records
from unspin.document import Metadata
from unspin.ingest.plain import plain_document
from unspin.pipeline import Pipeline
from unspin.service import create_app
from unspin.store import aggregates, queries, writer
from unspin.store.database import Store, database_url, open_store
from unspin.store.models import (
    Analysis,
    EventParticipant,
    Mention,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    TechniqueSpan,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# Short seed articles written for this benchmark.
SEEDS = [
    "Convoy hit near Orsha\n\nA supply convoy was hit by drones near Orsha on Friday, killing "
    "three drivers, the regional police said.",
    "Talks resume in Geneva\n\nNegotiators from both sides met in Geneva on Tuesday, the UN "
    "envoy said, calling the first session constructive.",
    "Opinion: the silence of cowards\n\nOnly a coward stays silent while the shameless regime "
    "bombs its own people. Enough is enough!",
    "Protest in Tbilisi\n\nThousands of people marched in Tbilisi on Sunday against the new "
    "media law, according to organisers.",
]
OUTLETS = [f"outlet{n}.example" for n in range(20)]


def _seeds(pipeline: Pipeline) -> list[dict[str, Any]]:
    samples = [str(p) for p in sorted(SAMPLES.iterdir())]
    found = [r.document.to_dict() for r in analyze_records(samples, pipeline) if r.document]
    for seed in SEEDS:
        found.append(pipeline(plain_document(seed, Metadata(published="2024-05-10"))).to_dict())
    return found


# Layer tables copied row for row with the analysis (events apart: their participants).
LAYERS = (TechniqueSpan.__table__, StoredClaim.__table__, Mention.__table__)
BATCH = 500


def _rows(conn: Connection, table: Table, **where: Any) -> list[dict[str, Any]]:
    """The rows of ``table`` matching ``where``, without their ids."""
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    return [{k: v for k, v in r._mapping.items() if k != "id"} for r in conn.execute(query)]


def _templates(store: Store, seeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each seed saved once through the writer, then read back as the rows to copy."""
    found = []
    for seed in seeds:
        analysis_id = writer.save(store, seed).id
        with store.reading() as conn:
            events = []
            stored = select(StoredEvent.__table__).where(StoredEvent.analysis_id == analysis_id)
            for event in conn.execute(stored).mappings():
                row = dict(event)
                participants = _rows(conn, EventParticipant.__table__, event_id=row.pop("id"))
                events.append((row, [p["entity_id"] for p in participants]))
            found.append({
                "analysis": _rows(conn, Analysis.__table__, id=analysis_id)[0],
                "layers": {t: _rows(conn, t, analysis_id=analysis_id) for t in LAYERS},
                "events": events,
            })
    return found


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one executemany; their new ids, in the order given."""
    if not rows:
        return []
    query = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(query, rows).scalars())


def _copy_batch(conn: Connection, templates: list[dict[str, Any]], numbers: range) -> None:
    """Synthetic analyses ``numbers``: copies of the templates under new URLs, outlets, dates."""
    rng = random.Random(numbers.start)
    picked = [templates[n % len(templates)] for n in numbers]
    documents, analyses, shifts = [], [], []
    for n, template in zip(numbers, picked, strict=True):
        site = OUTLETS[n % len(OUTLETS)]
        url = f"https://{site}/story/{n}"
        published = date(2023 + n % 2, 1 + rng.randrange(12), 1 + rng.randrange(28))
        was = template["analysis"]["published"]
        shifts.append(published - was if was else timedelta(0))
        documents.append({"key": f"url:{url}", "url": url, "created": template["analysis"][
            "created"]})
        analysis = dict(template["analysis"])
        meta = {**analysis["analysis"]["document"], "url": url, "site": site,
                "published": published.isoformat()}
        analysis.update(url=url, site=site, published=published, fingerprint=f"synthetic-{n}",
                        analysis={**analysis["analysis"], "document": meta})
        analyses.append(analysis)
    for analysis, document_id in zip(analyses, _insert(conn, StoredDocument.__table__,
                                                       documents), strict=True):
        analysis["document_id"] = document_id
    ids = _insert(conn, Analysis.__table__, analyses)
    for table in LAYERS:
        rows = [
            {**row, "analysis_id": analysis_id}
            for analysis_id, template in zip(ids, picked, strict=True)
            for row in template["layers"][table]
        ]
        if rows:
            conn.execute(table.insert(), rows)
    events, participants = [], []
    for analysis_id, template, shift in zip(ids, picked, shifts, strict=True):
        for row, people in template["events"]:
            day = row["day"] + shift if row["day"] else None
            events.append({**row, "analysis_id": analysis_id, "day": day})
            participants.append(people)
    pairs = [
        {"event_id": event_id, "entity_id": entity_id}
        for event_id, people in zip(_insert(conn, StoredEvent.__table__, events), participants,
                                    strict=True)
        for entity_id in people
    ]
    if pairs:
        conn.execute(EventParticipant.__table__.insert(), pairs)
    aggregates.count(conn, ids)


def _fill(store: Store, templates: list[dict[str, Any]], start: int, stop: int) -> None:
    """Synthetic analyses ``start``..``stop``, ``BATCH`` per transaction, then on PostgreSQL
    the statistics autovacuum would gather soon after."""
    for first in range(start, stop, BATCH):
        with store.writing() as conn:
            _copy_batch(conn, templates, range(first, min(first + BATCH, stop)))
    if store.dialect == "postgresql":
        # what autovacuum does within a minute of a bulk load: fresh statistics for the planner
        with store.writing() as conn:
            conn.exec_driver_sql("ANALYZE")


def _timed(run: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _query_latency(
    store: Store, size: int, runs: int, plans: bool
) -> dict[str, tuple[float, float]]:
    """p50 and p95 in ms of each listing filter and corpus query, by name."""
    figures = {}
    listings = {
        "list (newest)": queries.Filters(),
        "list outlet": queries.Filters(outlet="outlet3.example"),
        "list technique": queries.Filters(technique="Loaded_Language"),
        "list entity": queries.Filters(entity="Geneva"),
        "list date range": queries.Filters(
            date_from=queries.parse_day("2023-03-01", "from"),
            date_to=queries.parse_day("2023-03-31", "to"),
        ),
        "list words": queries.Filters(words="convoy drivers"),
    }
    with store.reading() as conn:
        for name, f in listings.items():
            figures[name] = p50, p95 = _timed(lambda f=f: queries.list_analyses(conn, f, 50), runs)
            print(f"  {size:>6} analyses  {name:18} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
            if plans:
                plan = queries.explain(conn, queries.listing_query(conn, f, 50, None))
                print("      plan: " + plan.replace("\n", " | "))
        others = {
            "entity profile": lambda: queries.entity(conn, "Geneva"),
            "outlet profile": lambda: queries.outlet(conn, "outlet3.example"),
            "timeline 1 month": lambda: queries.timeline(
                conn,
                date_from=queries.parse_day("2024-05-01", "f"),
                date_to=queries.parse_day("2024-05-31", "t"),
                limit=50,
            ),
            # every date: at either size more incidents than a page, so both read one page
            "timeline 1st page": lambda: queries.timeline(conn, limit=50),
        }
        for name, run in others.items():
            figures[name] = p50, p95 = _timed(run, runs)
            print(f"  {size:>6} analyses  {name:18} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    return figures


def _ratios(small: int, large: int, figures: dict[int, dict[str, tuple[float, float]]]) -> None:
    """How each query's p50 and p95 grew from the smallest store to the largest."""
    print(f"ratio {large}/{small} analyses (1.0: flat; {large / small:g}: grows with the store):")
    for name, (p50, p95) in figures[large].items():
        low50, low95 = figures[small][name]
        print(f"  {name:18} p50 x{p50 / low50:5.2f}  p95 x{p95 / low95:5.2f}")


def _load(base: str, paths: list[str], clients: int, seconds: float, cap: int) -> None:
    """GET ``paths`` round robin from ``clients`` threads for ``seconds`` (at most ``cap``)."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as http:
            n = offset
            while time.monotonic() < stop and len(times) < cap:
                began = time.perf_counter()
                ok = http.get(paths[n % len(paths)]).status_code == 200
                with lock:
                    times.append((time.perf_counter() - began) * 1000)
                    errors += not ok
                n += 1

    _report("queries", _threads(client, clients), times, errors)


def _threads(target: Callable[[int], None], count: int) -> float:
    began = time.perf_counter()
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def _report(name: str, elapsed: float, times: list[float], errors: int) -> None:
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0.0
    print(
        f"  {name:8} {len(times):5} requests in {elapsed:6.1f} s: {len(times) / elapsed:7.1f}"
        f" req/s  p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  errors {errors}"
    )


def _posts(base: str, clients: int, count: int) -> None:
    """``count`` analyses of distinct texts from ``clients`` threads."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(offset: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=300) as http:
            for n in range(offset, count, clients):
                body = {"text": SEEDS[n % len(SEEDS)] + f" Update {n}.", "source": "load.example"}
                began = time.perf_counter()
                ok = http.post("/api/v1/analyses", json=body).status_code in (200, 201)
                with lock:
                    times.append((time.perf_counter() - began) * 1000)
                    errors += not ok

    _report("analyse", _threads(client, clients), times, errors)


def _serve(store: Store, pipeline: Pipeline) -> tuple[uvicorn.Server, str]:
    app = create_app(store, settings_module.load(), pipelines=lambda: [pipeline])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def _empty(db: str | None, folder: Path) -> Store:
    if db is None:
        return open_store(str(folder / "bench.sqlite"))
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return open_store(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an empty-able PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=12)
    parser.add_argument("--no-http", action="store_true", help="query latency only")
    args = parser.parse_args()
    pipeline = Pipeline()
    seeds = _seeds(pipeline)
    sizes = sorted(args.sizes)
    with tempfile.TemporaryDirectory() as folder:
        store = _empty(args.db, Path(folder))
        print(f"store: {store.dialect}; seeds: {len(seeds)} analysed articles")
        templates = _templates(store, seeds)
        filled = len(templates)
        figures = {}
        for size in sizes:
            began = time.perf_counter()
            _fill(store, templates, filled, size)
            print(f"  filled to {size} analyses in {time.perf_counter() - began:.1f} s")
            filled = max(filled, size)
            figures[size] = _query_latency(store, size, args.runs, plans=size == sizes[-1])
        if len(sizes) > 1:
            _ratios(sizes[0], sizes[-1], figures)
        if args.no_http:
            store.close()
            return
        server, base = _serve(store, pipeline)
        print(f"HTTP on {base}, {args.clients} clients, store of {filled} analyses:")
        paths = [
            "/api/v1/analyses?outlet=outlet3.example",
            "/api/v1/analyses?technique=Doubt",
            "/api/v1/analyses?entity=Geneva&limit=20",
            "/api/v1/analyses?q=convoy",
            "/api/v1/timeline?from=2024-05-01&to=2024-05-31",
        ]
        _load(base, paths, args.clients, args.seconds, args.max_requests)
        _posts(base, args.clients, args.posts)
        server.should_exit = True
        store.close()


if __name__ == "__main__":
    main()
