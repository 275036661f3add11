"""Sentence boundaries from spaCy's dependency parse, never crossing a line break."""

from __future__ import annotations

import re

from unspin.document import Document, Span
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

_LINE = re.compile(r"[^\n]+")


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
                if trail > lead:
                    spans.append(doc.span(s + lead, s + trail))
        doc.sentences = spans
        return doc
