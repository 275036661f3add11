"""Check-worthiness: the trained scorer, its place in the claims layer, and the CLEF measures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared

from unspin.cli import main
from unspin.document import Document
from unspin.evaluation.checkworthy import (
    average_precision,
    precision_at,
    r_precision,
    ranked,
    ranking_scores,
)
from unspin.models import checkworthy
from unspin.pipeline import Pipeline
from unspin.training.checkworthy import debate_document

CLEF = SHARED / "data" / "checkworthy" / "clef2019-train"


def test_measures_on_a_ranking_worked_out_by_hand() -> None:
    # Ranked labels 1 0 1 0 0: AP = (1/1 + 2/3) / 2; R = 2 and the top two hold one hit.
    order = ranked([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 0])
    assert order.tolist() == [1, 0, 1, 0, 0]
    assert average_precision(order) == pytest.approx(5 / 6)
    assert r_precision(order) == pytest.approx(0.5)
    assert precision_at(order, 10) == pytest.approx(0.2)  # a short list still divides by 10


def test_ties_keep_line_order_and_debates_are_averaged() -> None:
    assert ranked([0.5, 0.5, 0.7], [0, 1, 0]).tolist() == [0, 0, 1]
    assert average_precision(ranked([0.0, 0.0], [0, 0])) == 0.0
    # Debate a: the only hit first (AP 1); debate b: the only hit third (AP 1/3).
    scores = ranking_scores([([3, 2, 1], [1, 0, 0]), ([3, 2, 1], [0, 0, 1])])
    assert scores["MAP"] == pytest.approx(round(2 / 3, 4))
    assert scores["R-precision"] == pytest.approx(0.5)
    assert scores["P@10"] == pytest.approx(0.1)


def test_a_claim_about_ones_record_outranks_a_greeting() -> None:
    texts = [
        "Good evening, and welcome to tonight's forum.",
        "Thank you all for being here.",
        "When I ran the port authority, we cut waiting times for every cargo ship in half.",
        "Unemployment in our county has doubled since my opponent took office.",
    ]
    doc = debate_document(texts)
    scores = checkworthy.load().scores(
        doc, doc.sentences, [[], [], ["past_event"], ["past_event"]]
    )
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert min(scores[2:]) > max(scores[:2])


def test_signals_move_the_score_the_way_they_read() -> None:
    scorer = checkworthy.load()
    doc = debate_document(["The tax rose last year."])
    logit = float(scorer.text_logits(doc, doc.sentences)[0])
    assert scorer.probability(logit, ["number", "date"]) > scorer.probability(logit, [])
    assert scorer.probability(logit, ["question"]) < scorer.probability(logit, [])


def test_claims_carry_model_scores_and_their_signals() -> None:
    body = (
        "Good evening and welcome, everyone.\n"
        "Our council closed 14 clinics in Marrowby in 2021, the audit office said.\n"
        "My plan lowers taxes for every working family.\n"
        "I wonder what it all means."
    )
    doc = Pipeline(skip=["techniques", "events"])(Document(body))
    by_text = {c.text: c for c in doc.claims}
    assert set(by_text) == {
        "Our council closed 14 clinics in Marrowby in 2021, the audit office said.",
        "My plan lowers taxes for every working family.",
    }
    clinics = by_text["Our council closed 14 clinics in Marrowby in 2021, the audit office said."]
    assert {"number", "date", "attributed"} <= set(clinics.signals)
    # No name, number, date or past event: a claim because the model scores it high.
    plan = by_text["My plan lowers taxes for every working family."]
    assert plan.signals == [] and plan.checkworthy >= checkworthy.load().claim_score
    assert all(0.0 <= c.checkworthy <= 1.0 for c in doc.claims)


def test_runtime_never_imports_the_training_code() -> None:
    code = (
        "import sys, unspin; unspin.analyze('samples/column.txt'); "
        "print(any(m.startswith('unspin.training') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def _debate(folder: Path, name: str, rows: list[tuple[str, str, int]]) -> None:
    lines = [f"{i}\t{speaker}\t{text}\t{label}" for i, (speaker, text, label) in enumerate(rows, 1)]
    (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_eval_command_runs_leave_debates_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        _debate(
            tmp_path,
            f"forum{n}",
            [
                ("HOST", "Welcome back to the forum.", 0),
                ("HOST", "Let us turn to the budget.", 0),
                ("LEE", f"We built {40 + n} schools in the last four years.", 1),
                ("LEE", "I am glad to be here tonight.", 0),
                ("ROSS", "Crime fell by a third while I was mayor.", 1),
                ("ROSS", "Thank you.", 0),
            ],
        )
    assert main(["eval", "checkworthy", "--data", str(tmp_path)]) == 0
    figures = json.loads(capsys.readouterr().out)
    interval = figures.pop("model MAP, 95% interval over debates")
    assert set(figures) == {
        "model (leave-one-debate-out)",
        "hand-set score (checkworthiness.json)",
        "sentence length (words)",
        "random order (mean of 200)",
    }
    low, high = interval
    assert low <= figures["model (leave-one-debate-out)"]["MAP"] <= high
    for row in figures.values():
        assert set(row) == {"MAP", "R-precision", "P@10"}
        assert all(0.0 <= v <= 1.0 for v in row.values())
    assert figures["model (leave-one-debate-out)"]["MAP"] == pytest.approx(1.0)


def test_eval_command_refuses_a_folder_without_debates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "checkworthy", "--data", str(tmp_path)]) == 2
    assert "CLEF-2019" in capsys.readouterr().err


@pytest.mark.shared
@needs_shared
def test_the_shipped_figures_come_from_the_shared_debates() -> None:
    from unspin.training.checkworthy import data_hash, read_debates

    log = json.loads(
        (Path(checkworthy.__file__).parents[1] / "data/claims/checkworthy.json").read_text(
            encoding="utf-8"
        )
    )
    debates = read_debates(CLEF)
    assert len(debates) == 19 and sum(int(d.labels.sum()) for d in debates) == 440
    assert log["data"]["sha256"] == data_hash(CLEF)
    figures = log["crossval"]
    model = figures["model (leave-one-debate-out)"]["MAP"]
    assert model > figures["hand-set score (checkworthiness.json)"]["MAP"]
    assert model > figures["sentence length (words)"]["MAP"]
