"""Parallel batches on one machine: one Pipeline per worker process, results in input order.

Records are read in this process (reading streams) and handed to a pool of worker processes
in chunks; each worker builds its Pipeline once, so each loads the models once.  At most
``workers * batch.chunks_per_worker`` chunks are in flight, so memory stays bounded however
long the corpus, and the oldest chunk is always awaited first, so ``--workers N`` writes
exactly what ``--workers 1`` writes, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
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


# This worker process's Pipeline and what it was built from (``worker_pipeline``).
_built: tuple[list[str], Settings, Pipeline] | None = None


def with_threads(settings: Settings, threads: int) -> Settings:
    """``settings`` for one worker process: ``threads`` unless the user chose a count."""
    if settings.techniques.threads is not None:
        return settings
    techniques = settings.techniques.model_copy(update={"threads": threads})
    return settings.model_copy(update={"techniques": techniques})


def worker_pipeline(skip: list[str], settings: Settings) -> Pipeline:
    """The Pipeline of this worker process (a pool worker, a Spark Python worker), built on
    first use, so the models load once per process however many records it analyses."""
    global _built
    if _built is None or (_built[0], _built[1]) != (skip, settings):
        _built = (skip, settings, Pipeline(skip=skip, settings=settings))
    return _built[2]


def analyze_in_worker(record: Record, skip: list[str], settings: Settings) -> Record:
    """The record analysed by this worker's Pipeline; a crash comes back as a WorkerCrash."""
    record = analyze_record(record, worker_pipeline(skip, settings))
    if record.crash is not None:
        record.crash = WorkerCrash("".join(traceback.format_exception(record.crash)))
    return record


def _start(skip: list[str], settings: Settings) -> None:
    worker_pipeline(skip, settings)


def _analyze_chunk(records: list[Record], skip: list[str], settings: Settings) -> list[Record]:
    return [analyze_in_worker(record, skip, settings) for record in records]


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
    # Each worker takes its share of this machine's cores.
    share = max(1, (os.cpu_count() or 1) // workers)
    job = (pipeline.skipped, with_threads(pipeline.settings, share))
    # spawn: a fresh interpreter per worker, never a fork of a process holding threads.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=job,
    )
    pending: deque[Future[list[Record]]] = deque()
    try:
        for chunk in _chunks(records, batch.chunk_records):
            pending.append(pool.submit(_analyze_chunk, chunk, *job))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
