"""The report as an outline of headed lists, shared by the Markdown and plain-text renderers.

Both formats show the same content; they differ only in markup, so the wording lives here
once and each renderer only decorates (and, for Markdown, escapes) these strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unspin.report.model import (
    DISCLAIMER,
    MAX_SPANS,
    RATING_NOTE,
    DocView,
    EntityView,
    quote,
)

FRAGMENT = 200  # longest quoted fragment, in characters


@dataclass(slots=True)
class Item:
    text: str
    details: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    title: str
    items: list[Item]
    note: str | None = None  # said instead of items when the layer is empty, or beside them


@dataclass(slots=True)
class Outline:
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]


def _techniques(view: DocView) -> Section:
    counts = ", ".join(f"{s.label} {n}" for s, n in view.legend)
    items = [Item(m.describe(FRAGMENT)) for m in view.marks]
    note = view.empty.get("techniques") or f"{len(view.marks)} spans: {counts}."
    if view.dropped:
        note += f" {view.dropped} span(s) with offsets outside the text are not shown."
    if view.capped:
        note += f" {view.capped} lower-scored span(s) beyond the first {MAX_SPANS} are not shown."
    return Section("Technique spans", items, note)


def _claims(view: DocView) -> Section:
    items = []
    for c in view.claims:
        score = "?" if c.checkworthy is None else f"{c.checkworthy:.2f}"
        where = "" if c.start is None else f" [{c.start}:{c.end}]"
        details = [
            f"Source: {c.source}" + (f" (cue “{c.cue}”)" if c.cue else "")
            if c.attributed
            else "UNATTRIBUTED: the text names no source for this claim."
        ]
        details += [f"Quantity: {q}" for q in c.quantities]
        details += [f"Date: {d}" for d in c.dates]
        items.append(Item(f"{c.id}, check-worthiness {score}{where}: “{c.text}”", details))
    return Section("Claims (most check-worthy first)", items, view.empty.get("claims"))


def _timeline(view: DocView) -> Section:
    items = []
    for e in view.events:
        when = e.date or (f"after {e.after}" if e.after else "undated")
        if e.date and e.precision:
            when += f" ({e.precision})"
        who = ", ".join(e.actors) or "unnamed actor"
        line = f"{when}: {e.type}, {who}"
        if e.targets:
            line += f" → {', '.join(e.targets)}"
        if e.location:
            line += f", at {e.location}"
        details = [
            f"Trigger: “{e.trigger}”" + (f", date written “{e.date_text}”" if e.date_text else "")
        ]
        if len(e.mentions) > 1:
            details.append(
                f"Told {len(e.mentions)} times: " + ", ".join(f"“{m}”" for m in e.mentions)
            )
        for label, values in (("Victims", e.victims), ("Instruments", e.instruments)):
            if values:
                details.append(f"{label}: {', '.join(values)}")
        if e.sources:
            details.append(f"Sources: {'; '.join(e.sources)}")
        details += [f"Casualties: {q}" for q in e.casualties]
        if e.claim:
            details.append(f"Claim: {e.claim}")
        if e.sentence:
            details.append(f"Sentence: “{quote(e.sentence, FRAGMENT)}”")
        items.append(Item(f"{e.id} {line}", details))
    return Section("Timeline", items, view.empty.get("events"))


def _entity(e: EntityView) -> Item:
    head = f"{e.name} ({e.type})"
    details = []
    if e.reference:
        shown, url = e.reference
        details.append(f"Knowledge base {shown}" + (f": {url}" if url else ""))
    if e.coordinates:
        details.append(f"Coordinates {e.coordinates}: {e.osm}")
    if e.forms:
        details.append("Seen as " + ", ".join(f"“{f}” ({n})" for f, n in e.forms))
    return Item(head, details)


def _entities(view: DocView) -> list[Section]:
    if "entities" in view.empty:
        return [Section("Actors and places", [], view.empty["entities"])]
    return [
        Section(
            "Actors", [_entity(e) for e in view.actors], None if view.actors else "No actors found."
        ),
        Section(
            "Places", [_entity(e) for e in view.places], None if view.places else "No places found."
        ),
    ]


def _identities(view: DocView) -> Section:
    items = [
        Item(f"“{i.text}”: {' / '.join(i.actors) or 'unnamed'} ({i.relation})", i.notes)
        for i in view.identities
    ]
    return Section("Identity claims", items, view.empty.get("identity_claims"))


def _source(view: DocView) -> Section:
    s = view.source
    genre = Item(f"Genre of this article: {view.genre}")
    if s is None:
        return Section("Source profile", [genre], view.empty.get("source"))
    rating = [f"Published rating: {s.rating}", RATING_NOTE]
    items = [Item(s.outlet, rating), genre]
    if s.reference:
        items.append(Item(f"Reference: {s.reference}"))
    items += [Item(f"{k}: {v}") for k, v in s.details]
    return Section("Source profile", items)


def outline(view: DocView) -> Outline:
    """Everything the plain reports say about one document, in order."""
    meta = [
        ("Site", view.site),
        ("URL", view.url_text),
        ("Published", view.published),
        ("Authors", ", ".join(view.authors) or None),
        ("Genre", view.genre),
    ]
    return Outline(
        view.title,
        [(k, v) for k, v in meta if v] + [("Note", DISCLAIMER), ("Provenance", view.provenance)],
        [
            _techniques(view),
            _claims(view),
            _timeline(view),
            *_entities(view),
            _identities(view),
            _source(view),
        ],
    )
