"""`unspin eval timeml`: unspin's forms read as TimeBank's (weeks, weekends, fiscal years,
'since' intervals, ranges of years, dates counted from an event) and the parts scored
apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dated

from unspin.document import Timex
from unspin.evaluation import timeml


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("last week", "2021-10-11/2021-10-17", "2021-W41"),
        ("the weekend", "2021-10-16/2021-10-17", "2021-W41-WE"),
        ("fiscal 2021", "FY2021", "2021"),
    ],
)
def test_unspin_forms_read_as_timebank_ones(text: str, value: str, expected: str) -> None:
    timex = Timex(id="T1", start=0, end=len(text), text=text, value=value, precision=None)
    assert timeml.as_timex3(timex, text) == [(0, len(text), "DATE", expected)]


def test_a_since_interval_is_the_date_after_the_cue() -> None:
    text = "since 2012"
    timex = Timex(
        id="T1",
        start=0,
        end=len(text),
        text=text,
        value="2012/2021-10-20",
        precision="interval",
        kind="duration",
    )
    assert timeml.as_timex3(timex, text) == [(6, len(text), "DATE", "2012")]


@pytest.mark.parametrize(
    ("text", "ends"),
    [("between 1994 and 1997", [(8, 12), (17, 21)]), ("2014-16", [(0, 4), (5, 7)])],
)
def test_a_range_of_years_is_two_timebank_dates(text: str, ends: list[tuple[int, int]]) -> None:
    value = "1994/1997" if "1994" in text else "2014/2016"
    timex = Timex(id="T1", start=10, end=10 + len(text), text=text, value=value, precision=None)
    years = value.split("/")
    expected = [(10 + s, 10 + e, "DATE", y) for (s, e), y in zip(ends, years, strict=True)]
    assert timeml.as_timex3(timex, " " * 10 + text) == expected


@pytest.mark.parametrize(
    ("body", "marked"),
    [
        # Counted from an event: the count and unit are a duration, the cue a signal.
        (
            "The ceasefire was signed on 3 May 2021. Three days later the shelling resumed.",
            [("3 May 2021", "DATE", "2021-05-03"), ("Three days", "DURATION", "P3D")],
        ),
        (
            "The port reopened on 3 May 2021, and the convoys left days after the reopening.",
            [("3 May 2021", "DATE", "2021-05-03"), ("days", "DURATION", "PXD")],
        ),
        (
            "The mayor resigned on 3 May 2021, hours after the flood.",
            [("3 May 2021", "DATE", "2021-05-03"), ("hours", "DURATION", "PTXH")],
        ),
        # No count and no unit: no time expression at all.
        (
            "The mayor resigned on 3 May 2021, shortly after the flood.",
            [("3 May 2021", "DATE", "2021-05-03")],
        ),
        # Counted from the report's own period or the publication day: dates, as before.
        (
            "Revenue rose to $4 million from $3 million a year earlier.",
            [("a year earlier", "DATE", "2020")],
        ),
        ("The talks broke down two days ago.", [("two days ago", "DATE", "2021-10-18")]),
        (
            "The vote was on 3 May 2021; the day after, the count began.",
            [("3 May 2021", "DATE", "2021-05-03"), ("the day after", "DATE", "2021-05-04")],
        ),
    ],
)
def test_a_date_counted_from_an_event_is_timebanks_duration(
    body: str, marked: list[tuple[str, str, str]]
) -> None:
    predicted = [p for t in dated(body, "2021-10-20") for p in timeml.as_timex3(t, body)]
    assert [(body[s:e], kind, value) for s, e, kind, value in predicted] == marked


def test_the_timeline_keeps_the_day_a_counted_date_resolves_to() -> None:
    """The TimeML form changes only the export: the document still dates the event."""
    body = "The ceasefire was signed on 3 May 2021. Three days later the shelling resumed."
    last = dated(body, "2021-10-20")[-1]
    assert last.text.startswith("Three days later")
    assert last.value == "2021-05-06"


def _tml(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        '<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2021-10-20" '
        'functionInDocument="CREATION_TIME">October 20, 2021</TIMEX3></DCT>'
        f"<TEXT>{body}</TEXT></TimeML>"
    )


def test_the_held_back_part_is_scored_apart(tmp_path: Path) -> None:
    _tml(
        tmp_path / "Dev",
        "a.tml",
        'The ferry sailed <TIMEX3 tid="t1" type="DATE" value="2021-10-19">Tuesday</TIMEX3>.',
    )
    for name in ("b.tml", "c.tml"):  # b is developed on, c stays unseen
        _tml(
            tmp_path / "Kept",
            name,
            'The dam opened in <TIMEX3 tid="t1" type="DATE" '
            'value="1996">nineteen ninety-six</TIMEX3>.',
        )
    scores = timeml.evaluate(tmp_path, held_back="Kept")
    parts = ("dev", "dev_held_back", "held_back")
    assert [scores[part]["files"] for part in parts] == [1, 1, 1]
    for part in parts:
        assert scores[part]["DATE"]["value"]["f1"] == 1.0


def test_value_f1_comes_with_an_interval_over_articles(tmp_path: Path) -> None:
    """One article right and one wrong: redrawn, the pair can score anywhere from 0 to 1;
    a single article has no interval."""
    _tml(
        tmp_path / "Dev",
        "a.tml",
        'The ferry sailed <TIMEX3 tid="t1" type="DATE" value="2021-10-19">Tuesday</TIMEX3>.',
    )
    _tml(
        tmp_path / "Dev",
        "b.tml",
        'The ferry sailed <TIMEX3 tid="t1" type="DATE" value="2021-10-12">Tuesday</TIMEX3>.',
    )
    _tml(tmp_path / "Kept", "c.tml", "No date here.")
    scores = timeml.evaluate(tmp_path, held_back="Kept")
    assert scores["dev"]["DATE"]["value"]["f1"] == 0.5
    assert scores["dev"]["DATE"]["value"]["f1_interval_95"] == (0.0, 1.0)
    assert scores["dev_held_back"]["DATE"]["value"]["f1_interval_95"] is None
