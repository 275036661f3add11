"""`unspin eval timeml`: unspin's forms read as TimeBank's (weeks, weekends, fiscal years,
'since' intervals) and the two parts scored apart."""

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
        ("2014-2016", "2014/2016", "2014/2016"),
    ],
)
def test_unspin_forms_read_as_timebank_ones(text: str, value: str, expected: str) -> None:
    timex = Timex(id="T1", start=0, end=len(text), text=text, value=value, precision=None)
    assert timeml.as_timex3(timex, text) == (0, len(text), "DATE", expected)


def test_a_since_interval_is_the_date_after_the_cue() -> None:
    text = "since 2012"
    timex = Timex(
        id="T1", start=0, end=len(text), text=text, value="2012/2021-10-20", precision=None
    )
    assert timeml.as_timex3(timex, text) == (6, len(text), "DATE", "2012")


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
    _tml(tmp_path / "Kept", "b.tml", 'The dam opened in <TIMEX3 tid="t1" type="DATE" '
         'value="1996">nineteen ninety-six</TIMEX3>.')
    scores = timeml.evaluate(tmp_path, held_back="Kept")
    assert (scores["dev"]["files"], scores["held_back"]["files"]) == (1, 1)
    for part in ("dev", "held_back"):
        assert scores[part]["DATE"]["value"]["f1"] == 1.0
