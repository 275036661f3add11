"""``unspin spark`` on local[2]: the same analyses and errors as ``unspin analyze``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from unspin.cli import main

pytest.importorskip("pyspark", reason="the 'spark' extra is not installed")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")

ARTICLES = [
    {"id": "bridge", "text": "Rebels shelled the bridge at Velmora on 3 May, the governor said."},
    {"text": "At least 7 people were killed in an air strike, according to medics."},
    {"id": "oops", "html": ["not", "a", "string"]},
    {"id": "talks", "title": "Talks", "text": "The ministers met in Geneva on Tuesday."},
]


def test_spark_writes_what_analyze_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Border post attacked\n\nGunmen attacked a border post, police said.\n")
    local = tmp_path / "local.jsonl"
    assert main(["analyze", str(corpus), str(note), "-o", str(local)]) == 1
    local_errors = capsys.readouterr().err.splitlines()[:-1]  # without the summary line

    out = tmp_path / "out"
    assert main(["spark", str(corpus), str(note), "--out", str(out), "--master", "local[2]"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"unspin: 1 of 5 inputs failed: see {out}/errors"
    ]
    parts = sorted((out / "analyses").glob("*.jsonl"))
    assert b"".join(p.read_bytes() for p in parts) == local.read_bytes()
    errors = [
        line for p in sorted((out / "errors").glob("part-*")) for line in p.read_text().splitlines()
    ]
    assert [f"unspin: {e}" for e in errors] == local_errors

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").getOrCreate()
    try:
        analyses = [json.loads(line) for line in local.read_text("utf-8").splitlines()]
        claims = spark.read.parquet(str(out / "claims"))
        assert claims.count() == sum(len(a["claims"]) for a in analyses)
        assert {"doc_id", "id", "text", "checkworthy", "attribution_source"} <= set(claims.columns)
        documents = spark.read.parquet(str(out / "documents")).select("doc_id").collect()
        assert sorted(r.doc_id for r in documents) == sorted(a["document"]["id"] for a in analyses)
        mentions = spark.read.parquet(str(out / "mentions")).count()
        assert mentions == sum(len(e["mentions"]) for a in analyses for e in a["entities"])
    finally:
        spark.stop()
