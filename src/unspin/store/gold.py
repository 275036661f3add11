"""Gold technique spans: people's labels read back from Label Studio, and written out in the
PTC format for retraining.

Each Label Studio annotation is one ``gold`` row (layer ``techniques``, origin
``labelstudio:<task id>:<annotation id>``, who and when as Label Studio recorded them), so
importing the same export twice adds nothing, and an annotation edited since is updated in
place.  Each task is one transaction: a bad task is reported and skipped, never half stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import Connection, select, update

from unspin.document.layers import TechniqueName
from unspin.errors import InputError
from unspin.store.database import Store
from unspin.store.models import Analysis, Gold

LAYER = "techniques"
SOURCE = "labelstudio"
TECHNIQUES = frozenset(get_args(TechniqueName))


@dataclass
class Imported:
    added: int = 0
    updated: int = 0
    already: int = 0
    failed: int = 0


def _read_tasks(path: Path) -> list[Any]:
    """The tasks of a Label Studio JSON export (a list; one task object is taken as one)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot read file") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    tasks = [found] if isinstance(found, dict) else found
    if not isinstance(tasks, list):
        raise InputError(str(path), "not a Label Studio JSON export (a list of tasks)")
    return tasks


def _analysis(conn: Connection, data: dict[str, Any]) -> tuple[int, str]:
    """The stored analysis a task's text belongs to: by ``unspin_id``, else the newest
    current analysis with exactly that text."""
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError("no data.text")
    wanted = data.get("unspin_id")
    if isinstance(wanted, int):
        stored = conn.execute(select(Analysis.text).where(Analysis.id == wanted)).scalar()
        if stored is None:
            raise ValueError(f"no stored analysis {wanted}")
        if stored != text:
            raise ValueError(f"data.text is not the text of analysis {wanted}")
        return wanted, text
    found = conn.execute(
        select(Analysis.id)
        .where(Analysis.text == text, Analysis.current.is_(True))
        .order_by(Analysis.id.desc())
        .limit(1)
    ).scalar()
    if found is None:
        raise ValueError("no stored analysis has this text")
    return found, text


def _spans(annotation: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The annotation's technique spans, checked against the text, in text order."""
    spans = set()
    for result in annotation.get("result") or []:
        if not isinstance(result, dict) or result.get("type") != "labels":
            continue
        value = result.get("value") or {}
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"span {start}-{end} outside the text")
        if "text" in value and value["text"] != text[start:end]:
            raise ValueError(f"span {start}-{end} does not quote the text")
        if not isinstance(labels, list) or not labels:
            raise ValueError(f"span {start}-{end} has no label")
        for label in labels:
            if label not in TECHNIQUES:
                raise ValueError(f"unknown technique {label!r}")
            spans.add((start, end, label))
    return [
        {"technique": t, "start": s, "end": e, "text": text[s:e]} for s, e, t in sorted(spans)
    ]


def _who(annotation: dict[str, Any]) -> str | None:
    """Label Studio's ``completed_by``: a user id, or a user object in some exports."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return None if who is None else str(who)


def _utc(value: datetime | None) -> datetime | None:
    """Aware UTC (SQLite hands back naive values of what it stored in UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _when(annotation: dict[str, Any]) -> datetime | None:
    stamp = annotation.get("updated_at") or annotation.get("created_at")
    if stamp is None:
        return None
    try:
        return _utc(datetime.fromisoformat(str(stamp)))
    except ValueError:
        raise ValueError(f"not a date-time: {stamp!r}") from None


def _store_task(conn: Connection, task: Any, counts: Imported) -> None:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise ValueError("not a Label Studio task (no data object)")
    analysis_id, text = _analysis(conn, task["data"])
    annotations = task.get("annotations")
    if not isinstance(annotations, list) or not annotations:
        raise ValueError("no annotations")
    for n, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            raise ValueError("an annotation is not an object")
        if annotation.get("was_cancelled"):
            continue
        row = {
            "annotator": _who(annotation),
            "annotated": _when(annotation),
            "items": _spans(annotation, text),
        }
        origin = f"{SOURCE}:{task.get('id', '-')}:{annotation.get('id', n)}"
        key = (Gold.analysis_id == analysis_id, Gold.layer == LAYER, Gold.origin == origin)
        old = conn.execute(select(Gold.annotator, Gold.annotated, Gold.items).where(*key)).first()
        if old is None:
            conn.execute(Gold.__table__.insert(), {
                **row, "analysis_id": analysis_id, "layer": LAYER, "origin": origin,
                "created": datetime.now(UTC),
            })
            counts.added += 1
        elif (old.annotator, _utc(old.annotated), old.items) == tuple(row.values()):
            counts.already += 1
        else:
            conn.execute(update(Gold).where(*key).values(**row))
            counts.updated += 1


def import_labelstudio(store: Store, path: Path, report: Callable[[str], None]) -> Imported:
    """Store the human labels of a Label Studio JSON export as gold technique spans;
    ``report`` gets one line per task skipped."""
    counts = Imported()
    for n, task in enumerate(_read_tasks(path), 1):
        name = f"task {task['id']}" if isinstance(task, dict) and "id" in task else f"task #{n}"
        try:
            with store.writing() as conn:
                _store_task(conn, task, counts)
        except ValueError as exc:
            counts.failed += 1
            report(f"{path}: {name}: {exc}; skipped")
    return counts


def ptc_rows(conn: Connection) -> list[tuple[int, str, int, int]]:
    """``(analysis id, technique, start, end)`` of the newest gold annotation of each
    analysis (one person's judgement per article, so spans are not counted twice)."""
    rows = conn.execute(
        select(Gold.analysis_id, Gold.items, Gold.annotated, Gold.id).where(Gold.layer == LAYER)
    ).all()
    oldest = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (_utc(r.annotated) or oldest, r.id))
    newest = {row.analysis_id: row for row in rows}  # later rows overwrite earlier ones
    return [
        (analysis_id, item["technique"], item["start"], item["end"])
        for analysis_id, row in sorted(newest.items())
        for item in row.items
    ]


def ptc_lines(rows: list[tuple[int, str, int, int]]) -> str:
    """``ptc_rows`` in the PTC technique-classification format,
    ``article_id\ttechnique\tstart\tend``: the article id is the analysis id, whose text
    (``article<id>.txt``) the offsets refer to."""
    return "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in rows)


def article_texts(conn: Connection, ids: set[int]) -> dict[int, str]:
    """The texts the PTC lines' offsets refer to, by analysis id."""
    rows = conn.execute(select(Analysis.id, Analysis.text).where(Analysis.id.in_(ids)))
    return dict(rows.all())
