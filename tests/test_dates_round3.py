"""Issue #11, round 3: holidays, the year of the report, dates still to come after 'as
soon as', deadlines and periods that ended, month abbreviations that are names, years
before 1900, 'that year', and a weekday or 'last' before a month and day."""

from __future__ import annotations

import pytest

from unspin.document import Document, Metadata
from unspin.pipeline import Pipeline


def _dates(body: str, published: str) -> dict[str, str | None]:
    doc = Document.from_parts(None, body, Metadata(published=published))
    return {t.text: t.value for t in Pipeline(skip=["techniques"])(doc).dates}


@pytest.mark.parametrize(
    ("body", "published", "text", "value"),
    [
        # A holiday is its occurrence nearest the article, or the one the tense points to.
        ("The ferry sank on Christmas Eve near the cape.", "2022-01-04", "Christmas Eve",
         "2021-12-24"),
        ("The boy was found on Thanksgiving Day.", "2021-01-10", "Thanksgiving Day",
         "2020-11-26"),
        ("Candidates will debate until Election Day.", "2022-10-20", "Election Day",
         "2022-11-08"),
        ("Pilgrims gathered as Easter week began.", "2021-03-29", "Easter week",
         "2021-03-29/2021-04-04"),
        ("The talks resume after next Christmas.", "2023-06-01", "next Christmas", "2023-12-25"),
        # Phrases that name the year the article is in.
        ("Output for the full year rose by a tenth.", "2019-10-30", "the full year", "2019"),
        ("The merger should close around year-end.", "2019-10-30", "year-end", "2019"),
        # 'as soon as' points forward whatever the verb.
        ("The delegation could arrive as soon as Tuesday.", "2022-01-08", "Tuesday",
         "2022-01-11"),
        # 'that year' is the year of the latest date that has one.
        ("The rebels took the port in May 2015 and lost it later that year.", "2021-01-08",
         "later that year", "2015"),
        # A year before 1900 after a preposition.
        ("The fort was built in 1854 by the garrison.", "2022-01-08", "1854", "1854"),
        # 'last' and a weekday before a month and day.
        ("The mayor was shot last Oct. 3 outside his house.", "2022-04-01", "last Oct. 3",
         "2021-10-03"),
        ("The paper wrote on Monday, Oct. 26: enough.", "2020-10-25", "Monday, Oct. 26",
         "2020-10-26"),
        # A past verb moving something 'to' a date: the date may still be ahead.
        ("The ceasefire was extended to Nov. 16 by both sides.", "2021-10-30", "Nov. 16",
         "2021-11-16"),
        # A present tense announces what comes next; one that reports does not.
        ("The two envoys meet Monday in Geneva.", "2021-10-27", "Monday", "2021-11-01"),
        ("The ministry says Monday was the calmest day.", "2021-10-27", "Monday",
         "2021-10-25"),
        # ... but a period that 'ended' on a date is over.
        ("Exports fell in the year ended March 31, the ministry said.", "2021-10-30",
         "March 31", "2021-03-31"),
    ],
)
def test_round_three_patterns(body: str, published: str, text: str, value: str) -> None:
    assert _dates(body, published).get(text) == value


@pytest.mark.parametrize(
    "body",
    [
        "Ministers Rui Costa and Jan Novak of the coalition met.",  # a name, not January
        "The fund repaired roofs in 1200 homes.",  # a count, not a year
    ],
)
def test_names_and_counts_are_no_dates(body: str) -> None:
    assert _dates(body, "2022-01-08") == {}
