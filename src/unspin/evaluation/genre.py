"""`unspin eval genre`: how often ``document.genre`` matches a hand-labelled gold set.

The gold set (``data/gold/genre.jsonl``: invented reports, opinion pieces and satire, some
with a URL) was written for unspin by an author who had not seen the genre rules, so the
figure is not tuned to them. ``None`` is an abstention, not a genre: the scores give the
share of items decided and the accuracy on those, next to the plain accuracy.
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any

from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.evaluation.metrics import rate
from unspin.ingest.jsonl import parse_lines
from unspin.pipeline import Pipeline

GENRES = ("opinion", "reporting", "satire")
UNDECIDED = "undecided"


def read_gold(path: Path | None) -> list[dict[str, Any]]:
    """Gold items with ``genre`` and ``body``; InputError names a bad file or line."""
    source = files("unspin") / "data" / "gold" / "genre.jsonl" if path is None else path
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(source), f"cannot read gold file ({exc})") from exc
    items = []
    for number, item in parse_lines(text, str(source)):
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            raise InputError(str(source), f"line {number}: needs a text 'body'")
        if item.get("genre") not in GENRES:
            raise InputError(str(source), f"line {number}: genre must be one of {GENRES}")
        items.append(item)
    if not items:
        raise InputError(str(source), "no gold items")
    return items


def evaluate(gold: Path | None = None) -> dict[str, Any]:
    """Accuracy, decided share, accuracy when decided, per-genre P/R and the confusion."""
    items = read_gold(gold)
    pipeline = Pipeline(skip=["entities", "identity", "techniques", "claims", "events"])
    confusion: Counter[tuple[str, str]] = Counter()
    for item in items:
        meta = Metadata(url=item.get("url"))
        doc = pipeline(Document.from_parts(item.get("title"), item["body"], meta))
        confusion[(item["genre"], doc.meta.genre or UNDECIDED)] += 1
    total = len(items)
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    decided = sum(n for (_, p), n in confusion.items() if p != UNDECIDED)
    per_genre = {}
    for genre in GENRES:
        support = sum(n for (g, _), n in confusion.items() if g == genre)
        predicted = sum(n for (_, p), n in confusion.items() if p == genre)
        per_genre[genre] = {
            "precision": rate(confusion[(genre, genre)], predicted),
            "recall": rate(confusion[(genre, genre)], support),
            "support": support,
        }
    return {
        "items": total,
        "accuracy": rate(correct, total),
        "decided": rate(decided, total),
        "accuracy_when_decided": rate(correct, decided),
        "per_genre": per_genre,
        "confusion": {
            g: {p: confusion[(g, p)] for p in (*GENRES, UNDECIDED) if confusion[(g, p)]}
            for g in GENRES
        },
    }
