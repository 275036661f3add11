"""The official SemEval-2020 Task 11 measures, so figures compare with the published ones.

SI: the partial-overlap precision and recall of Da San Martino et al. (2019) — a predicted
span earns the fraction of it that is gold, a gold span the fraction of it that is found —
after merging overlapping spans of one article.  TC: micro-F1 over the gold spans, a span
labelled twice counting as two answers (multiset match).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from unspin.evaluation.metrics import f1

Interval = tuple[int, int]


def merge(spans: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching-free union of ``(start, end)`` spans, sorted; empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _covered(spans: list[Interval], others: list[Interval]) -> float:
    """Σ over ``spans`` of the fraction of each that ``others`` (disjoint, sorted) covers."""
    total = 0.0
    for start, end in spans:
        hit = sum(max(0, min(end, e) - max(start, s)) for s, e in others if s < end and e > start)
        total += hit / (end - start)
    return total


def span_scores(
    predicted: dict[str, list[Interval]], gold: dict[str, list[Interval]]
) -> dict[str, float]:
    """SI precision, recall and F1 over all articles (spans keyed by article id)."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for article in predicted.keys() | gold.keys():
        pred = merge(predicted.get(article, []))
        ref = merge(gold.get(article, []))
        n_pred += len(pred)
        n_gold += len(ref)
        p_sum += _covered(pred, ref)
        r_sum += _covered(ref, pred)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


Labelled = tuple[str, str, int, int]  # article id, technique, start, end


def technique_scores(predicted: list[Labelled], gold: list[Labelled]) -> dict[str, object]:
    """TC micro-F1 and per-technique P/R/F1, answers matched to gold spans as multisets."""
    by_span_gold: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    by_span_pred: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for article, technique, start, end in gold:
        by_span_gold[article, start, end][technique] += 1
    for article, technique, start, end in predicted:
        by_span_pred[article, start, end][technique] += 1
    correct: Counter[str] = Counter()
    for key, techniques in by_span_pred.items():
        correct.update(techniques & by_span_gold.get(key, Counter()))
    n_gold = Counter(t for _, t, _, _ in gold)
    n_pred = Counter(t for _, t, _, _ in predicted)
    hits = sum(correct.values())
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    per_technique = {}
    for technique in sorted(n_gold.keys() | n_pred.keys()):
        p = correct[technique] / n_pred[technique] if n_pred[technique] else 0.0
        r = correct[technique] / n_gold[technique] if n_gold[technique] else 0.0
        per_technique[technique] = {
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "support": n_gold[technique],
        }
    return {
        "micro_f1": f1(precision, recall),
        "precision": precision,
        "recall": recall,
        "per_technique": per_technique,
    }
