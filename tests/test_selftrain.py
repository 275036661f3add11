"""Self-training and balanced sampling for the technique tagger (``training/selftrain.py``).

Text here is written for the tests. The tests of the training loop's pieces skip where torch
is absent (the runtime environment has none).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin.models.techniques import DATA, technique_names
from unspin.models.techniques.windows import encode, load_tokenizer
from unspin.training.corpus import Article
from unspin.training.selftrain import (
    merge_intervals,
    pseudo_label,
    select_spans,
    uncertain_regions,
    window_weights,
)

TEXT = (
    "Ferry strike leaves island cut off\n\n"
    "The ferry union called the new timetable an utter betrayal of every islander.\n"
    "Managers said the strike was the work of a few troublemakers and nothing more.\n"
    "Either the island accepts the timetable or it loses the service for good."
)


def found(start: int, end: int, technique: str, score: float) -> dict[str, object]:
    return {"start": start, "end": end, "technique": technique, "score": score}


def test_select_spans_keeps_confident_spans_once_and_both_techniques_of_a_span() -> None:
    tagged = [
        found(10, 20, "Loaded_Language", 0.31),
        found(10, 20, "Doubt", 0.22),
        found(10, 20, "Loaded_Language", 0.31),
        found(40, 55, "Slogans", 0.12),
        found(0, 5, "Flag-Waving", 0.2),
    ]
    assert select_spans(tagged, 0.2) == [
        (0, 5, "Flag-Waving"),
        (10, 20, "Doubt"),
        (10, 20, "Loaded_Language"),
    ]
    assert select_spans(tagged, 0.5) == []


def test_merge_intervals_joins_overlapping_and_touching_ranges() -> None:
    assert merge_intervals([(8, 12), (0, 3), (3, 5), (10, 15), (20, 21)]) == [
        (0, 5),
        (8, 15),
        (20, 21),
    ]
    assert merge_intervals([]) == []


def test_uncertain_regions_are_likely_tokens_outside_kept_spans() -> None:
    offsets = np.array([[0, 4], [5, 9], [10, 14], [15, 19], [20, 24], [25, 29]])
    prob = np.array([0.05, 0.6, 0.3, 0.9, 0.1, 0.4])
    # Token 3 lies in a kept span, so it is a label, not an unsure token; tokens 1, 2 and 5
    # are unsure; tokens 0 and 4 are confident negatives.
    assert uncertain_regions(offsets, prob, [(15, 19)], 0.25) == [(5, 9), (10, 14), (25, 29)]
    assert uncertain_regions(offsets, prob, [(3, 12)], 0.25) == [(15, 19), (25, 29)]
    assert uncertain_regions(offsets, prob, [], 0.95) == []


def test_window_weights_favour_rare_techniques_up_to_the_cap() -> None:
    common, rare, rarest = 0, 1, 2
    windows = [set(), {common}, {common}, {common}, {common}, {common, rare}, {rarest}]
    weights = window_weights(windows, cap=3.0)
    assert weights[0] == 1.0  # no technique
    assert weights[1] == 1.0  # the commonest technique
    assert weights[5] == 3.0  # holds a rare technique: 5 / 1, capped
    assert weights[6] == 3.0
    assert window_weights([{rare}, {rare}], cap=4.0).tolist() == [1.0, 1.0]
    assert window_weights([set(), set()], cap=4.0).tolist() == [1.0, 1.0]


def test_window_weights_take_the_rarest_technique_a_window_holds() -> None:
    windows = [{0}, {0}, {0}, {0}, {1}, {1}, {0, 1}]
    weights = window_weights(windows, cap=10.0)
    assert weights[4] == pytest.approx(5 / 3)
    assert weights[6] == pytest.approx(5 / 3)


def test_pseudo_labelling_refuses_an_article_of_the_labelled_corpus(tmp_path: Path) -> None:
    (tmp_path / "article111.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(ValueError, match="111"):
        pseudo_label(tmp_path, Path(str(DATA)), 0.2, 0.25, exclude=["111", "222"])


def test_pseudo_labels_come_from_the_pipeline_and_respect_the_threshold(tmp_path: Path) -> None:
    (tmp_path / "article333.txt").write_text(TEXT, encoding="utf-8")
    (loose,) = pseudo_label(tmp_path, Path(str(DATA)), 0.0, 0.25)
    (strict,) = pseudo_label(tmp_path, Path(str(DATA)), 0.2, 0.25)
    assert loose.article.id == "333" and loose.article.text == TEXT
    assert set(strict.article.spans) <= set(loose.article.spans)
    names = set(technique_names())
    for start, end, technique in loose.article.spans:
        assert 0 <= start < end <= len(TEXT) and technique in names
    for start, end in strict.ignore:
        assert not any(s < end and start < e for s, e, _ in strict.article.spans)


def test_ignored_tokens_carry_no_token_loss_and_pseudo_windows_weigh_less() -> None:
    pytest.importorskip("torch", reason="the 'train' extra is not installed")
    pytest.importorskip("transformers", reason="the 'train' extra is not installed")
    from unspin.training.train import collate, samples

    tokenizer = load_tokenizer(Path(str(DATA / "tokenizer.json")))
    index = {name: i for i, name in enumerate(technique_names())}
    start = TEXT.index("an utter betrayal")
    unsure = TEXT.index("a few troublemakers")
    article = Article("444", TEXT, [(start, start + len("an utter betrayal"), "Loaded_Language")])
    enc = encode(tokenizer, TEXT, 64, 48)
    gold = samples(article, enc, index)
    pseudo = samples(article, enc, index, 0.5, [(unsure, unsure + len("a few troublemakers"))])
    assert all(x.mask is None and x.weight == 1.0 for x in gold)
    assert all(x.weight == 0.5 and x.mask is not None for x in pseudo)
    assert sum(float((1 - x.mask).sum()) for x in pseudo if x.mask is not None) >= 3

    plain = collate(gold[:2])
    assert "token_weight" not in plain and "span_weights" not in plain  # today's recipe
    mixed = collate([gold[0], pseudo[0]])
    weights = mixed["token_weight"].numpy()
    n0, n1 = int(enc.lengths[0]), int(enc.lengths[0])
    assert np.all(weights[0, 1 : n0 + 1] == 1.0)
    assert set(np.unique(weights[1, 1 : n1 + 1]).tolist()) <= {0.0, 0.5}
    assert len(mixed["span_weights"]) == len(mixed["rows"])
