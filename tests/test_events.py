"""Incidents, not mentions: merging, precision, toll wordings, dating, and the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared

from unspin.document import Document, Event, Metadata
from unspin.evaluation.events import evaluate
from unspin.pipeline import Pipeline
from unspin.report.model import build

PIPELINE = Pipeline(skip=["techniques"])


def _events(text: str) -> tuple[Document, list[Event]]:
    doc = PIPELINE(Document(text, meta=Metadata(published="2024-06-24")))
    return doc, doc.events


def test_mentions_of_one_strike_are_one_incident() -> None:
    doc, events = _events(
        "An airstrike hit the market in Aleppo on 3 May. It killed 12 civilians. "
        "The strike was condemned by the UN."
    )
    strike = next(e for e in events if e.type == "airstrike")
    assert [(m.text, m.type) for m in strike.mentions] == [
        ("airstrike", "airstrike"),
        ("killed", "killing"),
        ("strike", "airstrike"),
    ]
    assert strike.trigger.text == "airstrike"
    assert doc.date(strike.date).value == "2024-05-03"
    assert [a.text for a in strike.victims] == ["12 civilians"]
    assert [q.count for q in doc.quantities_of(strike.casualties)] == [12]


def test_a_relative_clause_on_a_place_belongs_to_the_event() -> None:
    _, events = _events("There was an explosion at the market, which killed 12 people.")
    assert len(events) == 1
    assert [m.text for m in events[0].mentions] == ["explosion", "killed"]
    assert events[0].actors == []  # the market killed no one


@pytest.mark.parametrize(
    "text",
    [
        "Police found a bomb in the car.",
        "The rebels did not attack the town.",
        "If the army attacks, the town will fall.",
        "They planned to attack the base.",
        "The rebels regularly shell the town.",
        "A judge issued a warrant for his arrest.",
        "Thousands attended a political rally in Aleppo.",
        "The general seized power in the capital in 1999.",
        "Rebels fight the army in the hills.",
    ],
)
def test_what_did_not_happen_is_no_incident(text: str) -> None:
    assert _events(text)[1] == []


def test_detonation_death_and_injury_wordings_are_one_bombing() -> None:
    _, events = _events(
        "A car bomb went off near the mosque in Aleppo, leaving five dead and 12 injured."
    )
    assert len(events) == 1
    bombing = events[0]
    assert bombing.type == "bombing"
    assert [m.type for m in bombing.mentions] == ["bombing", "killing", "injury"]
    assert [a.text for a in bombing.instruments] == ["A car bomb"]
    assert bombing.actors == []  # a weapon is never the actor
    assert bombing.location.text == "Aleppo"


def test_a_duration_never_dates_an_incident() -> None:
    doc, events = _events("The militia has occupied the town since 2019.")
    assert [d.value for d in doc.dates] == ["2019/2024-06-24"]
    assert events[0].date is None


def test_an_incident_dated_after_another_follows_it() -> None:
    doc, events = _events(
        "Rebels raided Aleppo on 4 May 2024. Some days after this raid, the army recaptured "
        "the town."
    )
    raid, retaking = events
    assert retaking.after == raid.id
    assert doc.timeline == [raid.id, retaking.id]


def test_the_report_shows_one_card_per_incident_with_mentions_and_sources() -> None:
    doc = PIPELINE(
        Document.from_parts(
            None,
            "An airstrike hit the market in Aleppo on 3 May, the Red Crescent said. "
            "It killed 12 civilians, according to the health ministry.",
            Metadata(published="2024-06-24"),
        )
    )
    view = build(doc.to_dict(), 1)
    (card,) = view.events
    assert card.mentions == ["airstrike", "killed"]
    assert card.sources == ["the Red Crescent", "the health ministry"]
    assert any("12" in q for q in card.casualties)


def test_the_scorer_on_an_article_written_for_it(tmp_path: Path) -> None:
    text = "Rebels attacked a convoy in Aleppo on Monday. Two soldiers died."
    died = text.index("died")
    record = {
        "id": "t1",
        "text": text,
        "entities": [
            {"id": "e1", "start": 0, "end": 6, "text": "Rebels", "type": "ORG"},
            {"id": "e2", "start": 28, "end": 34, "text": "Aleppo", "type": "GPE"},
        ],
        "clusters": [],
        "events": [
            {
                "id": "v1",
                "type": "Conflict.Attack.Unspecified",
                "trigger": {"start": 7, "end": 15, "text": "attacked"},
                "args": [
                    {"role": "Attacker", "entity_id": "e1", "start": 0, "end": 6, "text": "Rebels"},
                    {"role": "Place", "entity_id": "e2", "start": 28, "end": 34, "text": "Aleppo"},
                ],
            },
            {
                "id": "v2",
                "type": "Life.Die.Unspecified",
                "trigger": {"start": died, "end": died + 4, "text": "died"},
                "args": [],
            },
        ],
    }
    (tmp_path / "dev.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    scores = evaluate(tmp_path)
    assert scores["trigger_classification"]["f1"] == 1.0
    assert scores["incidents"] == 1 and scores["mentions"] == 2
    assert scores["argument_classification"]["recall"] == 1.0
    assert scores["place_recall"] == 1.0


@needs_shared
def test_the_scorer_on_wikievents_dev() -> None:
    scores = evaluate(SHARED / "data" / "wikievents")
    assert scores["documents"] == 20
    assert scores["trigger_classification"]["f1"] > 0.55
