"""Identity claims: sentences that equate two actors or call one a front for another."""

from __future__ import annotations

import pytest

from unspin.components.entities import EntityLinker
from unspin.components.identity import IdentityFinder
from unspin.components.sentences import SentenceSplitter
from unspin.document import Document, IdentityClaim


def claims(body: str) -> tuple[Document, list[IdentityClaim]]:
    doc = SentenceSplitter()(Document.from_parts("Commentary", body))
    doc = IdentityFinder()(EntityLinker()(doc))
    return doc, doc.identity_claims


def names(doc: Document, claim: IdentityClaim) -> list[str]:
    by_id = {e.id: e.name for e in doc.entities}
    return [by_id[a] for a in claim.actors]


def test_also_known_as_within_one_actor() -> None:
    doc, found = claims("ISIS, also known as Daesh, lost its last village in March.")
    assert len(found) == 1
    claim = found[0]
    assert claim.relation == "same_as" and claim.cue == "also known as"
    assert names(doc, claim) == ["Islamic State"]
    assert any("one actor" in note for note in claim.kb_notes)


def test_blurring_two_groups_is_flagged_with_kb_record() -> None:
    doc, found = claims(
        "Residents fled the town. The Syrian Democratic Forces are nothing but the PKK, "
        "the minister insisted."
    )
    assert len(found) == 1
    claim = found[0]
    assert claim.relation == "same_as"
    assert names(doc, claim) == ["Syrian Democratic Forces", "Kurdistan Workers' Party"]
    assert any("distinct actors" in note for note in claim.kb_notes)
    assert doc.text[claim.start : claim.end] == claim.text
    assert claim.text.startswith("The Syrian Democratic Forces")


def test_front_for_carries_affiliation_dates() -> None:
    doc, found = claims("Jabhat Fatah al-Sham, a front for al-Qaeda, took the hill.")
    assert [c.relation for c in found] == ["front_for"]
    assert names(doc, found[0]) == ["al-Nusra Front", "al-Qaeda"]
    notes = " ".join(found[0].kb_notes)
    assert "affiliate of al-Qaeda (2013-04 to 2016-07)" in notes


def test_x_and_y_are_the_same() -> None:
    doc, found = claims("Hezbollah and Hamas are one and the same, the speaker claimed.")
    assert len(found) == 1
    assert names(doc, found[0]) == ["Hezbollah", "Hamas"]


def test_unknown_actor_is_noted() -> None:
    _, found = claims(
        "Residents fled. The Glass Horns Brigade is just a front for Hezbollah, a witness said."
    )
    assert len(found) == 1 and found[0].relation == "front_for"
    assert any("not in the knowledge base" in n for n in found[0].kb_notes)


@pytest.mark.parametrize(
    ("body", "relation", "actors"),
    [
        (
            "Critics regard the Qassam Brigades as an extension of Hamas, not a separate force.",
            "part_of",
            ["Izz ad-Din al-Qassam Brigades", "Hamas"],
        ),
        (
            "The SDF, whose commanders are mostly Kurds, has been accused by Ankara of being a "
            "front for the PKK.",
            "front_for",
            ["Syrian Democratic Forces", "Kurdistan Workers' Party"],
        ),
        (
            "Hezbollah, which the State Department calls a proxy of Iran, denied the report.",
            "part_of",
            ["Hezbollah", "Iran"],
        ),
        (
            "The Huthis are nothing but a proxy of the IRGC, the columnist wrote.",
            "part_of",
            ["Houthis", "Islamic Revolutionary Guard Corps"],
        ),
    ],
)
def test_reported_and_subordinating_claims(body: str, relation: str, actors: list[str]) -> None:
    doc, found = claims(body)
    assert [(c.relation, names(doc, c)) for c in found] == [(relation, actors)]


def test_the_subject_is_found_across_a_clause_naming_another_actor() -> None:
    doc, found = claims(
        "The SDF, whose backbone is the YPG, has been accused of being a front for the PKK."
    )
    assert [names(doc, c) for c in found] == [
        ["Syrian Democratic Forces", "Kurdistan Workers' Party"]
    ]


@pytest.mark.parametrize(
    "body",
    [
        "ISIS as well as al-Qaeda condemned the raid on the village.",
        "Hezbollah fighters were seen as Hamas gunmen left the camp.",
        "Hezbollah and Hamas met in Beirut on Tuesday.",
        "ISIS attacked the town, and al-Qaeda condemned the attack.",
        "Aleppo, also known for its soap, reopened its market.",
        "Reports claimed that Peter Varga was in fact a U.S. intelligence officer.",
        "The inquiry heard that Thomas Keller was actually an FBI informant.",
    ],
)
def test_ordinary_sentences_are_not_claims(body: str) -> None:
    assert claims(body)[1] == []


def test_two_people_can_still_be_one() -> None:
    doc, found = claims("Abu Mohammad al-Jolani is none other than Ahmed al-Sharaa, aides said.")
    assert [c.relation for c in found] == ["same_as"]
    assert names(doc, found[0]) == ["Ahmed al-Sharaa"]


@pytest.mark.parametrize(
    "body",
    [
        # the apposition names another actor
        "Ankara insists the YPG, Washington's closest partner in Syria, is an arm of the PKK.",
        "The YPG, America's main ally, is an arm of the PKK.",
        "The YPG, the main U.S. ally in the north, is an arm of the PKK.",
        # the apposition names none
        "The YPG, a militia that the Pentagon armed, is an arm of the PKK, Ankara says.",
    ],
)
def test_the_subject_is_found_across_an_apposition(body: str) -> None:
    doc, found = claims(body)
    assert [(c.relation, names(doc, c)) for c in found] == [
        ("part_of", ["People's Protection Units", "Kurdistan Workers' Party"])
    ]
