"""`unspin eval checkworthy --data DIR`: leave-debates-out ranking figures on CLEF-2019 data.

Each debate's lines are ranked by score (ties keep line order, as the CLEF scorer's stable
sort does) and scored as CheckThat! 2019 Task 1 scores them: average precision, R-precision
and precision at 10 per debate, averaged over debates.  The trained head is scored on the
debates it was not trained on, next to the hand-set score of ``checkworthiness.json``,
sentence length and random order, all in the same run, with the interval the model's MAP
keeps when the debates are drawn again.  Needs only the runtime packages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from unspin.errors import InputError
from unspin.evaluation.metrics import bootstrap_interval

RANDOM_ORDERS = 200  # random rankings averaged for the chance row


def ranked(scores: Sequence[float], labels: Sequence[int]) -> np.ndarray:
    """Labels in rank order: highest score first, ties in line order."""
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    return np.asarray(labels)[order]


def average_precision(labels_in_order: np.ndarray) -> float:
    """Mean of the precision at each relevant line's rank; 0 when none is relevant."""
    hits = np.flatnonzero(labels_in_order)
    if not len(hits):
        return 0.0
    return float(np.mean(np.arange(1, len(hits) + 1) / (hits + 1)))


def precision_at(labels_in_order: np.ndarray, k: int) -> float:
    """Share of relevant lines among the first ``k`` (a short list still divides by ``k``)."""
    return float(labels_in_order[:k].sum() / k) if k else 0.0


def r_precision(labels_in_order: np.ndarray) -> float:
    """Precision at R, the number of relevant lines."""
    return precision_at(labels_in_order, int(labels_in_order.sum()))


def ranking_scores(per_debate: list[tuple[Sequence[float], Sequence[int]]]) -> dict[str, float]:
    """MAP, R-precision and P@10 averaged over debates, each given as (scores, labels)."""
    orders = [ranked(s, y) for s, y in per_debate]
    return {
        "MAP": round(float(np.mean([average_precision(o) for o in orders])), 4),
        "R-precision": round(float(np.mean([r_precision(o) for o in orders])), 4),
        "P@10": round(float(np.mean([precision_at(o, 10) for o in orders])), 4),
    }


def chance_scores(labels: list[np.ndarray], seed: int = 0) -> dict[str, float]:
    """The expected figures of a random order, averaged over seeded shuffles."""
    rng = np.random.default_rng(seed)
    runs = [
        ranking_scores([(rng.random(len(y)).tolist(), y) for y in labels])
        for _ in range(RANDOM_ORDERS)
    ]
    return {k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]}


def evaluate(data: Path, cache: Path | None = None) -> dict[str, Any]:
    """Leave-one-debate-out figures of the trained head against the baselines."""
    from unspin.training import checkworthy as training

    if not data.is_dir() or not any(data.glob("*.tsv")):
        raise InputError(str(data), "needs a folder of CLEF-2019 Task 1 .tsv debates")
    cv = training.crossval(data, cache)
    # Debates drawn again with replacement: how far the MAP could move on other debates.
    precisions = [
        average_precision(ranked(z.tolist(), y))
        for z, y in zip(cv["oof_logits"], cv["labels"], strict=True)
    ]
    interval = bootstrap_interval(precisions, lambda drawn: float(np.mean(drawn)))
    return {**cv["figures"], "model MAP, 95% interval over debates": interval}
