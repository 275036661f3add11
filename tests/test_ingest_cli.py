"""Ingestion seen from the command line, and offsets through the real sentence splitter."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import SCHEMA, assert_offsets

from unspin.cli import main
from unspin.ingest import iter_records
from unspin.pipeline import Pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
LATER = ["entities", "identity", "techniques", "claims", "events", "source"]
SKIP = [arg for name in LATER for arg in ("--skip", name)]


def _run(capsys: pytest.CaptureFixture[str], *inputs: str) -> tuple[int, str, str]:
    code = main(["analyze", *SKIP, *inputs])
    out, err = capsys.readouterr()
    return code, out, err


def test_single_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(FIXTURES / "news_article.html"))
    assert (code, err) == (0, "")
    document = json.loads(out)["document"]
    assert document["title"] == "Shelling cuts water to Karvesh as talks stall"
    assert document["authors"] == ["Lina Haddad", "Tomas Reyes"]
    assert document["site"] == "The Meridian Ledger"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.txt", "no such file"),
        ("binary.bin", "binary or undecodable content"),
        ("no_article.html", "no article text found in the HTML page"),
    ],
)
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], name: str, reason: str) -> None:
    path = str(FIXTURES / name)
    code, out, err = _run(capsys, path)
    assert code != 0
    assert out == ""
    assert err.splitlines() == [f"unspin: {path}: {reason}"]
    assert "Traceback" not in err


def test_batch_writes_the_good_records(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = str(FIXTURES / "corpus.jsonl")
    code, out, err = _run(capsys, corpus, str(FIXTURES / "missing.html"))
    assert code == 1
    analyses = [json.loads(line) for line in out.splitlines()]
    for analysis in analyses:
        jsonschema.validate(analysis, SCHEMA)
        assert_offsets(analysis)
    assert [a["document"]["id"] for a in analyses] == ["a1", "corpus:6", "corpus:7"]
    errors = err.splitlines()
    assert (
        errors[0]
        == f"unspin: {corpus}:3: invalid JSON: Unterminated string starting at (column 48)"
    )
    assert errors[1:4] == [
        f"unspin: {corpus}:4 (id a3): empty text",
        f"unspin: {corpus}:5 (id a4): no 'text' or 'html' field",
        f"unspin: {FIXTURES / 'missing.html'}: no such file",
    ]
    assert errors[4] == "unspin: 4 of 7 inputs failed"


def test_refused_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "http://127.0.0.1:9/article")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == (
        "unspin: http://127.0.0.1:9/article: "
        "refused: 127.0.0.1 is a loopback address (use --allow-private)"
    )


def test_sentence_offsets_hold_for_every_input_kind() -> None:
    inputs = [
        str(FIXTURES / name)
        for name in (
            "news_article.html",
            "ceasefire_utf16.txt",
            "ceasefire_cp1252.txt",
            "corpus.jsonl",
        )
    ]
    pipeline = Pipeline(skip=LATER)
    documents = [r.document for r in iter_records(inputs) if r.document]
    assert len(documents) == 6
    languages = []
    for doc in documents:
        doc = pipeline(doc)
        languages.append(doc.run.language)
        assert_offsets(doc.to_dict())
        if doc.run.language == "fr":
            # No French models: the sentence splitter is not run, and the run says so.
            assert doc.sentences == []
            assert "sentences: not run: no models for language 'fr'" in doc.run.notes
            continue
        assert doc.sentences
        assert not any("\n" in sentence.text for sentence in doc.sentences)
        if doc.meta.title:
            assert doc.sentences[0].text == doc.meta.title
            assert doc.sentences[1].start == len(doc.meta.title) + 2
    assert languages.count("fr") == 1
