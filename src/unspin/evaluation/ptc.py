"""``unspin eval ptc``: SemEval-2020 Task 11 scores of unspin on PTC-format gold.

SI is scored on exactly what ``unspin analyze`` reports (the pipeline, with the components
the technique layer does not use switched off for speed), and again on the same encoder
outputs without snapping spans to phrase edges, so the two decodings compare on one run; TC
gives the technique head each gold span of the labels file, as the shared task did. The
reliability table says how often a reported span of each score band is right.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from unspin.components import PIPELINE
from unspin.document import Document
from unspin.errors import InputError
from unspin.evaluation.metrics import rate
from unspin.evaluation.semeval import (
    Interval,
    Labelled,
    merge,
    span_scores,
    technique_scores,
)
from unspin.models.techniques import model
from unspin.models.techniques.spans import answer_gold_lines
from unspin.pipeline import Pipeline
from unspin.training.corpus import read_articles, read_labels

# Score bins of the reliability table: [0, 0.1), [0.1, 0.2), ... [0.9, 1].
BINS = tuple(round(0.1 * k, 1) for k in range(11))
Scored = tuple[str, str, int, int, float]  # article id, technique, start, end, score


def right(span: Interval, gold: list[Interval]) -> bool:
    """At least half of the span's characters lie inside ``gold`` (merged, disjoint spans):
    the test the span calibration was fitted with."""
    start, end = span
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in gold)
    return 2 * inside >= end - start


def reliability(predicted: list[Scored], gold: list[Labelled]) -> list[dict[str, Any]]:
    """Per score bin: how many reported spans, their mean score and the share that is right
    (same technique, half the span in gold spans of it). A calibrated score matches its
    share; the bands the report shades by should mean what they say."""
    by_technique: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for article, technique, start, end in gold:
        by_technique[article, technique].append((start, end))
    merged = {key: merge(spans) for key, spans in by_technique.items()}
    rows = []
    for lo, hi in pairwise(BINS):
        last = hi == BINS[-1]
        inside = [p for p in predicted if lo <= p[4] < hi or (last and p[4] == hi)]
        hits = sum(right((s, e), merged.get((a, t), [])) for a, t, s, e, _ in inside)
        mean = sum(p[4] for p in inside) / len(inside) if inside else None
        rows.append(
            {
                "scores": f"{lo:.1f}-{hi:.1f}",
                "spans": len(inside),
                "mean_score": None if mean is None else round(mean, 3),
                "right": rate(hits, len(inside)),
            }
        )
    return rows


def evaluate(articles: Path, labels: Path, predictions_out: Path | None = None) -> dict[str, Any]:
    """Scores over the articles in ``articles`` (gold lines of other articles are ignored)."""
    texts = read_articles(articles)
    rows = [r for r in read_labels(labels) if r[0] in texts]
    with_techniques = bool(rows) and all(t is not None for _, t, _, _ in rows)
    lines: dict[str, list[int]] = defaultdict(list)  # article -> indices into rows
    for n, (article_id, _, start, end) in enumerate(rows):
        if not 0 <= start < end <= len(texts[article_id]):
            raise InputError(str(labels), f"span {start}-{end} outside article {article_id}")
        lines[article_id].append(n)
    pipeline = Pipeline(skip=[name for name in PIPELINE if name != "techniques"])
    chosen = pipeline.settings.techniques
    tagger = model.load(chosen.model, chosen.threads)  # the instance the pipeline runs
    predicted_si: dict[str, list[Interval]] = {}
    unsnapped_si: dict[str, list[Interval]] = {}
    scored: list[Scored] = []
    answers: dict[int, str] = {}
    for article_id, text in texts.items():
        doc = pipeline(Document(text=text))
        predicted_si[article_id] = sorted({(t.start, t.end) for t in doc.techniques})
        scored.extend((article_id, t.technique, t.start, t.end, t.score) for t in doc.techniques)
        outputs = tagger.outputs(text)  # the pipeline has dropped its own encoder pass
        unsnapped_si[article_id] = sorted(
            {(t["start"], t["end"]) for t in tagger.tag(text, outputs)}
        )
        if not with_techniques or not lines[article_id]:
            continue
        spans = [rows[n][2:] for n in lines[article_id]]
        unique = sorted(set(spans))
        probs = tagger.technique_probs(outputs, unique)
        best = answer_gold_lines(spans, dict(zip(unique, probs, strict=True)))
        answers.update(zip(lines[article_id], (tagger.techniques[k] for k in best), strict=True))
    gold_si = {i: [rows[n][2:] for n in lines[i]] for i in texts}
    result: dict[str, Any] = {
        "articles": len(texts),
        "model": tagger.id,
        "si": span_scores(predicted_si, gold_si),
        "si_without_snapping": span_scores(unsnapped_si, gold_si),
    }
    predicted_tc = [(a, answers[n], s, e) for n, (a, _, s, e) in enumerate(rows) if n in answers]
    if with_techniques:
        result["tc"] = technique_scores(predicted_tc, rows)  # type: ignore[arg-type]
        result["reliability"] = reliability(scored, rows)  # type: ignore[arg-type]
    if predictions_out is not None:
        predictions_out.mkdir(parents=True, exist_ok=True)
        si_lines = [f"{i}\t{s}\t{e}" for i, spans in predicted_si.items() for s, e in spans]
        (predictions_out / "si.labels").write_text("".join(x + "\n" for x in si_lines), "utf-8")
        tc_lines = [f"{i}\t{t}\t{s}\t{e}" for i, t, s, e in predicted_tc]
        (predictions_out / "tc.labels").write_text("".join(x + "\n" for x in tc_lines), "utf-8")
    return result
