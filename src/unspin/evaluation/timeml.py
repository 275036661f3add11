"""`unspin eval timeml`: the date finder against TimeML TIMEX3 annotations (TempEval-3 style).

Each ``.tml`` file is read with lxml: its CREATION_TIME is the publication date and the text
of ``<TEXT>`` is what the dates layer reads (after the sentences and the parse it uses); the
TIMEX3 elements inside it are the gold.
Scores follow TempEval-3: extraction precision/recall/F1 with strict (same span) and relaxed
(overlapping span) matching, and value F1 (a relaxed match whose value equals the gold one,
over predicted and over gold), per TIMEX3 type. Files whose path runs through the folder
named ``held_back`` are scored apart: the rules of rounds 1 and 2 were developed on the rest
(``dev``); round 3 also developed on every other one of them (the first, third … by name:
``dev_held_back``), so only the others (``held_back``) stayed unseen, through round 5;
round 6 read them too, so every part is now developed on.

Four unspin forms are read as TimeBank's form of the same value: an interval that starts at
a 'since' cue is TimeML's date after the cue (TimeML does not mark the cue); a date counted
from an event ('three days later', 'shortly after the vote') is TimeML's duration before the
signal word ('three days', P3D), or no TIMEX3 at all where no count or unit is given; a
Monday to Sunday interval is that ISO week (``2019-W10``) and a Saturday-Sunday one its
weekend (``2019-W10-WE``); and a fiscal year (``FY1989``) is the year TimeBank writes
(``1989``). Each value F1 comes with a 95% interval over the part's articles drawn again.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from unspin.components import PIPELINE, dates
from unspin.document import Document, Metadata, Timex
from unspin.errors import InputError
from unspin.evaluation.metrics import bootstrap_interval, f1, rate
from unspin.pipeline import Pipeline

TYPES = ("DATE", "TIME", "DURATION", "SET")
# unspin's kind of a date -> the TIMEX3 type it is scored as.
_TYPE_OF_KIND = {"date": "DATE", "ref": "DATE", "duration": "DURATION", "set": "SET"}
_TIMEX = "TIMEX3"

Gold = tuple[int, int, str, str]  # start, end, type, value


def read(path: Path) -> tuple[str, str | None, list[Gold]]:
    """Plain text of ``<TEXT>``, the creation time and the gold TIMEX3s with offsets."""
    try:
        root = etree.parse(str(path)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(str(path), f"unreadable TimeML: {exc}") from exc
    created = root.find(f".//{_TIMEX}[@functionInDocument='CREATION_TIME']")
    body = root.find("TEXT")
    if body is None:
        raise InputError(str(path), "no <TEXT> element")
    parts: list[str] = [body.text or ""]
    gold: list[Gold] = []
    offset = len(parts[0])
    for child in body:
        inner = "".join(child.itertext())
        if child.tag == _TIMEX:
            gold.append((offset, offset + len(inner), child.get("type", ""), child.get("value")))
        parts += [inner, child.tail or ""]
        offset += len(inner) + len(child.tail or "")
    return "".join(parts), created.get("value") if created is not None else None, gold


def _week(value: str) -> str:
    """'2019-03-04/2019-03-10' -> '2019-W10' when the interval is one ISO week,
    '2019-03-09/2019-03-10' -> '2019-W10-WE' when it is its weekend."""
    first, _, last = value.partition("/")
    try:
        a, b = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return value
    year, week, _ = a.isocalendar()
    if a.weekday() == 0 and (b - a).days == 6:
        return f"{year:04d}-W{week:02d}"
    if a.weekday() == 5 and (b - a).days == 1:
        return f"{year:04d}-W{week:02d}-WE"
    return value


Predicted = tuple[int, int, str, str | None]  # start, end, type, value


def as_timex3(timex: Timex, text: str) -> list[Predicted]:
    """An unspin date as TIMEX3s: one, or two for a range of years, which TimeML marks as
    its two ends ('between 1994 and 1997')."""
    start, value = timex.start, timex.value
    kind = "TIME" if timex.precision == "time" else _TYPE_OF_KIND.get(timex.kind, "DATE")
    cue = dates.since_cue(text[timex.start : timex.end])
    counted = dates.event_duration(timex.text[cue:]) if cue or timex.kind == "date" else None
    if counted:  # TimeML's duration before the signal, or nothing
        length, duration = counted
        return [(start + cue, start + cue + length, "DURATION", duration)] if duration else []
    if cue:  # TimeML's date after the cue
        return [(start + cue, timex.end, "DATE", value.split("/")[0] if value else None)]
    if value and re.fullmatch(r"\d{4}/\d{4}", value):
        ends = [m for m in re.finditer(r"\d{2,4}", timex.text)]
        if len(ends) == 2:
            first, last = value.split("/")
            return [
                (start + m.start(), start + m.end(), "DATE", year)
                for m, year in zip(ends, (first, last), strict=True)
            ]
    if value and "/" in value:
        value = _week(value)
    elif value and value.startswith("FY"):
        value = value[2:]
    return [(start, timex.end, kind, value)]


def _score(predicted: list[Predicted], gold: list[Gold]) -> Counter:
    """Counts for one article and one type."""
    counts: Counter = Counter(predicted=len(predicted), gold=len(gold))
    for g_start, g_end, _, g_value in gold:
        counts["strict"] += any(p[0] == g_start and p[1] == g_end for p in predicted)
        over = [p for p in predicted if p[0] < g_end and g_start < p[1]]
        counts["relaxed"] += bool(over)
        counts["value"] += any(p[3] == g_value for p in over)
    return counts


def _value_f1(per_file: list[Counter]) -> float:
    """Value F1 over the files given, pooled as the report pools them."""
    right = sum(c["value"] for c in per_file)
    marked = sum(c["predicted"] + c["gold"] for c in per_file)
    return 2 * right / marked if marked else 0.0


def _report(per_file: list[Counter]) -> dict[str, Any]:
    counts: Counter = sum(per_file, Counter())
    out: dict[str, Any] = {"gold": counts["gold"], "predicted": counts["predicted"]}
    for key in ("strict", "relaxed", "value"):
        p = rate(counts[key], counts["predicted"]) or 0.0
        r = rate(counts[key], counts["gold"]) or 0.0
        out[key] = {"precision": p, "recall": r, "f1": round(f1(p, r), 3)}
    # Articles drawn again with replacement: how much the value F1 owes to which ones.
    out["value"]["f1_interval_95"] = bootstrap_interval(per_file, _value_f1)
    out["value_accuracy"] = rate(counts["value"], counts["relaxed"])
    return out


def _part(path: Path, data: Path, held_back: str, kept: list[Path]) -> str:
    """'dev', 'dev_held_back' (the held-back files developed on since round 3) or
    'held_back'."""
    if held_back not in path.relative_to(data).parts:
        return "dev"
    return "dev_held_back" if kept.index(path) % 2 == 0 else "held_back"


def evaluate(data: Path, held_back: str = "AQUAINT") -> dict[str, Any]:
    """Scores per part (see ``_part``) and TIMEX3 type over every ``.tml`` under ``data``."""
    paths = sorted(data.rglob("*.tml"))
    if not paths:
        raise InputError(str(data), "no .tml files")
    kept = [p for p in paths if held_back in p.relative_to(data).parts]
    totals: dict[str, dict[str, list[Counter]]] = {}
    files: Counter = Counter()
    # The dates layer as `unspin analyze` makes it: over the sentences and the parse.
    needed = ("language", "sentences", "dates")
    pipeline = Pipeline(skip=[name for name in PIPELINE if name not in needed])
    for path in paths:
        part = _part(path, data, held_back, kept)
        files[part] += 1
        text, created, gold = read(path)
        doc = pipeline(Document(text=text, meta=Metadata(published=created, language="en")))
        predicted = [p for t in doc.dates for p in as_timex3(t, text)]
        for kind in TYPES:
            counts = _score(
                [p for p in predicted if p[2] == kind], [g for g in gold if g[2] == kind]
            )
            totals.setdefault(part, {}).setdefault(kind, []).append(counts)
    return {
        part: {"files": files[part], **{k: _report(c) for k, c in by_type.items()}}
        for part, by_type in sorted(totals.items())
    }
