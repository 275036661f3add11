"""Fitting score calibration on held-out outputs (numpy only, so it is testable without torch).

Raw sigmoid / softmax outputs of a model trained with class weights are not probabilities;
the shipped scores are rescaled so that, on held-out articles, a score of 0.7 is right about
70% of the time.
"""

from __future__ import annotations

import numpy as np

from unspin.models.techniques.head import softmax


def fit_platt(x: np.ndarray, y: np.ndarray, steps: int = 50) -> tuple[float, float]:
    """Logistic regression ``sigmoid(a x + b)`` by Newton's method (two parameters)."""
    a, b = 1.0, 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - y) * x), np.sum(p - y)])
        w = p * (1 - p) + 1e-9
        h = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        a, b = np.array([a, b]) - np.linalg.solve(h + 1e-6 * np.eye(2), g)
    return float(a), float(b)


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature minimising held-out negative log-likelihood."""
    grid = np.linspace(0.5, 4.0, 36)
    nll = [-np.log(softmax(logits, t)[np.arange(len(gold)), gold] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])
