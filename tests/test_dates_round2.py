"""Issue #11, round 2: the verb's tense only for its own adjuncts, the period an earnings
report compares, weekends, spelled-out years and counts, vague references."""

from __future__ import annotations

import pytest

from unspin.components import dates as timex
from unspin.document import Document, Metadata
from unspin.pipeline import Pipeline


def _dates(body: str, published: str) -> dict[str, tuple[str | None, str]]:
    doc = Document.from_parts(None, body, Metadata(published=published))
    return {t.text: (t.value, t.kind) for t in Pipeline(skip=["techniques"])(doc).dates}


@pytest.mark.parametrize(
    ("body", "published", "text", "value"),
    [
        # Under a noun or an adjective the past tense of the sentence dates nothing.
        ("The mill declared a bonus payable Nov. 9 to its workers.", "2021-10-20", "Nov. 9",
         "2021-11-09"),
        ("Growers complained about the September cut in water quotas.", "2021-08-02",
         "September", "2021-09"),
        # An infinitive under a past verb happens after it: the nearest date.
        ("The council asked the builder to finish by 30 November.", "2021-10-20", "30 November",
         "2021-11-30"),
        # 'is to' points forward; a second verb shares the first one's 'will'.
        ("The ferry is to sail again Tuesday.", "2021-10-20", "Tuesday", "2021-10-26"),
        ("The guild will vote and publish the result in June.", "2021-03-10", "June", "2021-06"),
        # A future tense frames its whole clause, nouns included.
        ("The airline will add routes to the islands by October.", "2021-03-10", "October",
         "2021-10"),
        # A past verb still dates its own adjunct.
        ("The ferry sailed again Tuesday.", "2021-10-20", "Tuesday", "2021-10-19"),
    ],
)
def test_tense_dates_only_the_verbs_own_adjuncts(
    body: str, published: str, text: str, value: str
) -> None:
    assert _dates(body, published)[text] == (value, "date")


def test_a_year_ago_is_the_reported_quarter_a_year_back() -> None:
    body = (
        "Lakeside Dairy said third-quarter profit rose to $8 million from $6 million a year "
        "ago. In the year-earlier quarter, milk prices were lower. Sales in the quarter grew "
        "4%, while the 2020 period had a one-time gain. The second quarter was flat."
    )
    found = _dates(body, "2021-10-28")
    assert found["third-quarter"] == ("2021-Q3", "date")
    assert found["a year ago"] == ("2020-Q3", "date")
    assert found["the year-earlier quarter"] == ("2020-Q3", "date")
    assert found["the quarter"] == ("2021-Q3", "date")
    assert found["the 2020 period"] == ("2020-Q3", "date")


def test_without_a_quarter_a_year_ago_is_the_year_before() -> None:
    found = timex.find("Rents were lower a year ago. The quarter ahead is uncertain.", "2021-05-04")
    assert [(t.text, t.value) for t in found] == [("a year ago", "2020")]


def test_a_year_earlier_counts_back_from_the_event() -> None:
    text = "The bridge opened on 3 May 2015. A year earlier, the ferry had stopped."
    found = {t.text: t.value for t in timex.find(text, "2021-05-04")}
    assert found["A year earlier"] == "2014"


def test_units_earlier_move_back_from_the_event() -> None:
    text = "The dam failed on 12 April 2019. Three days earlier, engineers had warned."
    found = {t.text: t.value for t in timex.find(text, "2021-05-04")}
    assert found["Three days earlier"] == "2019-04-09"


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("Thieves broke into the museum over the weekend.", "2021-10-16/2021-10-17"),
        ("The museum will reopen at the weekend.", "2021-10-23/2021-10-24"),
        ("The museum reopens next weekend.", "2021-10-23/2021-10-24"),
    ],
)
def test_the_weekend_is_the_last_one_or_the_coming_one(body: str, value: str) -> None:
    assert ("the weekend" if "the weekend" in body else "next weekend", value) in [
        (text, v) for text, (v, _) in _dates(body, "2021-10-20").items()
    ]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("Budgets for the current fiscal year were trimmed.", "2021", "date"),
        ("The current rules favour large farms.", "PRESENT_REF", "ref"),
        ("The library opened in nineteen ninety-six.", "1996", "date"),
        ("Plans for the year two thousand were drawn up.", "2000", "date"),
        ("Its walls stood in January nineteen eighty-one.", "1981-01", "date"),
        ("The strike lasted twenty-four days.", "P24D", "duration"),
        ("Rainfall fell in the past two months.", "P2M", "duration"),
        ("The market opens on Saturday, 6 November 2021.", "2021-11-06", "date"),
        ("Wages lagged prices over the last decade.", "201", "date"),
        ("The quay was rebuilt several years ago.", "PAST_REF", "ref"),
    ],
)
def test_new_forms(text: str, value: str, kind: str) -> None:
    found = timex.find(text, "2021-10-20")
    assert [(t.value, t.kind) for t in found] == [(value, kind)]


def test_a_weekday_before_a_date_is_part_of_it() -> None:
    (found,) = timex.find("The market opens on Saturday, 6 November 2021.", "2021-10-20")
    assert found.text == "Saturday, 6 November 2021"


def test_a_count_of_years_in_words_is_no_year() -> None:
    found = timex.find("The olive trees are two thousand years old.", "2021-10-20")
    assert all(t.value != "2000" for t in found)
