"""Events: what happened, who did it to whom, where, when, at what toll; and the timeline.

Triggers are verb and noun lemmas typed by a small taxonomy aligned with PLOVER and CAMEO
(data/events/taxonomy.json).  Arguments come from the shared dependency parse: the subject
(or 'by' agent, possessor, or the subject of 'launched an attack') is the actor, the object
(or 'on'/'against' phrase) the target, an 'in'/'near' phrase naming a place the location.
Dates and counts are the document's temporal expressions and quantities, so an event says
exactly which words dated it.  A casualty verb under another trigger ('attacked a
checkpoint, killing four policemen') is that event's toll, not a second event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from unspin import lexicon
from unspin.document import Argument, Document, Event, Quantity, Timex
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

# Left modifiers kept in an argument's text ('the Kestrin army', 'four policemen').
_MODIFIERS = {"det", "compound", "amod", "nummod", "poss", "nmod", "case"}


def taxonomy() -> dict[str, Any]:
    """The event taxonomy with its trigger lexicon."""
    return lexicon.load("events", "taxonomy.json")


@cache
def _triggers() -> tuple[dict[str, str], dict[str, str]]:
    """(verb lemma -> type, noun lemma or two-word noun -> type)."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for name, spec in taxonomy()["types"].items():
        for lemma in spec["verbs"]:
            verbs.setdefault(lemma, name)
        for lemma in spec["nouns"]:
            nouns.setdefault(lemma, name)
    return verbs, nouns


@dataclass(slots=True)
class _Event:
    trigger: Token
    type: str
    actors: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    location: Token | None = None
    absorbed: list[Token] = field(default_factory=list)  # casualty verbs folded into it


def _trigger_type(token: Token) -> str | None:
    verbs, nouns = _triggers()
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.tag_ == "MD") for c in token.children):
            return None  # what did not or may happen is no event
        return verbs.get(lemma)
    if token.pos_ == "NOUN":
        compound = next((c for c in token.children if c.dep_ == "compound"), None)
        if compound is not None and f"{compound.lower_} {lemma}" in nouns:
            return nouns[f"{compound.lower_} {lemma}"]
        return nouns.get(lemma)
    return None


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *(c for c in token.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))]


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _is_place(token: Token, doc: Document) -> bool:
    tax = taxonomy()
    if token.ent_type_ in tax["place_labels"]:
        return True
    types = set(tax["place_entity_types"])
    for entity in doc.entities:
        if entity.type in types and any(m.start <= token.idx < m.end for m in entity.mentions):
            return True
    return False


def _arguments(event: _Event, doc: Document, dated: set[int]) -> None:
    """Fill actor, target and location from the trigger's (and its light verb's) children;
    tokens of a date (``dated``) are never arguments."""
    tax = taxonomy()
    trigger = event.trigger
    patient_subject = trigger.lemma_.lower() in tax["patient_subject_verbs"]
    heads = [trigger]
    if trigger.pos_ == "NOUN" and trigger.head.lemma_.lower() in tax["light_verbs"]:
        heads.append(trigger.head)  # 'rebels launched an attack': the light verb's subject
    for head in heads:
        for child in head.children:
            dep = child.dep_
            if child.i in dated or child.i == trigger.i:
                continue
            if dep in ("nsubj", "poss") and child.pos_ in ("NOUN", "PROPN", "PRON"):
                role = event.targets if patient_subject and head.i == trigger.i else event.actors
                role.extend(_with_conjuncts(_antecedent(child, head)))
            elif dep == "agent" or (dep == "prep" and child.lower_ in tax["actor_prepositions"]):
                pobj = _pobj(child)
                if pobj is not None:
                    event.actors.extend(_with_conjuncts(pobj))
            elif dep in ("dobj", "nsubjpass") and head.i == trigger.i and not patient_subject:
                event.targets.extend(_with_conjuncts(child))
            elif dep == "prep" and child.lower_ in tax["target_prepositions"]:
                pobj = _pobj(child)
                if (
                    pobj is not None
                    and pobj.i not in dated
                    and pobj.ent_type_ not in ("DATE", "TIME")
                    and not (child.lower_ == "into" and _is_place(pobj, doc))
                ):
                    event.targets.extend(_with_conjuncts(pobj))
    for absorbed in event.absorbed:
        event.targets.extend(
            t
            for c in absorbed.children
            if c.dep_ in ("dobj", "nsubjpass")
            for t in _with_conjuncts(c)
        )
    event.location = _location(event, doc)


def _antecedent(token: Token, head: Token) -> Token:
    """The noun a relative pronoun stands for ('the militia, which attacked …' → militia);
    a bare 'which' or 'that' tells the reader nothing about who acted."""
    if token.tag_ in ("WDT", "WP") and head.dep_ == "relcl":
        return head.head
    return token


def _location(event: _Event, doc: Document) -> Token | None:
    """The first place named by an 'in/near/at' phrase of the trigger or its arguments."""
    preps = set(taxonomy()["location_prepositions"])
    for owner in (event.trigger, *event.targets, *event.actors, event.trigger.head):
        for child in owner.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                pobj = _pobj(child)
                if pobj is not None and _is_place(pobj, doc):
                    return pobj
    for other in (*event.targets, *(c for c in event.trigger.children if c.dep_ == "dobj")):
        if _is_place(other, doc):
            return other
    return None


def _phrase(token: Token) -> tuple[int, int]:
    """The argument's words: its left modifiers, itself, and an 'of/for' complement."""
    left = token
    for child in token.lefts:
        if child.dep_ in _MODIFIERS:
            left = min(left, child.left_edge, key=lambda t: t.i)
    right = token
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for") and _pobj(child) is not None:
            right = max(right, child.right_edge, key=lambda t: t.i)
    return left.idx, right.idx + len(right)


def _argument(token: Token, doc: Document) -> Argument:
    """The argument's words, with its entity id when the entities layer names it."""
    start, end = _phrase(token)
    entity = doc.entity_at(start, end, token.idx)
    return Argument(start=start, end=end, text=doc.text[start:end], entity=entity)


def _find_events(parsed: Doc, dated: set[int]) -> list[_Event]:
    """Triggers in text order, casualty verbs folded into the event they report the toll of.

    A trigger inside a date ('hours after *the ambush*') refers back to an event already
    told, so it starts none."""
    casualty_verbs = set(taxonomy()["casualty_verbs"])
    events: dict[int, _Event] = {}
    for token in parsed:
        kind = None if token.i in dated else _trigger_type(token)
        if kind is not None:
            events[token.i] = _Event(token, kind)
    for i, event in sorted(events.items()):
        token = event.trigger
        if token.pos_ != "VERB" or token.lemma_.lower() not in casualty_verbs:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        cause = next(
            (
                p
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in ("in", "during", "by")
                for p in c.children
                if p.dep_ == "pobj" and p.i in events
            ),
            None,
        )
        host = None
        if subject is not None and subject.i in events:
            host = events[subject.i]  # 'an airstrike killed 12'
        elif cause is not None:
            host = events[cause.i]  # '57 fighters were killed in an airstrike'
        elif token.dep_ in ("advcl", "conj", "xcomp", "relcl") and token.head.i in events:
            host = events[token.head.i]  # 'attacked …, killing four'
        if host is not None and host is not event:
            host.absorbed.append(token)
            del events[i]
    return [events[i] for i in sorted(events)]


def _date(trigger: Token, dates: list[Timex], sent: tuple[int, int]) -> Timex | None:
    """The temporal expression in the trigger's sentence nearest to it."""
    inside = [t for t in dates if sent[0] <= t.start < sent[1]]
    return min(inside, key=lambda t: abs(t.start - trigger.idx)) if inside else None


def _tally(
    found: list[_Event],
    parsed: Doc,
    counts: list[Quantity],
    bounds: list[tuple[int, int]],
) -> dict[int, list[Quantity]]:
    """Casualty counts by the trigger they belong to: the event governing the count in the
    parse, else the first event of its sentence."""
    by_token = {e.trigger.i: e for e in found}
    by_token.update({a.i: e for e in found for a in e.absorbed})
    tally: dict[int, list[Quantity]] = {}
    for q in counts:
        span = parsed.char_span(q.start, q.end, alignment_mode="expand")
        s, e = _sentence_of(q.start, bounds)
        governing = (by_token.get(t.i) for t in (span.root, *span.root.ancestors)) if span else ()
        owner = next((v for v in governing if v is not None and s <= v.trigger.idx < e), None)
        owner = owner or next((v for v in found if s <= v.trigger.idx < e), None)
        if q.kind and owner is not None:
            tally.setdefault(owner.trigger.i, []).append(q)
    return tally


def _sentence_of(offset: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    return next(((s, e) for s, e in bounds if s <= offset < e), (offset, offset + 1))


@component(
    "events",
    requires=("doc.sentences", "doc.dates", "doc.quantities"),
    uses={
        "doc.entities": "arguments carry no entity ids; places only from spaCy's labels",
        "doc.claims": "events name no claim",
    },
    assigns=("doc.events", "doc.timeline"),
)
class EventExtractor:
    """Fills ``doc.events`` and ``doc.timeline`` (event ids by date, undated last)."""

    def __call__(self, doc: Document) -> Document:
        doc.events, doc.timeline = [], []
        if not doc.text.strip():
            return doc
        parsed = nlp.parse(doc)
        dated = {
            t.i
            for d in doc.dates
            for t in parsed.char_span(d.start, d.end, alignment_mode="expand") or ()
        }
        found = _find_events(parsed, dated)
        bounds = [(s.start, s.end) for s in doc.sentences]
        tally = _tally(found, parsed, doc.quantities, bounds)
        claims = [(c.start, c.end, c.id) for c in doc.claims]
        types = taxonomy()["types"]
        for event in found:
            _arguments(event, doc, dated)
            trigger = event.trigger
            start = trigger.idx
            date = _date(trigger, doc.dates, _sentence_of(start, bounds))
            doc.events.append(
                Event(
                    id=f"V{len(doc.events) + 1}",
                    type=event.type,
                    plover=types[event.type]["plover"],
                    cameo=types[event.type]["cameo"],
                    trigger=doc.span(start, start + len(trigger)),
                    date=date.id if date else None,
                    actors=[_argument(t, doc) for t in event.actors],
                    targets=[_argument(t, doc) for t in event.targets],
                    location=_argument(event.location, doc) if event.location is not None else None,
                    casualties=[q.id for q in tally.get(trigger.i, [])],
                    claim=next((cid for s, e, cid in claims if s <= start < e), None),
                )
            )
        doc.timeline = _timeline(doc)
        return doc


def _timeline(doc: Document) -> list[str]:
    """Event ids by the first day their date covers; undated events last, in text order."""

    def key(item: tuple[int, Event]) -> tuple[int, str, int]:
        index, event = item
        date = doc.date(event.date)
        day = date.first_day if date else None
        return (0, day.isoformat(), index) if day else (1, "", index)

    return [event.id for _, event in sorted(enumerate(doc.events), key=key)]
