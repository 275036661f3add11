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


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        # A dateline stands nearer the verb than the date the attack was on.
        (
            "HALVIK, June 20 (Wire) - Gunmen attacked a border post near the river on "
            "14 June 2024, officials said.",
            "attack",
            "14 June 2024",
        ),
        # The next clause's date stands nearer than the one the meeting hangs on.
        (
            "On Friday, the envoys met in Geneva; the following month, the truce broke down.",
            "meeting",
            "Friday",
        ),
    ],
)
def test_an_incident_takes_the_date_that_hangs_on_it(text: str, kind: str, date: str) -> None:
    doc, events = _events(text)
    event = next(e for e in events if e.type == kind)
    assert doc.date(event.date).text == date


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
    assert scores["argument_classification_by_role"]["actor"]["recall"] == 1.0
    assert evaluate(tmp_path, ids=["another article"])["documents"] == 0


@needs_shared
def test_the_scorer_on_wikievents_dev() -> None:
    scores = evaluate(SHARED / "data" / "wikievents")
    assert scores["documents"] == 20
    assert scores["trigger_classification"]["f1"] > 0.55


def _roles(event: Event) -> dict[str, list[str]]:
    found = {r: [a.text for a in getattr(event, r)] for r in ("actors", "targets", "victims")}
    found["instruments"] = [a.text for a in event.instruments]
    found["location"] = [event.location.text] if event.location else []
    return {role: words for role, words in found.items() if words}


@pytest.mark.parametrize(
    ("text", "kind", "roles"),
    [
        # The one an arrest or a killing befalls is its victim, never a target.
        (
            "Police arrested two reporters in Aleppo on Monday.",
            "arrest",
            {"actors": ["Police"], "victims": ["two reporters"], "location": ["Aleppo"]},
        ),
        ("Her arrest was condemned by the union.", "arrest", {"victims": ["Her"]}),
        (
            "Protesters gathered after the slaying of three students.",
            "killing",
            {"victims": ["three students"]},
        ),
        # The object of 'detonate' and the subject of 'explode' are weapons.
        (
            "The militants detonated a car bomb outside the ministry.",
            "bombing",
            {"actors": ["The militants"], "instruments": ["a car bomb"]},
        ),
        (
            "Two bombs exploded near the bus station in Homs.",
            "bombing",
            {"instruments": ["Two bombs"], "location": ["Homs"]},
        ),
        # A reflexive pronoun is no second participant.
        (
            "A suicide bomber blew himself up at a checkpoint, killing four guards.",
            "bombing",
            {
                "actors": ["A suicide bomber"],
                "victims": ["four guards"],
                "location": ["a checkpoint"],
            },
        ),
        # What an event hit, told by another verb, passive or relative.
        (
            "The blast destroyed a school in Idlib.",
            "bombing",
            {"targets": ["a school"], "location": ["Idlib"]},
        ),
        ("The clinic was shattered by an explosion.", "bombing", {"targets": ["The clinic"]}),
        (
            "The bombings, which were aimed at civilians, shocked the town.",
            "airstrike",
            {"targets": ["civilians"]},
        ),
        # Who claimed the attack did it.
        (
            "The Northern Front claimed responsibility for the attack.",
            "attack",
            {"actors": ["The Northern Front"]},
        ),
        # A coordinated verb shares its subject; 'a series of attacks' is launched.
        (
            "Militants stormed the village and killed 12 farmers.",
            "attack",
            {"actors": ["Militants"], "targets": ["the village"], "victims": ["12 farmers"]},
        ),
        (
            "The group launched a series of attacks on police posts.",
            "attack",
            {"actors": ["The group"], "targets": ["police posts"]},
        ),
        # Who took part in or joined an event is its actor.
        (
            "Students who took part in the protest were expelled.",
            "protest",
            {"actors": ["Students"]},
        ),
        ("Thousands joined the march on Friday.", "protest", {"actors": ["Thousands"]}),
        # A coordinated verb of a relative clause: 'which' is no actor.
        (
            "The raid, which killed three people and injured 40, was condemned.",
            "attack",
            {"victims": ["three people", "40"]},
        ),
        # 'where' names the place; a common noun of place counts when no name is given.
        (
            "Rockets hit the old market, where six people were killed.",
            "killing",
            {"victims": ["six people"], "location": ["the old market"]},
        ),
        (
            "Two farmers were killed in the village.",
            "killing",
            {"victims": ["Two farmers"], "location": ["the village"]},
        ),
        # Reduced relatives and partitives name the victims.
        (
            "Four soldiers killed in the ambush were buried on Friday.",
            "attack",
            {"victims": ["Four soldiers"]},
        ),
        (
            "All six of the guards killed came from the north.",
            "killing",
            {"victims": ["All six of the guards"]},
        ),
        # A state that acts is an actor, not the place.
        (
            "A US strike on the convoy near Kabul killed four.",
            "airstrike",
            {
                "actors": ["US"],
                "targets": ["the convoy"],
                "victims": ["four"],
                "location": ["Kabul"],
            },
        ),
        # A trigger whose subject is the event is a mention of it.
        (
            "The explosion targeted a bakery in Aleppo.",
            "bombing",
            {"targets": ["a bakery"], "location": ["Aleppo"]},
        ),
    ],
)
def test_arguments_take_their_kairos_roles(
    text: str, kind: str, roles: dict[str, list[str]]
) -> None:
    events = [e for e in _events(text)[1] if e.type == kind]
    assert len(events) == 1
    assert _roles(events[0]) == roles


def test_a_toll_in_parentheses_has_its_kinds() -> None:
    doc, events = _events("An airstrike hit the market in Aleppo on 3 May (12 dead, 30 injured).")
    (strike,) = events
    figures = doc.quantities_of(strike.casualties)
    assert [(q.count, q.kind) for q in figures] == [(12, "killed"), (30, "injured")]
    assert [a.text for a in strike.victims] == ["12", "30"]


def test_a_toll_told_in_a_later_sentence_joins_the_incident_it_befits() -> None:
    doc, events = _events(
        "Rebels shelled the village on Monday. Aid workers reached the area on Tuesday. "
        "The death toll rose to 15, according to the health ministry."
    )
    (shelling,) = events
    assert [(q.count, q.kind) for q in doc.quantities_of(shelling.casualties)] == [(15, "killed")]


def test_a_toll_does_not_join_an_incident_of_another_kind() -> None:
    _, events = _events("Police arrested the mayor on Monday. The death toll rose to 15.")
    assert [e.casualties for e in events] == [[]]


def test_the_report_names_who_reported_each_figure() -> None:
    doc = PIPELINE(
        Document.from_parts(
            None,
            "Gunmen attacked a convoy near Homs on 3 May. "
            "The death toll rose to nine, the provincial governor said.",
            Metadata(published="2024-06-24"),
        )
    )
    (card,) = build(doc.to_dict(), 1).events
    assert [c.split(" from ")[0] for c in card.casualties] == ["9 (killed)"]
    assert card.casualties[0].endswith("reported by the provincial governor")
    assert "the provincial governor" in card.sources


def test_bombs_that_went_off_are_no_group() -> None:
    _, events = _events("The Northern Front hid three bombs in the square. At noon they exploded.")
    (bombing,) = events
    assert [(a.text, a.entity) for a in bombing.instruments] == [("they", None)]
    assert bombing.actors == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Karim Haddad was seen near the market. The gunman shot two guards.", "Karim Haddad"),
        (
            "The Northern Front took over the town on Monday. The militants raided a police post.",
            "Northern Front",
        ),
        (
            "The Northern Front took over the town on Monday. They raided a police post.",
            "Northern Front",
        ),
    ],
)
def test_pronouns_and_definite_descriptions_name_their_entity(text: str, name: str) -> None:
    doc, events = _events(text)
    names = {e.id: e.name for e in doc.entities}
    (actor,) = [a for e in events for a in e.actors]
    assert names[actor.entity] == name
