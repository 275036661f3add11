"""Parallel batches on one machine: one Pipeline per worker process, results in input order.

Records are read in this process (reading streams) and handed to a pool of worker processes
in chunks; each worker builds its Pipeline once, so each loads the models once.  At most
``workers * batch.chunks_per_worker`` chunks are in flight, so memory stays bounded however
long the corpus, and the oldest chunk is always awaited first, so ``--workers N`` writes
exactly what ``--workers 1`` writes, in the same order.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from unspin.api import analyze_record
from unspin.ingest import Record
from unspin.pipeline import Pipeline
from unspin.settings import Settings


class WorkerCrash(Exception):
    """An internal error raised in a worker, carrying the worker's traceback as text (the
    original exception may not survive the trip between processes)."""


# The worker's own Pipeline, built once by ``_start``.
_pipeline: Pipeline | None = None


def _start(skip: list[str], settings: Settings) -> None:
    global _pipeline
    _pipeline = Pipeline(skip=skip, settings=settings)


def _analyze_chunk(records: list[Record]) -> list[Record]:
    """Analyse a chunk in a worker; a crash comes back as a WorkerCrash."""
    assert _pipeline is not None, "worker started without _start"
    out = [analyze_record(record, _pipeline) for record in records]
    for record in out:
        if record.crash is not None:
            record.crash = WorkerCrash("".join(traceback.format_exception(record.crash)))
    return out


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def analyze_parallel(
    records: Iterable[Record], pipeline: Pipeline, workers: int
) -> Iterator[Record]:
    """The records analysed by ``workers`` processes with ``pipeline``'s components and
    settings, yielded in input order as they finish."""
    batch = pipeline.settings.batch
    window = workers * batch.chunks_per_worker
    # spawn: a fresh interpreter per worker, never a fork of a process holding threads.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(pipeline.skipped, pipeline.settings),
    )
    pending: deque[Future[list[Record]]] = deque()
    try:
        for chunk in _chunks(records, batch.chunk_records):
            pending.append(pool.submit(_analyze_chunk, chunk))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
