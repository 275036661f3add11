"""Sentence boundaries from spaCy's dependency parse, never crossing a line break.

The parser also breaks inside a parenthesis ('(according to the Health Ministry)'), inside a
quotation and after abbreviations ('Gen.', 'U.N.'); such a break would part a figure from its
date and its source, so two pieces are joined again when the break falls inside an open
parenthesis or quotation, after a known abbreviation (data/claims/abbreviations.json), or
before a lower-case word that goes on after a closing quotation ('"…," a nurse said').
"""

from __future__ import annotations

import re
from functools import cache

from unspin import lexicon
from unspin.document import Document, Span
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

_LINE = re.compile(r"[^\n]+")
_OPEN, _CLOSE = "(\u201c", ")\u201d"


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(lexicon.load("claims", "abbreviations.json")["abbreviations"])


def _open(text: str) -> bool:
    """Whether a parenthesis or a quotation is still open at the end of ``text``."""
    paren = text.count("(") > text.count(")")
    curly = text.count("\u201c") > text.count("\u201d")
    return paren or curly or text.count('"') % 2 == 1


def _joins(before: str, after: str) -> bool:
    """Whether the break between two pieces of one line falls inside a sentence."""
    words = before.split()
    last = words[-1].lower().lstrip(_OPEN + '"') if words else ""
    quoted_on = before.rstrip()[-1:] in '"\u201d' and after[:1].islower()
    return _open(before) or last in _abbreviations() or quoted_on


@component("sentences", assigns=("doc.sentences",))
class SentenceSplitter:
    """Fills ``doc.sentences`` with trimmed, non-empty sentence spans."""

    def __call__(self, doc: Document) -> Document:
        parsed = nlp.parse(doc)
        spans: list[Span] = []
        for sent in parsed.sents:
            start = sent.start_char
            # Titles, paragraphs and list items are separate sentences even when the parser
            # runs them together.
            for line in _LINE.finditer(sent.text):
                s, e = start + line.start(), start + line.end()
                text = doc.text[s:e]
                lead = len(text) - len(text.lstrip())
                trail = len(text.rstrip())
                if trail <= lead:
                    continue
                s, e = s + lead, s + trail
                same_line = spans and "\n" not in doc.text[spans[-1].end : s]
                if same_line and _joins(spans[-1].text, doc.text[s:e]):
                    spans[-1] = doc.span(spans[-1].start, e)
                else:
                    spans.append(doc.span(s, e))
        doc.sentences = spans
        return doc
