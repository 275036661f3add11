"""Temporal expressions: found with patterns, parsed with dateparser, normalised to ISO 8601.

A fact-checker needs *when* as a checkable value, so every expression gets a ``value``
(ISO 8601: ``2019-03-04``, ``2019-03``, ``2019``, or an interval ``start/end``) and a
``precision`` (day, month, year, interval).  Three kinds of anchor, never guessed:

- absolute dates ("4th March 2019") need none;
- partial and deictic ones ("11 May", "in October", "last week", "on Tuesday") are resolved
  against the publication date, taking the most recent past occurrence as reporting does;
- event-relative ones ("hours after the ambush", "the next day") against the date of the
  event told before them.

Without the anchor they need, and for impossible dates ("31 February"), ``value`` is None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import dateparser
from number_parser import parse_number

from unspin import lexicon
from unspin.document import Document, Timex
from unspin.pipeline.registry import component

# dateparser's own knobs: past dates win (news reports what happened), and a bare month is
# the first of the month so the value can be cut to the month.
_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _lexicon() -> dict[str, Any]:
    return lexicon.load("claims", "timex.json")


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(kind, pattern) pairs; where matches overlap, the longest wins."""
    lex = _lexicon()
    alt = lexicon.alternation
    # Month and weekday names only capitalised: "may" and "march" are also verbs.
    month = rf"(?P<month>(?-i:{alt(lex['months'])}|(?:{alt(lex['month_abbreviations'])})\.?))"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d{2})"
    weekday = rf"(?P<weekday>(?-i:{alt(lex['weekdays'])}))"
    part = rf"(?:\s+(?:{alt(lex['day_parts'])}))?"
    unit = rf"(?P<unit>{alt(list(lex['units']))})"
    count = r"(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    same_day = alt(lex["same_day"])
    preps = alt(lex["month_prepositions"])
    flags = re.IGNORECASE
    raw = [
        ("absolute", rf"\b(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?(?![\w-])"),
        ("absolute", rf"\b{month}\s+{day}(?:,?\s+{year})?(?![\w:-])"),
        ("absolute", rf"\b{month},?\s+{year}(?![\w-])"),
        ("absolute", rf"\b(?P<iso>{year}-\d{{2}}-\d{{2}})\b"),
        ("absolute", rf"\b(?:{preps})[\s-]+(?P<core>{month})(?![\w-])"),
        ("absolute", rf"\b(?:{preps})[\s-]+(?P<core>{year})(?![\w-])"),
        ("deictic", rf"\b(?:(?P<rel>last|this|next|past)\s+)?{weekday}{part}\b"),
        ("deictic", r"\b(?P<word>yesterday|today|tonight|tomorrow|the day before yesterday)\b"),
        ("deictic", rf"\b(?:earlier\s+|later\s+)?(?P<rel>last|this|next|past)\s+{unit}\b"),
        ("deictic", rf"\b{count}\s+{unit}\s+ago\b"),
        (
            "relative",
            rf"\b(?:(?P<same>{same_day})|(?:the\s+|{count}\s+)?{unit})\s+"
            rf"(?P<dir>after|before|later)(?:\s+(?:the|this|that)\s+(?P<noun>[a-z]+))?\b",
        ),
        ("relative", rf"\bthe\s+(?P<dir>next|following|previous|same)\s+{unit}{part}\b"),
        ("relative", r"\b(?:later\s+)?that\s+(?P<unit2>day|morning|afternoon|evening|night)\b"),
    ]
    return [(kind, re.compile(p, flags)) for kind, p in raw]


def _anchor(published: str | None) -> date | None:
    """The publication day, or None when the page gave no usable date."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _parse(text: str, base: date) -> date | None:
    settings = dict(_SETTINGS, RELATIVE_BASE=datetime(base.year, base.month, base.day))
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _month_number(name: str) -> int:
    return datetime.strptime(name[:3].title(), "%b").month


def _format(day: date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _week(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _absolute(m: re.Match[str], anchor: date | None) -> tuple[str | None, str]:
    """A calendar date, complete or missing its year; impossible days resolve to None."""
    g = m.groupdict()
    if g.get("iso"):
        try:
            return date.fromisoformat(g["iso"]).isoformat(), "day"
        except ValueError:
            return None, "day"
    year = int(g["year"]) if g.get("year") else None
    if g.get("month") is None:
        return (f"{year:04d}", "year") if year else (None, "year")
    month = _month_number(g["month"])
    precision = "day" if g.get("day") else "month"
    if g.get("day"):
        day = int(g["day"])
        # 29 February stands only in a leap year; with no year given, let the anchor decide.
        longest = calendar.monthrange(year or 2000, month)[1]
        if not 1 <= day <= longest:
            return None, precision
    if year:
        return _format(date(year, month, int(g.get("day") or 1)), precision), precision
    if anchor is None:
        return None, precision
    text = f"{g.get('day') or ''} {calendar.month_name[month]}".strip()
    found = _parse(text, anchor)
    return (_format(found, precision), precision) if found else (None, precision)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _deictic(m: re.Match[str], anchor: date | None) -> tuple[str | None, str]:
    """'yesterday', 'last week', 'on Tuesday', 'three days ago': read from the publication day."""
    g = m.groupdict()
    unit = (g.get("unit") or "").lower()
    precision = _lexicon()["units"].get(unit, "day")
    if anchor is None:
        return None, precision
    if g.get("weekday"):
        text = f"{g.get('rel') or ''} {g['weekday']}".strip()
    elif g.get("word"):
        text = g["word"]
    elif g.get("count"):
        text = f"{parse_number(g['count']) or 1} {unit} ago"
    elif unit == "weekend":
        saturday = _parse("saturday", anchor)
        return (f"{saturday}/{saturday + timedelta(days=1)}" if saturday else None), precision
    else:
        rel = "last" if g["rel"].lower() == "past" else g["rel"].lower()
        text = f"{rel} {unit.rstrip('s')}"
    if (
        g.get("weekday")
        and not g.get("rel")
        and g["weekday"].lower() == _WEEKDAYS[anchor.weekday()]
    ):
        found: date | None = anchor  # a wire dated Monday saying "on Monday" means that day
    else:
        found = anchor if text.startswith("this ") else _parse(text, anchor)
    if found is None:
        return None, precision
    return (_week(found) if precision == "interval" else _format(found, precision)), precision


def _relative(m: re.Match[str], ref: date | None) -> tuple[str | None, str]:
    """'two days later', 'the next day', 'hours after the ambush': moved from ``ref``.

    A plural unit with no count ("days after") is left unresolved rather than guessed."""
    g = m.groupdict()
    unit = (g.get("unit") or "").lower()
    precision = _lexicon()["units"].get(unit, "day")
    if ref is None:
        return None, precision
    if g.get("count"):
        steps = parse_number(g["count"]) or 1
    elif unit.endswith("s"):
        return None, precision
    else:
        steps = 0 if g.get("same") or g.get("unit2") or not unit else 1
    direction = (g.get("dir") or "").lower()
    if direction == "same":
        steps = 0
    sign = -1 if direction in ("before", "previous") else 1
    if precision in ("month", "year"):
        months = steps * (12 if precision == "year" else 1) * sign
        index = ref.year * 12 + ref.month - 1 + months
        return _format(date(index // 12, index % 12 + 1, 1), precision), precision
    days = steps * (7 if precision == "interval" else 1) * sign
    moved = ref + timedelta(days=days)
    if g.get("count"):  # 'a week after the raid' is a day, 'the following week' a week
        return moved.isoformat(), "day"
    return (_week(moved) if precision == "interval" else moved.isoformat()), precision


def _start(m: re.Match[str]) -> int:
    """Where the expression starts: a leading preposition ('in 2015') is context."""
    return m.start("core") if m.groupdict().get("core") else m.start()


@cache
def _interval_start() -> re.Pattern[str]:
    """'since' before an expression makes it the start of an interval up to publication."""
    return re.compile(
        rf"\b(?:{lexicon.alternation(_lexicon()['interval_start'])})\s+$", re.IGNORECASE
    )


def since_cue(text: str) -> int:
    """Length of a leading interval cue in a date's own text ('since 2010' -> 6), else 0."""
    m = re.match(rf"(?:{lexicon.alternation(_lexicon()['interval_start'])})\s+", text, re.I)
    return m.end() if m else 0


def _matches(text: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping matches in text order, the longest kept where two overlap."""
    found = [(kind, m) for kind, pattern in _patterns() for m in pattern.finditer(text)]
    found.sort(key=lambda km: (_start(km[1]), -(km[1].end() - _start(km[1]))))
    kept: list[tuple[str, re.Match[str]]] = []
    for kind, m in found:
        if kept and _start(m) < kept[-1][1].end():
            continue
        kept.append((kind, m))
    return kept


def find(
    text: str, published: str | None = None, sentences: list[tuple[int, int]] = ()
) -> list[Timex]:
    """Every temporal expression in ``text``, resolved in reading order.

    ``sentences`` (start, end) let "hours after the ambush" find the earlier sentence that
    dated the ambush; without them the last dated expression is the reference.
    """
    anchor = _anchor(published)
    result: list[Timex] = []
    dated: list[tuple[int, date]] = []  # (offset, day) of resolved day-precision expressions
    for kind, m in _matches(text):
        precision: str | None
        if kind == "absolute":
            value, precision = _absolute(m, anchor)
        elif kind == "deictic":
            value, precision = _deictic(m, anchor)
        else:
            ref = _reference(text, m.groupdict().get("noun"), dated, sentences)
            value, precision = _relative(m, ref)
        start = _start(m)
        since = _interval_start().search(text, max(0, start - 12), start)
        if since:
            start = since.start()
            until = anchor.isoformat() if anchor else ".."
            value = f"{value.split('/')[0]}/{until}" if value else None
            precision = "interval"
        timex = Timex(
            id=f"T{len(result) + 1}",
            start=start,
            end=m.end(),
            text=text[start : m.end()],
            value=value,
            precision=precision,
        )
        result.append(timex)
        if value and precision == "day":
            dated.append((start, timex.first_day))
    return result


def _reference(
    text: str, noun: str | None, dated: list[tuple[int, date]], sentences: list[tuple[int, int]]
) -> date | None:
    """The day an event-relative expression counts from: in the latest earlier dated
    sentence that names the same event ('the ambush'), the first date after that name
    ('the offensive that began on 22 June'), else the last before it; failing that, the
    latest dated expression."""
    if not dated:
        return None
    if noun:
        stem = re.compile(rf"\b{re.escape(noun[:5])}", re.IGNORECASE)
        for offset, _ in reversed(dated):
            s, e = next(((s, e) for s, e in sentences if s <= offset < e), (offset, offset))
            named = stem.search(text, s, e)
            if named:
                same = [(o, d) for o, d in dated if s <= o < e]
                after = [od for od in same if od[0] > named.start()]
                return (after[0] if after else same[-1])[1]
    return dated[-1][1]


@component("dates", requires=("doc.sentences",), assigns=("doc.dates",))
class DateFinder:
    """Fills ``doc.dates``: every temporal expression, T1, T2… in text order, resolved
    against ``doc.meta.published``; claims and events refer to them by id."""

    def __call__(self, doc: Document) -> Document:
        spans = [(s.start, s.end) for s in doc.sentences]
        doc.dates = find(doc.text, doc.meta.published, spans)
        return doc
