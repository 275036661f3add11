"""The SemEval-2020 Task 11 scorer against figures worked out by hand."""

from __future__ import annotations

import pytest

from unspin.evaluation.semeval import merge, span_scores, technique_scores


def test_merge_joins_overlaps_and_drops_empty_spans() -> None:
    assert merge([(5, 9), (0, 4), (2, 6), (12, 12), (20, 25)]) == [(0, 9), (20, 25)]
    assert merge([(0, 4), (4, 8)]) == [(0, 4), (4, 8)]  # touching spans stay apart


def test_partial_overlap_precision_and_recall() -> None:
    # Article a: predicted 5-15 covers half of gold 0-10 and is half gold itself;
    # predicted 20-30 equals gold 20-30.  P = (5/10 + 10/10) / 2, R the same.
    scores = span_scores({"a": [(5, 15), (20, 30)]}, {"a": [(0, 10), (20, 30)]})
    assert scores["precision"] == pytest.approx(0.75)
    assert scores["recall"] == pytest.approx(0.75)
    assert scores["f1"] == pytest.approx(0.75)


def test_overlapping_predictions_are_merged_before_scoring() -> None:
    # 0-4 and 2-8 merge into 0-8; gold 4-12 shares 4 characters with it.
    # P = 4/8 over one predicted span; R = 4/8 over one gold span.
    scores = span_scores({"a": [(0, 4), (2, 8)]}, {"a": [(4, 12)]})
    assert scores == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})


def test_counts_pool_over_articles() -> None:
    # a: pred 0-10 inside gold 0-20 -> P contribution 1, R contribution 10/20.
    # b: pred 0-5 misses gold 10-20 -> 0 and 0; c: gold 0-4 never predicted -> R 0.
    # P = 1/2, R = 0.5/3, F1 = 2 * 0.5 * (1/6) / (0.5 + 1/6) = 0.25.
    scores = span_scores(
        {"a": [(0, 10)], "b": [(0, 5)]}, {"a": [(0, 20)], "b": [(10, 20)], "c": [(0, 4)]}
    )
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(1 / 6)
    assert scores["f1"] == pytest.approx(0.25)


def test_no_predictions_scores_zero() -> None:
    assert span_scores({}, {"a": [(0, 3)]}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_technique_micro_f1_matches_a_doubly_labelled_span_as_a_multiset() -> None:
    gold = [("a", "Doubt", 0, 5), ("a", "Slogans", 0, 5), ("a", "Repetition", 6, 9)]
    # Both labels of 0-5 found (order irrelevant); 6-9 wrong: 2 of 3 right.
    predicted = [("a", "Slogans", 0, 5), ("a", "Doubt", 0, 5), ("a", "Doubt", 6, 9)]
    scores = technique_scores(predicted, gold)
    assert scores["micro_f1"] == pytest.approx(2 / 3)
    doubt = scores["per_technique"]["Doubt"]
    assert doubt["precision"] == pytest.approx(0.5)  # predicted twice, right once
    assert doubt["recall"] == pytest.approx(1.0)
    assert doubt["f1"] == pytest.approx(2 / 3)
    assert scores["per_technique"]["Repetition"]["recall"] == 0.0
    # The same technique twice on a span earns it once when gold has it once.
    twice = [("a", "Doubt", 0, 5), ("a", "Doubt", 0, 5), ("a", "Repetition", 6, 9)]
    assert technique_scores(twice, gold)["micro_f1"] == pytest.approx(2 / 3)
