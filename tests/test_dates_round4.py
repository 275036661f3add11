"""Issue #11, round 4: 'this coming Sunday', a month with 'last year', the edges of a year
('the last half of 2019'), a month with no tense leaning to the past, a time of day with a
day ('10 p.m. Wednesday'), a second day after 'and', and the period a report is on never
taken from history ('the third quarter of 1984' in a 1989 report)."""

from __future__ import annotations

import pytest
from conftest import dated


def _dates(body: str, published: str) -> dict[str, str | None]:
    return {t.text: t.value for t in dated(body, published)}


@pytest.mark.parametrize(
    ("body", "published", "text", "value"),
    [
        # 'this coming' points forward even where a bare weekday would look back.
        ("The march is this coming Sunday in the old town.", "2022-03-10", "Sunday", "2022-03-13"),
        # A month with 'last year' is one expression, in the year before the article's.
        (
            "The commander was arrested in July last year near the border.",
            "2022-02-19",
            "July last year",
            "2021-07",
        ),
        ("Elections are due in May next year.", "2022-02-19", "May next year", "2023-05"),
        # The edges of a named year: halves and quarters.
        (
            "Profits will fall in the last half of 2019.",
            "2019-05-01",
            "the last half of 2019",
            "2019-H2",
        ),
        (
            "Demand stays weak through the first two quarters of 2020.",
            "2019-10-26",
            "the first two quarters of 2020",
            "2020-H1",
        ),
        (
            "Shipments peaked in the final quarter of 2018.",
            "2019-10-26",
            "the final quarter of 2018",
            "2018-Q4",
        ),
        # With no tense to go by, the month before is nearer than the month ahead.
        ("Most units sold were models launched in April.", "2019-10-26", "April", "2019-04"),
        ("The plant reopens in June.", "2019-03-10", "June", "2019-06"),
        # A time of day next to a day makes it a date-time.
        (
            "The shop was robbed at 10 p.m. Wednesday, police said.",
            "2022-02-11",
            "10 p.m. Wednesday",
            "2022-02-09T22:00",
        ),
        ("Talks broke off at noon Thursday.", "2022-02-11", "noon Thursday", "2022-02-10T12:00"),
        (
            "The offer runs until 5 p.m. EST, Nov. 9.",
            "2022-11-02",
            "5 p.m. EST, Nov. 9",
            "2022-11-09T17:00",
        ),
        (
            "The truce ended on March 3 at 6:30 a.m. sharp.",
            "2022-03-05",
            "March 3 at 6:30 a.m.",
            "2022-03-03T06:30",
        ),
        (
            "The ultimatum expires at midnight Friday.",
            "2022-03-02",
            "midnight Friday",
            "2022-03-04T24:00",
        ),
        # A second day of the month after 'and'.
        ("The summit meets on April 24 and 25 in the capital.", "2022-02-10", "25", "2022-04-25"),
    ],
)
def test_round_four_patterns(body: str, published: str, text: str, value: str) -> None:
    assert _dates(body, published).get(text) == value


def test_a_number_after_a_date_and_and_is_no_day_unless_it_can_be_one() -> None:
    """'3 and 4 percent' or a day before the first one is no second date."""
    found = _dates("On May 30 and 12 people were hurt; on June 3 and 2 others.", "2022-07-01")
    assert "12" not in found and "2" not in found
    assert found["May 30"] == "2022-05-30"


def test_the_period_reported_on_is_this_year_or_last_not_history() -> None:
    """'a year ago' compares with the report's own quarter, not one named as history."""
    body = (
        "The utility last paid a dividend in the third quarter of 2014. It reported "
        "third-quarter profit of $80 million, up from $67 million a year ago."
    )
    assert _dates(body, "2019-10-27")["a year ago"] == "2018-Q3"


def test_a_time_of_day_that_cannot_be_one_leaves_the_day_alone() -> None:
    found = _dates("The count closed at 13 p.m. Wednesday.", "2022-02-11")
    assert found["Wednesday"] == "2022-02-09"


def test_a_date_time_orders_and_anchors_by_its_day() -> None:
    """Dates carry a time of day in the value; the day still orders the timeline."""
    (timex,) = dated("Shelling began at 4 a.m. Sunday.", "2022-02-08")
    assert (timex.precision, str(timex.first_day)) == ("time", "2022-02-06")


def test_a_time_of_day_ending_the_sentence_before_stays_there() -> None:
    body = "The water rose on Friday, April 5, at 7 p.m.\nTwo days later, the bridge gave way."
    assert _dates(body, "2024-04-10")["Two days later"] == "2024-04-07"
