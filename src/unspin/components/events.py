"""Events: incidents, who did it to whom, where, when, at what toll; and the timeline.

Triggers are verb, noun and adjective lemmas typed by a small taxonomy aligned with PLOVER
and CAMEO (data/events/taxonomy.json).  A mention that tells of no incident is dropped:
negated, hypothetical, intended ('aimed at'), habitual or generic mentions, other senses
('a political rally', 'seize power'), weapons named as things ('a bomb'), headings.

Mentions of one incident become one Event (within-document event coreference): a casualty
verb under another trigger ('attacked a checkpoint, killing four'), a casualty told of 'it'
or in the next sentence, and a definite description ('the raid', 'this strike') join the
incident they refer to when type, date and place agree.  Arguments come from the shared
dependency parse (actor, target, victim, instrument, place); a relative pronoun stands for
its noun, a personal pronoun for the entity it refers to.  An incident is dated by its own
mentions (the date that hangs on one, else the nearest in its sentence), never by a duration
('since 2019').
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from unspin import lexicon
from unspin.document import Argument, Document, Event, EventMention, Quantity, Timex
from unspin.document.layers import PLACE_TYPES
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

# Left modifiers kept in an argument's text ('the Kestrin army', 'four policemen').
_MODIFIERS = {"det", "compound", "amod", "nummod", "poss", "nmod", "case"}
_ROLES = ("actors", "targets", "victims", "instruments")
_PERSONAL = {"he", "she", "him", "her"}
_GROUP = {"they", "them"}


def taxonomy() -> dict[str, Any]:
    """The event taxonomy with its trigger lexicon."""
    return lexicon.load("events", "taxonomy.json")


@cache
def _triggers() -> dict[str, dict[str, str]]:
    """Per part of speech ('verbs', 'nouns', 'adjectives'): lemma or two words -> type."""
    table: dict[str, dict[str, str]] = {"verbs": {}, "nouns": {}, "adjectives": {}}
    for name, spec in taxonomy()["types"].items():
        for pos, lemmas in table.items():
            for lemma in spec.get(pos, []):
                lemmas.setdefault(lemma, name)
    return table


@cache
def _family() -> dict[str, int]:
    """Type -> the family of types whose mentions can tell of one incident."""
    found = {t: n for n, group in enumerate(taxonomy()["incident_families"]) for t in group}
    return found | {t: -1 - n for n, t in enumerate(taxonomy()["types"]) if t not in found}


def incident_kind(event_type: str) -> str:
    """The family an event type belongs to, named by its first type ('airstrike' for a
    killing or a shelling), so incidents told with different words can be compared across
    articles; a type in no family is its own kind."""
    return next(
        (group[0] for group in taxonomy()["incident_families"] if event_type in group),
        event_type,
    )


@dataclass(slots=True, eq=False)
class _Mention:
    trigger: Token
    type: str
    host: _Mention | None = None  # the mention it is the toll of ('attacked …, killing four')
    refers: bool = False  # a definite description or an 'it' subject: refers back
    date: Timex | None = None
    args: dict[str, list[Token]] = field(default_factory=lambda: {r: [] for r in _ROLES})
    location: Token | None = None


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _governor(token: Token) -> Token | None:
    """The nearest verb above a noun trigger: the clause that says what became of it."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def _irrealis(token: Token, clause: Token | None) -> bool:
    """Negated, modal, conditional, habitual or intended: told, but not as having happened."""
    tax = taxonomy()
    for owner in (token, clause):
        if owner is None:
            continue
        for c in owner.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.tag_ == "MD"):
                return True
            if c.dep_ == "mark" and c.lower_ in tax["hypothetical_marks"]:
                return True
            if c.dep_ == "advmod" and c.lower_ in tax["habitual_adverbs"]:
                return True
    if token.tag_ in ("VBZ", "VBP") and not any(c.dep_ == "aux" for c in token.children):
        return True  # simple present outside a heading: what is usual ('they fight terrorists')
    if token.dep_ in ("xcomp", "dobj") and _lemma(token.head) in tax["intent_verbs"]:
        return True  # 'planned to attack', 'threatened an attack'
    if token.dep_ == "pobj":
        owner = token.head.head
        return _lemma(owner) in tax["intent_verbs"] or _lemma(owner) in tax["irrealis_nouns"]
    return False


def _other_sense(token: Token, lemma: str) -> bool:
    """'a political rally', 'a hunger strike', 'seize power', 'attack the policy'."""
    rule = taxonomy()["sense_exclusions"].get(lemma)
    if not rule:
        return False
    words = {_lemma(c) for c in token.children if c.dep_ in ("amod", "compound")}
    objects = {
        _lemma(o)
        for c in token.children
        for o in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("on", "against"))
    }
    if token.dep_ == "amod":
        objects.add(_lemma(token.head))  # the parser's 'seized power' as a modified noun
    return bool(words & set(rule.get("modifiers", []))) or bool(
        objects & set(rule.get("objects", []))
    )


def _generic(token: Token, clause: Token | None) -> bool:
    """A bare plural in a present-tense clause ('attacks on aid workers are war crimes')."""
    if token.tag_ != "NNS":
        return False
    if any(c.dep_ in ("det", "poss", "nummod") for c in token.children):
        return False
    return clause is None or clause.tag_ in ("VBZ", "VBP")


def _trigger_type(token: Token) -> str | None:
    """The event type the word names here, or None when it tells of no incident."""
    table = _triggers()
    lemma = _lemma(token)
    if token.pos_ == "VERB":
        particle = next((c for c in token.children if c.dep_ == "prt"), None)
        phrasal = f"{lemma} {particle.lower_}" if particle is not None else None
        kind = table["verbs"].get(phrasal or "") or table["verbs"].get(lemma)
        clause: Token | None = token
    elif token.pos_ == "NOUN":
        if token.dep_ == "compound":
            return None  # 'an arrest warrant', 'attack helicopters'
        compound = next((c for c in token.children if c.dep_ == "compound"), None)
        two = f"{compound.lower_} {lemma}" if compound is not None else ""
        kind = table["nouns"].get(two) or table["nouns"].get(lemma)
        clause = _governor(token)
        if any(c.lower_ in taxonomy()["negative_determiners"] for c in token.children):
            return None
        if kind and _generic(token, clause):
            return None
    elif token.pos_ == "ADJ":
        kind, clause = table["adjectives"].get(token.lower_), _governor(token)
    else:
        return None
    if kind is None or _other_sense(token, lemma) or _irrealis(token, clause):
        return None
    return kind


def _headings(parsed: Doc, body_start: int) -> set[int]:
    """Tokens of the title and of lines without a verb (headings, captions, bylines)."""
    found = {t.i for t in parsed if t.idx < body_start}
    line: list[Token] = []
    for token in [*parsed, None]:
        if token is None or "\n" in token.text:
            if not any(t.pos_ in ("VERB", "AUX") for t in line):
                found.update(t.i for t in line)
            line = []
        else:
            line.append(token)
    return found


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *(c for c in token.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))]


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


@dataclass(frozen=True, slots=True)
class _Names:
    """Tokens named as places (spaCy's place labels or a place of the entities layer) and,
    among them, states; indexed once per article so that finding arguments stays linear in
    its length."""

    places: frozenset[int]
    states: frozenset[int]


def _names(parsed: Doc, doc: Document) -> _Names:
    tax = taxonomy()
    types = set(tax["place_entity_types"]) | PLACE_TYPES
    places = {t.i for t in parsed if t.ent_type_ in tax["place_labels"]}
    states: set[int] = set()
    for entity in (e for e in doc.entities if e.type in types):
        for m in entity.mentions:
            tokens = {t.i for t in parsed.char_span(m.start, m.end, alignment_mode="expand") or ()}
            places |= tokens
            if entity.type == "state":
                states |= tokens
    return _Names(frozenset(places), frozenset(states))


def _is_place(token: Token, names: _Names) -> bool:
    return token.i in names.places


def _is_weapon(token: Token) -> bool:
    weapons = taxonomy()["instrument_nouns"]
    compound = next((c for c in token.children if c.dep_ == "compound"), None)
    two = f"{compound.lower_} {_lemma(token)}" if compound is not None else ""
    return _lemma(token) in weapons or two in weapons


def _antecedent(token: Token, head: Token, triggers: dict[int, _Mention]) -> Token:
    """The noun a relative pronoun stands for ('the militia, which attacked …' → militia).

    A relative clause the parser hung on a place or thing inside an event's phrase ('an
    explosion at the market, which killed 12') belongs to the event."""
    if not (token.tag_ in ("WDT", "WP") and head.dep_ == "relcl"):
        return token
    noun = head.head
    climb = noun
    while climb.dep_ == "pobj" and climb.head.dep_ == "prep":
        climb = climb.head.head
        if climb.i in triggers:
            return climb
    return noun


def _assign(mention: _Mention, token: Token, role: str, names: _Names) -> None:
    """Put an argument in its role: weapons are instruments, places the location (a state
    that acts stays an actor: 'Syria shelled ...', 'a US strike'), and a reflexive pronoun
    ('blew himself up') is no second participant."""
    for t in map(_partitive, _with_conjuncts(token)):
        if t.lower_ in taxonomy()["reflexive_pronouns"]:
            continue
        acting_state = role == "actors" and t.i in names.states and t.dep_ != "poss"
        if _is_weapon(t):
            mention.args["instruments"].append(t)
        elif role not in ("victims", "instruments") and _is_place(t, names) and not acting_state:
            mention.location = mention.location or t
        else:
            mention.args[role].append(t)


def _partitive(token: Token) -> Token:
    """The head of a partitive ('*six* of the members', '*all* of those'): the number or
    pronoun the noun is counted by."""
    prep = token.head
    if token.dep_ == "pobj" and prep.lower_ == "of" and prep.head.pos_ in ("NUM", "PRON"):
        return prep.head
    return token


def _verb_key(token: Token) -> str:
    """A verb's lemma with its particle ('go off'), as the word lists name it."""
    particle = next((c for c in token.children if c.dep_ == "prt"), None)
    return f"{_lemma(token)} {particle.lower_}" if particle is not None else _lemma(token)


def _subject(verb: Token) -> Token | None:
    """A verb's active subject, or the one it shares with the verb it is coordinated with or
    subordinate to ('stormed the village and killed 12', 'modifying drones to launch attacks')."""
    for _ in range(3):
        found = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if found is not None or any(c.dep_ == "nsubjpass" for c in verb.children):
            return found
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.pos_ not in ("VERB", "AUX"):
            return None
        verb = verb.head
    return None


def _container(trigger: Token) -> Token:
    """The noun a trigger is counted by ('a series *of attacks*'), else the trigger."""
    head = trigger.head
    collective = trigger.dep_ == "pobj" and head.lower_ == "of"
    if collective and _lemma(head.head) in taxonomy()["collective_nouns"]:
        return head.head
    return trigger


def _impact(trigger: Token) -> list[Token]:
    """What an event noun hit or was aimed at, told by another verb: 'the blast destroyed
    *a school*', '*the building* was shattered by an explosion', 'the bombings, which seemed
    aimed at *civilians*'."""
    impact = taxonomy()["impact_verbs"]
    if trigger.dep_ == "nsubj" and _lemma(trigger.head) in impact:
        return [c for c in trigger.head.children if c.dep_ == "dobj"]
    agent = trigger.head
    if trigger.dep_ == "pobj" and agent.dep_ == "agent" and _lemma(agent.head) in impact:
        return [c for c in agent.head.children if c.dep_ == "nsubjpass"]
    clauses = [c for c in trigger.children if c.dep_ in ("relcl", "acl")]
    verbs = [*clauses, *(x for c in clauses for x in c.children if x.dep_ == "xcomp")]
    return [
        o
        for v in verbs
        if _lemma(v) in impact
        for c in v.children
        for o in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("at", "against"))
    ]


def _responsible(trigger: Token) -> Token | None:
    """Who claimed or bears the event: 'X claimed responsibility for the attack', 'X was
    responsible for the bombing'."""
    prep = trigger.head
    if trigger.dep_ != "pobj" or prep.lower_ != "for":
        return None
    word = prep.head
    if _lemma(word) not in taxonomy()["responsibility_words"]:
        return None
    verb = word.head if word.dep_ in ("dobj", "acomp", "attr") else word
    return _subject(verb) if verb.pos_ in ("VERB", "AUX") else None


def _arguments(
    mention: _Mention, names: _Names, dated: set[int], triggers: dict[int, _Mention]
) -> None:
    """Fill the roles from the trigger's (and its light verb's) children; tokens of a date
    (``dated``) and other mentions of events are never arguments.

    The patient of a killing, injury, arrest or abduction is a victim, of other events a
    target; the object of 'detonate' and the subject of an intransitive 'explode' are the
    weapon."""
    tax = taxonomy()
    trigger = mention.trigger
    patient = "victims" if mention.type in tax["victim_types"] else "targets"
    bare_participle = trigger.tag_ == "VBN" and not any(
        c.dep_ in ("aux", "auxpass") for c in trigger.children
    )  # '12 injured': the parser's subject is the one it befell
    patient_subject = (
        _lemma(trigger) in tax["patient_subject_verbs"] or trigger.pos_ == "ADJ" or bare_participle
    )
    weapon_verb = trigger.pos_ == "VERB" and _verb_key(trigger) in tax["instrument_verbs"]
    transitive = any(c.dep_ in ("dobj", "nsubjpass") for c in trigger.children)
    heads = [trigger]
    container = _container(trigger)
    if trigger.pos_ == "NOUN" and _lemma(container.head) in tax["light_verbs"]:
        heads.append(container.head)  # 'rebels launched (a series of) attacks'
    elif trigger.pos_ == "NOUN" and container.dep_ == "pobj" and container.head.lower_ == "in":
        verb = container.head.head
        if _lemma(verb) in tax["participation_verbs"]:
            heads.append(verb)  # 'civilians who took part in demonstrations'
    if trigger.pos_ == "ADJ" and trigger.dep_ in ("amod", "acomp"):
        heads.append(trigger.head)  # 'three dead', 'were injured'
    if trigger.pos_ == "ADJ":
        for count in (c for c in trigger.children if c.dep_ == "nummod"):
            _assign(mention, count, "victims", names)  # '(12 dead, 30 injured)'
    for head in heads:
        subject = _subject(head) if head.pos_ == "VERB" else None
        children = [*head.children, *([subject] if subject and subject.head is not head else [])]
        for child in children:
            dep = child.dep_
            if child.i in dated or child.i == trigger.i:
                continue
            if child is subject or (
                dep in ("nsubj", "poss") and child.pos_ in ("NOUN", "PROPN", "PRON")
            ):
                subject_of = _antecedent(child, child.head, triggers)
                if subject_of.i in triggers or subject_of.lower_ in tax["event_pronouns"]:
                    mention.refers = mention.refers or subject_of.lower_ in tax["event_pronouns"]
                    continue
                possessed = (
                    dep == "poss"
                    and patient == "victims"
                    and not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
                )
                if weapon_verb and head.i == trigger.i and not transitive:
                    role = "instruments"  # 'the bomb exploded', 'they went off'
                elif patient_subject or possessed:
                    role = patient  # 'civilians fled', 'his arrest'
                else:
                    role = "actors"
                _assign(mention, subject_of, role, names)
            elif dep == "agent" or (dep == "prep" and child.lower_ in tax["actor_prepositions"]):
                pobj = _pobj(child)
                if pobj is not None and pobj.i not in triggers:
                    _assign(mention, pobj, "actors", names)
            elif dep == "npadvmod" and _is_place(child, names):
                mention.location = mention.location or child  # 'shelled Aleppo' misparsed
            elif dep in ("dobj", "nsubjpass") and head.i == trigger.i:
                _assign(mention, child, "instruments" if weapon_verb else patient, names)
            elif dep == "prep" and child.lower_ == "with":
                pobj = _pobj(child)
                if pobj is not None and _is_weapon(pobj):
                    mention.args["instruments"].append(pobj)
            elif dep == "prep" and child.lower_ in tax["target_prepositions"]:
                pobj = _pobj(child)
                if (
                    pobj is not None
                    and pobj.i not in dated
                    and pobj.ent_type_ not in ("DATE", "TIME")
                ):
                    _assign(mention, pobj, patient, names)
            elif head.i == trigger.i and dep in ("compound", "amod") and trigger.pos_ == "NOUN":
                if child.ent_type_ in ("NORP", "ORG") or child.i in names.states:
                    mention.args["actors"].append(child)  # 'a Kestrin airstrike', 'a US strike'
                elif _is_place(child, names):
                    mention.location = mention.location or child
    if trigger.pos_ == "NOUN":
        claimant = _responsible(container)
        for hit in _impact(trigger) if patient == "targets" else ():
            _assign(mention, hit, patient, names)
        if claimant is not None and claimant.lower_ not in tax["event_pronouns"]:
            _assign(mention, claimant, "actors", names)
    reduced = trigger.dep_ == "acl" and trigger.tag_ in ("VBN", "VBD")  # 'four men injured'
    if (trigger.pos_ == "ADJ" and trigger.dep_ == "amod") or (
        trigger.pos_ == "VERB" and reduced and not any(c.dep_ == "nsubj" for c in trigger.children)
    ):
        _assign(mention, trigger.head, patient if reduced else "victims", names)
    mention.location = mention.location or _location(mention, names)


def _namings(noun: Token) -> list[Token]:
    """What names a common noun of place: its apposition or its 'of' complement ('the
    market of Homs', 'the street Rue X')."""
    found = [c for c in noun.children if c.dep_ == "appos"]
    return found + [
        p
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in [_pobj(c)]
        if p is not None
    ]


def _location(mention: _Mention, names: _Names) -> Token | None:
    """The place where the trigger's clause says it happened ('the station, *where* six were
    killed'), else the first place named by an 'in/near/at' phrase of the trigger, its
    arguments or its clause, else the nearest such phrase inside the trigger's own clause
    ('killed when rockets hit a market *in Kharkiv*'); a named place comes before a common
    noun of place ('near the mosque in Aleppo'), which counts when none is named ('in the
    village')."""
    tax = taxonomy()
    preps = set(tax["location_prepositions"])
    trigger = mention.trigger
    clause = trigger if trigger.pos_ == "VERB" else _governor(trigger)
    relative = clause is not None and clause.dep_ == "relcl"
    if relative and any(c.lower_ == "where" for c in clause.children):
        return clause.head
    owners = [trigger, *(t for r in _ROLES for t in mention.args[r])]
    nearest = sorted(trigger.subtree, key=lambda t: abs(t.i - trigger.i))
    phrases = [
        pobj
        for child in (
            *(c for owner in (*owners, trigger.head, clause or trigger) for c in owner.children),
            *nearest,
        )
        if child.dep_ == "prep" and child.lower_ in preps
        for pobj in [_pobj(child)]
        if pobj is not None
    ]
    named = (
        t
        for pobj in phrases
        for t in (pobj, *(_namings(pobj) if _lemma(pobj) in tax["place_nouns"] else ()))
        if _is_place(t, names)
    )
    common = (t for t in phrases if _lemma(t) in tax["place_nouns"])
    return next(named, None) or next(common, None)


def _phrase(token: Token) -> tuple[int, int]:
    """The argument's words: its left modifiers, itself, and an 'of/for' complement without
    a clause of its own ('six of the guards', not '... killed')."""
    left = token
    for child in token.lefts:
        if child.dep_ in _MODIFIERS:
            left = min(left, child.left_edge, key=lambda t: t.i)
    right = token
    for child in token.rights:
        pobj = _pobj(child) if child.dep_ == "prep" and child.lower_ in ("of", "for") else None
        if pobj is not None:
            ends = [pobj, *(c.right_edge for c in pobj.rights if c.dep_ not in ("acl", "relcl"))]
            right = max(right, *ends, key=lambda t: t.i)
    return left.idx, right.idx + len(right)


def _referable(token: Token, doc: Document) -> set[str]:
    """The entity types a word can refer back to: a person for 'he' or 'the gunman', any
    group for 'they', an armed group or organisation for 'the militants' (taxonomy.json); none
    for other words."""
    if token.pos_ == "PRON":
        if token.lower_ in _PERSONAL:
            return {"person"}
        groups = {e.type for e in doc.entities} - {"person"} - PLACE_TYPES
        return groups if token.lower_ in _GROUP else set()
    tax = taxonomy()
    if not any(
        c.dep_ == "det" and c.lower_ in tax["anaphoric_determiners"] for c in token.children
    ):
        return set()
    words = {_lemma(token), token.lower_}
    return {
        t for rule in tax["referring_nouns"] if words & set(rule["nouns"]) for t in rule["types"]
    }


def _referent(token: Token, doc: Document) -> str | None:
    """The entity a pronoun or definite description refers to: the latest one of a type it
    can refer to ('he', 'the gunman', 'they', 'the militia') mentioned before it in the last
    three sentences."""
    types = _referable(token, doc)
    if not types:
        return None
    starts = [s.start for s in doc.sentences if s.start <= token.idx]
    window = starts[-3] if len(starts) >= 3 else 0
    candidates = [
        (m.start, e.id)
        for e in doc.entities
        if e.type in types
        for m in e.mentions
        if window <= m.start < token.idx
    ]
    return max(candidates)[1] if candidates else None


def _argument(token: Token, doc: Document, person: bool = True) -> Argument:
    """The argument's words, with its entity id when the entities layer names it (a pronoun
    or a definite description names the entity it refers to, unless the role is no
    ``person``'s: 'they' that went off are bombs, not the latest group)."""
    start, end = _phrase(token)
    entity = doc.entity_at(start, end, token.idx)
    if entity is None and person:
        entity = _referent(token, doc)
    return Argument(start=start, end=end, text=doc.text[start:end], entity=entity)


def _find_mentions(parsed: Doc, skip: set[int]) -> list[_Mention]:
    """Triggers in text order; a casualty verb under another trigger is its toll (``host``).

    A trigger inside a date ('hours after *the ambush*') or a heading starts nothing."""
    tax = taxonomy()
    casualty_verbs = set(tax["casualty_verbs"])
    found: dict[int, _Mention] = {}
    for token in parsed:
        kind = None if token.i in skip else _trigger_type(token)
        if kind is not None:
            found[token.i] = _Mention(token, kind)
    for mention in found.values():
        token = mention.trigger
        if token.pos_ == "NOUN" and any(
            c.dep_ in ("det", "poss") and c.lower_ in tax["anaphoric_determiners"] + ["its"]
            for c in token.children
        ):
            mention.refers = True  # 'the raid', 'this strike'
        if token.pos_ not in ("VERB", "ADJ"):
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            subject = _antecedent(subject, token, found)
        if token.pos_ == "VERB" and _lemma(token) not in casualty_verbs:
            other = found.get(subject.i) if subject is not None else None
            if other is not None and _family()[other.type] == _family()[mention.type]:
                mention.host = other  # 'the explosion targeted a bakery': one incident
            continue
        cause = next(
            (
                p
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in ("in", "during", "by")
                for p in c.children
                if p.dep_ == "pobj" and p.i in found
            ),
            None,
        )
        host = None
        if subject is not None and subject.i in found:
            host = found[subject.i]  # 'an airstrike killed 12'
        elif cause is not None:
            host = found[cause.i]  # '57 fighters were killed in an airstrike'
        elif token.dep_ in ("advcl", "conj", "xcomp", "relcl", "amod") and token.head.i in found:
            host = found[token.head.i]  # 'attacked …, killing four'
        if host is not None and host is not mention:
            mention.host = host
    return [found[i] for i in sorted(found)]


def _is_duration(timex: Timex) -> bool:
    """'since 2019': an interval up to the publication, which says how long, not when."""
    words = lexicon.load("claims", "timex.json")["interval_start"]
    return timex.text.split(" ", 1)[0].lower() in words


def _date(trigger: Token, dates: list[Timex], sent: tuple[int, int]) -> Timex | None:
    """The temporal expression in the trigger's sentence that hangs on it ('attacked a
    checkpoint on 4 March'), else the nearest one, durations aside: a dateline or the date of
    the next clause may stand closer."""
    inside = [t for t in dates if sent[0] <= t.start < sent[1] and not _is_duration(t)]
    own = [t for t in inside if _hangs_on(trigger, t)]
    return min(own or inside, key=lambda t: abs(t.start - trigger.idx)) if inside else None


def _hangs_on(trigger: Token, timex: Timex) -> bool:
    """Whether the date depends on the trigger itself, directly or through a preposition
    ('On Tuesday, rebels attacked', 'the shelling on Tuesday'); a dateline hangs on its
    place name."""
    span = trigger.doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    while head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head.i == trigger.i


def _sentence_of(offset: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    return next(((s, e) for s, e in bounds if s <= offset < e), (offset, offset + 1))


def _sentence_index(offset: int, bounds: list[tuple[int, int]]) -> int:
    return next((n for n, (s, e) in enumerate(bounds) if s <= offset < e), len(bounds))


def _place_key(token: Token | None, doc: Document) -> str | None:
    if token is None:
        return None
    start, end = _phrase(token)
    return doc.entity_at(start, end, token.idx) or token.lower_


def _compatible(mention: _Mention, incident: list[_Mention], doc: Document) -> bool:
    """Same family of types, and no date or place that tells them apart."""
    family = _family()
    if not any(family[m.type] == family[mention.type] for m in incident):
        return False
    day = mention.date.first_day if mention.date else None
    place = _place_key(mention.location, doc)
    for other in incident:
        other_day = other.date.first_day if other.date else None
        if day and other_day and day != other_day:
            return False
        other_place = _place_key(other.location, doc)
        if place and other_place and place != other_place:
            return False
    return True


def _merge(
    mentions: list[_Mention], doc: Document, bounds: list[tuple[int, int]]
) -> list[list[_Mention]]:
    """Incidents: each a list of mentions in text order.

    A toll joins its host; a mention that refers back ('the raid', 'It killed four') joins
    the latest compatible incident of its type (or, for 'it', of its family); a casualty with
    no actor of its own joins a compatible incident told in the same or previous sentence."""
    outcome = set(taxonomy()["outcome_types"])
    incidents: list[list[_Mention]] = []
    where: dict[int, list[_Mention]] = {}
    for mention in mentions:
        if mention.host is not None:
            continue  # joins its host below, wherever the host goes
        target = None
        here = _sentence_index(mention.trigger.idx, bounds)
        for incident in reversed(incidents):
            if not _compatible(mention, incident, doc):
                continue
            last = _sentence_index(incident[-1].trigger.idx, bounds)
            same_type = any(m.type == mention.type for m in incident)
            if (mention.refers and (same_type or mention.type in outcome)) or (
                mention.type in outcome and not mention.args["actors"] and here - last <= 1
            ):
                target = incident
                break
        if target is None:
            target = []
            incidents.append(target)
        target.append(mention)
        where[id(mention)] = target
    for mention in (m for m in mentions if m.host is not None):
        chain = [mention]
        while chain[-1].host is not None and chain[-1].host not in chain:
            chain.append(chain[-1].host)
        if id(chain[-1]) in where:
            where[id(chain[-1])].append(mention)
        else:  # a cycle of tolls: each stands for itself
            where[id(mention)] = [mention]
            incidents.append(where[id(mention)])
    for incident in incidents:
        incident.sort(key=lambda m: m.trigger.i)
    return incidents


def _tally(
    mentions: list[_Mention], parsed: Doc, counts: list[Quantity], bounds: list[tuple[int, int]]
) -> dict[int, list[Quantity]]:
    """Casualty counts by the mention they belong to: the mention governing the count in the
    parse, else the first mention of its sentence, else (a toll told in a sentence of its
    own: 'The death toll rose to 15') the latest mention in the two sentences before of a
    type that kind of toll befits ('killed' an attack, 'arrested' an arrest)."""
    tolls = taxonomy()["toll_types"]
    by_token = {m.trigger.i: m for m in mentions}
    offsets = [m.trigger.idx for m in mentions]  # mentions come in text order
    starts = [s for s, _ in bounds]
    tally: dict[int, list[Quantity]] = {}
    for q in counts:
        if not q.kind:
            continue
        here = bisect_right(starts, q.start) - 1
        s, e = bounds[here] if here >= 0 else (q.start, q.start + 1)
        span = parsed.char_span(q.start, q.end, alignment_mode="expand")
        governing = (by_token.get(t.i) for t in (span.root, *span.root.ancestors)) if span else ()
        owner = next((v for v in governing if v is not None and s <= v.trigger.idx < e), None)
        first = bisect_left(offsets, s)
        if owner is None and first < len(offsets) and offsets[first] < e:
            owner = mentions[first]
        if owner is None:
            window = starts[max(here - 2, 0)] if here >= 0 else s
            earlier = (mentions[i] for i in range(first - 1, -1, -1) if offsets[i] >= window)
            owner = next((m for m in earlier if m.type in tolls.get(q.kind, ())), None)
        if owner is not None:
            tally.setdefault(owner.trigger.i, []).append(q)
    return tally


def _unique(arguments: list[Argument]) -> list[Argument]:
    """One argument per entity (or per wording when unnamed), first mention kept."""
    seen: set[str] = set()
    kept = []
    for a in arguments:
        key = a.entity or a.text.lower()
        if key not in seen:
            seen.add(key)
            kept.append(a)
    return kept


def _after(
    incident: list[_Mention], doc: Document, events: list[tuple[list[_Mention], str]]
) -> str | None:
    """The event an undated incident followed, when its sentence says so only relatively
    ('some days after this raid'): the latest earlier incident whose trigger that names."""
    for mention in incident:
        sent = mention.trigger.sent
        for timex in doc.dates:
            if timex.value or not sent.start_char <= timex.start < sent.end_char:
                continue
            words = timex.text.lower().split()
            if "after" not in words or words[-1] == "after":
                continue
            stem = words[-1][:5]
            for earlier, event_id in reversed(events):
                if any(_lemma(m.trigger).startswith(stem) for m in earlier):
                    return event_id
    return None


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
    """Fills ``doc.events`` (incidents) and ``doc.timeline`` (event ids by date)."""

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
        bounds = [(s.start, s.end) for s in doc.sentences]
        mentions = _find_mentions(parsed, dated | _headings(parsed, doc.body_start))
        triggers = {m.trigger.i: m for m in mentions}
        names = _names(parsed, doc)
        for mention in mentions:
            _arguments(mention, names, dated, triggers)
            mention.date = _date(
                mention.trigger, doc.dates, _sentence_of(mention.trigger.idx, bounds)
            )
        tally = _tally(mentions, parsed, doc.quantities, bounds)
        done: list[tuple[list[_Mention], str]] = []
        for incident in _merge(mentions, doc, bounds):
            event = self._event(incident, doc, tally, f"V{len(doc.events) + 1}")
            dated_by = doc.date(event.date)
            event.after = None if dated_by and dated_by.value else _after(incident, doc, done)
            doc.events.append(event)
            done.append((incident, event.id))
        doc.timeline = _timeline(doc)
        return doc

    @staticmethod
    def _event(
        incident: list[_Mention], doc: Document, tally: dict[int, list[Quantity]], event_id: str
    ) -> Event:
        """One Event from its mentions: the type and trigger of the first mention that is not
        a toll ('killed in *an airstrike*'), the first date, every participant once, every
        count."""
        types = taxonomy()["types"]
        outcome = set(taxonomy()["outcome_types"])
        kind = next((m.type for m in incident if m.type not in outcome), incident[0].type)
        first = next(m for m in incident if m.type == kind)
        date = next((m.date for m in incident if m.date), None)
        location = next((m.location for m in incident if m.location is not None), None)
        start = first.trigger.idx
        claim = next((c.id for c in doc.claims if c.start <= start < c.end), None)
        roles = {
            r: _unique([_argument(t, doc, r != "instruments") for m in incident for t in m.args[r]])
            for r in _ROLES
        }
        return Event(
            id=event_id,
            type=kind,
            plover=types[kind]["plover"],
            cameo=types[kind]["cameo"],
            trigger=doc.span(start, start + len(first.trigger)),
            mentions=[
                EventMention(
                    **doc.span(m.trigger.idx, m.trigger.idx + len(m.trigger)).model_dump(),
                    type=m.type,
                )
                for m in incident
            ],
            date=date.id if date else None,
            location=_argument(location, doc) if location is not None else None,
            casualties=list(
                dict.fromkeys(q.id for m in incident for q in tally.get(m.trigger.i, []))
            ),
            claim=claim,
            **roles,
        )


def _timeline(doc: Document) -> list[str]:
    """Event ids by the first day their date covers, an incident dated only as following
    another right after it; undated events last, in text order."""
    keys: dict[str, tuple[int, str, int, int]] = {}
    for index, event in enumerate(doc.events):
        date = doc.date(event.date)
        day = date.first_day if date else None
        if day:
            keys[event.id] = (0, day.isoformat(), index, 0)
        elif event.after in keys:
            anchor = keys[event.after]
            keys[event.id] = (*anchor[:3], index + 1)
        else:
            keys[event.id] = (1, "", index, 0)
    return sorted(keys, key=keys.__getitem__)
