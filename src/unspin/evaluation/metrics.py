"""The shares every evaluation reports, computed one way."""

from __future__ import annotations


def rate(part: int, whole: int, digits: int = 3) -> float | None:
    """``part / whole`` rounded for a report; None when there is nothing to divide by."""
    return round(part / whole, digits) if whole else None


def f1(precision: float, recall: float) -> float:
    """The harmonic mean; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
