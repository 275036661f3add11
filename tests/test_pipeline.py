"""The spine: Document, Pipeline, the unspin/1 contract and the analyze command."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLES, SCHEMA, assert_offsets

from unspin import Document, analyze
from unspin.cli import main
from unspin.components import PIPELINE
from unspin.pipeline import Pipeline

TEXT = (
    "Floods in Velmora\n\n"
    "Heavy rain flooded the lower town of Velmora on Tuesday. The mayor said 40 homes were hit.\n"
    "Volunteers worked through the night"
)


def test_document_layout_is_title_blank_line_body() -> None:
    doc = Document.from_parts("  Floods   in Velmora ", "\nBody line one.\nBody two.\n")
    assert doc.text == "Floods in Velmora\n\nBody line one.\nBody two."
    assert doc.meta.title == "Floods in Velmora"
    assert doc.text[doc.body_start :].startswith("Body line one.")


def test_span_refuses_offsets_outside_the_text() -> None:
    doc = Document(text="short")
    assert doc.span(0, 5).text == "short"
    with pytest.raises(ValueError):
        doc.span(2, 9)


def test_unknown_component_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown component"):
        Pipeline(skip=["nonsense"])


def test_sentences_are_exact_and_never_cross_lines() -> None:
    doc = Pipeline(skip=[n for n in PIPELINE if n != "sentences"])(Document(text=TEXT))
    texts = [s.text for s in doc.sentences]
    assert texts[0] == "Floods in Velmora"
    assert "The mayor said 40 homes were hit." in texts
    assert texts[-1] == "Volunteers worked through the night"
    for s in doc.sentences:
        assert TEXT[s.start : s.end] == s.text and "\n" not in s.text


def test_full_analysis_matches_the_schema_and_offsets() -> None:
    result = analyze(SAMPLES / "column.txt")
    jsonschema.validate(result, SCHEMA)
    assert_offsets(result)
    assert result["document"]["title"] == "Velmora Deserves the Truth, Not Another Cover-Up"
    assert result["summary"]["sentences"] == len(result["sentences"])


def test_skipped_component_leaves_its_layer_empty(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    args = ["analyze", str(SAMPLES / "column.txt"), "-o", str(out), "--published", "5 July 2024"]
    assert main([*args, "--skip", "techniques", "--skip", "claims"]) == 0
    result = json.loads(out.read_text("utf-8"))
    assert result["techniques"] == [] and result["claims"] == []
    assert result["document"]["published"] == "2024-07-05"


def test_several_inputs_give_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("First title\n\nA quiet day in Velmora.", encoding="utf-8")
    b.write_text("Second title\n\nThe bridge reopened.", encoding="utf-8")
    assert main(["analyze", str(a), str(b), "--skip", "techniques"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["document"]["title"] for line in lines] == [
        "First title",
        "Second title",
    ]


def test_bad_published_date_is_one_line_error(capsys: pytest.CaptureFixture) -> None:
    code = main(["analyze", str(SAMPLES / "column.txt"), "--published", "the day after never"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("unspin: --published: not a date") and err.count("\n") == 1
