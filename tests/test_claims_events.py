"""Claims, events and the timeline, through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import SCHEMA, assert_offsets

from unspin.components.claims import ClaimFinder
from unspin.components.dates import DateFinder
from unspin.components.events import EventExtractor
from unspin.components.quantities import QuantityFinder
from unspin.components.sentences import SentenceSplitter
from unspin.document import Document, Entity, Metadata
from unspin.errors import InputError
from unspin.evaluation.timeline import evaluate
from unspin.pipeline import Pipeline, PipelineError
from unspin.settings import ClaimSettings

BODY = (
    "Rebels attacked a police checkpoint near Velmora on 4th March 2019, killing four "
    "policemen and wounding twenty-one, the Interior Ministry said.\n"
    "57 fighters were killed in an airstrike on the Kestrin Valley last week, according to "
    "the Northern Front.\n"
    "The next day, the army withdrew from Velmora.\n"
    "Dozens of families fled the Kestrin Valley.\n"
    "Is this what victory looks like? I think the council should be ashamed.\n"
    "We must never forget."
)


@pytest.fixture(scope="module")
def analysis() -> dict:
    doc = Document.from_parts(None, BODY, Metadata(published="2019-03-10"))
    result = Pipeline(skip=["techniques"])(doc).to_dict()
    jsonschema.validate(result, SCHEMA)
    assert_offsets(result)
    return result


def _claim(analysis: dict, fragment: str) -> dict:
    return next(c for c in analysis["claims"] if fragment in c["text"])


def _quantities(analysis: dict, ids: list[str]) -> list[dict]:
    """The quantities-layer items a claim or event refers to, in order."""
    by_id = {q["id"]: q for q in analysis["quantities"]}
    return [by_id[i] for i in ids]


def _dates(analysis: dict, ids: list[str]) -> list[dict]:
    """The dates-layer items a claim refers to, in order."""
    by_id = {t["id"]: t for t in analysis["dates"]}
    return [by_id[i] for i in ids]


def _date(analysis: dict, timex_id: str | None) -> dict | None:
    """The dates-layer item an event refers to."""
    return _dates(analysis, [timex_id])[0] if timex_id is not None else None


def test_factual_sentences_are_claims_with_attribution(analysis: dict) -> None:
    first = _claim(analysis, "Rebels attacked")
    assert first["attributed"] is True
    assert (first["attribution"]["source"], first["attribution"]["cue"]) == (
        "the Interior Ministry",
        "said",
    )
    assert [(q["kind"], q["count"]) for q in _quantities(analysis, first["quantities"])] == [
        ("killed", 4),
        ("injured", 21),
    ]
    assert [(d["text"], d["value"]) for d in _dates(analysis, first["dates"])] == [
        ("4th March 2019", "2019-03-04")
    ]
    second = _claim(analysis, "57 fighters")
    assert second["attribution"]["cue"] == "according to"
    assert _dates(analysis, second["dates"])[0]["precision"] == "interval"


def test_unattributed_claims_are_flagged(analysis: dict) -> None:
    claim = _claim(analysis, "Dozens of families")
    assert claim["attribution"] is None and claim["attributed"] is False
    assert _quantities(analysis, claim["quantities"])[0]["qualifier"] == "dozens"


def test_opinions_and_questions_score_below_facts(analysis: dict) -> None:
    facts = [_claim(analysis, "Rebels attacked"), _claim(analysis, "The next day")]
    texts = [c["text"] for c in analysis["claims"]]
    assert not any("We must never forget" in t for t in texts)  # nothing checkable
    opinion = [c for c in analysis["claims"] if "?" in c["text"] or "I think" in c["text"]]
    assert all(o["checkworthy"] < min(f["checkworthy"] for f in facts) for o in opinion)
    assert all(0 <= c["checkworthy"] <= 1 for c in analysis["claims"])


def test_events_have_types_arguments_dates_and_casualties(analysis: dict) -> None:
    by_trigger = {e["trigger"]["text"]: e for e in analysis["events"]}
    attack = by_trigger["attacked"]
    assert attack["type"] == "attack" and attack["cameo"] == "190"
    assert [a["text"] for a in attack["actors"]] == ["Rebels"]
    assert attack["targets"][0]["text"] == "a police checkpoint"
    assert attack["location"]["text"] == "Velmora"
    # Whatever the entities layer found there, and nothing it did not.
    start = analysis["document"]["text"].index("Velmora")
    linked = [
        e["id"]
        for e in analysis["entities"]
        if any(m["start"] <= start < m["end"] for m in e["mentions"])
    ]
    assert attack["location"]["entity"] == (linked[0] if linked else None)
    assert _date(analysis, attack["date"])["value"] == "2019-03-04"
    assert [(q["kind"], q["count"]) for q in _quantities(analysis, attack["casualties"])] == [
        ("killed", 4),
        ("injured", 21),
    ]
    assert attack["claim"] == _claim(analysis, "Rebels attacked")["id"]
    assert "killing" not in by_trigger  # the toll of the attack, not another event
    strike = by_trigger["airstrike"]
    assert strike["type"] == "airstrike"
    assert _quantities(analysis, strike["casualties"])[0]["count"] == 57
    withdrawal = by_trigger["withdrew"]
    assert withdrawal["type"] == "withdrawal"
    assert _date(analysis, withdrawal["date"])["value"] == "2019-03-05"
    assert [a["text"] for a in withdrawal["actors"]] == ["the army"]
    fled = by_trigger["fled"]
    assert fled["type"] == "displacement" and fled["targets"][0]["text"] == "Dozens of families"


def test_timeline_orders_by_date_with_undated_last(analysis: dict) -> None:
    events = {e["id"]: e for e in analysis["events"]}
    assert sorted(analysis["timeline"]) == sorted(events)
    days = [
        _date(analysis, events[i]["date"])["value"][:10] if events[i]["date"] else None
        for i in analysis["timeline"]
    ]
    dated = [d for d in days if d]
    assert dated == sorted(dated)
    assert days[len(dated) :] == [None] * (len(days) - len(dated))
    assert events[analysis["timeline"][0]]["trigger"]["text"] == "airstrike"  # last week


def test_entity_ids_come_from_the_entities_layer() -> None:
    doc = Document(BODY, meta=Metadata(published="2019-03-10"))
    start = BODY.index("Velmora")
    doc.entities = [
        Entity(
            id="E1",
            name="Velmora",
            type="place",
            kb_id=None,
            geo=None,
            confidence=1.0,
            mentions=[{"start": start, "end": start + 7, "text": "Velmora"}],
        ),
        Entity(
            id="E2",
            name="Interior Ministry",
            type="organization",
            kb_id=None,
            geo=None,
            confidence=1.0,
            mentions=[
                {
                    "start": BODY.index("Interior"),
                    "end": BODY.index("Interior") + 17,
                    "text": "Interior Ministry",
                }
            ],
        ),
    ]
    for component in (
        SentenceSplitter(),
        DateFinder(),
        QuantityFinder(),
        ClaimFinder(),
        EventExtractor(),
    ):
        doc = component(doc)
    assert doc.claims[0].attribution.entity == "E2"
    assert doc.events[0].location.entity == "E1"


def test_claims_and_events_cannot_run_without_sentences() -> None:
    # Claims and events now require the sentence layer: skipping it alone is refused.
    with pytest.raises(PipelineError, match=r"'dates' requires doc\.sentences"):
        Pipeline(skip=["sentences", "entities", "identity", "techniques"])


def test_without_the_entity_layer() -> None:
    doc = Pipeline(skip=["entities", "identity", "techniques"])(Document(BODY))
    assert doc.claims and doc.events
    assert all(a.entity is None for e in doc.events for a in e.actors + e.targets)


def test_a_running_quote_keeps_its_speaker() -> None:
    text = (
        '"We held the bridge for 12 days," Captain Orla Venn said. '
        '"Then the shelling began on 4 March 2019."\n'
        '"The bridge fell on 5 March 2019."'
    )
    doc = Pipeline(skip=["techniques"])(Document(text))
    first, second, third = doc.claims
    assert first.attribution.source == "Captain Orla Venn"
    assert second.attribution == first.attribution and second.attributed
    assert third.attribution is None  # a new paragraph: the quote ended


def test_signals_explain_the_score() -> None:
    text = "It started on 11 May. The operation will continue until the region is secured."
    doc = Pipeline(skip=["techniques"])(Document(text, meta=Metadata(published="2019-03-10")))
    first, second = doc.claims
    assert "modal_or_future" not in first.signals  # 'May' the month is no modal
    assert "modal_or_future" in second.signals
    assert second.checkworthy < first.checkworthy
    assert not any(e.trigger.text == "operation" for e in doc.events)  # what will happen
    past = Pipeline(skip=["techniques"])(Document("The operation continued for a week."))
    operation = next(e for e in past.events if e.trigger.text == "operation")
    assert operation.actors == []  # a trigger is never its own actor


def test_min_score_drops_low_claims() -> None:
    doc = Document(BODY, meta=Metadata(published="2019-03-10"))
    for component in (SentenceSplitter(), DateFinder(), QuantityFinder()):
        doc = component(doc)
    every = [c.checkworthy for c in ClaimFinder()(doc).claims]
    cut = sorted(every)[len(every) // 2]  # scores are calibrated probabilities: cut at the median
    kept = ClaimFinder(ClaimSettings(min_score=cut))(doc).claims
    assert 0 < len(kept) < len(every) and all(c.checkworthy >= cut for c in kept)


@pytest.mark.parametrize(
    "text", ["", "   ", "Words shape how we see a war.", "Who decides?", "!!! ???"]
)
def test_nothing_to_find(text: str) -> None:
    doc = Pipeline(skip=["techniques"])(Document(text))
    assert doc.claims == [] and doc.events == [] and doc.timeline == []


def test_evaluation_on_the_bundled_gold_set() -> None:
    scores = evaluate(None)
    assert scores["articles"] >= 8
    for part in ("dates", "casualties"):
        assert scores[part]["gold"] > 0
        assert 0.5 <= scores[part]["accuracy"] <= 1
    assert 0.5 <= scores["attribution"]["f1"] <= 1


def test_evaluation_of_a_custom_gold_dir(tmp_path: Path) -> None:
    article = {
        "id": "x",
        "published": "2019-03-10",
        "title": None,
        "body": "Gunmen killed 3 guards on 2 March 2019, the police said. Who knows why?",
        "dates": [{"text": "2 March 2019", "value": "2019-03-02", "precision": "day"}],
        "casualties": [{"text": "3 guards", "kind": "killed", "count": 3, "qualifier": None}],
        "attributions": [{"claim": "Gunmen killed", "source": "the police", "cue": "said"}],
    }
    (tmp_path / "x.json").write_text(json.dumps(article), encoding="utf-8")
    scores = evaluate(tmp_path)
    assert scores["dates"]["accuracy"] == scores["casualties"]["accuracy"] == 1.0
    assert scores["attribution"]["f1"] == 1.0
    with pytest.raises(InputError):
        evaluate(tmp_path / "missing")


@pytest.mark.parametrize(
    "text",
    [
        "of the hours 2019-13-45 least ambush May - day of ambush at 1,200 2019 least "
        "2019-13-45 march $5 since $5 since May 2019 scores day no dozens",
        "31 February 99999999999999999999 killed , since Tuesday ? 12:30 % one no one",
        "Attack.\n\nattack\n\n\n57",
    ],
)
def test_garbled_text_keeps_every_offset_exact(text: str) -> None:
    for published in (None, "2019-03-10", "not a date"):
        doc = Document(text, meta=Metadata(published=published))
        assert_offsets(Pipeline(skip=["techniques"])(doc).to_dict())


def test_relative_pronoun_actor_is_the_noun_it_stands_for() -> None:
    text = "The Northern Shield militia, which attacked Orsk on 4 March 2024, killed 11 farmers."
    doc = Pipeline(skip=["techniques"])(Document(text=text))
    attack = next(e for e in doc.events if e.trigger.text == "attacked")
    assert [a.text for a in attack.actors] == ["The Northern Shield militia"]
