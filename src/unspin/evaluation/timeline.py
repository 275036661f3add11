"""`unspin eval timeline`: date normalisation, casualty counts and attribution on a gold set.

A fact-checker relies on these three numbers being right (when, how many, on whose word),
so they are scored directly against hand-annotated articles (data/gold/timeline/, see its
README): a gold date is right when a predicted date overlaps it with the same value; a
gold casualty count when a predicted quantity overlaps it with the same kind and count; an
attribution is a true positive when the claim holding the gold fragment names a source
overlapping the gold source.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.evaluation.metrics import f1, rate
from unspin.pipeline import Pipeline

_KEYS = {"body", "dates", "casualties", "attributions"}


def _bundled() -> Path:
    return Path(str(files("unspin") / "data" / "gold" / "timeline"))


def _load(gold: Path) -> list[dict[str, Any]]:
    if not gold.is_dir():
        raise InputError(str(gold), "not a directory of gold articles")
    articles = []
    for path in sorted(gold.glob("*.json")):
        try:
            article = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(str(path), f"unreadable gold file: {exc}") from exc
        missing = _KEYS - set(article) if isinstance(article, dict) else _KEYS
        if missing:
            raise InputError(str(path), f"gold article lacks {', '.join(sorted(missing))}")
        articles.append(article)
    if not articles:
        raise InputError(str(gold), "no *.json gold articles")
    return articles


def _locate(text: str, fragment: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th (1-based) appearance of a gold fragment."""
    start = -1
    for _ in range(occurrence):
        start = text.find(fragment, start + 1)
        if start < 0:
            raise InputError(fragment, "gold text not found in its article")
    return start, start + len(fragment)


def _overlaps(item: dict[str, Any], span: tuple[int, int]) -> bool:
    return item["start"] < span[1] and span[0] < item["end"]


def _ratio(num: int, den: int) -> float:
    return rate(num, den) or 0.0


def evaluate(gold: Path | None = None) -> dict[str, Any]:
    """Scores of the claims/events layers on ``gold`` (default: the bundled set)."""
    articles = _load(gold or _bundled())
    pipeline = Pipeline(skip=["techniques"])
    dates = {"gold": 0, "correct": 0, "predicted": 0}
    counts = {"gold": 0, "correct": 0, "qualifier_correct": 0, "predicted": 0}
    attribution = {"tp": 0, "fp": 0, "fn": 0}
    for article in articles:
        doc = pipeline(
            Document.from_parts(
                article.get("title"), article["body"], Metadata(published=article.get("published"))
            )
        )
        text, claims = doc.text, [c.model_dump() for c in doc.claims]
        dates_by_id = {t.id: t.model_dump() for t in doc.dates}
        predicted_dates = [dates_by_id[d] for c in claims for d in c["dates"]]
        predicted_counts = [
            q.model_dump() for c in doc.claims for q in doc.quantities_of(c.quantities) if q.kind
        ]
        dates["predicted"] += len(predicted_dates)
        counts["predicted"] += len(predicted_counts)
        for item in article["dates"]:
            span = _locate(text, item["text"], item.get("occurrence", 1))
            dates["gold"] += 1
            dates["correct"] += any(
                _overlaps(d, span) and d["value"] == item["value"] for d in predicted_dates
            )
        for item in article["casualties"]:
            span = _locate(text, item["text"], item.get("occurrence", 1))
            counts["gold"] += 1
            match = next(
                (
                    q
                    for q in predicted_counts
                    if _overlaps(q, span)
                    and q["kind"] == item["kind"]
                    and q["count"] == item["count"]
                ),
                None,
            )
            counts["correct"] += match is not None
            counts["qualifier_correct"] += (
                match is not None and match["qualifier"] == item["qualifier"]
            )
        matched: set[str] = set()
        for item in article["attributions"]:
            claim_span, source_span = _locate(text, item["claim"]), _locate(text, item["source"])
            hit = next(
                (
                    c
                    for c in claims
                    if c["start"] <= claim_span[0] < c["end"]
                    and c["attribution"]
                    and c["attribution"]["source"]
                    and _overlaps(c["attribution"], source_span)
                ),
                None,
            )
            if hit is None:
                attribution["fn"] += 1
            else:
                attribution["tp"] += 1
                matched.add(hit["id"])
        attribution["fp"] += sum(
            1
            for c in claims
            if c["attribution"] and c["attribution"]["source"] and c["id"] not in matched
        )
    tp, fp, fn = attribution["tp"], attribution["fp"], attribution["fn"]
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "articles": len(articles),
        "dates": {**dates, "accuracy": _ratio(dates["correct"], dates["gold"])},
        "casualties": {
            **counts,
            "accuracy": _ratio(counts["correct"], counts["gold"]),
            "qualifier_accuracy": _ratio(counts["qualifier_correct"], counts["gold"]),
        },
        "attribution": {
            **attribution,
            "precision": precision,
            "recall": recall,
            "f1": round(f1(precision, recall), 3),
        },
    }
