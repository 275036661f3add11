"""The Python API, mirroring ``unspin analyze``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from unspin.dates import iso_date
from unspin.document import Document
from unspin.errors import InputError
from unspin.ingest import Record, iter_records
from unspin.pipeline import Pipeline


def build_pipeline(
    skip: Iterable[str] = (),
    min_score: float | None = None,
    kb: Path | None = None,
) -> Pipeline:
    """A Pipeline with the CLI's options routed to the components that use them."""
    options: dict[str, object] = {}
    if min_score is not None:
        options["techniques.min_score"] = min_score
    if kb is not None:
        options["entities.kb"] = kb
    return Pipeline(skip=skip, options=options)


def analyze_records(
    inputs: list[str],
    pipeline: Pipeline,
    *,
    published: str | None = None,
    source: str | None = None,
    allow_private: bool = False,
) -> Iterator[Record]:
    """Analyse every readable input; unreadable ones come back with ``error`` set, and
    ones the pipeline failed on also with ``crash``."""
    override = iso_date(published, "--published") if published else None
    for record in iter_records(inputs, allow_private=allow_private):
        if record.document is not None:
            if override:
                record.document.meta.published = override
            if source:
                record.document.meta.site = source
            try:  # one record's bug must not end the batch: it is reported, the rest go on
                record.document = pipeline(record.document)
            except Exception as exc:
                record = Record.crashed(record.source, exc)
        yield record


def analyze(
    source: str | Path | Document,
    *,
    published: str | None = None,
    skip: Iterable[str] = (),
    min_score: float | None = None,
    kb: Path | None = None,
    allow_private: bool = False,
) -> dict[str, Any]:
    """Analyse one input (path, URL, ``-`` or a Document) and return the unspin/1 dict.

    Raises InputError when the input cannot be read.
    """
    pipeline = build_pipeline(skip, min_score, kb)
    if isinstance(source, Document):
        if published:
            source.meta.published = iso_date(published, "--published")
        return pipeline(source).to_dict()
    record = next(
        analyze_records([str(source)], pipeline, published=published, allow_private=allow_private)
    )
    if record.crash is not None:
        raise record.crash
    if record.error is not None or record.document is None:
        raise InputError(record.source, record.error or "no document")
    return record.document.to_dict()
