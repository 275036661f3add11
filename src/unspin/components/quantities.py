"""Counts and what they count: '57 fighters were killed', 'at least a dozen civilians'.

Casualty figures are what fact-checkers compare across sources first, so each count keeps
the hedge the text put on it ('at least', 'up to') and, for vague words ('dozens'), the
smallest number the word commits to plus the word itself (see data/claims/quantities.json).
Number words are read by number-parser; the *kind* ('killed', 'injured' …) and the counted
noun come from the shared dependency parse.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from number_parser import parse_number as _words_to_number
from spacy.tokens import Doc, Token

from unspin import lexicon
from unspin.document import Document, Quantity
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|billion"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
# Arguments of a casualty word that carry the count's kind ('left 12 dead', 'among the dead').
_STATE_DEPS = {"attr", "acomp", "oprd", "xcomp", "ccomp", "dobj"}
_NOMINAL = {"NOUN", "PROPN", "PRON"}
# Words between a vague amount and what it counts: 'dozens *of the* civilians'.
_LEAD = re.compile(r"^(?:of\s+)?(?:the\s+)?", re.IGNORECASE)


def _lexicon() -> dict[str, Any]:
    """The quantity lexicon (vague words, hedges, casualty kinds)."""
    return lexicon.load("claims", "quantities.json")


@cache
def _kind_of() -> dict[tuple[str, str], str]:
    """(part of speech group, lemma) -> kind."""
    table: dict[tuple[str, str], str] = {}
    for kind, words in _lexicon()["kinds"].items():
        for group in ("verbs", "adjectives", "nouns"):
            for lemma in words[group]:
                table.setdefault((group, lemma), kind)
    return table


@cache
def _number_pattern() -> re.Pattern[str]:
    lex = _lexicon()
    words = rf"(?:{_WORDS})(?:(?:\s+and\s+|[\s-]+)(?:{_WORDS}))*"
    vague = lexicon.alternation(list(lex["vague"]))
    exact = lexicon.alternation(list(lex["exact_words"]))
    hedge = lexicon.alternation(lex["hedges"])
    skip = lexicon.alternation(lex["skip_after"])
    return re.compile(
        # Not part of a word, a price, a time, a decimal, or a serial ('No. 14').
        rf"(?<![\w$€£#.,:/-])(?<!\bno\.\s)(?:(?P<hedge>{hedge})\s+)?"
        rf"(?P<number>(?P<vague>{vague})|(?P<exact>{exact})|"
        rf"(?P<digits>{_DIGITS})(?:\s+(?:million|billion))?|{words})"
        rf"(?![\w%]|[.,:/]\d|\s+(?:{skip})\b)",
        re.IGNORECASE,
    )


def parse_number(text: str) -> int | None:
    """'57', '1,200', 'twenty-one', 'a dozen', '2 million' -> int; None if not a number."""
    words = " ".join(text.lower().replace("-", " ").split())
    lex = _lexicon()
    if words in lex["exact_words"]:
        return lex["exact_words"][words]
    if words in lex["vague"]:
        return lex["vague"][words]
    head, _, scale = words.partition(" ")
    if re.fullmatch(_DIGITS, head):
        value = int(head.replace(",", ""))
        return value * {"": 1, "million": 10**6, "billion": 10**9}.get(scale, 1)
    return _words_to_number(words)


def _token_at(parsed: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the tokens inside [start, end)."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _kind_near(token: Token) -> str | None:
    """A casualty kind named by the token, its modifiers, or a clause it belongs to."""
    table = _kind_of()
    if token.pos_ in _NOMINAL and ("nouns", token.lemma_.lower()) in table:
        return table[("nouns", token.lemma_.lower())]
    if token.pos_ == "ADJ" and ("adjectives", token.lower_) in table:
        return table[("adjectives", token.lower_)]  # '(12 dead, 30 injured)'
    for child in token.children:
        lemma = child.lemma_.lower()
        if child.dep_ in ("amod", "acl", "relcl", "appos"):
            group = "verbs" if child.pos_ in ("VERB", "AUX") else "adjectives"
            kind = table.get((group, lemma)) or table.get(("adjectives", child.text.lower()))
            if kind:
                return kind
    return None


def _kind_of_clause(verb: Token) -> str | None:
    """The kind a verb gives its arguments: 'killed', 'were left dead', 'toll rose to'."""
    table = _kind_of()
    kind = table.get(("verbs", verb.lemma_.lower()))
    if kind:
        return kind
    for child in verb.children:
        lemma = child.lemma_.lower()
        if child.dep_ in _STATE_DEPS:
            kind = table.get(("adjectives", child.text.lower())) or table.get(("nouns", lemma))
        elif child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in _NOMINAL:
            kind = table.get(("nouns", lemma))
        elif child.dep_ == "prep" and lemma == "among":
            kind = next(
                (
                    table.get(("nouns", g.lemma_.lower()))
                    or table.get(("adjectives", g.text.lower()))
                    for g in child.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
        if kind:
            return kind
    return None


def _kind(counted: Token) -> str | None:
    """Walk up from the counted word to its verb: the verb's kind wins ('one of the
    hostages died' is a death), else the first casualty word met on the way ('12 dead')."""
    token = counted
    noun_kind = None
    for _ in range(6):
        # 'including nine children' is tagged a verb but only links the count to its clause.
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "prep":
            return _kind_of_clause(token) or noun_kind or _kind_near(token)
        noun_kind = noun_kind or _kind_near(token)
        if token.head.i == token.i:
            break
        token = token.head
    return noun_kind


def _counted(number: Token, end: int) -> tuple[Token | None, int]:
    """The noun a number counts and where its phrase ends ('four policemen', 'dozens of X');
    the noun always follows the number."""
    head = number.head
    if (
        number.dep_ in ("nummod", "amod", "det", "quantmod", "compound")
        and head.i > number.i
        and (head.pos_ in _NOMINAL or head.pos_ == "ADJ")
    ):
        return head, max(end, head.idx + len(head))
    for child in number.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in _NOMINAL and pobj.i > number.i:
                return pobj, pobj.idx + len(pobj)
    return None, end


def find(parsed: Doc, text: str, exclude: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Counts that count something or report a casualty kind; numbers inside ``exclude``
    (the date spans) are years and days, not counts."""
    found: list[Quantity] = []
    for m in _number_pattern().finditer(text):
        s, e = m.span("number")
        if any(a < e and s < b for a, b in exclude):
            continue
        count = parse_number(m.group("number"))
        token = _token_at(parsed, s, e)
        if count is None or token is None:
            continue
        counted, end = _counted(token, e)
        # 'one' alone is usually a pronoun ('no one', 'the one who'), not a count.
        if counted is None and m.group("number").lower() == "one":
            continue
        kind = _kind(counted) if counted is not None else None
        kind = kind or _kind(token)
        if counted is None and kind is None:
            continue
        start = m.start()
        if found and start < found[-1].end:
            continue  # already inside the previous count's phrase
        who = None
        if counted is not None and counted.pos_ in _NOMINAL:
            who = _LEAD.sub("", text[e:end].strip(" -")) or counted.text
        qualifiers = [q.lower() for q in (m.group("hedge"), m.group("vague")) if q]
        found.append(
            Quantity(
                id=f"Q{len(found) + 1}",
                start=start,
                end=end,
                text=text[start:end],
                count=count,
                kind=kind,
                who=who,
                qualifier=" ".join(qualifiers) or None,
            )
        )
    return found


@component("quantities", requires=("doc.dates",), assigns=("doc.quantities",))
class QuantityFinder:
    """Fills ``doc.quantities``: every count, Q1, Q2… in text order; numbers inside a date
    are not counts."""

    def __call__(self, doc: Document) -> Document:
        dates = [(t.start, t.end) for t in doc.dates]
        doc.quantities = find(nlp.parse(doc), doc.text, dates)
        return doc
