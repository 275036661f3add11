"""Issue #11: direction from tense, years and ranges, TIMEX3 values, durations kept apart,
sentences across parentheses and quotations, sources that are real speakers."""

from __future__ import annotations

import pytest

from unspin.document import Document, Metadata
from unspin.pipeline import Pipeline


def _doc(body: str, published: str = "2020-03-10") -> Document:
    meta = Metadata(published=published)
    return Pipeline(skip=["techniques"])(Document.from_parts(None, body, meta))


def _dates(body: str, published: str = "2020-03-10") -> list[tuple[str, str | None, str]]:
    return [(t.text, t.value, t.kind) for t in _doc(body, published).dates]


@pytest.mark.parametrize(
    ("body", "text", "value"),
    [
        ("The envoy will return to Tarsen in June.", "June", "2020-06"),
        ("The talks are expected to resume on 2 April.", "2 April", "2020-04-02"),
        ("The envoy returned to Tarsen in June.", "June", "2019-06"),
        ("Talks will resume Monday in Orsk.", "Monday", "2020-03-16"),
        ("Talks resumed Monday in Orsk.", "Monday", "2020-03-09"),
        ("The monitors left last May.", "last May", "2019-05"),
    ],
)
def test_direction_follows_the_verb(body: str, text: str, value: str) -> None:
    assert (text, value, "date") in _dates(body)


@pytest.mark.parametrize(
    ("body", "text", "value", "kind"),
    [
        ("Turnout was low in 2019 and higher later.", "2019", "2019", "date"),
        ("The dam was built 2014-2016 by a consortium.", "2014-2016", "2014/2016", "date"),
        ("It was rebuilt between 2010 and 2012.", "between 2010 and 2012", "2010/2012", "date"),
        ("The refugees are now back in Orsk.", "now", "PRESENT_REF", "ref"),
        ("Shelling has recently intensified near the pass.", "recently", "PAST_REF", "ref"),
        ("The floods of last summer ruined the harvest.", "last summer", "2019-SU", "date"),
        ("Revenue fell in Q3 2019 at the port.", "Q3 2019", "2019-Q3", "date"),
        ("The budget for fiscal 2021 was cut.", "fiscal 2021", "FY2021", "date"),
        ("The militia was founded in the 1990s.", "the 1990s", "199", "date"),
        ("The fortress dates from the 12th century.", "the 12th century", "11", "date"),
        ("He was held for two years without trial.", "two years", "P2Y", "duration"),
        ("Convoys cross every week.", "every week", "P1W", "set"),
    ],
)
def test_values_in_iso_or_timex3_form(body: str, text: str, value: str, kind: str) -> None:
    assert (text, value, kind) in _dates(body)


def test_since_starts_an_interval_that_does_not_date_the_event() -> None:
    doc = _doc("Since 2010 the rebels have held Orsk, and on 3 March they shelled the market.")
    since = next(t for t in doc.dates if t.text == "Since 2010")
    assert (since.value, since.kind) == ("2010/2020-03-10", "duration")
    assert "2020-03-03" in [t.value for t in doc.dates if t.kind == "date"]


def test_an_age_is_no_duration() -> None:
    assert _dates("The commander, 52 years old, was arrested.") == []


def test_parenthesis_keeps_its_sentence_and_its_source() -> None:
    body = (
        "Air raids hit the camp on Sunday (according to the Health Ministry. The count is "
        "provisional.) and killed 17 people."
    )
    doc = _doc(body)
    assert [s.text for s in doc.sentences] == [body]
    claim = doc.claims[0]
    assert claim.attribution is not None and claim.attribution.source == "the Health Ministry"
    assert claim.dates and claim.quantities


def test_quotations_and_abbreviations_do_not_split() -> None:
    body = '"The camp was hit. Twice," a nurse said. Gen. Haddad met the U.N. envoy.'
    assert [s.text for s in _doc(body).sentences] == [
        '"The camp was hit. Twice," a nurse said.',
        "Gen. Haddad met the U.N. envoy.",
    ]


@pytest.mark.parametrize("hedge", ["", "at least ", "no fewer than "])
def test_hedged_counts_before_the_cue_are_attributed(hedge: str) -> None:
    body = (
        f"Shells slammed into a crowded market in Douma, killing {hedge}12 people, including "
        "five children, the Syrian Observatory for Human Rights said."
    )
    claim = _doc(body).claims[0]
    assert claim.attribution is not None
    assert claim.attribution.source == "the Syrian Observatory for Human Rights"


def test_a_sentence_ending_in_a_colon_introduces_the_quotation() -> None:
    doc = _doc(
        "Governor Amal Haddad spoke about the ambush in this way:\n"
        '"We lost 40 soldiers near the pass on Tuesday."'
    )
    quote = doc.claims[-1]
    assert quote.text.startswith('"We lost')
    assert quote.attribution is not None and quote.attribution.source == "Governor Amal Haddad"


@pytest.mark.parametrize(
    "body",
    [
        "Let me tell you that the army shelled the camp twice.",
        "All one can say is that the army shelled the camp twice, he said.",
    ],
)
def test_no_writer_reader_or_pronoun_without_antecedent(body: str) -> None:
    sources = [c.attribution.source for c in _doc(body).claims if c.attribution]
    assert not {"me", "he", "All one", "one"} & set(sources)
