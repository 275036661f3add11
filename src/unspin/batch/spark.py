"""``unspin spark``: a corpus analysed on Apache Spark, written as Parquet and JSON Lines.

Inputs are local paths or any Hadoop file-system URI (``hdfs://``, ``s3a://``, ``gs://``).
JSON Lines (``.jsonl``, ``.ndjson``) are read line by line (``textFile``) and split across
tasks; anything else (WARC, HTML, text) is read whole per file (``binaryFiles``).  Either
way the records come from unspin's own readers (``ingest.jsonl.line_record``,
``ingest.inputs.records_from_bytes``), so ids and errors are those of ``unspin analyze``.
Each partition is analysed by the Pipeline of its Python worker, built once per worker
(``batch.local.worker_pipeline``).

Written under ``--out DIR``: ``analyses/*.jsonl`` (the lines ``unspin analyze -o x.jsonl``
writes, in input order), ``errors/`` (one line per failed record, never dropped silently) and
one Parquet table per layer: ``documents``, ``techniques``, ``claims``, ``events``,
``entities``, ``mentions``, flat columns keyed by ``doc_id``.  Spark's output committer
moves each directory into place when its job succeeds, so a failed run leaves no half file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from unspin.api import analyze_record, with_overrides
from unspin.batch.local import with_threads, worker_pipeline
from unspin.errors import InputError
from unspin.ingest.inputs import JSONL_SUFFIXES, name_parts, records_from_bytes
from unspin.ingest.jsonl import line_record
from unspin.ingest.published import iso_date
from unspin.ingest.record import Record
from unspin.pipeline import Pipeline
from unspin.settings import Settings

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

TABLES = ("documents", "techniques", "claims", "events", "entities", "mentions")
# One record's outcome: ("ok", its unspin/1 JSON line) or ("error", "source: reason", crash?).
Outcome = tuple[str, str, bool]
# What each worker needs: skipped components, settings, --published (ISO) and --source.
Job = tuple[list[str], Settings, str | None, str | None]


def _outcome(record: Record, job: Job) -> Outcome:
    skip, settings, published, source = job
    record = with_overrides(record, published, source)
    record = analyze_record(record, worker_pipeline(skip, settings))
    if record.error is not None or record.document is None:
        return ("error", f"{record.source}: {record.error}", record.crash is not None)
    return ("ok", json.dumps(record.document.to_dict(), ensure_ascii=False), False)


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One table row: nested objects become ``parent_field`` columns, lists of objects a
    JSON string, lists of ids or words stay arrays."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(_flat(value, f"{name}_"))
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            row[name] = json.dumps(value, ensure_ascii=False)
        else:
            row[name] = value
    return row


def table_rows(analysis: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(table, row)`` for every row one analysis contributes to the Parquet tables."""
    doc_id = analysis["document"]["id"]
    document = {k: v for k, v in analysis["document"].items() if k != "id"}
    yield "documents", {
        "doc_id": doc_id,
        **_flat(document),
        **_flat(analysis["source"], "source_"),
        **_flat(analysis["summary"], "summary_"),
        "unspin_version": analysis["run"]["unspin_version"],
    }
    for table in ("techniques", "claims", "events"):
        for item in analysis[table]:
            yield table, {"doc_id": doc_id, **_flat(item)}
    for entity in analysis["entities"]:
        fields = {k: v for k, v in entity.items() if k != "mentions"}
        yield "entities", {"doc_id": doc_id, **_flat(fields)}
        for mention in entity["mentions"]:
            yield "mentions", {"doc_id": doc_id, "entity_id": entity["id"], **mention}


def _records(spark: SparkSession, name: str, limits: Any) -> RDD[Record]:
    """The records of one input, read through Spark's file systems."""
    fs, path = _hadoop(spark, name)
    if not fs.globStatus(path):  # null or empty: nothing there, said before any job starts
        raise InputError(name, "no such file")
    context = spark.sparkContext
    suffix, stem = name_parts(name)
    if suffix in JSONL_SUFFIXES:
        lines = context.textFile(name, use_unicode=False).zipWithIndex()
        return lines.map(lambda pair: line_record(pair[0], name, stem, pair[1] + 1, limits)).filter(
            lambda record: record is not None
        )
    files = context.binaryFiles(name)
    return files.flatMap(lambda pair: records_from_bytes(pair[0], pair[1], limits))


def _hadoop(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """The Hadoop FileSystem holding ``path`` and the path, through the JVM."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hadoop_path


def _name_parts(spark: SparkSession, folder: str, suffix: str) -> None:
    """Give Spark's ``part-NNNNN`` files a suffix that says what they hold."""
    fs, path = _hadoop(spark, folder)
    for status in fs.listStatus(path):
        part = status.getPath()
        if part.getName().startswith("part-"):
            fs.rename(part, part.suffix(suffix))


def _write_tables(spark: SparkSession, analyses: RDD[str], out: str) -> None:
    rows = analyses.flatMap(lambda line: table_rows(json.loads(line))).persist()
    for table in TABLES:
        lines = rows.filter(lambda pair, t=table: pair[0] == t).map(
            lambda pair: json.dumps(pair[1], ensure_ascii=False)
        )
        frame = spark.read.json(lines)
        if not frame.columns:  # no row at all: an empty table keyed like the others
            frame = spark.createDataFrame([], "doc_id STRING")
        frame.write.parquet(f"{out}/{table}")
    rows.unpersist()


def run(
    inputs: Iterable[str],
    out: str,
    pipeline: Pipeline,
    *,
    master: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> tuple[int, int, int]:
    """Analyse ``inputs`` on Spark into ``out``; ``(records, failed, crashed)``."""
    job: Job = (
        pipeline.skipped,
        with_threads(pipeline.settings, 1),  # a Spark task is one core's work (task.cpus=1)
        iso_date(published, "--published") if published else None,
        source,
    )
    try:
        from pyspark import StorageLevel
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InputError("spark", f"{exc.name} is missing: pip install 'unspin[spark]'") from None
    builder = SparkSession.builder.appName("unspin").config("spark.ui.showConsoleProgress", False)
    if master and master.startswith("local"):
        # On this machine the workers run this very interpreter (its virtual environment
        # and unspin), not whichever python3 is first on PATH; PySpark reads the variable.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (builder.master(master) if master else builder).getOrCreate()
    try:
        fs, path = _hadoop(spark, out)
        if fs.exists(path):
            raise InputError(out, "already exists; give a new output directory")
        limits = pipeline.settings.limits
        records = spark.sparkContext.union([_records(spark, name, limits) for name in inputs])
        outcomes = records.map(lambda record: _outcome(record, job)).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        analyses = outcomes.filter(lambda o: o[0] == "ok").map(lambda o: o[1])
        analyses.saveAsTextFile(f"{out}/analyses")
        _name_parts(spark, f"{out}/analyses", ".jsonl")
        errors = outcomes.filter(lambda o: o[0] == "error")
        errors.map(lambda o: o[1]).saveAsTextFile(f"{out}/errors")
        _write_tables(spark, analyses, out)
        counts = outcomes.map(lambda o: (1, o[0] == "error", o[2])).fold(
            (0, 0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2])
        )
        outcomes.unpersist()
        return counts
    finally:
        spark.stop()
