"""The Python API, mirroring ``unspin analyze``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from unspin import settings as settings_module
from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.ingest import Record, iter_records
from unspin.ingest.plain import plain_document
from unspin.ingest.published import iso_date
from unspin.pipeline import Pipeline
from unspin.settings import Limits, Settings


def build_pipeline(
    skip: Iterable[str] = (),
    min_score: float | None = None,
    kb: Path | None = None,
    config: Path | None = None,
) -> Pipeline:
    """A Pipeline whose settings are the defaults, ``config`` (TOML), the environment and
    the CLI's options, in rising precedence."""
    overrides: dict[str, Any] = {}
    if min_score is not None:
        overrides["techniques"] = {"min_score": min_score}
    if kb is not None:
        overrides["entities"] = {"kb": kb}
    return Pipeline(skip=skip, settings=_settings(config, overrides))


def _settings(config: Path | None, overrides: dict[str, Any]) -> Settings:
    """The settings with each overridden section merged over the loaded one."""
    loaded = settings_module.load(config)
    if not overrides:
        return loaded
    merged = {
        name: {**getattr(loaded, name).model_dump(), **values}
        for name, values in overrides.items()
    }
    return settings_module.load(config, **merged)


def read_records(
    inputs: list[str],
    limits: Limits,
    *,
    published: str | None = None,
    source: str | None = None,
    allow_private: bool = False,
) -> Iterator[Record]:
    """The records of every input, with the ``--published`` and ``--source`` overrides
    applied; unreadable ones come back with ``error`` set."""
    override = iso_date(published, "--published") if published else None
    for record in iter_records(inputs, allow_private=allow_private, limits=limits):
        yield with_overrides(record, override, source)


def with_overrides(record: Record, published: str | None, source: str | None) -> Record:
    """The record with ``--published`` (already an ISO date) and ``--source`` applied."""
    if record.document is not None:
        if published:
            record.document.meta.published = published
        if source:
            record.document.meta.site = source
    return record


def analyze_record(record: Record, pipeline: Pipeline) -> Record:
    """The record analysed; a failed one as it is, and one the pipeline failed on with
    ``crash`` set: one record's bug must not end the batch."""
    if record.document is None:
        return record
    try:
        record.document = pipeline(record.document)
    except Exception as exc:
        return Record.crashed(record.source, exc)
    return record


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
    records = read_records(
        inputs,
        pipeline.settings.limits,
        published=published,
        source=source,
        allow_private=allow_private,
    )
    for record in records:
        yield analyze_record(record, pipeline)


def analyze(
    source: str | Path | Document | None = None,
    *,
    text: str | None = None,
    title: str | None = None,
    published: str | None = None,
    skip: Iterable[str] = (),
    min_score: float | None = None,
    kb: Path | None = None,
    allow_private: bool = False,
) -> dict[str, Any]:
    """Analyse one input and return the unspin/1 dict.

    Give either ``text`` (the article itself; ``title`` optional) or ``source``: a path, a
    URL, ``-`` for stdin, or a Document.  Raises InputError when the input cannot be read.
    """
    if (text is None) == (source is None):
        raise InputError("analyze", "give either text=... or a source (path, URL, Document)")
    pipeline = build_pipeline(skip, min_score, kb)
    if text is not None:
        if not text.strip():
            raise InputError("text", "empty input")
        source = plain_document(text, Metadata(), title)
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
