"""The analysis workers: pipelines loaded once at start, run in threads off the event loop.

Each worker thread takes a pipeline of its own from a queue, so no pipeline is run by two
threads at once, and the service keeps answering reads while documents are analysed.
"""

from __future__ import annotations

import asyncio
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from unspin.document import Document
from unspin.pipeline import Pipeline

T = TypeVar("T")


class Workers:
    """``len(pipelines)`` analysis threads, one pipeline each."""

    def __init__(self, pipelines: list[Pipeline]) -> None:
        self._free: queue.Queue[Pipeline] = queue.Queue()
        for pipeline in pipelines:
            self._free.put(pipeline)
        self._pool = ThreadPoolExecutor(len(pipelines), thread_name_prefix="unspin-analysis")
        # Batches read their input in a thread of their own and hand each record to the pool.
        self._batches = ThreadPoolExecutor(1, thread_name_prefix="unspin-batch")

    def analyse(self, doc: Document) -> Document:
        """Run a free pipeline over ``doc`` (call from a worker thread)."""
        pipeline = self._free.get()
        try:
            return pipeline(doc)
        finally:
            self._free.put(pipeline)

    async def run(self, job: Callable[[], T], timeout: float) -> T:
        """``job()`` in a worker thread; TimeoutError after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(self._pool, job), timeout)

    def submit(self, job: Callable[[], T]) -> T:
        """``job()`` in a worker thread, waited for (call from a batch thread)."""
        return self._pool.submit(job).result()

    def start_batch(self, job: Callable[[], None]) -> None:
        self._batches.submit(job)

    def close(self) -> None:
        self._batches.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)
