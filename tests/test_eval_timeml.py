"""`unspin eval timeml`: unspin's forms read as TimeBank's (weeks, weekends, fiscal years,
'since' intervals, ranges of years) and the two parts scored apart."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def _tml(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        '<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2021-10-20" '
        'functionInDocument="CREATION_TIME">October 20, 2021</TIMEX3></DCT>'
        f"<TEXT>{body}</TEXT></TimeML>"
    )


def test_the_held_back_part_is_scored_apart(tmp_path: Path) -> None:
    _tml(tmp_path / "Dev", "a.tml", 'The ferry sailed <TIMEX3 tid="t1" type="DATE" '
         'value="2021-10-19">Tuesday</TIMEX3>.')
    for name in ("b.tml", "c.tml"):  # b is developed on, c stays unseen
        _tml(tmp_path / "Kept", name, 'The dam opened in <TIMEX3 tid="t1" type="DATE" '
             'value="1996">nineteen ninety-six</TIMEX3>.')
    scores = timeml.evaluate(tmp_path, held_back="Kept")
    parts = ("dev", "dev_held_back", "held_back")
    assert [scores[part]["files"] for part in parts] == [1, 1, 1]
    for part in parts:
        assert scores[part]["DATE"]["value"]["f1"] == 1.0
