"""brat standoff of an analysis: the ``.txt`` (the document text) and the ``.ann`` lines.

Technique spans are text-bound annotations (``T1\\tLoaded_Language 12 30\\ttext``) with the
score as an annotator note (``#1\\tAnnotatorNotes T1\\tscore=0.71``); claims are ``Claim``
annotations with their check-worthiness and source.  brat counts offsets in characters of
the ``.txt`` (code points, as Python does).  Two adjustments the format needs: brat type
names allow no comma, so the PTC names' commas become ``__`` (``Name_Calling__Labeling``;
``technique_name`` reverses it), and a span crossing a line break becomes fragments
(``T2\\tDoubt 10 20;21 30``), since a text-bound annotation lies within lines.
"""

from __future__ import annotations

from typing import Any

from unspin.document import Document, Span
from unspin.exports.common import as_document


def brat_type(technique: str) -> str:
    return technique.replace(",", "__")


def technique_name(brat: str) -> str:
    return brat.replace("__", ",")


def _fragments(text: str, span: Span) -> str:
    """``start end`` pieces of the span, one per line it covers (blank lines skipped)."""
    pieces, start = [], span.start
    for line in text[span.start : span.end].split("\n"):
        if line:
            pieces.append(f"{start} {start + len(line)}")
        start += len(line) + 1
    return ";".join(pieces)


def _quote(text: str, span: Span) -> str:
    return " ".join(line for line in text[span.start : span.end].split("\n") if line)


def ann(analysis: dict[str, Any] | Document) -> str:
    """The ``.ann`` file of the analysis (the ``.txt`` is ``document.text``, unchanged)."""
    doc = as_document(analysis)
    lines: list[str] = []
    items: list[tuple[str, Span, str]] = [
        (brat_type(t.technique), t, f"score={t.score:g}") for t in doc.techniques
    ]
    for c in doc.claims:
        source = c.attribution.source if c.attribution else None
        note = f"checkworthy={c.checkworthy:g}" + (f" source={source}" if source else "")
        items.append(("Claim", c, " ".join(note.split())))
    for n, (kind, span, note) in enumerate(
        (i for i in items if i[1].text.strip()), 1
    ):
        lines.append(f"T{n}\t{kind} {_fragments(doc.text, span)}\t{_quote(doc.text, span)}")
        lines.append(f"#{n}\tAnnotatorNotes T{n}\t{note}")
    return "".join(line + "\n" for line in lines)
