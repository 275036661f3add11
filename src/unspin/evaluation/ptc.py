"""``unspin eval ptc``: SemEval-2020 Task 11 scores of unspin on PTC-format gold.

SI is scored on exactly what ``unspin analyze`` reports (the pipeline, with the components
the technique layer does not use switched off for speed); TC gives the technique head each
gold span of the labels file, as the shared task did.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from unspin.components import PIPELINE
from unspin.document import Document
from unspin.errors import InputError
from unspin.evaluation.semeval import span_scores, technique_scores
from unspin.models.techniques import model
from unspin.models.techniques.spans import answer_gold_lines
from unspin.pipeline import Pipeline
from unspin.training.corpus import read_articles, read_labels


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
    tagger = model.load()
    predicted_si: dict[str, list[tuple[int, int]]] = {}
    answers: dict[int, str] = {}
    for article_id, text in texts.items():
        doc = pipeline(Document(text=text))
        predicted_si[article_id] = sorted({(t.start, t.end) for t in doc.techniques})
        if not with_techniques or not lines[article_id]:
            continue
        spans = [rows[n][2:] for n in lines[article_id]]
        unique = sorted(set(spans))
        probs = tagger.technique_probs(tagger.outputs(text), unique)
        best = answer_gold_lines(spans, dict(zip(unique, probs, strict=True)))
        answers.update(zip(lines[article_id], (tagger.techniques[k] for k in best), strict=True))
    gold_si = {i: [rows[n][2:] for n in lines[i]] for i in texts}
    result: dict[str, Any] = {"articles": len(texts), "si": span_scores(predicted_si, gold_si)}
    predicted_tc = [(a, answers[n], s, e) for n, (a, _, s, e) in enumerate(rows) if n in answers]
    if with_techniques:
        result["tc"] = technique_scores(predicted_tc, rows)  # type: ignore[arg-type]
    if predictions_out is not None:
        predictions_out.mkdir(parents=True, exist_ok=True)
        si_lines = [f"{i}\t{s}\t{e}" for i, spans in predicted_si.items() for s, e in spans]
        (predictions_out / "si.labels").write_text("".join(x + "\n" for x in si_lines), "utf-8")
        tc_lines = [f"{i}\t{t}\t{s}\t{e}" for i, t, s, e in predicted_tc]
        (predictions_out / "tc.labels").write_text("".join(x + "\n" for x in tc_lines), "utf-8")
    return result
