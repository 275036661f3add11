"""`unspin eval events`: triggers and arguments against a KAIROS-annotated corpus (WikiEvents).

A development scorer, not a benchmark: the gold types and roles are mapped onto unspin's
(data/events/kairos_map.json); gold events of types unspin does not model, and predictions
of unspin types no KAIROS type maps to, are left out.  A predicted mention *identifies* a
gold trigger when their spans overlap, and *classifies* it when the unspin type is one the
KAIROS type maps to (one-to-one, in text order); a mention is scored with the type its own
word names ('the attack … killed' is an attack and a killing mention of one incident).
Arguments are scored per incident: its arguments are compared with those of every gold
event one of its mentions
identified, so merging mentions is neither rewarded nor punished.  An argument matches by
head word: the predicted span holds the last word of the gold span (the head of a short
English noun phrase); "with coreference" also accepts any mention of the gold entity's
coreference cluster.  Identification ignores the role, classification needs it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from unspin import lexicon
from unspin.document import Document
from unspin.errors import InputError
from unspin.evaluation.metrics import f1, rate
from unspin.pipeline import Pipeline

_WORD = re.compile(r"\w+")

# Where an unspin event keeps each argument role (a list, or one place).
_ROLES = {"actor": "actors", "target": "targets", "victim": "victims", "instrument": "instruments"}


def _mapping() -> dict[str, Any]:
    return lexicon.load("events", "kairos_map.json")


def _unspin_types(kairos: str) -> list[str] | None:
    """The unspin types a KAIROS type counts as (longest listed prefix), None if unmodelled."""
    types = _mapping()["types"]
    prefixes = [p for p in types if kairos == p or kairos.startswith(p + ".")]
    return types[max(prefixes, key=len)] if prefixes else None


def _read(data: Path) -> Iterator[dict[str, Any]]:
    """Every document of the *.jsonl / *.jsonl.gz files in ``data``."""
    if not data.is_dir():
        raise InputError(str(data), "not a directory of WikiEvents JSON Lines files")
    paths = sorted([*data.glob("*.jsonl"), *data.glob("*.jsonl.gz")])
    if not paths:
        raise InputError(str(data), "no *.jsonl or *.jsonl.gz files")
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for n, line in enumerate(lines, 1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}", f"invalid JSON: {exc}") from exc


def _head(start: int, end: int, text: str) -> tuple[int, int]:
    """The span's last word: the head of a short English noun phrase."""
    words = list(_WORD.finditer(text, start, end))
    return (words[-1].start(), words[-1].end()) if words else (start, end)


def _holds(pred: tuple[int, int], head: tuple[int, int]) -> bool:
    return pred[0] <= head[0] and head[1] <= pred[1]


def _predicted_arguments(event: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(role, start, end) of an event's arguments, whichever roles its version has."""
    found = [
        (role, a["start"], a["end"]) for role, key in _ROLES.items() for a in event.get(key) or []
    ]
    if event.get("location"):
        found.append(("place", event["location"]["start"], event["location"]["end"]))
    return found


class _Tally:
    """True positives, predictions and gold items of one measure."""

    def __init__(self) -> None:
        self.tp_pred = self.tp_gold = self.pred = self.gold = 0

    def scores(self) -> dict[str, Any]:
        p = rate(self.tp_pred, self.pred) or 0.0
        r = rate(self.tp_gold, self.gold) or 0.0
        return {
            "predicted": self.pred,
            "gold": self.gold,
            "precision": p,
            "recall": r,
            "f1": round(f1(p, r), 3),
        }


def _score_document(
    record: dict[str, Any], pipeline: Pipeline, tallies: dict[str, _Tally], counts: Counter[str]
) -> None:
    text = record["text"]
    doc = pipeline(Document(text))
    if doc.text != text:
        raise InputError(record.get("id", "?"), "document text changed on reading")
    roles = _mapping()["roles"]
    entities = {e["id"]: e for e in record.get("entities", [])}
    cluster_of = {m: tuple(c) for c in record.get("clusters", []) for m in c}
    gold = [(g, _unspin_types(g["type"])) for g in record["events"] if _unspin_types(g["type"])]
    scored_types = {t for types in _mapping()["types"].values() for t in types}
    events = [e for e in doc.to_dict()["events"] if e["type"] in scored_types]
    mentions = sorted(
        (m["start"], m["end"], i, m.get("type", e["type"]))
        for i, e in enumerate(events)
        for m in e.get("mentions") or [e["trigger"]]
    )
    identified: dict[int, int] = {}  # gold index -> incident index
    classified: set[int] = set()
    for kind in ("identification", "classification"):
        tally = tallies[f"trigger_{kind}"]
        tally.pred += len(mentions)
        tally.gold += len(gold)
        free = set(range(len(gold)))
        for start, end, i, kind_of_mention in mentions:
            hit = next(
                (
                    g
                    for g in sorted(free)
                    if gold[g][0]["trigger"]["start"] < end
                    and start < gold[g][0]["trigger"]["end"]
                    and (kind == "identification" or kind_of_mention in (gold[g][1] or []))
                ),
                None,
            )
            if hit is None:
                continue
            free.discard(hit)
            tally.tp_pred += 1
            tally.tp_gold += 1
            if kind == "identification":
                identified[hit] = i
            else:
                classified.add(hit)
                counts[f"classified {gold[hit][0]['type'].rsplit('.', 1)[0]}"] += 1
                counts[f"correct {kind_of_mention}"] += 1
    for g, _ in gold:
        counts[f"gold {g['type'].rsplit('.', 1)[0]}"] += 1
    for *_, kind_of_mention in mentions:
        counts[f"predicted {kind_of_mention}"] += 1
    counts["incidents"] += len(events)
    counts["mentions"] += len(mentions)
    counts["incidents without argument"] += sum(1 for e in events if not _predicted_arguments(e))

    def spans(arg: dict[str, Any], coref: bool) -> list[tuple[int, int]]:
        ids = cluster_of.get(arg.get("entity_id"), ()) if coref else ()
        found = [(entities[m]["start"], entities[m]["end"]) for m in ids if m in entities]
        return [_head(s, e, text) for s, e in [(arg["start"], arg["end"]), *found]]

    gold_args = [
        (g_index, roles[a["role"]], a)
        for g_index, (g, _) in enumerate(gold)
        for a in g["args"]
        if a["role"] in roles
    ]
    for coref in (False, True):
        suffix = "_coref" if coref else ""
        by_incident: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for g_index, role, a in gold_args:
            if g_index in identified:
                by_incident.setdefault(identified[g_index], []).append((role, a))
        for kind in ("identification", "classification"):
            tally = tallies[f"argument_{kind}{suffix}"]
            tally.gold += len(gold_args)
            found: set[int] = set()
            for i, e in enumerate(events):
                for role, start, end in _predicted_arguments(e):
                    tally.pred += 1
                    hits = [
                        id(a)
                        for gold_role, a in by_incident.get(i, [])
                        if (kind == "identification" or gold_role == role)
                        and any(_holds((start, end), h) for h in spans(a, coref))
                    ]
                    tally.tp_pred += bool(hits)
                    found.update(hits)
                    if kind == "classification" and not coref:
                        counts[f"predicted {role} argument"] += 1
                        counts[f"correct {role} argument"] += bool(hits)
            tally.tp_gold += len(found)
            if kind == "classification" and not coref:
                for _, role, a in gold_args:
                    counts[f"gold {role} argument"] += 1
                    counts[f"found {role} argument"] += id(a) in found


def evaluate(data: Path, ids: list[str] | None = None) -> dict[str, Any]:
    """Trigger and argument P/R/F1 of the events layer on the WikiEvents files in ``data``
    (only the documents named in ``ids`` when given: rules written on one part of a corpus
    are measured on the other)."""
    pipeline = Pipeline(skip=["techniques"])
    names = [
        f"{part}_{kind}{suffix}"
        for part, suffixes in (("trigger", ("",)), ("argument", ("", "_coref")))
        for kind in ("identification", "classification")
        for suffix in suffixes
    ]
    tallies = {name: _Tally() for name in names}
    counts: Counter[str] = Counter()
    documents = 0
    for record in _read(data):
        if ids is not None and record.get("id") not in ids:
            continue
        _score_document(record, pipeline, tallies, counts)
        documents += 1
    per_type = {
        key.removeprefix("gold "): {
            "gold": n,
            "recall": rate(counts[f"classified {key.removeprefix('gold ')}"], n),
        }
        for key, n in sorted(counts.items())
        if key.startswith("gold ") and not key.endswith(" argument")
    }
    return {
        "documents": documents,
        **{name: tally.scores() for name, tally in tallies.items()},
        "incidents": counts["incidents"],
        "mentions": counts["mentions"],
        "incidents_without_argument": counts["incidents without argument"],
        "place_recall": rate(counts["found place argument"], counts["gold place argument"]),
        "argument_classification_by_role": {
            role: {
                "predicted": counts[f"predicted {role} argument"],
                "gold": counts[f"gold {role} argument"],
                "precision": rate(
                    counts[f"correct {role} argument"], counts[f"predicted {role} argument"]
                ),
                "recall": rate(counts[f"found {role} argument"], counts[f"gold {role} argument"]),
            }
            for role in sorted({*_ROLES, "place"})
        },
        "gold_by_kairos_type": per_type,
        "predicted_by_type": {
            key.removeprefix("predicted "): {
                "predicted": n,
                "precision": rate(counts[f"correct {key.removeprefix('predicted ')}"], n),
            }
            for key, n in sorted(counts.items())
            if key.startswith("predicted ") and not key.endswith(" argument")
        },
    }
