"""Identity claims: sentences saying two named actors are one, that one is a front for another,
or that one is a branch, wing or proxy of another.

Blurring distinct groups into one ('the SDF is nothing but the PKK') is a move worth seeing,
and so is the honest 'ISIS, also known as Daesh'.  Either way the reader gets the sentence,
the actors, the cue, and what the knowledge base records about each actor (affiliations
with dates), to compare the claim against.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

from unspin import lexicon
from unspin.components.entities import store
from unspin.components.entities.store import Entry, KnowledgeBase
from unspin.document import Document, Entity, IdentityClaim
from unspin.pipeline.registry import component
from unspin.settings import EntitySettings

RELATIONS = ("same_as", "front_for", "part_of")


def _alternation(phrases: list[str]) -> str:
    """Longest first; 'is …' cues also match 'are/was/were …'."""
    out = []
    for phrase in sorted(phrases, key=len, reverse=True):
        pattern = re.escape(phrase).replace(r"\ ", r"\s+")
        if phrase.startswith("is "):
            pattern = r"(?:is|are|was|were)" + pattern[2:]
        out.append(pattern)
    return "|".join(out)


@cache
def _patterns() -> dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]:
    """Per relation: a regex for the text between two names, one for the text after a pair."""
    cues = lexicon.load("kb", "identity_cues.json")
    # Demonyms may qualify the second name too: 'an arm of the Kurdish PKK'.
    demonyms = lexicon.load("kb", "qualifiers.json")["demonyms"]
    words = cues["filler"] + sorted({w for group in demonyms.values() for w in group})
    filler = rf"(?:\s+(?:{_alternation(words)}))*"
    # Someone else's claim reported: 'has been accused by Ankara of being a front for'.
    frame = (
        r"(?:(?:(?:has|have|had)\s+been|is|are|was|were|being)\s+)?"
        r"(?:(?:[^\s,.;]+\s+){0,3}?"  # who says so: 'which Washington describes as'
        rf"(?:{_alternation(cues['frame_verbs'])})(?:\s+by\s+[^,.;]{{1,60}}?)?"
        r"(?:\s+(?:of\s+being|as|to\s+be))?\s+|as\s+)?"
        rf"(?:(?:is|are|was|were)\s+(?:(?:{_alternation(cues['hedges'])})\s+)?)?"
    )
    # A clause or apposition between subject and claim: 'The SDF, whose commanders are Kurds,
    # has been ...', 'The YPG, a militia that Washington armed, is ...'.
    clause = r"(?:\s*,\s*(?:whose|which|who|the|a|an|its|their)\b[^,;.]*,)?"
    out = {}
    for relation in RELATIONS:
        between = re.compile(
            rf"^{clause}[\s,;:(\u2014\u2013-]*(?:which\s+|who\s+)?{frame}"
            rf"(?P<cue>{_alternation(cues[relation]['between'])})"
            rf"{filler}[\s:,\"\u201c'\u2018(]*$",
            re.IGNORECASE,
        )
        after = cues[relation]["after_pair"]
        pair = (
            re.compile(rf"^[\s,\"\u201d'\u2019)]*(?P<cue>{_alternation(after)})\b", re.IGNORECASE)
            if after
            else None
        )
        out[relation] = (between, pair)
    return out


# A relative clause between the subject and the claim ('The SDF, whose backbone is the YPG,
# has been accused of being a front for'), or the claim's source named inside one ('Hezbollah,
# which the State Department calls a front for'), or an apposition ('The YPG, the main U.S.
# ally in Syria, is an arm of').
_CLAUSE = re.compile(r"^\s*,\s*(?:whose|which|who|that)\b[^,;.]*$", re.IGNORECASE)
_SOURCE = re.compile(r"^\s*,\s*(?:which|whom)\s+(?:the\s+)?$", re.IGNORECASE)
_APPOSITION = re.compile(
    r"^\s*,\s*(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|N|[A-Z][\w.]*)(?:['\u2019]s)?\s[^,;.]*$"
)


def _subject(text: str, inside: list[tuple[int, int, dict[str, Any]]], k: int, gap: str) -> Any:
    """The claim's subject: the pair's first name, or a name before a clause or apposition
    that holds it ('The YPG, the main U.S. ally in Syria, is an arm of ...': not Syria)."""
    start = inside[k][0]
    if k and _SOURCE.match(text[inside[k - 1][1] : start]):
        return inside[k - 1][2]
    if gap.lstrip().startswith(","):
        segment = ""  # the text back to an earlier name, names in between written as N
        for j in range(k - 1, -1, -1):
            segment = text[inside[j][1] : inside[j + 1][0]] + ("N" if segment else "") + segment
            if _CLAUSE.match(segment) or _APPOSITION.match(segment):
                return inside[j][2]
            if re.search(r"[,;.]", segment):
                break
    return inside[k][2]


_AND = re.compile(r"^\s*,?\s*and\s+(?:the\s+)?$", re.IGNORECASE)


def _relation(gap: str, rest: str) -> tuple[str, str] | None:
    """The relation and cue that the text between two names (or after 'X and Y') states."""
    for relation, (between, pair) in _patterns().items():
        match = between.match(gap)
        if match:
            return relation, match["cue"]
        tail = pair.match(rest) if pair and _AND.match(gap) else None
        if tail:
            return relation, tail["cue"]
    return None


@cache
def _relation_words() -> dict[str, str]:
    return {k: v for k, v in lexicon.load("kb", "relations.json").items() if not k.startswith("_")}


def _period(aff: dict[str, Any]) -> str:
    start, end = aff.get("start"), aff.get("end")
    if start and end:
        return f" ({start} to {end})"
    if start:
        return f" (from {start})"
    return f" (until {end})" if end else ""


def _describe(entry: Entry, kb: KnowledgeBase) -> list[str]:
    """What the knowledge base records about one actor, one line per fact."""
    words = _relation_words()
    lines = []
    for aff in entry.affiliations:
        target = kb.entries.get(aff.get("target", ""))
        other = target.name if target else aff.get("target", "?")
        relation = words.get(aff.get("relation", ""), aff.get("relation", "related to"))
        lines.append(f"{entry.name}: {relation} {other}{_period(aff)}.")
    if entry.note:
        lines.append(f"{entry.name}: {entry.note}")
    return lines


def kb_notes(actors: list[Entity], kb: KnowledgeBase) -> list[str]:
    """What the knowledge base says about the actors a claim names, for the reader to compare."""
    entries = [kb.entries.get(a.kb_id) if a.kb_id else None for a in actors]
    notes = []
    known = [e for e in entries if e is not None]
    if len(actors) == 1 and known:
        notes.append(f"The knowledge base lists these names as one actor: {known[0].name}.")
    elif len(known) == 2 and known[0].id != known[1].id:
        notes.append(
            f"The knowledge base records {known[0].name} and {known[1].name} as distinct actors."
        )
    for actor, entry in zip(actors, entries, strict=True):
        if entry is None:
            notes.append(f"{actor.name} is not in the knowledge base.")
        else:
            notes += _describe(entry, kb)
    return notes


def find_claims(
    text: str,
    entities: list[Entity],
    sentences: list[tuple[int, int]],
    kb: KnowledgeBase,
) -> list[IdentityClaim]:
    """Sentences where the text equates two named actors or calls one a front for another."""
    mentions = sorted(
        (m.start, m.end, e) for e in entities for m in e.mentions if e.type != "place"
    )
    claims = []
    for s_start, s_end in sentences:
        inside = [m for m in mentions if s_start <= m[0] and m[1] <= s_end]
        for k, ((a_start, a_end, a), (b_start, b_end, b)) in enumerate(pairwise(inside)):
            gap = text[a_end:b_start]
            before = text[inside[k - 1][1] : a_start] if k else ""
            found = _relation(gap, text[b_end:s_end])
            if found:
                a = _subject(text, inside, k, gap)
            elif k and "," in gap:
                # The pair's first name sits inside an apposition that closes in the gap.
                inner, _, rest = gap.partition(",")
                if _APPOSITION.match(before + "N" + inner):
                    found = _relation(rest, "")
                    a = inside[k - 1][2]
            if found is None:
                continue
            if (a.type == "person") != (b.type == "person"):
                continue  # 'Oswald was actually a U.S. agent': a person is not a group
            actors = [a] if a.id == b.id else [a, b]
            claims.append(
                IdentityClaim(
                    start=s_start,
                    end=s_end,
                    text=text[s_start:s_end],
                    actors=[x.id for x in actors],
                    relation=found[0],
                    cue=" ".join(found[1].split()),
                    kb_notes=kb_notes(actors, kb),
                )
            )
    return claims


@component(
    "identity",
    requires=("doc.sentences", "doc.entities"),
    assigns=("doc.identity_claims",),
    settings="entities",
)
class IdentityFinder:
    """Fills ``doc.identity_claims`` from the entities layer and the knowledge base."""

    def __init__(self, settings: EntitySettings | None = None) -> None:
        self.kb_path = (settings or EntitySettings()).kb

    def __call__(self, doc: Document) -> Document:
        sentences = [(s.start, s.end) for s in doc.sentences]
        kb = store.load(self.kb_path)
        doc.identity_claims = find_claims(doc.text, doc.entities, sentences, kb)
        return doc
