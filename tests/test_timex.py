"""Temporal expressions: absolute, partial, deictic and event-relative, never guessed."""

from __future__ import annotations

import pytest

from unspin.components import dates as timex
from unspin.document import first_day


def _one(
    text: str, published: str | None = "2019-03-10", direction: int = timex.NEAREST
) -> timex.Timex:
    found = timex.find(text, published, direction=lambda *_: direction)
    assert len(found) == 1, found
    assert found[0].text == text[found[0].start : found[0].end]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Rebels struck on 4th March 2019.", "2019-03-04", "day"),
        ("The convoy left on 22nd June, 2018 at dawn.", "2018-06-22", "day"),
        ("Talks began on June 22, 2018 in Tarsen.", "2018-06-22", "day"),
        ("By the 3rd of August 2016 the town had fallen.", "2016-08-03", "day"),
        ("The siege began in March 2017.", "2017-03", "month"),
        ("The ceasefire held in 2015.", "2015", "year"),
        ("The log is dated 2019-03-01.", "2019-03-01", "day"),
    ],
)
def test_absolute_dates_need_no_anchor(text: str, value: str, precision: str) -> None:
    found = _one(text, published=None)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    ("text", "published", "value", "precision"),
    [
        # The most recent past 11 May before publication, as reporting reads it.
        ("Fighting resumed on 11 May near Velmora.", "2019-03-10", "2018-05-11", "day"),
        ("Fighting resumed on 11 May near Velmora.", "2019-10-20", "2019-05-11", "day"),
        ("The valley flooded in October.", "2019-03-10", "2018-10", "month"),
        ("The bridge reopened in January.", "2024-04-08", "2024-01", "month"),
    ],
)
def test_partial_dates_take_the_year_of_the_publication(
    text: str, published: str, value: str, precision: str
) -> None:
    found = _one(text, published, timex.PAST)  # every verb here is in the past tense
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("The ministry spoke last week.", "2019-02-25/2019-03-03", "interval"),
        ("Shells fell yesterday.", "2019-03-09", "day"),
        ("Shells fell three days ago.", "2019-03-07", "day"),
        ("The mayor resigned on Tuesday morning.", "2019-03-05", "day"),
        ("The group has fought the army since 2012.", "2012/2019-03-10", "interval"),
        ("Prices rose last month.", "2019-02", "month"),
        ("Shells fell last weekend.", "2019-03-09/2019-03-10", "interval"),
        ("The clip has spread since Monday.", "2019-03-04/2019-03-10", "interval"),
        ("Aid has been blocked since 22nd June, 2018.", "2018-06-22/2019-03-10", "interval"),
    ],
)
def test_relative_dates_are_anchored_on_the_publication(
    text: str, value: str, precision: str
) -> None:
    found = _one(text)
    assert (found.value, found.precision) == (value, precision)


def test_event_relative_dates_count_from_the_event_they_name() -> None:
    text = (
        "Rebels ambushed a convoy near Velmora on 4 March 2019. "
        "Talks were held on 9 March 2019. "
        "Hours after the ambush, the army shelled the valley. "
        "The next day, the army withdrew. Two days later, the road reopened."
    )
    spans = [(0, 54), (55, 88), (89, 141), (142, 174), (175, len(text))]
    found = {t.text: t.value for t in timex.find(text, "2019-03-10", spans)}
    assert found["Hours after the ambush"] == "2019-03-04"
    assert found["The next day"] == "2019-03-05"
    assert found["Two days later"] == "2019-03-07"


def test_counted_weeks_move_by_days_and_the_following_week_is_a_week() -> None:
    text = "Police raided the market on 14 August 2022. A week after the raid, families left. "
    text += "The following week, the market reopened."
    found = {t.text: (t.value, t.precision) for t in timex.find(text, "2022-09-30")}
    assert found["A week after the raid"] == ("2022-08-21", "day")
    assert found["The following week"] == ("2022-08-22/2022-08-28", "interval")


def test_months_in_a_range_are_each_dated() -> None:
    found = timex.find("Between July and September, 140 people were detained.", "2022-09-30")
    assert [(t.text, t.value) for t in found] == [("July", "2022-07"), ("September", "2022-09")]


def test_without_an_anchor_partial_and_relative_dates_stay_unresolved() -> None:
    text = (
        "It started on 11 May. Last week the clinic closed; in October it reopened. "
        "Hours after the raid, shelling began."
    )
    found = timex.find(text, None)
    assert [t.text for t in found] == ["11 May", "Last week", "October", "Hours after the raid"]
    assert all(t.value is None for t in found)


@pytest.mark.parametrize(
    "text",
    [
        "Talks opened on 31 February 2018.",
        "Talks opened on 31 February.",
        "It was 29 February 2019.",
    ],
)
def test_impossible_dates_are_reported_unresolved(text: str) -> None:
    found = _one(text)
    assert found.value is None
    assert found.precision == "day"


def test_a_real_leap_day_is_kept() -> None:
    assert _one("It was 29 February 2020.").value == "2020-02-29"


def test_verbs_and_counts_are_not_dates() -> None:
    assert timex.find("Rebels may march on the town; 57 fighters were killed.", "2019-03-10") == []


def test_empty_and_dateless_text() -> None:
    assert timex.find("", "2019-03-10") == []
    assert timex.find("Words shape how we see a war.", None) == []


def test_first_day_orders_every_precision() -> None:
    assert first_day("2019-03") < first_day("2019-03-04")
    assert first_day("2012/2019-03-10").isoformat() == "2012-01-01"
    assert first_day(None) is None


def test_the_publication_weekday_is_the_publication_day() -> None:
    found = timex.find(
        "Officials said on Monday. On Saturday rebels struck. Last Monday was calm.", "2024-06-24"
    )
    assert [(t.text, t.value) for t in found] == [
        ("Monday", "2024-06-24"),
        ("Saturday", "2024-06-22"),
        ("Last Monday", "2024-06-17"),
    ]
