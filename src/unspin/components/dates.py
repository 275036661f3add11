"""Temporal expressions: found with patterns, parsed with dateparser, normalised to ISO 8601.

A fact-checker needs *when* as a checkable value, so every expression gets a ``value``
(ISO 8601: ``2019-03-04``, ``2019-03``, ``2019``, or an interval ``start/end``) and a
``precision`` (day, month, year, interval).  Three kinds of anchor, never guessed:

- absolute dates ("4th March 2019") need none;
- partial and deictic ones ("11 May", "in October", "last week", "on Tuesday") are resolved
  against the publication date, in the direction the verb they hang on points: forward under
  "will", "is expected to", "is scheduled to"; backward under a past tense; otherwise the
  nearest occurrence for a month or day (a weekday: the last one, as reporting tells);
- event-relative ones ("hours after the ambush", "the next day") against the date of the
  event told before them.

Where ISO 8601 has no form the value is TIMEX3's: seasons ``2019-SU``, quarters ``2019-Q3``,
halves ``2019-H1``, fiscal years ``FY2019``, decades ``199``, centuries ``19``, durations
``P2Y``, vague references ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``.  ``kind`` keeps what
cannot date an event apart: durations ("for two years", "since 2010"), sets ("every week")
and vague references.  Without the anchor they need, and for impossible dates
("31 February"), ``value`` is None.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import dateparser
from dateutil.easter import easter
from number_parser import parse_number
from spacy.tokens import Doc, Token

from unspin import lexicon
from unspin.document import Document, Timex
from unspin.pipeline import nlp
from unspin.pipeline.registry import component

# Which way a partial date resolves from the anchor: back, nearest, forward.
PAST, NEAREST, FUTURE = -1, 0, 1
Direction = Callable[[int, int], int]

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
    # An abbreviation without its period before a capitalised word is a name ('Jan Kavan').
    month = (
        rf"(?P<month>(?-i:{alt(lex['months'])}|(?:{alt(lex['month_abbreviations'])})"
        r"(?:\.|(?!\s+[A-Z][a-z]))))"
    )
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    yyyy = r"(?:19|20)\d{2}"
    spelled = _spelled_year()
    year = rf"(?P<year>{yyyy}|{spelled})"
    # A year before 1900 only after a preposition and not before a noun ('in 1898', not
    # 'in 1200 homes').
    function = r"(?:by|and|or|as|to|the|after|before|until|when|while|with|for|at|on|in|of|but)\b"
    old = rf"1[0-8]\d{{2}}(?!\s+(?-i:(?!{function})[a-z]))"
    weekday = rf"(?P<weekday>(?-i:{alt(lex['weekdays'])}))"
    # 'Saturday, April 25': the date names the day; the weekday tells which year's it is.
    dow = rf"(?:(?P<dow>(?-i:{alt(lex['weekdays'])})),?\s+)?"
    part = rf"(?:\s+(?:{alt(lex['day_parts'])}))?"
    unit = rf"(?P<unit>{alt(list(lex['units']))})"
    words = _count_words()
    count = rf"(?P<count>\d+|an?|{words})"
    same_day = alt(lex["same_day"])
    preps = alt(lex["month_prepositions"])
    ordinal = rf"(?P<ord>{alt(list(lex['ordinals']))}|\d{{1,2}}(?:st|nd|rd|th))"
    season = rf"(?P<season>{alt(list(lex['seasons']))})"
    edge = r"(?:(?:early|late|mid)[\s-]+)?"
    span = rf"(?P<span>{alt(list(lex['duration_units']))})"
    some = rf"(?P<some>{_duration_count()})"
    # Not a duration: 'two days later' (a date), '37 years old' (an age).
    later = r"(?!\s+(?:ago|later|after|before|earlier|from|since|old)\b)"
    period = rf"(?:{alt(lex['report_periods'])})"
    same = rf"(?:{alt(lex['comparable'])})"
    quarter_ord = r"(?P<yqord>first|second|third|fourth)"
    flags = re.IGNORECASE
    raw = [
        # Before 'deictic': 'a year ago' is read against the period the article reports on.
        ("yearback", rf"\bthe\s+(?:{same}\s+)?year[\s-](?:ago|earlier)\s+(?:{quarter_ord}\s+)?"
         rf"{period}\b"),
        ("yearback", r"\byear-(?:ago|earlier)\b(?!\s*[$£€#\d])"),
        ("yearback", rf"\b(?:the\s+(?:{same}\s+)?{period}\s+)?(?:a|one)\s+year\s+"
         r"(?P<back>ago|earlier|before)\b"),
        ("yearback", rf"\b(?:the\s+{same}\s+{period}\s+last\s+year|last\s+year's\s+{period})\b"),
        ("focus", rf"\b(?:the|that)\s+(?:(?:(?P<year>{yyyy})|latest)\s+{period}|quarter)(?![\w-])"),
        ("absolute", rf"\b{dow}(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?(?![\w-])"),
        (
            "absolute",
            rf"\b(?:(?P<mrel>last|next|this)\s+)?{dow}{month}\s+{day}(?:,?\s+{year})?"
            r"(?![\w-]|:\d)",
        ),
        ("absolute", rf"\b{month},?\s+{year}(?![\w-])"),
        ("absolute", rf"\b{month}\s+(?P<yrel>last|this|next)\s+year\b"),
        ("absolute", rf"\b(?P<iso>{year}-\d{{2}}-\d{{2}})\b"),
        # '15.03.2023' (day first), '15/03/2023' or '03/15/2023' (whichever the numbers allow).
        ("numeric", r"(?<![\w./])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)"
         r"(?P<ny>(?:19|20)\d{2})(?![\w/]|[.,]\d)"),
        ("absolute", rf"\b(?:{preps})[\s-]+(?P<core>{month})(?![\w-])"),
        ("absolute", rf"\b(?P<mrel>last|next|this)\s+(?:(?:coming|past)\s+)?{month}(?![\w-])"),
        # Not 'fell to 1462.93': a decimal is an amount.
        (
            "absolute",
            rf"\b(?:{preps})[\s-]+(?P<core>(?P<year>{yyyy}|{old}|{spelled}))(?![\w-]|[.,]\d)",
        ),
        # Also 'post-1959', 'mid-2019'.
        (
            "year",
            rf"(?:(?<![\w$£€#.,/-])|(?<=\bpost-)|(?<=\bpre-)|(?<=\bmid-)){year}(?![\w%/-]|[.,]\d)",
        ),
        # 'April 24 and 25': the second day of the month just named (kept only after one).
        (
            "nextday",
            rf"(?<=\d)\s+(?:and|or|&)\s+(?P<core>\d{{1,2}})(?![\w%]|[.,]\d|\s*-|"
            rf"\s+(?!{function})[a-z])",
        ),
        ("fiscal", rf"\b(?:fiscal(?:\s+year)?\s+|(?-i:FY)\s?){year}\b"),
        ("range", rf"\b(?:from\s+)?(?P<y1>{yyyy})\s*(?:-|\u2013|to|until)\s*"
         rf"(?P<y2>(?:19|20)?\d{{2}})(?![\w%-])"),
        ("range", rf"\bbetween\s+(?P<y1>{yyyy})\s+and\s+(?P<y2>{yyyy})\b"),
        (
            "quarter",
            rf"\b(?:(?P<qrel>this|last|next)\s+year's\s+)?(?:the\s+)?(?:(?P<qyear>{yyyy})"
            rf"\s+)?(?:fiscal[\s-]+)?(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+"
            rf"(?P<part>quarter|half)(?:\s+of\s+(?:fiscal\s+)?{year})?\b",
        ),
        ("quarter", rf"\b(?-i:Q(?P<qnum>[1-4]))(?:\s+{year})?\b"),
        # 'the last half of 1989', 'the first two quarters of 1990' (a half).
        (
            "quarter",
            rf"\b(?:the\s+)?(?P<qedge>first|last|final)\s+(?:two\s+(?P<pair>quarters)|"
            rf"(?P<part>quarter|half))\s+of\s+(?:fiscal\s+)?{year}\b",
        ),
        (
            "quarter",
            r"\b(?:the\s+)?(?P<qrel>latest|current|last|previous|this|next|coming|past)\s+"
            r"(?:fiscal\s+)?(?P<part>quarter)\b",
        ),
        ("season", rf"\b(?P<rel>last|this|next|past|coming)\s+{season}\b"),
        ("season", rf"\b(?:the\s+)?{edge}{season}(?:\s+of)?\s+{year}\b"),
        ("season", rf"\bthe\s+{edge}{season}\b"),
        ("season", rf"\b(?:in|during|by|until|through)\s+(?P<core>{edge}"
         rf"(?P<season>spring|summer|autumn|winter))\b"),
        (
            "holiday",
            rf"\b(?:(?P<hrel>last|next|this)\s+)?(?P<holiday>{alt(list(lex['holidays']))})"
            r"(?![\w-])",
        ),
        # Not 'the fiscal year 1990': the year named wins.
        ("reportyear", rf"\b(?:{alt(lex['year_of_the_report'])})(?![\w-]|\s+\d)"),
        # 'sales for the year', 'a high for the year', 'the first nine months of the year'.
        (
            "reportyear",
            r"\b(?:for|of)\s+(?P<core>the\s+year)(?![\w-]|\s+(?:\d|before|after|earlier|"
            rf"later|ago|to|when|that|in|of)\b|\s+{spelled})",
        ),
        ("decade", rf"\b(?:the\s+)?{edge}(?P<cent>19|20)(?P<dec>\d)0'?s\b"),
        ("decade", rf"(?:\bthe\s+{edge}'?|(?<!\w)')(?P<dec>\d)0'?s\b"),
        ("decade", rf"\bthe\s+{edge}(?P<word>{alt(list(lex['decade_words']))})\b"),
        ("decade", r"\b(?:the\s+)?(?P<drel>last|past|previous|this|current)\s+decade\b"),
        ("century", rf"\b(?:the\s+)?{edge}{ordinal}\s+century\b"),
        # 'as soon as' is a conjunction; 'in the past year' a date, 'the past two months' a
        # duration.
        (
            "vague",
            rf"(?<!\bas\s)\b(?P<vague>{alt(list(lex['vague']))})\b"
            rf"(?!\s+(?:(?:{some}\s+)?{span}|{unit}|{period}|fiscal|as)\b)",
        ),
        # 'today's world', 'tomorrow's leaders': no day at all.
        (
            "vague",
            rf"\b(?P<generic>{alt(list(lex['generic_deictics']))})(?=['\u2019]s\s+(?:[a-z]+\s+)?"
            rf"(?:{alt(lex['generic_nouns'])})\b)",
        ),
        # 'several years ago': some time back, no telling when.
        ("vague", rf"\b(?P<ago>(?:{alt(lex['vague_counts'])})\s+{unit}\s+ago)\b"),
        ("duration", rf"\b(?:the\s+)?(?:(?:past|last|next|previous|coming|first|following)\s+)?"
         rf"{some}\s+{span}\b{later}"),
        ("duration", rf"\b(?:for|over|within)\s+(?P<core>(?:about\s+|nearly\s+|almost\s+)?"
         rf"(?P<some>an?)\s+{span})\b{later}"),
        ("duration", rf"\b{some}-(?P<span>day|week|month|year|decade|hour)\b(?!-old)"),
        ("set", rf"\b(?:every|each)\s+(?:{some}\s+)?{span}\b"),
        ("deictic", rf"\b(?:(?P<rel>last|this|next|past)\s+)?{weekday}{part}\b"),
        ("deictic", r"\b(?P<word>yesterday|today|tonight|tomorrow|the day before yesterday)\b"),
        ("deictic", rf"\b(?:earlier\s+|later\s+)?(?P<rel>last|this|next|past|current)\s+"
         rf"(?:fiscal\s+)?{unit}\b"),
        ("deictic", r"\bthe\s+(?P<unit>weekend)\b"),
        ("deictic", rf"\b{count}\s+{unit}\s+ago\b"),
        (
            "relative",
            rf"\b(?:(?P<same>{same_day})|(?:the\s+|{count}\s+)?{unit})\s+"
            rf"(?P<dir>after|before|later|earlier)(?:\s+(?:the|this|that)\s+(?P<noun>(?-i:[a-z]+)))?\b",
        ),
        ("relative", rf"\bthe\s+(?P<dir>next|following|previous|same)\s+{unit}{part}\b"),
        ("relative", rf"\bthe\s+(?P<dir>following|previous)\s+{weekday}\b"),
        (
            "relative",
            r"\b(?:later\s+)?that\s+(?:same\s+)?(?P<unit2>day|morning|afternoon|evening|night)\b",
        ),
        # 'later in the day' is the day the story is on ('... in the day before returning').
        ("relative", r"\b(?:later|earlier)\s+in\s+the\s+(?P<unit2>day)\b"),
        (
            "relative",
            rf"\bthe\s+(?P<dir>next|following|previous)\s+(?P<daypart>{alt(lex['day_parts'])})\b",
        ),
        ("thatyear", r"\b(?:(?:earlier|later)\s+(?:in\s+)?)?that\s+year\b(?!')"),
    ]
    return [(kind, re.compile(p, flags)) for kind, p in raw]


def _number_words() -> tuple[str, str, str]:
    """Alternations of the ones, teens and tens in words."""
    words = _lexicon()["number_words"]
    return tuple(lexicon.alternation(list(words[k])) for k in ("ones", "teens", "tens"))


@cache
def _duration_count() -> str:
    """How many units a duration gives: '2.5', 'several', 'twenty-four'."""
    return rf"\d+(?:\.\d+)?|{lexicon.alternation(_lexicon()['vague_counts'])}|{_count_words()}"


@cache
def _count_words() -> str:
    """A count in words up to ninety-nine: 'seven', 'fifteen', 'twenty-four'."""
    ones, teens, tens = _number_words()
    return rf"(?:{tens})(?:[\s-]+(?:{ones}))?|{teens}|{ones}"


@cache
def _spelled_year() -> str:
    """A year in words, as broadcast transcripts write it: 'nineteen ninety-six',
    'twenty ten', 'two thousand and one'; not a count of years ('two thousand years')."""
    ones, teens, tens = _number_words()
    years = _lexicon()["year_words"]
    alt = lexicon.alternation
    units = alt(list(_lexicon()["duration_units"]))
    return (
        rf"(?:(?:{alt(list(years['hundreds']))})[\s-]+(?:(?:{tens})(?:[\s-]+(?:{ones}))?|{teens})"
        rf"|(?:{alt(list(years['thousands']))})(?:\s+(?:and\s+)?(?:{teens}|{ones}))?)\b"
        rf"(?![\s-]+(?:{units})\b)"
    )


def _year_value(text: str) -> str:
    """'1996' -> '1996', 'nineteen ninety-six' -> '1996', 'two thousand' -> '2000'."""
    if text.isdigit() or not text:
        return text
    years = _lexicon()["year_words"]
    lowered = re.sub(r"[\s-]+", " ", text.lower())
    thousand = next((w for w in years["thousands"] if lowered.startswith(w)), None)
    if thousand:
        base, rest = years["thousands"][thousand], lowered[len(thousand) :].split()
    else:
        first, *rest = lowered.split()
        base = years["hundreds"][first] * 100
    numbers = {k: v for group in _lexicon()["number_words"].values() for k, v in group.items()}
    return f"{base + sum(numbers.get(w, 0) for w in rest):04d}"


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


def _absolute(
    m: re.Match[str], anchor: date | None, direction: int = NEAREST
) -> tuple[str | None, str]:
    """A calendar date, complete or missing its year; impossible days resolve to None."""
    g = m.groupdict()
    if g.get("iso"):
        try:
            return date.fromisoformat(g["iso"]).isoformat(), "day"
        except ValueError:
            return None, "day"
    year = int(_year_value(g["year"])) if g.get("year") else None
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
    if g.get("yrel"):  # 'July last year'
        year = anchor.year + {"last": -1, "next": 1}.get(g["yrel"].lower(), 0)
        return _format(date(year, month, 1), precision), precision
    rel = (g.get("mrel") or "").lower()
    if rel == "this":
        return _format(date(anchor.year, month, int(g.get("day") or 1)), precision), precision
    direction = {"last": PAST, "next": FUTURE}.get(rel, direction)
    day = int(g.get("day") or 0)
    spans = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day > calendar.monthrange(y, month)[1]:
            continue  # 29 February of a common year
        first = date(y, month, day or 1)
        last = first if day else date(y, month, calendar.monthrange(y, month)[1])
        spans.append((first, last))
    named = [sp for sp in spans if g.get("dow") and _WEEKDAYS[sp[0].weekday()] == g["dow"].lower()]
    if day and len(named) == 1:
        return _format(named[0][0], precision), precision
    return _format(_orient(spans, anchor, direction), precision), precision


def _orient(spans: list[tuple[date, date]], anchor: date, direction: int) -> date:
    """The first day of the candidate (first, last day) the direction picks: the latest
    that has begun by the anchor, the earliest not yet over, or the nearest, a day ahead
    counting as ``future_distance_weight`` days back (news tells what has happened)."""
    if direction == PAST:
        return max(first for first, _ in spans if first <= anchor)
    if direction == FUTURE:
        return min(first for first, last in spans if last >= anchor)

    weight = _lexicon()["future_distance_weight"]

    def distance(span: tuple[date, date]) -> float:
        first, last = span
        return max((first - anchor).days * weight, (anchor - last).days, 0)

    return min(spans, key=lambda sp: (distance(sp), sp[0] > anchor))[0]


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# 'the past year' is the last one, 'the current month' this one.
_SAME_REL = {"past": "last", "current": "this"}


def _weekend(anchor: date, rel: str, direction: int) -> str:
    """Saturday/Sunday: the last weekend begun by the anchor ('the weekend' in a report of
    it), the one before under 'last' on a Saturday, the coming one under 'next' or a verb
    that points forward."""
    back = (anchor.weekday() - 5) % 7
    saturday = anchor - timedelta(days=back)
    if rel == "last" and back == 0:
        saturday -= timedelta(days=7)
    elif rel == "next" or (rel != "last" and direction == FUTURE and back):
        saturday += timedelta(days=7)
    return f"{saturday}/{saturday + timedelta(days=1)}"


def _deictic(
    m: re.Match[str], anchor: date | None, direction: int = PAST
) -> tuple[str | None, str]:
    """'yesterday', 'last week', 'on Tuesday', 'three days ago': read from the publication day.

    A bare weekday is the last one (the publication day itself included) unless its verb
    points forward ('talks will resume Monday')."""
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
        return _weekend(anchor, (g.get("rel") or "").lower(), direction), precision
    else:
        rel = g["rel"].lower()
        text = f"{_SAME_REL.get(rel, rel)} {unit.rstrip('s')}"
    if g.get("weekday") and not g.get("rel"):
        # A wire dated Monday saying "on Monday" means that day.
        back = (anchor.weekday() - _WEEKDAYS.index(g["weekday"].lower())) % 7
        ahead = (7 - back) % 7
        found: date | None = anchor + (
            timedelta(days=ahead) if direction == FUTURE else -timedelta(days=back)
        )
    else:
        found = anchor if text.startswith("this ") else _parse(text, anchor)
    if found is None:
        return None, precision
    return (_week(found) if precision == "interval" else _format(found, precision)), precision


def _relative(m: re.Match[str], ref: date | None) -> tuple[str | None, str]:
    """'two days later', 'the next day', 'hours after the ambush': moved from ``ref``.

    A plural unit with no count ("days after") is left unresolved rather than guessed."""
    g = m.groupdict()
    unit = "day" if g.get("daypart") else (g.get("unit") or "").lower()  # 'the next morning'
    precision = _lexicon()["units"].get(unit, "day")
    if ref is None:
        return None, precision
    if g.get("weekday"):  # 'the previous Friday': the last one before the day counted from
        target = _WEEKDAYS.index(g["weekday"].lower())
        ahead, back = (target - ref.weekday()) % 7 or 7, (ref.weekday() - target) % 7 or 7
        days = ahead if g["dir"].lower() == "following" else -back
        return (ref + timedelta(days=days)).isoformat(), "day"
    if g.get("count"):
        steps = parse_number(g["count"]) or 1
    elif unit.endswith("s"):
        return None, precision
    else:
        steps = 0 if g.get("same") or g.get("unit2") or not unit else 1
    direction = (g.get("dir") or "").lower()
    if direction == "same":
        steps = 0
    sign = -1 if direction in ("before", "earlier", "previous") else 1
    if precision in ("month", "year"):
        months = steps * (12 if precision == "year" else 1) * sign
        index = ref.year * 12 + ref.month - 1 + months
        return _format(date(index // 12, index % 12 + 1, 1), precision), precision
    days = steps * (7 if precision == "interval" else 1) * sign
    moved = ref + timedelta(days=days)
    if g.get("count"):  # 'a week after the raid' is a day, 'the following week' a week
        return moved.isoformat(), "day"
    return (_week(moved) if precision == "interval" else moved.isoformat()), precision

Resolved = tuple[str | None, str | None]


def _year(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    return _year_value(m.group("year")), "year"


def _report_year(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'the full year', 'year-end': the year the article is written in."""
    return (f"{anchor.year:04d}" if anchor else None), "year"


def _holiday_on(rule: dict[str, Any], year: int) -> date:
    """The day a holiday falls on in ``year`` (see 'holidays' in timex.json)."""
    if "easter" in rule:
        return easter(year) + timedelta(days=rule["easter"])
    if "weekday" in rule:
        start = date(year, rule["month"], rule["from_day"])
        return start + timedelta(days=(rule["weekday"] - start.weekday()) % 7)
    return date(year, rule["month"], rule["day"])


def _holiday(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'Thanksgiving Day', 'last Christmas', 'Easter week': the occurrence the tense (or
    'last', 'next') points at; a week holiday is its ISO week."""
    name = " ".join(m.group("holiday").lower().replace("\u2019", "'").split())
    rule = _lexicon()["holidays"][name]
    precision = "interval" if rule.get("week") else "day"
    if anchor is None:
        return None, precision
    rel = (m.group("hrel") or "").lower()
    direction = {"last": PAST, "next": FUTURE}.get(rel, direction)
    days = [_holiday_on(rule, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if rel == "this":
        days = [d for d in days if d.year == anchor.year]
    if rule.get("week"):
        monday = [d - timedelta(days=d.weekday()) for d in days]
        spans = [(first, first + timedelta(days=6)) for first in monday]
        return _week(_orient(spans, anchor, direction)), precision
    return _orient([(d, d) for d in days], anchor, direction).isoformat(), precision


def _fiscal(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """A fiscal year is not the calendar year: TIMEX3's FY form keeps it apart."""
    return f"FY{_year_value(m.group('year'))}", "year"


def _range(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'2014-2016', 'between 2010 and 2012', 'from 2010 to 12': one interval of years."""
    first, last = m.group("y1"), m.group("y2")
    last = first[:2] + last if len(last) == 2 else last
    return (f"{first}/{last}" if last > first else None), "interval"


def _quarter(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'the third quarter (of 2019)', 'Q3 2019', 'the latest quarter', 'next year's first
    half': a year's quarter (2019-Q3) or half (2019-H1); the year by default the anchor's."""
    g = m.groupdict()
    half = (g.get("part") or "").lower() == "half" or bool(g.get("pair"))
    precision = "half" if half else "quarter"
    number = int(g["qnum"]) if g.get("qnum") else None
    if g.get("qord"):
        number = _ordinal(g["qord"])
    if g.get("qedge"):
        number = 1 if g["qedge"].lower() == "first" else 2 if half else 4
    year = _year_value(g.get("year") or g.get("qyear") or "")
    if year:
        return f"{year}-{'H' if half else 'Q'}{number}", precision
    if anchor is None:
        return None, precision
    rel = (g.get("qrel") or "").lower()
    if number is None:  # 'the latest quarter' is the last one over; 'this quarter' the current
        index = anchor.year * 4 + (anchor.month - 1) // 3
        index += {"latest": -1, "last": -1, "previous": -1, "past": -1, "next": 1}.get(rel, 0)
        index += 1 if rel == "coming" else 0
        return f"{index // 4:04d}-Q{index % 4 + 1}", precision
    shift = {"last": -1, "next": 1}.get(rel, 0)
    return f"{anchor.year + shift:04d}-{'H' if half else 'Q'}{number}", precision


def _ordinal(word: str) -> int:
    numbers: dict[str, int] = _lexicon()["ordinals"]
    return numbers.get(word.lower()) or int(re.sub(r"\D", "", word))


def _year_back(
    m: re.Match[str], anchor: date | None, focus: str | None, ref: date | None
) -> Resolved:
    """'a year ago', 'the year-earlier quarter', 'last year's period': earnings news compares
    the period it reports on with the same one a year before, so with a quarter or half in
    focus (the first one named, as a report's lead names its period) the value is that
    period a year back ('1989-Q3' -> '1988-Q3'); otherwise the year before the anchor, or
    before the event 'a year earlier' counts from."""
    g = m.groupdict()
    if g.get("yqord"):
        year = int(focus[:4]) if focus else anchor.year if anchor else None
        return (f"{year - 1:04d}-Q{_ordinal(g['yqord'])}" if year else None), "quarter"
    if focus:
        return f"{int(focus[:4]) - 1:04d}{focus[4:]}", "quarter" if "Q" in focus else "half"
    base = ref if (g.get("back") or "").lower() in ("earlier", "before") and ref else anchor
    return (f"{base.year - 1:04d}" if base else None), "year"


def _in_focus(m: re.Match[str], focus: str | None) -> Resolved:
    """'the quarter', 'the latest period', 'the 1988 period': the quarter or half in focus,
    in the year named if one is."""
    if focus is None:
        return None, None
    year = _year_value(m.groupdict().get("year") or "")
    return (f"{year}{focus[4:]}" if year else focus), "quarter" if "Q" in focus else "half"


_SEASON_ORDER = ("SP", "SU", "FA", "WI")


def _season(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'last summer' -> 2019-SU: the season of the year TIMEX3 gives it (winter: the year
    of its December); 'last', 'this' and 'next' count from the anchor's own season."""
    g = m.groupdict()
    code = _lexicon()["seasons"][g["season"].lower()]
    if g.get("year"):
        return f"{_year_value(g['year'])}-{code}", "season"
    if anchor is None:
        return None, "season"
    # Seasons numbered from year 0 spring; December opens the winter of its year.
    now = anchor.year * 4 + (anchor.month - 3) % 12 // 3 - (anchor.month < 3) * 4
    k = _SEASON_ORDER.index(code)
    same_year = now - now % 4 + k
    rel = (g.get("rel") or "").lower()
    if rel in ("last", "past"):
        index = same_year if same_year < now else same_year - 4
    elif rel in ("next", "coming"):
        index = same_year if same_year > now else same_year + 4
    elif rel == "this" or same_year == now:
        index = same_year
    else:
        back = same_year if same_year < now else same_year - 4
        index = back if direction == PAST or (direction == NEAREST and now - back <= 2) else (
            back + 4
        )
    return f"{index // 4:04d}-{_SEASON_ORDER[index % 4]}", "season"


def _decade(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'the 1990s', 'the mid-'80s', 'the nineties', 'the last decade': TIMEX3 writes a
    decade as 199."""
    g = m.groupdict()
    if g.get("drel"):
        if anchor is None:
            return None, "decade"
        back = g["drel"].lower() in ("last", "past", "previous")
        return f"{anchor.year // 10 - back:03d}", "decade"
    if g.get("word"):
        return f"19{_lexicon()['decade_words'][g['word'].lower()]}", "decade"
    century = g.get("cent")
    if century is None:  # "the '90s": the latest such decade by the anchor
        this = anchor.year if anchor else date.today().year
        century = str(this // 100 - (int(g["dec"]) > this % 100 // 10))
    return f"{century}{g['dec']}", "decade"


def _numeric(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'15.03.2023' is day first; with slashes the order is the one the numbers allow, and
    none when both would do ('03/04/2023': 3 April or 4 March)."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("ny"))
    if m.group("sep") == "." or (a > 12 and b <= 12):
        day, month = a, b
    elif a <= 12 < b or a == b:
        month, day = a, b
    else:
        return None, "day"
    try:
        return date(year, month, day).isoformat(), "day"
    except ValueError:
        return None, "day"


def _century(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'the 20th century' -> 19 (TIMEX3: the years 1900-1999)."""
    return f"{_ordinal(m.group('ord')) - 1:02d}", "century"


def _vague(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    g = m.groupdict()
    if g.get("ago"):
        return "PAST_REF", None
    if g.get("generic"):
        return _lexicon()["generic_deictics"][g["generic"].lower()], None
    return _lexicon()["vague"][g["vague"].lower()], None


def _duration(m: re.Match[str], anchor: date | None, direction: int) -> Resolved:
    """'for two years' -> P2Y, 'several months' -> PXM, 'six hours' -> PT6H."""
    letter = _lexicon()["duration_units"][m.group("span").lower()]
    some = (m.group("some") or "").lower()
    if some.replace(".", "").isdigit():
        number = some
    elif not some and m.group("span").lower().endswith("s"):  # 'days after the vote'
        number = "X"
    elif some in ("", "a", "an"):  # 'every week', 'for a year'
        number = "1"
    else:
        number = str(parse_number(some) or "X")
    return ("PT" if letter.startswith("T") else "P") + number + letter.lstrip("T"), None


_RESOLVERS: dict[str, Callable[[re.Match[str], date | None, int], Resolved]] = {
    "year": _year,
    "reportyear": _report_year,
    "holiday": _holiday,
    "fiscal": _fiscal,
    "range": _range,
    "quarter": _quarter,
    "season": _season,
    "decade": _decade,
    "century": _century,
    "numeric": _numeric,
    "vague": _vague,
    "duration": _duration,
    "set": _duration,
}
# What each pattern kind is as a Timex kind; the rest are dates.
_KINDS = {"vague": "ref", "duration": "duration", "set": "set"}


def _start(m: re.Match[str]) -> int:
    """Where the expression starts: a leading preposition ('in 2015') is context."""
    return m.start("core") if m.groupdict().get("core") else m.start()


@cache
def _cue_before(words: str) -> re.Pattern[str]:
    """One of the lexicon's ``words`` ending just before an expression: 'interval_start'
    ('since 2010' starts an interval up to publication) or 'future_cues' ('as soon as
    Tuesday' is still to come)."""
    return re.compile(rf"\b(?:{lexicon.alternation(_lexicon()[words])})\s+$", re.IGNORECASE)


def since_cue(text: str) -> int:
    """Length of a leading interval cue in a date's own text ('since 2010' -> 6), else 0."""
    m = re.match(rf"(?:{lexicon.alternation(_lexicon()['interval_start'])})\s+", text, re.I)
    return m.end() if m else 0


@cache
def _counted_from_event() -> re.Pattern[str]:
    """The leading count and unit of a date counted from an event ('three days' of 'three
    days later'), or a same-day word ('shortly' of 'shortly after the vote'). Not 'a year
    earlier': that compares with the period a report is on, a date in its own right."""
    lex = _lexicon()
    alt = lexicon.alternation
    some = rf"(?P<some>{_duration_count()}|an?)"
    return re.compile(
        rf"(?!(?:a|one)\s+year\s+(?:ago|earlier|before)\b)"
        rf"(?:(?:{some}\s+)?(?P<span>{alt(list(lex['duration_units']))})|{alt(lex['same_day'])})"
        r"(?=\s+(?:after|before|later|earlier)\b)",
        re.IGNORECASE,
    )


def event_duration(text: str) -> tuple[int, str | None] | None:
    """A date counted from an event in its own text, as TimeML marks it: the duration before
    the signal word ('three days later' -> (10, 'P3D'), 'days after' -> (4, 'PXD')), or
    nothing ('shortly after the vote' -> (0, None)); None for any other date."""
    m = _counted_from_event().match(text)
    if m is None:
        return None
    if not m.group("span"):
        return 0, None
    return m.end(), _duration(m, None, 0)[0]


@cache
def _not_year() -> re.Pattern[str]:
    """Words that make the number after them no year ('No. 1990', 'Resolution 2254')."""
    words = lexicon.alternation(_lexicon()["not_year_before"])
    return re.compile(rf"(?:^|\W)(?:{words})\s*$", re.IGNORECASE)


def _matches(text: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping matches in text order, the longest kept where two overlap."""
    found = [
        (kind, m)
        for kind, pattern in _patterns()
        for m in pattern.finditer(text)
        if kind != "year" or not _not_year().search(text, max(0, m.start() - 12), m.start())
    ]
    found.sort(key=lambda km: (_start(km[1]), -(km[1].end() - _start(km[1]))))
    kept: list[tuple[str, re.Match[str]]] = []
    for kind, m in found:
        if kept and _start(m) < kept[-1][1].end():
            continue
        kept.append((kind, m))
    return kept


def find(
    text: str,
    published: str | None = None,
    sentences: list[tuple[int, int]] = (),
    direction: Direction | None = None,
) -> list[Timex]:
    """Every temporal expression in ``text``, resolved in reading order.

    ``sentences`` (start, end) let "hours after the ambush" find the earlier sentence that
    dated the ambush; without them the last dated expression is the reference.
    ``direction`` gives, for a (start, end) span, which way its verb points (PAST, NEAREST, FUTURE);
    without it a partial date is the nearest occurrence and a weekday the last one.
    """
    anchor = _anchor(published)
    result: list[Timex] = []
    dated: list[tuple[int, date]] = []  # (offset, day) of resolved day-precision expressions
    coarse: list[tuple[int, date, str]] = []  # (offset, first day, precision): months, years
    focus: str | None = None  # the first quarter or half named: the period a report is on
    year: str | None = None  # the year of the latest date with one: what 'that year' means
    for kind, m in _matches(text):
        start = _start(m)
        clock = _clock(text, start, m.end(), kind in ("absolute", "deictic"))
        span = (min(start, clock[0]), max(m.end(), clock[1])) if clock else (start, m.end())
        toward = direction(*span) if direction else NEAREST
        if _cue_before("future_cues").search(text, max(0, span[0] - 16), span[0]):
            toward = FUTURE
        value: str | None
        precision: str | None
        if kind == "absolute":
            value, precision = _absolute(m, anchor, toward)
            week_of = _WEEK_OF.search(text, max(0, start - 16), start)
            if week_of and value and precision == "day":  # 'the week of March 6'
                value, precision = _week(date.fromisoformat(value)), "interval"
                start = week_of.start()
        elif kind == "deictic":
            value, precision = _deictic(m, anchor, PAST if toward == NEAREST else toward)
        elif kind == "relative":
            # 'the following month' after 'in March 1989' counts from March as well.
            unit = _lexicon()["units"].get((m.groupdict().get("unit") or "").lower())
            pool = sorted(dated + [(o, d) for o, d, p in coarse if unit in _COARSER[p]])
            ref = _reference(text, m.groupdict().get("noun"), pool, sentences)
            value, precision = _relative(m, ref)
            if _restates(m, text, result[-1] if result else None):
                value, precision = result[-1].value, "day"
        elif kind == "yearback":
            value, precision = _year_back(m, anchor, focus, dated[-1][1] if dated else None)
        elif kind == "thatyear":
            value, precision = year, "year"
        elif kind == "focus":
            value, precision = _in_focus(m, focus)
            if value is None:  # 'the quarter' with none named before says nothing
                continue
        elif kind == "nextday":
            value, precision = _next_day(m, result[-1] if result else None)
            if value is None:
                continue
        else:
            value, precision = _RESOLVERS[kind](m, anchor, toward)
        end = m.end()
        if clock and value and precision == "day":  # '10 p.m. Wednesday', 'Nov. 9 at 5 p.m.'
            value, precision = f"{value}T{clock[2]}", "time"
            start, end = span
        since = _cue_before("interval_start").search(text, max(0, start - 12), start)
        if since and kind not in _KINDS:
            start = since.start()
            until = anchor.isoformat() if anchor else ".."
            value = f"{value.split('/')[0]}/{until}" if value else None
            precision, kind = "interval", "duration"
        timex = Timex(
            id=f"T{len(result) + 1}",
            start=start,
            end=end,
            text=text[start:end],
            value=value,
            precision=precision,
            kind=_KINDS.get(kind, "date"),
        )
        result.append(timex)
        if timex.kind == "date" and timex.first_day is not None:
            year = f"{timex.first_day.year:04d}"
        if value and precision in ("day", "time"):
            dated.append((start, timex.first_day))
        elif timex.kind == "date" and precision in _COARSER and timex.first_day is not None:
            coarse.append((start, timex.first_day, precision))
        if focus is None and _reported_on(value, precision, kind, anchor):
            focus = value
    return result


_WEEK_OF = re.compile(r"\bthe\s+week\s+of\s+$", re.IGNORECASE)

# A month or year date, and the units counted from it: 'the following month' after 'in
# March', 'the next year' after 'in 1987' or 'in March 1987'.
_COARSER = {"month": ("month", "year"), "year": ("year",)}


@cache
def _clocks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A time of day just before a day ('noon Thursday', '5 p.m. EST, Nov. 9') and one
    after it ('Wednesday at 10 p.m.')."""
    clock = (
        r"(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m\.?|"
        r"(?P<word>noon|midnight))"
    )
    zone = r"(?:[ \t]+(?-i:[ECMP][SD]T|GMT|UTC|local\s+time))?"
    before = re.compile(rf"\b{clock}{zone},?[ \t]+(?:on[ \t]+)?$", re.IGNORECASE)
    after = re.compile(rf",?[ \t]+at[ \t]+{clock}{zone}(?!\w)", re.IGNORECASE)
    return before, after


def _clock(text: str, start: int, end: int, named: bool) -> tuple[int, int, str] | None:
    """(start, end, 'HH:MM') of a time of day right after the expression at (start, end),
    or right before a ``named`` day ('noon Thursday'; not '... at 7 p.m. Two days later');
    midnight closes the day ('24:00')."""
    before, after = _clocks()
    m = (named and before.search(text, max(0, start - 32), start)) or after.match(text, end)
    if m is None:
        return None
    if m.group("word"):
        hour, minute = (12 if m.group("word").lower() == "noon" else 24), 0
    else:
        hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m.group("half").lower() == "p" else 0)
    return m.start(), m.end(), f"{hour:02d}:{minute:02d}"


def _next_day(m: re.Match[str], before: Timex | None) -> Resolved:
    """The '25' of 'April 24 and 25': a later day of the month of the date just before it,
    or None when no such date ends right there ('3 and 4 percent')."""
    first = before.first_day if before and before.precision == "day" else None
    if first is None or before.end != m.start():
        return None, None
    day = int(m.group("core"))
    if not first.day < day <= calendar.monthrange(first.year, first.month)[1]:
        return None, None
    return first.replace(day=day).isoformat(), "day"


def _reported_on(
    value: str | None, precision: str | None, kind: str, anchor: date | None
) -> bool:
    """Whether a quarter or half can be the period an earnings report is on: one of this
    year or last, not a comparison ('a year ago') or history ('the third quarter of 1984')."""
    if not value or precision not in ("quarter", "half") or kind == "yearback":
        return False
    return anchor is None or anchor.year - 1 <= int(value[:4]) <= anchor.year


@cache
def _tense_words() -> tuple[frozenset[str], ...]:
    lex = _lexicon()
    return (
        frozenset(lex["future_auxiliaries"]),
        frozenset(lex["future_verbs"]),
        frozenset(lex["past_auxiliaries"]),
        frozenset(lex["deadline_prepositions"]),
        frozenset(lex["period_ends"]),
    )


@cache
def _reporting_verbs() -> frozenset[str]:
    """'says', 'tells': a present tense that reports, not one that announces."""
    return frozenset(["be", "have", *lexicon.load("claims", "reporting_cues.json")["verbs"]])


def _verb_direction(root: Token) -> int:
    """Which way the verb a date hangs on points.  A future tense frames everything in its
    clause; a past one dates only the verb's own adjuncts (directly or through a
    preposition): under a noun or an adjective ('payable Dec. 7', 'the cutback in
    September') the date may be what was planned, so it stays the nearest.  An infinitive
    passes on to the verb that governs it ('is expected to close Monday', 'is to resume
    Tuesday'), but a past governor does not date it ('asked them to reply by 31 May'); a
    conjoined verb without auxiliaries of its own takes its first conjunct's ('will sign
    and return it in June')."""
    future_aux, future_verbs, past_aux, deadline, period_ends = _tense_words()
    # 'was extended to Nov. 16': where a past verb moved something may still be ahead.
    past = NEAREST if root.dep_ == "pobj" and root.head.lower_ in deadline else PAST
    verb, nested = root.head, False
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        nested |= verb.pos_ != "ADP"
        verb = verb.head
    if verb.i == root.i or verb.pos_ not in ("VERB", "AUX"):
        return NEAREST
    governed = False  # reached through an infinitive
    while True:
        aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        # Not 'the service planned for Saturday was canceled', 'its high set on Aug. 6': a
        # bare participle under a noun dates what was planned, not when from now (but 'the
        # talks, set to resume Monday', still look ahead).
        modifier = verb.dep_ == "acl" and verb.tag_ == "VBN" and not aux and not governed
        if aux & future_aux:
            return FUTURE
        if verb.lemma_.lower() in future_verbs and not modifier:
            # 'On Friday, the government planned to pay': the planning or the paying.
            return NEAREST if verb.tag_ == "VBD" and not governed else FUTURE
        if verb.tag_ == "VBN" and verb.lemma_.lower() in period_ends and not aux:
            return PAST  # 'the year ended March 31'
        if verb.tag_ == "VBD" or aux & past_aux or _misread_past(verb):
            return NEAREST if governed or nested else past
        if governed and verb.lemma_ == "be":  # 'is to resume'
            return FUTURE
        present = verb.tag_ in ("VBP", "VBZ") and not aux and not nested
        if present and verb.lemma_ not in _reporting_verbs():
            return FUTURE  # 'the envoys meet Monday': a present tense announces what is next
        head = verb.head
        if verb.dep_ == "conj" and not aux and head.pos_ in ("VERB", "AUX"):
            verb = head
            continue
        infinitive = verb.tag_ in ("VB", "VBG") and "to" in aux | {verb.lower_}
        if not infinitive or head.i == verb.i:
            return NEAREST
        if head.pos_ not in ("VERB", "AUX"):  # 'a plan to meet Monday'
            return FUTURE if head.lemma_.lower() in future_verbs else NEAREST
        verb, governed = head, True


def _misread_past(verb: Token) -> bool:
    """A past tense the tagger read as something else: a plural present under a singular
    noun subject ('Weakness hurt the index on Friday': 'hurt', 'cut', 'put' look the same;
    not two subjects joined, 'Smith and Jones mail it by Nov. 22'), or a participle heading
    its clause with a subject and no auxiliary ('The offensive stalled in the summer')."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.tag_ == "VBN":
        helped = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        return verb.dep_ == "ROOT" and bool(subjects) and not helped
    return verb.tag_ == "VBP" and any(
        c.tag_ in ("NN", "NNP") and not any(d.dep_ == "conj" for d in c.children)
        for c in subjects
    )


def directions(parsed: Doc) -> Direction:
    """The direction of the date at a span of the parsed text, read from the verb its
    syntactic head hangs on."""
    starts = [t.idx for t in parsed]

    def at(start: int, end: int) -> int:
        first = bisect_right(starts, start) - 1
        if first < 0:
            return NEAREST
        last = max(first, bisect_right(starts, end - 1) - 1)
        inside = parsed[first : last + 1]
        root = next((t for t in inside if not first <= t.head.i <= last), inside.root)
        return _verb_direction(root)

    return at


def _restates(m: re.Match[str], text: str, before: Timex | None) -> bool:
    """'Nov. 3, the day before the warrant was issued': a relative day set off by a comma
    right after a day names that same day."""
    return (
        before is not None
        and before.precision == "day"
        and m.group().lower().startswith("the ")
        and re.fullmatch(r",\s*", text[before.end : m.start()]) is not None
    )


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
        doc.dates = find(doc.text, doc.meta.published, spans, directions(nlp.parse(doc)))
        return doc
