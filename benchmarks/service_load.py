"""Store and service under load, on loopback only, bounded in count and time.

1. Query latency on stores of 1,000 and 10,000 analyses.  The stores are synthesised
   cheaply: the bundled samples and a few short texts are analysed once, then saved again
   and again with varied metadata (URL, outlet, publication date), so the 10,000 analyses
   hold real layers without running the pipeline 10,000 times.  Each query runs ``--runs``
   times; p50 and p95 are printed, with the query plan of each listing filter.
2. HTTP load on a service started on 127.0.0.1: ``--clients`` threads send listing and
   timeline queries for ``--seconds`` seconds, then analyses of ``--posts`` distinct
   texts; requests/s, p50/p95 latency and errors per endpoint.

    python benchmarks/service_load.py [--db postgresql://...] [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from unspin import settings as settings_module
from unspin.api import analyze_records
from unspin.document import Metadata
from unspin.ingest.plain import plain_document
from unspin.pipeline import Pipeline
from unspin.service import create_app
from unspin.store import queries, writer
from unspin.store.database import Store, database_url, open_store

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


def _fill(store: Store, seeds: list[dict[str, Any]], start: int, stop: int) -> None:
    """Analyses ``start``..``stop``: the seeds again under new URLs, outlets and dates."""
    rng = random.Random(start)
    for n in range(start, stop):
        analysis = copy.deepcopy(seeds[n % len(seeds)])
        meta = analysis["document"]
        site = OUTLETS[n % len(OUTLETS)]
        meta["url"] = f"https://{site}/story/{n}"
        meta["site"] = site
        meta["published"] = (
            f"{2023 + n % 2}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        )
        if analysis.get("source"):
            analysis["source"]["domain"] = None
        writer.save(store, analysis)


def _timed(run: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _query_latency(store: Store, size: int, runs: int, plans: bool) -> None:
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
            p50, p95 = _timed(lambda f=f: queries.list_analyses(conn, f, 50), runs)
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
            ),
        }
        for name, run in others.items():
            p50, p95 = _timed(run, runs)
            print(f"  {size:>6} analyses  {name:18} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")


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
    args = parser.parse_args()
    pipeline = Pipeline()
    seeds = _seeds(pipeline)
    with tempfile.TemporaryDirectory() as folder:
        store = _empty(args.db, Path(folder))
        print(f"store: {store.dialect}; seeds: {len(seeds)} analysed articles")
        filled = 0
        for size in sorted(args.sizes):
            began = time.perf_counter()
            _fill(store, seeds, filled, size)
            print(f"  filled to {size} analyses in {time.perf_counter() - began:.1f} s")
            filled = size
            _query_latency(store, size, args.runs, plans=size == max(args.sizes))
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
