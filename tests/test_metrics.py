"""The shares and intervals every evaluation reports."""

from __future__ import annotations

from unspin.evaluation.metrics import bootstrap_interval


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_an_interval_holds_the_figure_and_narrows_with_more_units() -> None:
    few = [0.0, 1.0] * 5
    many = [0.0, 1.0] * 200
    low_few, high_few = bootstrap_interval(few, _mean)
    low_many, high_many = bootstrap_interval(many, _mean)
    assert low_few < 0.5 < high_few
    assert low_many < 0.5 < high_many
    assert high_many - low_many < high_few - low_few


def test_the_same_seed_gives_the_same_interval_and_one_unit_none() -> None:
    units = [0.2, 0.9, 0.4, 0.7]
    assert bootstrap_interval(units, _mean) == bootstrap_interval(units, _mean)
    assert bootstrap_interval([0.5], _mean) is None
