"""On whose word a sentence stands: reporting verbs, 'according to', quotes, no source."""

from __future__ import annotations

import pytest

from unspin.components import attribution
from unspin.document import Document, Entity
from unspin.pipeline import nlp


def _entity(id_: str, *spans: tuple[int, int], text: str = "") -> Entity:
    return Entity(
        id=id_,
        name=id_,
        type="organization",
        kb_id=None,
        geo=None,
        confidence=1.0,
        mentions=[{"start": s, "end": e, "text": text[s:e]} for s, e in spans],
    )


def _attribution(text: str, entities: list[Entity] = ()) -> dict | None:
    doc = Document(text, entities=list(entities))
    found = attribution.find(nlp.parse(doc)[:])
    if found is None:
        return None
    result = found.attribution(doc).model_dump()
    assert result["start"] < result["end"]
    quoted = text[result["start"] : result["end"]]
    assert quoted == (result["source"] or result["cue"])
    return result


@pytest.mark.parametrize(
    ("text", "source", "cue"),
    [
        (
            "57 fighters were killed, according to the Kestrin Defence Ministry.",
            "the Kestrin Defence Ministry",
            "according to",
        ),
        ("According to witnesses, dozens died.", "witnesses", "according to"),
        (
            '"We destroyed their base," a spokesman for the Northern Front said on Tuesday.',
            "a spokesman for the Northern Front",
            "said",
        ),
        ("The army admitted that four soldiers died.", "The army", "admitted"),
        ("At least 1,200 people were displaced, the agency confirmed.", "the agency", "confirmed"),
        ("The governor claimed the attack was staged.", "The governor", "claimed"),
        ("Colonel Arvid Tamm told reporters the base had fallen.", "Colonel Arvid Tamm", "told"),
        ('"There were bodies everywhere," said Mara Lind.', "Mara Lind", "said"),
    ],
)
def test_named_sources_and_their_cues(text: str, source: str, cue: str) -> None:
    found = _attribution(text)
    assert found is not None
    assert (found["source"], found["cue"], found["entity"]) == (source, cue, None)


def test_second_hand_without_a_source_keeps_the_cue_only() -> None:
    found = _attribution("Rebels reportedly shelled the town.")
    assert found == {"source": None, "entity": None, "cue": "reportedly", "start": 7, "end": 17}


@pytest.mark.parametrize(
    "text",
    [
        "The bridge collapsed on Monday.",
        "Heavy clashes were reported overnight.",  # what was reported, not who reported it
        "We said it before and we will say it again.",  # the writer's own word
        "Nobody has claimed responsibility.",
        "The account that posted the clip did not respond.",  # describes the account
        "",
    ],
)
def test_no_outside_source(text: str) -> None:
    found = _attribution(text)
    assert found is None or found["source"] is None


def test_source_is_linked_to_the_entity_it_mentions() -> None:
    text = "Four soldiers died, a spokesman for the Northern Front said."
    start = text.index("Northern Front")
    entities = [_entity("E1", (0, 4), text=text), _entity("E7", (start, start + 14), text=text)]
    found = _attribution(text, entities)
    assert found is not None and found["entity"] == "E7"


def test_entity_at_prefers_the_mention_holding_the_head() -> None:
    text = "x" * 50
    entities = [_entity("E1", (0, 6), text=text), _entity("E2", (10, 20), text=text)]
    doc = Document(text, entities=entities)
    assert doc.entity_at(0, 20, head=12) == "E2"
    assert doc.entity_at(0, 20) == "E1"
    assert doc.entity_at(30, 40) is None
    assert Document(text).entity_at(0, 20) is None
