"""Issue #11, round 5: a unit counted from a month or a year named before ('the following
month' after 'in March 2019'), a weekday counted from the day before it ('the previous
Friday'), a past tense the tagger reads as a present ('Weakness hurt the index'), a generic
'today's world', and numeric dates ('15.03.2023')."""

from __future__ import annotations

import pytest
from conftest import dated

from unspin.components.dates import find


@pytest.mark.parametrize(
    ("body", "text", "value"),
    [
        # A month or year date is what 'the following month' or 'the next year' counts from.
        (
            "The board rejected the bid in March 2019. The following month, it sold the mill.",
            "The following month",
            "2019-04",
        ),
        (
            "The rebels took the town in 2014. The following year they lost it.",
            "The following year",
            "2015",
        ),
        ("The siege began in May 2016; the next year the city fell.", "the next year", "2017"),
        # A day still wins when it is the latest date named.
        (
            "The talks began in 2019 and broke down on 2 April 2019. The following month was calm.",
            "The following month",
            "2019-05",
        ),
        # A weekday counted from the day before it, not from publication.
        (
            "On Friday, Oct. 27, the index fell 4% from the previous Friday.",
            "the previous Friday",
            "2017-10-20",
        ),
        (
            "The vote was on Wednesday, Oct. 25; the following Monday the count began.",
            "the following Monday",
            "2017-10-30",
        ),
        # The same weekday is a whole week away, either way.
        (
            "The truce began on Friday, Oct. 20; the following Friday it broke.",
            "the following Friday",
            "2017-10-27",
        ),
    ],
)
def test_counted_from_the_date_before(body: str, text: str, value: str) -> None:
    published = "2017-11-02" if "Oct." in body else "2020-01-15"
    assert {t.text: t.value for t in find(body, published)}[text] == value


def test_no_month_named_before_leaves_the_following_month_unresolved() -> None:
    """With nothing to count from, no value is guessed."""
    found = {t.text: t.value for t in find("The following month, it sold the mill.", "2020-01-15")}
    assert found["The following month"] is None


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # A column's 'today's world' is no day: nothing to put on a timeline.
        (
            "In today's world, and for today's young people, nothing is certain.",
            [("today", "PRESENT_REF", "ref"), ("today", "PRESENT_REF", "ref")],
        ),
        ("Tomorrow's leaders will judge this war.", [("Tomorrow", "FUTURE_REF", "ref")]),
        # Today's session and yesterday's vote are days.
        (
            "Today's session opened late; yesterday's vote was close.",
            [("Today", "2022-03-01", "date"), ("yesterday", "2022-02-28", "date")],
        ),
        ("The offer ran in today\u2019s editions.", [("today", "2022-03-01", "date")]),
    ],
)
def test_a_generic_today_is_a_vague_reference(body: str, found: list[tuple[str, str, str]]) -> None:
    assert [(t.text, t.value, t.kind) for t in find(body, "2022-03-01")] == found


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("The ceasefire announced on 15/03/2023 did not hold.", "2023-03-15"),
        ("The order is dated 03/15/2023.", "2023-03-15"),
        ("The decree of 15.03.2023 closed the crossing.", "2023-03-15"),
        ("The decree of 05.03.2023 closed the crossing.", "2023-03-05"),
        # Either order would do: no day is guessed.
        ("The list was posted on 03/04/2023.", None),
        # No such day.
        ("The form says 31/02/2023.", None),
    ],
)
def test_a_numeric_date(body: str, value: str | None) -> None:
    found = find(body, "2023-03-20")
    assert [(t.value, t.precision) for t in found] == [(value, "day")]


def test_numbers_that_only_look_like_a_date_are_none() -> None:
    assert find("Update to version 1.2.2020.1 and score 1.5/2.0.", "2023-03-20") == []


def test_a_decimal_after_a_preposition_is_an_amount() -> None:
    found = find("The index dropped 19 points to 1462.93, after a rise in 1987.", "1989-10-30")
    assert [(t.text, t.value) for t in found] == [("1987", "1987")]


def test_a_relative_day_set_off_after_a_day_restates_it() -> None:
    """'Nov. 3, the day before the warrant': Nov. 3 is the day before; a new sentence's
    'the day after' still moves on."""
    body = "He was last seen Nov. 3, the day before police issued a warrant. The day after, rain."
    found = [(t.text, t.value) for t in find(body, "1999-05-07")]
    assert found == [
        ("Nov. 3", "1998-11-03"),
        ("the day before", "1998-11-03"),
        ("The day after", "1998-11-04"),
    ]


@pytest.mark.parametrize(
    ("body", "published", "value"),
    [
        # 'hurt' tagged as a plural present under a singular subject: a past tense.
        ("Weakness in bank shares hurt the index on Friday.", "2021-11-01", "2021-10-29"),
        # Two subjects joined take a plural present: what is coming.
        ("Smith and Jones send the letter on Friday.", "2021-11-01", "2021-11-05"),
        # 'stalled' tagged as a participle heading its clause: a past tense.
        ("The offensive stalled in the summer.", "2013-03-20", "2012-SU"),
        # With an auxiliary it is a participle, and 'is held' does not look back.
        ("The festival is held in the summer.", "2013-03-20", "2013-SU"),
        # A planning verb as a bare participle under a noun does not point ahead.
        (
            "A memorial service planned for Saturday was canceled after threats.",
            "2021-10-24",
            "2021-10-23",
        ),
        ("The index closed near its record high set on Aug. 6.", "2021-10-24", "2021-08-06"),
        # With an infinitive after it, it still does.
        ("The peace talks, set to resume Monday, were postponed.", "2021-10-24", "2021-10-25"),
        ("The talks are set to resume Monday.", "2021-10-24", "2021-10-25"),
        # A planning verb in the past tense says nothing of which way its own date lies.
        ("On Friday, the government planned to pay the families.", "2000-04-05", "2000-03-31"),
        ("The ministry set Friday as the deadline for the transfer.", "2000-04-05", "2000-03-31"),
        # Through an infinitive, the plan's date still lies ahead.
        ("The team planned to leave the city on Friday.", "2000-04-05", "2000-04-07"),
        # 'would' in reported speech looks ahead (round 6: a line of data).
        (
            "Officials said the envoy would arrive in the capital Thursday.",
            "2000-04-05",
            "2000-04-06",
        ),
    ],
)
def test_which_way_the_verb_points(body: str, published: str, value: str) -> None:
    assert [t.value for t in dated(body, published)] == [value]
