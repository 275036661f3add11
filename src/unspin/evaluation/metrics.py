"""The shares every evaluation reports, computed one way."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

Unit = TypeVar("Unit")


def rate(part: int, whole: int, digits: int = 3) -> float | None:
    """``part / whole`` rounded for a report; None when there is nothing to divide by."""
    return round(part / whole, digits) if whole else None


def f1(precision: float, recall: float) -> float:
    """The harmonic mean; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def bootstrap_interval(
    units: Sequence[Unit],
    statistic: Callable[[list[Unit]], float],
    resamples: int = 2000,
    seed: int = 13,
) -> tuple[float, float] | None:
    """The 95% percentile interval of ``statistic`` over ``units`` (articles, debates)
    drawn with replacement: how far a figure on a few dozen articles could move on others
    like them. None with fewer than two units."""
    if len(units) < 2:
        return None
    draw = random.Random(seed)
    values = sorted(statistic([draw.choice(units) for _ in units]) for _ in range(resamples))
    low, high = values[int(0.025 * resamples)], values[int(0.975 * resamples) - 1]
    return round(low, 3), round(high, 3)
