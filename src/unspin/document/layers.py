"""The typed items of every layer, one model each: the unspin/1 contract as code.

Every item that points into the text is a ``Span`` (``text == doc.text[start:end]``).  Dates
and quantities are layers of their own with ids; claims and events refer to them by id, so a
figure or a date is stored once and every layer that uses it says exactly which one.  The
JSON Schema (``schema/unspin-1.schema.json``) is generated from these models.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from unspin import lexicon

# The 14 PTC technique names (data/techniques/techniques.json), the contract's vocabulary.
TechniqueName = Literal[tuple(lexicon.load("techniques", "techniques.json")["techniques"])]


class Item(BaseModel):
    """Base of every layer item: unknown keys are an error, never silently kept."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Span(Item):
    """A fragment of the document text; ``text`` is always ``doc.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Technique(Span):
    """A fragment using one of the 14 PTC persuasion techniques, with a calibrated score."""

    technique: TechniqueName  # type: ignore[valid-type]
    score: float = Field(ge=0, le=1)


class Timex(Span):
    """A temporal expression; ``value`` (ISO 8601, else TIMEX3 form: ``2019-SU``, ``199``,
    ``PRESENT_REF``; a day with its time of day, ``2019-03-06T22:00``, has precision
    ``time``) is None when it cannot be resolved honestly. ``kind`` keeps what cannot
    date an event apart: a ``duration`` ('for two years', 'since 2010'), a ``set`` ('every
    week') or a vague ``ref`` ('now', 'recently')."""

    id: str
    value: str | None
    precision: str | None
    kind: Literal["date", "duration", "set", "ref"] = "date"

    @property
    def first_day(self) -> date | None:
        return first_day(self.value)


_CALENDAR = re.compile(
    r"(?:FY)?(\d{2,4})(?:-(\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI|W\d{2}))?(?:-(\d{2}))?"
)
# Months in a quarter or half; the first month of a season (winter opens in December).
_MONTHS_IN = {"Q": 3, "H": 6}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def first_day(value: str | None) -> date | None:
    """The earliest day an ISO or TIMEX3 value covers ('2019-03' -> 1 March, '2019-Q3' ->
    1 July, '199' -> 1990), to order and to anchor; None for durations and vague references."""
    m = _CALENDAR.fullmatch(value.split("/")[0].split("T")[0]) if value else None
    if m is None:
        return None
    digits, part, day = m.groups()
    year = int(digits.ljust(4, "0"))
    if part is None or part.isdigit():
        return date(year, int(part or 1), int(day or 1))
    if part in _SEASON_START:
        return date(year, _SEASON_START[part], 1)
    if part[0] == "W":
        return date.fromisocalendar(year, int(part[1:]), 1)
    return date(year, _MONTHS_IN[part[0]] * (int(part[1]) - 1) + 1, 1)


class Quantity(Span):
    """A count in the text; ``kind`` is None for counts that are not casualties."""

    id: str
    count: int
    kind: str | None
    who: str | None
    qualifier: str | None


class Attribution(Item):
    """Who a claim is attributed to: the source's words, its entity id and the reporting cue."""

    source: str | None
    entity: str | None
    cue: str | None
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Claim(Span):
    """A checkable sentence, its check-worthiness and the signals that earned it."""

    id: str
    checkworthy: float = Field(ge=0, le=1)
    attributed: bool
    attribution: Attribution | None
    quantities: list[str] = Field(description="ids of items in the quantities layer")
    dates: list[str] = Field(description="ids of items in the dates layer")
    signals: list[str]


class Argument(Span):
    """An event participant or place: its words and, when named, its entity id."""

    entity: str | None


class EventMention(Span):
    """One wording of an incident ('the raid', 'killed') and the event type that word names."""

    type: str


class Event(Item):
    """An incident: every mention of it, its type (with PLOVER and CAMEO codes), participants,
    date and toll; ``trigger`` is its first mention."""

    id: str
    type: str
    plover: str | None
    cameo: str | None
    trigger: Span
    mentions: list[EventMention] = Field(
        default=[], description="every mention of the incident in text order, the trigger first"
    )
    date: str | None = Field(description="id of an item in the dates layer")
    after: str | None = Field(
        default=None,
        description="id of the event this one followed, when only a relative expression "
        "('days after the raid') dates it",
    )
    actors: list[Argument]
    targets: list[Argument]
    victims: list[Argument] = []
    instruments: list[Argument] = []
    location: Argument | None
    casualties: list[str] = Field(description="ids of items in the quantities layer")
    claim: str | None = Field(description="id of the claim whose sentence holds the trigger")


class Geo(Item):
    lat: float
    lon: float


# Entity.type values that name a place (a town, region or sea; a state).
PLACE_TYPES = frozenset({"place", "state"})


class Entity(Item):
    """An actor or place, every mention of it, and its knowledge-base id."""

    id: str
    name: str
    type: str
    kb_id: str | None
    geo: Geo | None
    confidence: float = Field(ge=0, le=1)
    mentions: list[Span]


class IdentityClaim(Span):
    """A sentence saying two actors are one (or one is a front for another)."""

    actors: list[str] = Field(description="ids of items in the entities layer")
    relation: str
    cue: str
    kb_notes: list[str]


class GenreSignal(Item):
    """One measured hint of the article's genre and the genre it points to."""

    signal: str
    value: str | float
    points_to: str | None
    unit: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)


class SourceProfile(Item):
    """The outlet's published rating (the rater's, never unspin's) and the genre signals."""

    domain: str | None = None
    name: str | None = None
    factuality: str | None = None
    bias: str | None = None
    rating_by: str | None = None
    reference: str | None = None
    section: str | None = None
    genre_signals: list[GenreSignal] = []


class TechniqueCount(Item):
    technique: str
    count: int


class Summary(Item):
    """Counts per layer for a reader's overview."""

    words: int
    sentences: int
    techniques: int
    technique_counts: list[TechniqueCount] = Field(description="most frequent first")
    sentences_with_techniques: int
    claims: int
    unattributed_claims: int
    events: int
    entities: int


class ModelUsed(Item):
    """A trained model a component ran, by the id its files carry."""

    component: str
    id: str


class Run(Item):
    """What produced the layers: version, language, components run and skipped, model ids.

    A skipped layer and a layer that found nothing look alike; ``skipped`` and ``notes`` tell
    them apart, and ``notes`` records every layer run in a degraded mode or left out for the
    document's language.
    """

    unspin_version: str
    language: str | None = None
    components: list[str] = []
    skipped: list[str] = []
    models: list[ModelUsed] = []
    notes: list[str] = []
