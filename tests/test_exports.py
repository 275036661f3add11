"""Exports for annotation tools (W3C Web Annotation, Label Studio, brat), the Label Studio
import into the gold table, gold as PTC lines, and the API's formats for both."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from conftest import POSTGRES
from fastapi.testclient import TestClient

from unspin import exports, settings
from unspin.cli import main
from unspin.document import Claim, Document, ModelUsed, Run, Technique
from unspin.document.layers import Attribution
from unspin.exports import brat, labelstudio, webannotation
from unspin.service import create_app
from unspin.store import writer
from unspin.store.models import Gold

# Written for these tests: an emoji before the spans (two UTF-16 units, one code point) and a
# technique span that runs over a line break.
TITLE = "Cowards in the capital 🙈"
BODY = (
    "The shameless cowards lied again,\nas always. Every patriot knows the truth, the "
    "regional governor said on Monday."
)
TEXT = f"{TITLE}\n\n{BODY}"


def _span(cls: type, text: str, fragment: str, **fields: Any) -> Any:
    start = text.index(fragment)
    return cls(start=start, end=start + len(fragment), text=fragment, **fields)


def _analysis(text: str = TEXT) -> dict[str, Any]:
    """An unspin/1 analysis of ``text`` with two technique spans and one attributed claim."""
    claim = text[text.index("Every patriot") :]
    source = text.index("the regional governor")
    doc = Document(
        text,
        techniques=[
            _span(Technique, text, "shameless cowards lied again,\nas always", score=0.71,
                  technique="Loaded_Language"),
            _span(Technique, text, "cowards", score=0.42, technique="Name_Calling,Labeling"),
        ],
        claims=[
            _span(Claim, text, claim, id="C1", checkworthy=0.83, attributed=True, quantities=[],
                  dates=[], signals=[],
                  attribution=Attribution(source="the regional governor", entity=None,
                                          cue="said", start=source, end=source + 21)),
        ],
        run=Run(unspin_version="test", models=[ModelUsed(component="techniques", id="tag-7")]),
    )
    doc.meta.title = TITLE
    return Document.from_dict(doc.to_dict()).to_dict()


def test_web_annotation_selectors_quote_the_text_in_code_points():
    page = webannotation.page(_analysis())
    assert page["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert [a["motivation"] for a in page["items"]] == ["classifying", "classifying", "assessing"]
    for annotation in page["items"]:
        assert annotation["type"] == "Annotation" and annotation["id"].startswith("urn:unspin:")
        position, quote = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert position["type"] == "TextPositionSelector"
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == TEXT[start:end]
        assert quote["prefix"] == TEXT[max(0, start - 32) : start]
        assert quote["suffix"] == TEXT[end : end + 32]
    first = page["items"][0]
    # after the emoji: a code-point offset, one less than the UTF-16 offset a browser counts
    assert first["target"]["selector"][0]["start"] == TEXT.index("shameless")
    assert first["body"] == {"type": "TextualBody", "purpose": "classifying",
                             "value": "Loaded_Language", "score": 0.71}
    worth, comment = page["items"][2]["body"]
    assert worth["purpose"] == "assessing" and worth["checkworthy"] == 0.83
    assert comment == {"type": "TextualBody", "purpose": "commenting",
                       "value": "attributed to the regional governor",
                       "attributedTo": "the regional governor"}


def test_brat_lines_with_notes_fragments_and_comma_free_types():
    start = TEXT.index("shameless")
    brk = TEXT.index("\nas always")
    cowards = TEXT.index("cowards", start)
    claim = TEXT.index("Every patriot")
    assert brat.ann(_analysis()).splitlines() == [
        f"T1\tLoaded_Language {start} {brk};{brk + 1} {brk + 10}\t"
        "shameless cowards lied again, as always",
        "#1\tAnnotatorNotes T1\tscore=0.71",
        f"T2\tName_Calling__Labeling {cowards} {cowards + 7}\tcowards",
        "#2\tAnnotatorNotes T2\tscore=0.42",
        f"T3\tClaim {claim} {len(TEXT)}\t{TEXT[claim:]}",
        "#3\tAnnotatorNotes T3\tcheckworthy=0.83 source=the regional governor",
    ]
    assert brat.technique_name(brat.brat_type("Name_Calling,Labeling")) == "Name_Calling,Labeling"


def test_label_studio_task_and_config():
    task = labelstudio.task(_analysis(), 12)
    assert task["data"] == {"text": TEXT, "unspin_id": 12, "title": TITLE}
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "tag-7" and prediction["score"] == 0.565
    first = prediction["result"][0]
    assert {k: first[k] for k in ("from_name", "to_name", "type", "score")} == {
        "from_name": "label", "to_name": "text", "type": "labels", "score": 0.71
    }
    value = first["value"]
    assert value["labels"] == ["Loaded_Language"] and TEXT[value["start"]:value["end"]] == value[
        "text"]
    view = ElementTree.fromstring(labelstudio.config())
    labels = view.find("Labels")
    assert labels is not None and labels.attrib == {"name": "label", "toName": "text"}
    assert len(labels.findall("Label")) == 14
    assert view.find("Text").attrib == {"name": "text", "value": "$text"}  # type: ignore[union-attr]


def test_export_command_writes_brat_pair_and_refuses_two_documents(tmp_path: Path, capsys):
    saved = tmp_path / "a.jsonl"
    saved.write_text(json.dumps(_analysis()) + "\n")
    assert main(["export", "analysis", str(saved), "--format", "brat",
                 "-o", str(tmp_path / "out" / "doc")]) == 0
    assert (tmp_path / "out" / "doc.txt").read_text(encoding="utf-8") == TEXT
    assert (tmp_path / "out" / "doc.ann").read_text().startswith("T1\tLoaded_Language ")
    saved.write_text(json.dumps(_analysis()) + "\n" + json.dumps(_analysis()) + "\n")
    assert main(["export", "analysis", str(saved), "--format", "brat", "-o",
                 str(tmp_path / "two")]) == 2
    err = capsys.readouterr().err
    assert "one .txt/.ann pair per document" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.glob("two*")) and not list(tmp_path.glob(".two*"))
    assert main(["export", "analysis", str(saved), "--format", "webanno"]) == 0
    pages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(pages) == 2 and all(p["type"] == "AnnotationPage" for p in pages)


def _human(task: dict[str, Any], annotation_id: int, stamp: str) -> dict[str, Any]:
    """What a person does in Label Studio: keep the name-calling span, relabel the loaded
    language span as Doubt; the export then carries it as an annotation."""
    result = copy.deepcopy(task["predictions"][0]["result"])
    result[0]["value"]["labels"] = ["Doubt"]
    return {
        **task,
        "annotations": [{"id": annotation_id, "completed_by": 3, "updated_at": stamp,
                         "created_at": "2026-11-30T09:00:00Z", "result": result}],
    }


def _gold_rows(store: Any) -> list[Any]:
    from sqlalchemy import select

    with store.reading() as conn:
        return conn.execute(select(Gold).order_by(Gold.id)).all()


def test_label_studio_round_trip_into_gold_and_out_as_ptc(store, tmp_path: Path, capsys):
    db = tmp_path / "store.sqlite" if store.dialect == "sqlite" else POSTGRES
    first = writer.save(store, _analysis()).id
    other_text = TEXT.replace("Monday", "Tuesday")
    second = writer.save(store, _analysis(other_text)).id
    by_id = labelstudio.task(_analysis(), first)
    by_text = labelstudio.task(_analysis(other_text))  # no unspin_id: matched by its text
    bad = labelstudio.task(_analysis(), first)
    bad["id"] = 99
    export = [
        {"id": 7, **_human(by_id, 70, "2026-12-01T10:00:00Z")},
        {"id": 8, **_human(by_text, 80, "2026-12-01T11:00:00+01:00")},
        {**_human(bad, 90, "2026-12-01T10:00:00Z")},
    ]
    export[2]["annotations"][0]["result"][1]["value"]["end"] = len(TEXT) + 5
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))

    assert main(["import", "labelstudio", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"unspin: {path}: task 99: span {TEXT.index('cowards')}-{len(TEXT) + 5} outside the "
        "text; skipped",
        "unspin: 2 added, 0 updated, 0 already stored, 1 failed",
    ]
    rows = _gold_rows(store)
    assert [(r.analysis_id, r.layer, r.origin, r.annotator) for r in rows] == [
        (first, "techniques", "labelstudio:7:70", "3"),
        (second, "techniques", "labelstudio:8:80", "3"),
    ]
    stamp = rows[1].annotated  # SQLite gives back the UTC time it stored, naive
    assert (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)) == datetime(2026, 12, 1, 10,
                                                                                 tzinfo=UTC)
    assert [i["technique"] for i in rows[0].items] == ["Doubt", "Name_Calling,Labeling"]

    assert main(["import", "labelstudio", str(path), "--db", str(db)]) == 1
    assert "0 added, 0 updated, 2 already stored, 1 failed" in capsys.readouterr().err
    assert len(_gold_rows(store)) == 2

    export[0]["annotations"][0]["result"].pop()
    export[0]["annotations"][0]["updated_at"] = "2026-12-02T08:00:00Z"
    path.write_text(json.dumps(export[:2]))
    assert main(["import", "labelstudio", str(path), "--db", str(db)]) == 0
    assert "0 added, 1 updated, 1 already stored, 0 failed" in capsys.readouterr().err

    articles = tmp_path / "articles"
    assert main(["export", "gold", "--db", str(db), "--articles", str(articles)]) == 0
    loaded = TEXT.index("shameless")
    loaded_end = TEXT.index("as always") + 9
    cowards = TEXT.index("cowards")
    assert capsys.readouterr().out.splitlines() == [
        f"{first}\tDoubt\t{loaded}\t{loaded_end}",
        f"{second}\tDoubt\t{loaded}\t{loaded_end}",
        f"{second}\tName_Calling,Labeling\t{cowards}\t{cowards + 7}",
    ]
    assert (articles / f"article{second}.txt").read_text(encoding="utf-8") == other_text


def test_import_refuses_a_file_that_is_no_export(tmp_path: Path, capsys):
    path = tmp_path / "x.json"
    path.write_text('{"tasks": ')
    assert main(["import", "labelstudio", str(path), "--db", str(tmp_path / "s.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "invalid JSON" in err and len(err.splitlines()) == 1


def test_api_formats_and_media_types(store, pipeline):
    analysis_id = writer.save(store, _analysis()).id
    app = create_app(store, settings.load(), pipelines=lambda: [pipeline])
    with TestClient(app, raise_server_exceptions=False) as client:
        url = f"/api/v1/analyses/{analysis_id}"
        anno = client.get(url, params={"format": "webanno"})
        assert anno.headers["content-type"] == exports.MEDIA_TYPES["webanno"]
        assert anno.headers["content-type"].startswith("application/ld+json")
        assert len(anno.json()["items"]) == 3
        tasks = client.get(url, params={"format": "labelstudio"})
        assert tasks.headers["content-type"] == "application/json"
        assert tasks.json()[0]["data"]["unspin_id"] == analysis_id
        ann = client.get(url, params={"format": "brat"})
        assert ann.headers["content-type"] == "text/plain; charset=utf-8"
        assert ann.text == brat.ann(_analysis())
        wrong = client.get(url, params={"format": "conll"})
        assert wrong.status_code == 422 and wrong.json()["error"].startswith("query.format")
        empty = client.get("/api/v1/gold", params={"format": "ptc"})
        assert empty.status_code == 200 and empty.text == ""
        assert empty.headers["content-type"].startswith("text/tab-separated-values")


def test_analyze_with_store_gives_tasks_their_analysis_ids(tmp_path: Path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "s.sqlite")
    assert main(["analyze", str(article), "--format", "labelstudio", "--store", db]) == 0
    [task] = json.loads(capsys.readouterr().out)
    assert task["data"]["unspin_id"] == 1 and task["data"]["text"].endswith("on Monday.")
    assert main(["query", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == 1
