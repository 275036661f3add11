"""Where names occur: spaCy's entities plus the knowledge base's curated names.

spaCy's small English model misses or mislabels many transliterated names ('Hay'at Tahrir
al-Sham' as a PERSON, 'Dayr' alone as an ORG), so every curated name and alias is also
looked up in the running text, longest first; spaCy's entities fill in the rest (people,
unknown groups, towns).  Ordinary words never match: a name must start with a capital (or
an Arabic article), a one-word match must be a proper noun, and acronyms ('IS') must be
written in capitals outside all-capital headlines.  A curated organisation's name preceded
by another capitalised word is the tail of a longer name ('Social Democratic Party' is not the
US 'Democratic Party') unless that word only says whose it is ('Russian Wagner Group').
The words after a rank or office are a person ('Colonel Turki al-Maliki' is not Turkey and
Nouri al-Maliki); a name shaped like a mountain, base or camp is a place and a phrase of
demonyms ('Gulf Arab') describes people, whatever spaCy's label (``data/kb/name_shapes.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from unspin import lexicon
from unspin.components.entities.normalise import ARTICLES, key
from unspin.components.entities.store import ORG_TYPES, KnowledgeBase
from unspin.document import PLACE_TYPES

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
GAZETTEER = "KB"  # label of a span found by the curated-name lookup


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text and how it was found (a spaCy label, or ``KB``)."""

    start: int
    end: int
    text: str
    label: str
    proper: bool = True


def _can_start(token: Token, kb: KnowledgeBase) -> bool:
    if not token.text[0].isalpha():
        return False
    if token.lower_ in ARTICLES:
        return True
    return token.text[0].isupper() and key(token.text) in kb.first_words


def _acronym(token: Token, kb: KnowledgeBase) -> bool:
    bare = token.text.replace(".", "")
    capitals = bare.isupper() or (len(bare) >= 4 and bare.istitle())
    return bare.upper() in kb.by_acronym and capitals and (token.is_alpha or "." in token.text)


def _shouting(text: str, start: int, end: int) -> bool:
    """True inside an all-capitals line, where 'IS' is a verb, not a group."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > len(text[start:end]) * 3 and sum(
        c.isupper() for c in letters
    ) > 0.6 * len(letters)


@cache
def _qualifiers() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Name heads ('Party', 'Front') and, per spelling key, the countries it can qualify."""
    table = lexicon.load("kb", "qualifiers.json")
    countries: dict[str, set[str]] = {}
    for iso, words in table["demonyms"].items():
        for word in words:
            countries.setdefault(key(word), set()).add(iso)
    return frozenset(table["heads"]), {k: frozenset(v) for k, v in countries.items()}


@cache
def name_shapes() -> dict[str, Any]:
    """Ranks, place heads and prefixes, and the words of demonym phrases, as lookup sets."""
    table = lexicon.load("kb", "name_shapes.json")
    demonyms = {
        key(w)
        for words in lexicon.load("kb", "qualifiers.json")["demonyms"].values()
        for w in words
    }
    rank = lexicon.alternation(table["ranks"])
    prefix = lexicon.alternation(table["place_prefixes"])
    return {
        "rank_name": re.compile(rf"(?<![\w.])(?:{rank})\s+({_NAME}(?:[ \t]+{_NAME}){{0,3}})"),
        "place_name": re.compile(rf"(?<![\w.])((?:{prefix})[ \t]+{_NAME}(?:[ \t]+{_NAME}){{0,2}})"),
        "heads": tuple(table["place_heads"]),
        "prefixes": frozenset(table["place_prefixes"]),
        "peoples": demonyms | {key(w) for w in table["peoples"]},
    }


def shape_label(name: str, label: str) -> str:
    """spaCy's label corrected by the name's shape: 'Qalamun mountains' is a place (LOC),
    'Gulf Arab' describes people (NORP)."""
    words = name.split()
    if len(words) > 1 and (
        name.endswith(name_shapes()["heads"]) or words[0] in name_shapes()["prefixes"]
    ):
        return label if label in ("GPE", "LOC", "FAC") else "LOC"
    parts = name.replace("-", " ").split()
    if parts and all(key(w) in name_shapes()["peoples"] for w in parts):
        return "NORP"
    return label


def rank_names(
    parsed: Doc, text: str, kb: KnowledgeBase, skip: list[tuple[int, int]]
) -> list[Mention]:
    """People introduced by rank or office ('Colonel Turki al-Maliki', 'Spokesman Yahya
    Saree'): the name after the title.  A title inside a longer known name ('UN General
    Assembly') or a headline is skipped, and a one-word name must be one spaCy calls a person
    ('General Motors' is not)."""
    out = []
    for match in name_shapes()["rank_name"].finditer(text):
        s, e = match.span(1)
        if any(a <= match.start() < b for a, b in skip):
            continue
        span = parsed.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        named_person = any(t.ent_type_ == "PERSON" for t in span)
        if len(match[1].split()) < 2 and not named_person:
            continue
        known = kb.by_key.get(key(match[1]), [])
        if known and all(entry.type != "person" for entry in known):
            continue
        out.append(Mention(s, e, match[1], "PERSON"))
    return out


def _place_head(last: Token, after: Token) -> bool:
    """True when the word after a name is a one-word place head ('camp', 'airbase')."""
    return _adjacent(last, after) and after.text in name_shapes()["heads"]


def prefixed_places(text: str, skip: list[tuple[int, int]]) -> list[Mention]:
    """Places named by a prefix ('Jabal Shashabo', 'Wadi Qelt') that spaCy may not see;
    never on a Title Case line ('Tensions Mount Over Talks')."""
    return [
        Mention(m.start(1), m.end(1), m[1], "LOC")
        for m in name_shapes()["place_name"].finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in skip)
    ]


def _whose(words: str, kb: KnowledgeBase) -> set[str | None]:
    """The countries a qualifier like 'Russian', 'US' or 'Florida' can point to."""
    k = key(words)
    found: set[str | None] = set(_qualifiers()[1].get(k, ()))
    found.update(e.country for e in kb.by_key.get(k, []) if e.type in PLACE_TYPES)
    found.update(e.country for e in kb.by_acronym.get(words, []) if e.type in PLACE_TYPES)
    return found


def _tail_of_longer_name(parsed: Doc, i: int, j: int, kb: KnowledgeBase, headline: bool) -> bool:
    """True when tokens i..j, a curated organisation's name, follow a capitalised word that
    belongs to the name ('Lebanese Democratic Party') rather than saying whose it is
    ('Russian Wagner Group', 'Florida Democratic Party')."""
    if i == 0 or headline or parsed[j - 1].text not in _qualifiers()[0]:
        return False
    before = parsed[i - 1]
    if not (before.is_alpha and before.text[0].isupper()) or not _adjacent(before, parsed[i]):
        return False
    opening = all(not t.is_alpha for t in parsed[before.sent.start : before.i])
    if opening or before.is_stop:
        return False  # capitalised anyway: '"The Republican Party', 'Senior WHO officials'
    entries = kb.by_key.get(key(parsed[i:j].text), [])
    if not entries or any(e.type not in ORG_TYPES for e in entries):
        return False
    qualifiers = [before.text]
    if i >= 2 and parsed[i - 2].is_alpha and _adjacent(parsed[i - 2], before):
        qualifiers.append(parsed[i - 2 : i].text)  # 'Northern Irish', 'South Korean'
    for words in qualifiers:
        whose = _whose(words, kb)
        if any(e.country in whose or (e.country is None and whose) for e in entries):
            return False
        known = key(words) in kb.gazetteer or words in kb.by_acronym
        if known and any(e.country is None for e in entries):
            return False  # an international body named with its parent: 'NATO Military Committee'
    return True


def _word(token: Token) -> bool:
    """A token a name can end on: letters, apostrophes inside allowed ("Sa'ada"), not "'s"."""
    return token.text[0].isalpha() and token.text[-1].isalpha()


def _adjacent(left: Token, right: Token) -> bool:
    return left.idx + len(left) + 1 == right.idx


def gazetteer_spans(
    parsed: Doc, text: str, kb: KnowledgeBase, headlines: list[tuple[int, int]]
) -> list[Mention]:
    """Curated names in the text, longest match first, never overlapping."""
    found: list[Mention] = []
    n = len(parsed)
    i = 0
    while i < n:
        token = parsed[i]
        match = None
        if _can_start(token, kb):
            for j in range(min(n, i + kb.longest + 2), i, -1):
                last = parsed[j - 1]
                s, e = token.idx, last.idx + len(last.text)
                surface = text[s:e]
                if "\n" in surface or not _word(last):
                    continue
                if key(surface) in kb.gazetteer and (j - i > 1 or token.pos_ == "PROPN"):
                    headline = any(h[0] <= s < h[1] for h in headlines)
                    if not _tail_of_longer_name(parsed, i, j, kb, headline):
                        match = Mention(s, e, surface, GAZETTEER), j
                    break
        if (
            match is None
            and _acronym(token, kb)
            and not _shouting(text, token.idx, token.idx + len(token))
        ):
            match = Mention(token.idx, token.idx + len(token), token.text, GAZETTEER), i + 1
        if match:
            found.append(match[0])
            i = match[1]
        else:
            i += 1
    return found


# Determiners spaCy sometimes takes into a name; 's: a split possessive.
LEADING_JUNK = frozenset({"the", "a", "an", "this", "that", "these", "those", "s", "'s", "\u2019s"})
TRAILING_JUNK = frozenset({"'s", "\u2019s", "'", "\u2019"})
# Lower-case words inside names ('Observatory for Human Rights') that spaCy sometimes runs on
# past one ('a Border Security Force of Kurds'); acronyms skip them.
FUNCTION_WORDS = frozenset({"of", "and", "or", "for", "the", "in", "on", "at", "to", "from"})
TITLE_CASE_SHARE = 0.6  # of a line's words capitalised
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# One word of a person's name after a rank: capitalised, or with an Arabic article or a
# particle ('al-Maliki', 'bin Salman').
_NAME = (
    r"(?:(?:al|el|ad|ar|as|ash|at|az|bin|ibn|abu|abd|bint|de|van|von)[-\s])?"
    r"[A-Z][\w'\u2019]*(?:-[A-Za-z][\w'\u2019]*)*"
)


def _trimmed(parsed: Doc, ent_start: int, ent_end: int) -> tuple[int, int] | None:
    """Entity token range without a leading 'the', stray punctuation, a possessive or a
    trailing lower-case function word."""
    while ent_start < ent_end and (
        parsed[ent_start].lower_ in LEADING_JUNK
        or not any(c.isalnum() for c in parsed[ent_start].text)
    ):
        ent_start += 1
    while ent_end > ent_start and (
        parsed[ent_end - 1].lower_ in TRAILING_JUNK or parsed[ent_end - 1].text in FUNCTION_WORDS
    ):
        ent_end -= 1
    return (ent_start, ent_end) if ent_start < ent_end else None


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each Title Case line (headline, subhead): found once per text."""
    lines, start = [], 0
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words):
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _headline_cut(
    parsed: Doc, text: str, ent_start: int, ent_end: int, line: tuple[int, int]
) -> int:
    """On a Title Case line spaCy runs names into the next capitalised word ('Corbyn
    Losing'): keep the longest head of the name used elsewhere in the text."""
    for end in range(ent_end, ent_start, -1):
        pattern = rf"(?<!\w){re.escape(parsed[ent_start:end].text)}(?!\w)"
        if any(not line[0] <= m.start() < line[1] for m in re.finditer(pattern, text)):
            return end
    return ent_end


def _lines(parsed: Doc, text: str, start: int, end: int) -> list[Span]:
    """The parts of an entity on each line of the text (``text`` is ``parsed.text``, which
    spaCy rebuilds from the tokens on every read)."""
    pieces = []
    for line in text[start:end].split("\n"):
        if line.strip():
            piece = parsed.char_span(start, start + len(line), alignment_mode="contract")
            if piece is not None and len(piece):
                pieces.append(piece)
        start += len(line) + 1
    return pieces


def find(parsed: Doc, text: str, kb: KnowledgeBase) -> list[Mention]:
    """All name mentions in text order: curated names, then spaCy's other entities."""
    headlines = _title_case_lines(text)
    mentions = gazetteer_spans(parsed, text, kb, headlines)
    people = rank_names(parsed, text, kb, [(m.start, m.end) for m in mentions] + headlines)
    mentions = [m for m in mentions if not any(p.start < m.end and m.start < p.end for p in people)]
    mentions += people
    mentions += prefixed_places(text, [(m.start, m.end) for m in mentions] + headlines)
    taken = [(m.start, m.end) for m in mentions]
    for ent in parsed.ents:
        if ent.label_ not in LABELS:
            continue
        # Across a paragraph break spaCy has glued two names or a name and a word: keep the
        # longest line's part.
        pieces = _lines(parsed, text, ent.start_char, ent.end_char)
        for piece in sorted(pieces, key=len, reverse=True)[:1]:
            tokens = _trimmed(parsed, piece.start, piece.end)
            if tokens is None:
                continue
            first, last = tokens
            line = next((h for h in headlines if h[0] <= parsed[first].idx < h[1]), None)
            if line is not None:
                last = _headline_cut(parsed, text, first, last, line)
            if line is None and last < len(parsed) and _place_head(parsed[last - 1], parsed[last]):
                last += 1  # spaCy left out 'camp' of 'Sahn al-Jinn camp'
            if _tail_of_longer_name(parsed, first, last, kb, line is not None):
                first -= 1  # spaCy left out 'Free' of 'Free Democratic Party'
            s, e = parsed[first].idx, parsed[last - 1].idx + len(parsed[last - 1].text)
            if any(s < te and ts < e for ts, te in taken):
                continue
            proper = any(t.pos_ == "PROPN" for t in parsed[first:last])
            mentions.append(Mention(s, e, text[s:e], shape_label(text[s:e], ent.label_), proper))
            taken.append((s, e))
    return sorted(mentions, key=lambda m: m.start)
