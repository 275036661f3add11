"""Readers' corrections of technique spans, kept as gold in the store's ``gold`` table.

Each correction is one row (layer ``techniques``, origin ``workspace:<uuid>``) saying who,
when and what: a model span marked right or wrong, relabelled, or a span the model missed.
An article's gold is what people confirmed, relabelled or added, the latest word on each span
winning; a span nobody reviewed is not gold.  Exporters read ``gold_spans``: PTC here, other
formats (Label Studio) in their own modules.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, get_args

from sqlalchemy import Connection, select

from unspin.document.layers import TechniqueName
from unspin.errors import InputError
from unspin.store.database import Store
from unspin.store.models import Analysis, Gold

LAYER = "techniques"
ORIGIN = "workspace"
# What a reader can say about a span, and how the page words it.
ACTIONS = {
    "right": "marked right",
    "wrong": "marked wrong",
    "relabel": "relabelled",
    "add": "added (missed by the model)",
}
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Correction:
    """One reader's word on one span: ``previous`` is the model's label it is about (None
    for a span the reader adds); ``technique`` is the label the span should have."""

    action: str
    technique: str
    start: int
    end: int
    previous: str | None = None


@dataclass(frozen=True, slots=True)
class GoldSpan:
    article_id: str
    technique: str
    start: int
    end: int


def check(correction: Correction, text_length: int) -> None:
    """InputError naming the field a reader got wrong."""
    if correction.action not in ACTIONS:
        raise InputError("action", f"choose from {', '.join(ACTIONS)}")
    techniques = get_args(TechniqueName)
    if correction.technique not in techniques:
        raise InputError("technique", f"unknown technique {correction.technique!r}")
    if correction.previous is not None and correction.previous not in techniques:
        raise InputError("previous", f"unknown technique {correction.previous!r}")
    if correction.action != "add" and correction.previous is None:
        raise InputError("previous", "say which model label this correction is about")
    if not 0 <= correction.start < correction.end <= text_length:
        raise InputError("start", f"a span needs 0 ≤ start < end ≤ {text_length}")


def save(store: Store, analysis_id: int, correction: Correction, annotator: str) -> int:
    """Store ``correction`` of the analysis (InputError when it does not fit its text); the
    correction's row id."""
    annotator = " ".join(annotator.split())[:MAX_NAME]
    if not annotator:
        raise InputError("annotator", "give your name, so others know who corrected this")
    now = datetime.now(UTC)
    with store.writing() as conn:
        stored = conn.execute(select(Analysis.analysis).where(Analysis.id == analysis_id))
        found = stored.scalar()
        if found is None:
            raise InputError("analysis", f"no analysis {analysis_id}")
        check(correction, len(found["document"]["text"]))
        row = conn.execute(
            Gold.__table__.insert().values(
                analysis_id=analysis_id,
                layer=LAYER,
                annotator=annotator,
                annotated=now,
                origin=f"{ORIGIN}:{uuid.uuid4().hex}",
                items=[asdict(correction)],
                created=now,
            )
        )
        return int(row.inserted_primary_key[0])


def listed(conn: Connection, analysis_id: int | None = None) -> list[dict[str, Any]]:
    """Corrections oldest first, each with its analysis id, who, when and what."""
    query = select(Gold.id, Gold.analysis_id, Gold.annotator, Gold.annotated, Gold.items).where(
        Gold.layer == LAYER, Gold.origin.startswith(f"{ORIGIN}:")
    )
    if analysis_id is not None:
        query = query.where(Gold.analysis_id == analysis_id)
    return [
        {
            "id": r.id,
            "analysis_id": r.analysis_id,
            "annotator": r.annotator,
            "annotated": r.annotated.isoformat() if r.annotated else None,
            **item,
            "said": ACTIONS.get(item.get("action", ""), ""),
        }
        for r in conn.execute(query.order_by(Gold.id))
        for item in r.items
    ]


def gold_spans(conn: Connection) -> Iterator[GoldSpan]:
    """Every corrected article's gold spans, by article then offset.  The article id is the
    PTC file's number when the article came from one (``article123.txt``), else the analysis
    id: an id shared by many articles (``api``) would merge them."""
    by_analysis: dict[int, dict[tuple[int, int, str], str | None]] = {}
    for c in listed(conn):
        # the span a correction is about: the model's (offsets, label), or the one added
        about = (c["start"], c["end"], c["previous"] or c["technique"])
        by_analysis.setdefault(c["analysis_id"], {})[about] = (
            None if c["action"] == "wrong" else c["technique"]
        )
    names = conn.execute(
        select(Analysis.id, Analysis.analysis).where(Analysis.id.in_(list(by_analysis)))
    )
    article = {i: _ptc_number(data["document"].get("id")) or str(i) for i, data in names}
    for analysis_id, spans in sorted(by_analysis.items()):
        kept = sorted({(s, e, t) for (s, e, _), t in spans.items() if t is not None})
        for start, end, technique in kept:
            yield GoldSpan(article[analysis_id], technique, start, end)


def _ptc_number(ident: str | None) -> str | None:
    found = re.fullmatch(r"(?:article)?([0-9]+)", ident or "")
    return found.group(1) if found else None


def ptc(spans: Iterator[GoldSpan]) -> str:
    """Gold in the PTC span format: ``article_id<TAB>technique<TAB>start<TAB>end`` lines."""
    return "".join(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans)
