"""Counts and casualty figures: number words, hedges, vague amounts, what is counted."""

from __future__ import annotations

import pytest

from unspin.components import quantities
from unspin.components.dates import DateFinder
from unspin.components.quantities import QuantityFinder
from unspin.components.sentences import SentenceSplitter
from unspin.document import Document


def _find(text: str) -> list[dict]:
    doc = QuantityFinder()(DateFinder()(SentenceSplitter()(Document(text))))
    found = [q.model_dump() for q in doc.quantities]
    for q in found:
        assert q["text"] == text[q["start"] : q["end"]]
    return found


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("four", 4),
        ("twenty-one", 21),
        ("fifty seven", 57),
        ("1,200", 1200),
        ("57", 57),
        ("a dozen", 12),
        ("dozens", 24),
        ("hundreds", 200),
        ("2 million", 2_000_000),
        ("one thousand two hundred", 1200),
        ("velmora", None),
    ],
)
def test_parse_number(words: str, number: int | None) -> None:
    assert quantities.parse_number(words) == number


@pytest.mark.parametrize(
    ("text", "kind", "count", "who", "qualifier"),
    [
        ("Gunmen attacked the post, killing four policemen.", "killed", 4, "policemen", None),
        ("57 fighters were killed in the raid.", "killed", 57, "fighters", None),
        ("Dozens of civilians died in the shelling.", "killed", 24, "civilians", "dozens"),
        ("At least 1,200 people were displaced.", "displaced", 1200, "people", "at least"),
        ("About 300 families fled the Kestrin Valley.", "displaced", 300, "families", "about"),
        ("Police arrested up to 15 protesters.", "arrested", 15, "protesters", "up to"),
        ("Five journalists remain missing.", "missing", 5, "journalists", None),
        ("The blast left 12 dead.", "killed", 12, None, None),
        ("The death toll rose to 40.", "killed", 40, None, None),
        ("Hundreds were wounded in the clashes.", "injured", 200, None, "hundreds"),
        ("Scores of villagers were abducted.", "abducted", 40, "villagers", "scores"),
        ("Tens of thousands of people fled.", "displaced", 20000, "people", "tens of thousands"),
        ("One of the hostages died.", "killed", 1, "hostages", None),
        ("More than 70 were injured.", "injured", 70, None, "more than"),
    ],
)
def test_casualty_phrasings(
    text: str, kind: str, count: int, who: str | None, qualifier: str | None
) -> None:
    (found,) = _find(text)
    assert (found["kind"], found["count"], found["who"], found["qualifier"]) == (
        kind,
        count,
        who,
        qualifier,
    )


def test_conjoined_counts_get_their_own_kind() -> None:
    found = _find("Rebels attacked, killing four policemen and wounding twenty-one.")
    assert [(q["kind"], q["count"]) for q in found] == [("killed", 4), ("injured", 21)]


def test_counts_of_things_have_no_casualty_kind() -> None:
    (found,) = _find("The army deployed 40 tanks.")
    assert (found["kind"], found["count"], found["who"]) == (None, 40, "tanks")


@pytest.mark.parametrize(
    "text",
    [
        "In 2019 the convoy travelled 30 km in 2 hours.",
        "It cost $5 million, or 25 percent of the budget.",
        "No one was hurt.",
        "Communique No. 14 of the Joint Command.",
        "The meeting began at 09:40 on 4 March 2019.",
        "",
        "Words shape how we see a war.",
    ],
)
def test_measures_years_and_nothing_are_not_counts(text: str) -> None:
    assert _find(text) == []
