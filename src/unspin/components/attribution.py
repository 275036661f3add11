"""On whose word a claim stands: 'according to the army', 'a spokesman for X said'.

A figure the ministry *claimed* is a different fact from one the reporter saw, so each
claim keeps its source (the text and, when the entities layer knows it, the entity id) and
the cue that introduced it.  Cues come from data/claims/reporting_cues.json; the source is
the cue's subject (or the object of 'according to') in the shared dependency parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from unspin import lexicon
from unspin.document import Attribution, Document


@dataclass(frozen=True, slots=True)
class Sourcing:
    """The source span (or the cue's span when no source is named) and its cue, as found in
    the parse; ``attribution`` makes the layer item of it."""

    start: int
    end: int
    source: str | None
    cue: str
    head: int | None  # offset of the source's syntactic head, to pick the right entity

    def attribution(self, doc: Document) -> Attribution:
        """The claim's attribution, naming the source's entity when the layer knows it."""
        entity = doc.entity_at(self.start, self.end, self.head) if self.source else None
        return Attribution(
            source=self.source, entity=entity, cue=self.cue, start=self.start, end=self.end
        )


def _cues() -> dict[str, Any]:
    return lexicon.load("claims", "reporting_cues.json")


@cache
def _sourceless() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{lexicon.alternation(_cues()['sourceless'])})\b", re.IGNORECASE)


def _phrase(token: Token) -> tuple[int, int]:
    """Character extent of the source's words: its subtree without clauses about it
    ('witnesses *interviewed by our team*') and without edge punctuation."""
    dropped = {t.i for c in token.rights if c.dep_ in ("relcl", "acl", "advcl") for t in c.subtree}
    tokens = [t for t in token.subtree if t.i not in dropped]
    while len(tokens) > 1 and tokens[-1].is_punct:
        tokens.pop()
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _speaker(subject: Token) -> bool:
    """Whether a subject can be a source: not the writer or reader ('we', 'me', 'one'), and a
    pronoun only with a named antecedent before it ('he' after a person is named)."""
    cues = _cues()
    determiners = {c.lower_ for c in subject.children if c.dep_ in ("poss", "det")}
    if set(cues["not_sources"]) & (determiners | {subject.lower_}):
        return False
    if subject.pos_ not in ("PRON", "NOUN", "PROPN"):
        return False  # a fragment, not a speaker
    if subject.pos_ != "PRON":
        return True
    labels = set(cues["antecedents"].get(subject.lower_, ()))
    earliest = subject.idx - cues["antecedent_window"]
    return any(
        e.label_ in labels and earliest <= e.start_char < subject.idx for e in subject.doc.ents
    )


def _trailing(verb: Token) -> Token | None:
    """The subject the parse hung elsewhere: in ', killing at least 12 civilians, the
    Observatory said' the parse may make 'the Observatory' an apposition of 'civilians' or
    '12 civilians' the subject; the noun phrase that ends right before the verb, after a
    comma, is its subject."""
    if verb.i == 0 or verb.doc[verb.i - 1].pos_ not in ("NOUN", "PROPN"):
        return None
    head = verb.doc[verb.i - 1]
    while head.dep_ in ("pobj", "prep", "compound") and head.head.i < head.i:
        head = head.head
    first = min(t.i for t in head.subtree)
    if head.head.i > head.i or first == 0 or verb.doc[first - 1].text != ",":
        return None
    return head


def _source(token: Token, cue: str) -> Sourcing:
    start, end = _phrase(token)
    # The words' own span, not ``token.doc.text``: spaCy rebuilds that from every token of
    # the article on each read, which made attribution grow with the square of its length.
    words = token.doc.char_span(start, end)
    return Sourcing(start, end, words.text, cue, token.idx)


def _prepositional(sentence: SpacySpan) -> Sourcing | None:
    """'according to X', 'quoted by X': the object of the phrase is the source."""
    for phrase in _cues()["prepositional"]:
        words = phrase.split()
        for token in sentence:
            if token.lower_ != words[-1] or token.i - len(words) + 1 < sentence.start:
                continue
            window = token.doc[token.i - len(words) + 1 : token.i + 1]
            if " ".join(t.lower_ for t in window) != phrase:
                continue
            pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
            if pobj is None:
                later = token.doc[token.i + 1 : sentence.end]
                pobj = later.root if len(later) else None
            if pobj is not None:
                return _source(pobj, phrase)
    return None


def _verbal(sentence: SpacySpan) -> Sourcing | None:
    """'X said', 'X confirmed that …', '"…," a spokesman for X said': the subject of a
    reporting verb; the verb nearest the sentence root wins."""
    verbs = set(_cues()["verbs"])
    found: list[tuple[int, Sourcing]] = []
    for token in sentence:
        # A reporting verb inside a noun's clause ('the account that posted the clip')
        # describes that noun; it does not source the sentence.
        if (
            token.pos_ != "VERB"
            or token.lemma_.lower() not in verbs
            or token.dep_ in ("relcl", "acl")
        ):
            continue
        # A passive subject is what was reported ('clashes were reported'), never who.
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if subject is None and agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
        trailing = _trailing(token)
        if trailing is not None and (subject is None or subject.is_ancestor(trailing)):
            subject = trailing
        if subject is None or not _speaker(subject):
            continue
        depth = sum(1 for _ in token.ancestors)
        found.append((depth, _source(subject, token.text)))
    return min(found, key=lambda f: f[0])[1] if found else None


def _introduced(sentence: SpacySpan) -> Sourcing | None:
    """'The governor put it this way: "…"': a colon that ends the sentence or opens a
    quotation makes the subject of the verb before it the quotation's speaker."""
    colon = next((t for t in sentence if t.text == ":"), None)
    if colon is None or sentence[colon.i - sentence.start + 1 :].text[:1] not in (
        "",
        *_cues()["quotes"],
    ):
        return None
    for verb in sentence.doc[sentence.start : colon.i]:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if verb.pos_ in ("VERB", "AUX") and subject is not None and _speaker(subject):
            return _source(subject, verb.text)
    return None


def find(sentence: SpacySpan) -> Sourcing | None:
    """The attribution of one sentence of the shared parse, or None if it stands on the
    writer's own word."""
    found = _prepositional(sentence) or _verbal(sentence) or _introduced(sentence)
    if found is not None:
        return found
    m = _sourceless().search(sentence.text)
    if m is None:
        return None
    start = sentence.start_char + m.start()
    return Sourcing(start, start + len(m.group()), None, m.group(), None)
