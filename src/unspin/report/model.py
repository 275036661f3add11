"""What every report shows, computed once from an unspin/1 analysis and shared by all formats.

The renderers only lay out these views; deciding what is shown (which spans are valid, how
overlapping spans split the text, which layer is empty and why, how events order) happens
here, so the HTML, Markdown and text reports never disagree.  Layers other than
``document`` and ``techniques`` may be missing or empty: every accessor here tolerates that.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from unspin import __version__, lexicon
from unspin.document import PLACE_TYPES

DISCLAIMER = (
    "Labels are aids for a human reader, not verdicts: each one points at the exact text "
    "that earned it, for you to judge."
)
RATING_NOTE = "This is the outlet's rating as published by its rater, not unspin's verdict."
WIKIDATA = "https://www.wikidata.org/wiki/"
GEONAMES = "https://www.geonames.org/"

# Technique spans shown per document; beyond it the lowest-scored are counted, not shown, so
# a hostile or runaway analysis cannot make a report that no browser can open.
MAX_SPANS = 2000
# Covering spans kept per stretch of text (the innermost); deeper ones are counted only, so
# the page grows with the number of spans, not with the number of spans times their depth.
MAX_NESTED = 8
# Claims named in the report's summary band, the most check-worthy first.
TOP_CLAIMS = 5

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_QID = re.compile(r"Q[1-9][0-9]*")
_GEONAMES_ID = re.compile(r"geonames:([1-9][0-9]*)")
_KB_ID = re.compile(r"[\w:.-]{1,80}")  # unspin:slug, iso3166:XX, a user file's own ids

# Layer -> what to say when it holds nothing.
EMPTY = {
    "techniques": "No technique spans found.",
    "claims": "No claims extracted.",
    "events": "No events extracted.",
    "entities": "No actors or places found.",
    "identity_claims": "No identity claims found.",
    "source": "Outlet not in the ratings table: no published rating to show.",
}
# Report layer -> pipeline component whose --skip empties it, where the names differ.
COMPONENT = {"identity_claims": "identity"}


@dataclass(frozen=True, slots=True)
class Family:
    """A group of related techniques sharing one underline style: the cue besides colour."""

    key: str
    label: str
    line: str  # a CSS border style: solid, dotted, dashed, double


@dataclass(frozen=True, slots=True)
class Band:
    """A confidence band: scores from ``start`` up are shaded ``alpha`` % and underlined
    ``width`` px, so a reader sees at a glance how sure the model was."""

    index: int
    start: float
    label: str
    alpha: int
    width: int


@dataclass(frozen=True, slots=True)
class Style:
    """How one technique looks in the report: name, short code, colour, family, description."""

    index: int
    key: str
    label: str
    code: str
    colour: str
    family: Family
    about: str


@cache
def _table() -> dict[str, Any]:
    return lexicon.load("report", "techniques.json")


@cache
def families() -> dict[str, Family]:
    return {f["family"]: Family(f["family"], f["label"], f["line"]) for f in _table()["families"]}


@cache
def bands() -> tuple[Band, ...]:
    """The confidence bands, lowest first."""
    rows = sorted(_table()["confidence"], key=lambda b: b["from"])
    return tuple(
        Band(i, float(b["from"]), b["label"], int(b["alpha"]), int(b["width"]))
        for i, b in enumerate(rows)
    )


def band_of(score: float | None) -> Band:
    """The band a score falls in; an unscored span counts as the lowest."""
    found = [b for b in bands() if score is not None and score >= b.start]
    return found[-1] if found else bands()[0]


@cache
def styles() -> tuple[dict[str, Style], Style]:
    """The technique styles from the data table, and the one for unknown labels."""
    data, family = _table(), families()

    def style(i: int, key: str, row: dict[str, str]) -> Style:
        return Style(
            i, key, row["label"], row["code"], row["colour"], family[row["family"]], row["about"]
        )

    table = {
        row["technique"]: style(i, row["technique"], row)
        for i, row in enumerate(data["techniques"])
    }
    fallback = style(len(table), "", data["fallback"])
    bad = [s.colour for s in (*table.values(), fallback) if not _HEX.fullmatch(s.colour)]
    if bad:
        raise ValueError(f"report colours must be #rrggbb, got {bad}")
    return table, fallback


def style_of(technique: str) -> Style:
    table, fallback = styles()
    return table.get(technique) or replace(
        fallback, key=technique, label=technique.replace("_", " ")
    )


def safe_url(url: object) -> str | None:
    """The URL when it is http(s) with a host: nothing else may reach an href."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: object) -> list[dict[str, Any]]:
    """The dict items of a layer that may be missing, null or malformed."""
    return [v for v in _list(value) if isinstance(v, dict)]


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _offsets(item: dict[str, Any], length: int) -> tuple[int, int] | None:
    start, end = item.get("start"), item.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
        return start, end
    return None


def quote(text: str, limit: int = 0) -> str:
    """A fragment on one line (newlines folded), optionally shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if not limit or len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Mark:
    """One technique span placed in the text; ``layer`` keeps overlapping spans apart."""

    start: int
    end: int
    text: str
    style: Style
    score: float | None
    layer: int

    @property
    def band(self) -> Band:
        return band_of(self.score)

    def describe(self, limit: int = 80) -> str:
        score = "" if self.score is None else f" {self.score:.2f}"
        return f"{self.style.label}{score} [{self.start}:{self.end}] “{quote(self.text, limit)}”"


@dataclass(frozen=True, slots=True)
class NameMark:
    """Where the text names an actor or place; ``label`` says which one."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text with the same covering spans (outermost first) all along it."""

    start: int
    end: int
    text: str
    marks: tuple[Mark, ...]
    mentions: tuple[NameMark, ...] = ()
    anchors: tuple[tuple[str, str], ...] = ()  # (kind, id): "claim" or "event" starting here
    hidden: int = 0  # covering spans beyond MAX_NESTED, outermost, not in ``marks``


def assign_layers(spans: list[tuple[int, int]]) -> list[int]:
    """Greedy interval colouring: overlapping spans get different layers, reused when free."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
    ends: list[int] = []
    layers = [0] * len(spans)
    for i in order:
        start, end = spans[i]
        free = next((n for n, e in enumerate(ends) if e <= start), len(ends))
        if free == len(ends):
            ends.append(end)
        else:
            ends[free] = end
        layers[i] = free
    return layers


def segment(
    text: str,
    spans: list[Mark | NameMark],
    anchors: dict[int, list[tuple[str, str]]] | None = None,
) -> list[Segment]:
    """Cut the text at every span boundary (and anchor); each piece knows all spans over it."""
    anchors = {p: a for p, a in (anchors or {}).items() if 0 <= p < len(text)}
    cuts = sorted({0, len(text), *anchors} | {m.start for m in spans} | {m.end for m in spans})
    pending = sorted(spans, key=lambda m: (m.start, -m.end))
    active: list[Mark | NameMark] = []
    out: list[Segment] = []
    nxt = 0
    for start, end in pairwise(cuts):
        # ``active`` stays in (start, -end) order: it only ever takes spans in that order.
        active = [m for m in active if m.end > start]
        while nxt < len(pending) and pending[nxt].start <= start:
            active.append(pending[nxt])
            nxt += 1
        marks = [m for m in active if isinstance(m, Mark)]
        out.append(
            Segment(
                start,
                end,
                text[start:end],
                tuple(marks[-MAX_NESTED:]),
                tuple(m for m in active if isinstance(m, NameMark)),
                tuple(anchors.get(start, ())),
                max(0, len(marks) - MAX_NESTED),
            )
        )
    return out


@dataclass(slots=True)
class ClaimView:
    id: str
    start: int | None
    end: int | None
    text: str
    checkworthy: float | None
    source: str | None
    cue: str | None
    attributed: bool
    quantities: list[str]
    dates: list[str]


@dataclass(slots=True)
class EventView:
    id: str
    type: str
    trigger: str
    date: str | None
    precision: str | None
    date_text: str | None
    actors: list[str]
    targets: list[str]
    location: str | None
    casualties: list[str]
    claim: str | None
    sentence: str | None
    anchored: bool
    mentions: list[str] = field(default_factory=list)  # every wording of the incident
    victims: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # who the claims holding it cite
    after: str | None = None  # the event it followed, when dated only relative to it
    figures: list[str] = field(default_factory=list)  # the casualty figures as written


@dataclass(slots=True)
class Incident:
    """Dated events told in one claim (a strike, the deaths and the flight it caused), shown
    as one line of the summary band's timeline."""

    date: str
    types: list[str]
    places: list[str]
    figures: list[str]
    claim: str | None


def incidents(events: list[EventView]) -> list[Incident]:
    """The dated events, in timeline order, those of one claim on one date merged."""
    merged: dict[tuple[str, str], Incident] = {}
    for e in events:
        if not e.date:
            continue
        line = merged.setdefault(
            (e.date, e.claim or f"event {e.id}"), Incident(e.date, [], [], [], e.claim)
        )
        for have, new in (
            (line.types, [e.type]),
            (line.places, [e.location] if e.location else []),
            (line.figures, e.figures),
        ):
            have.extend(x for x in new if x not in have)
    return list(merged.values())


@dataclass(slots=True)
class EntityView:
    id: str
    name: str
    type: str
    kb_id: str | None
    lat: float | None
    lon: float | None
    forms: list[tuple[str, int]]
    spans: list[tuple[int, int]]

    @property
    def label(self) -> str:
        """How a mention of it is described in the text."""
        return f"{self.name} ({self.type}" + (f", Wikidata {self.qid})" if self.qid else ")")

    @property
    def qid(self) -> str | None:
        return self.kb_id if self.kb_id and _QID.fullmatch(self.kb_id) else None

    @property
    def wikidata(self) -> str | None:
        return WIKIDATA + self.qid if self.qid else None

    @property
    def reference(self) -> tuple[str, str | None] | None:
        """The knowledge-base id as shown, with a link where a public record (Wikidata,
        GeoNames) has one; unspin's own ids are shown unlinked rather than as 'not linked'."""
        if not self.kb_id:
            return None
        if self.qid:
            return self.qid, self.wikidata
        geonames = _GEONAMES_ID.fullmatch(self.kb_id)
        if geonames:
            return f"GeoNames {geonames[1]}", GEONAMES + geonames[1]
        return self.kb_id, None

    @property
    def osm(self) -> str | None:
        if self.lat is None or self.lon is None:
            return None
        return f"https://www.openstreetmap.org/?mlat={self.lat:.5f}&mlon={self.lon:.5f}#map=9/{self.lat:.5f}/{self.lon:.5f}"

    @property
    def coordinates(self) -> str | None:
        return None if self.lat is None or self.lon is None else f"{self.lat:.4f}, {self.lon:.4f}"


@dataclass(slots=True)
class IdentityView:
    text: str
    relation: str
    actors: list[str]
    notes: list[str]


@dataclass(slots=True)
class SourceView:
    outlet: str
    rating: str
    reference: str | None
    reference_url: str | None
    details: list[tuple[str, str]]


@dataclass(slots=True)
class DocView:
    """One analysed document, ready to lay out."""

    anchor: str
    title: str
    site: str | None
    url: str | None
    url_text: str | None
    published: str | None
    authors: list[str]
    genre: str
    provenance: str
    segments: list[Segment]
    mentions: int
    marks: list[Mark]
    legend: list[tuple[Style, int]]
    dropped: int
    capped: int  # valid spans beyond MAX_SPANS, not shown
    claims: list[ClaimView]
    events: list[EventView]
    actors: list[EntityView]
    places: list[EntityView]
    identities: list[IdentityView]
    source: SourceView | None
    empty: dict[str, str] = field(default_factory=dict)

    @property
    def top_claims(self) -> list[ClaimView]:
        """The few claims a reader should check first (``claims`` is ranked already)."""
        return self.claims[:TOP_CLAIMS]

    @property
    def attributed_claims(self) -> list[ClaimView]:
        return [c for c in self.claims if c.attributed]

    @property
    def unattributed_claims(self) -> list[ClaimView]:
        return [c for c in self.claims if not c.attributed]

    @property
    def dated_events(self) -> list[EventView]:
        return [e for e in self.events if e.date]

    @property
    def incidents(self) -> list[Incident]:
        return incidents(self.events)

    @property
    def located_places(self) -> list[EntityView]:
        """The places that have coordinates: the ones a map can show."""
        return [p for p in self.places if p.lat is not None]


def _empty_note(analysis: dict[str, Any], layer: str) -> str:
    """Why a layer is empty, as precisely as the analysis lets us tell."""
    run = _dict(analysis.get("run"))
    component = COMPONENT.get(layer, layer)
    if component in _list(run.get("skipped")):
        return f"Layer skipped: the {component} component was switched off for this analysis."
    not_run = next(
        (n for n in _list(run.get("notes")) if str(n).startswith(f"{component}: not run")), None
    )
    if not_run:
        return f"Layer not computed ({str(not_run).partition(': ')[2]})."
    if layer not in analysis:
        return "Layer not present in this analysis."
    return EMPTY.get(layer, "Nothing found.")


def _provenance(analysis: dict[str, Any]) -> str:
    run = _dict(analysis.get("run"))
    version = _str(run.get("unspin_version"))
    models = [(_str(m.get("component")), _str(m.get("id"))) for m in _dicts(run.get("models"))]
    made = f"unspin {version}" if version else "unspin (version not recorded in the analysis)"
    used = ", ".join(f"{k}: {v}" for k, v in models if k and v)
    line = f"Produced by {made}, schema {analysis.get('schema', 'unknown')}"
    line += f"; models: {used}." if used else "; models not recorded in the analysis."
    return f"{line} Report rendered by unspin {__version__}."


def _quantity(q: dict[str, Any]) -> str:
    """E.g. ``12 (killed, civilians, at least) from “at least 12 civilians”``."""
    count = q.get("count")
    head = str(count) if isinstance(count, int) and not isinstance(count, bool) else "?"
    words = [str(q[k]) for k in ("kind", "who", "qualifier") if _str(q.get(k))]
    out = f"{head} ({', '.join(words)})" if words else head
    text = _str(q.get("text"))
    return out + (f" from “{quote(text)}”" if text else "")


def _date(d: dict[str, Any]) -> str:
    value = _str(d.get("value")) or "unresolved"
    precision = _str(d.get("precision"))
    text = _str(d.get("text"))
    return (
        value
        + (f" ({precision})" if precision else "")
        + (f" from “{quote(text)}”" if text else "")
    )


def _by_id(analysis: dict[str, Any], layer: str) -> dict[str, dict[str, Any]]:
    """A layer's items by id, for the ids claims and events refer to."""
    return {str(item.get("id")): item for item in _dicts(analysis.get(layer))}


def _referred(ids: object, items: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [items[i] for i in _list(ids) if isinstance(i, str) and i in items]


def _claims(analysis: dict[str, Any], length: int, names: dict[str, str]) -> list[ClaimView]:
    quantities, dates = _by_id(analysis, "quantities"), _by_id(analysis, "dates")
    views = []
    for n, c in enumerate(_dicts(analysis.get("claims")), 1):
        span = _offsets(c, length)
        att = _dict(c.get("attribution"))
        source = _str(att.get("source")) or names.get(str(att.get("entity")))
        views.append(
            ClaimView(
                id=_str(c.get("id")) or f"C{n}",
                start=span[0] if span else None,
                end=span[1] if span else None,
                text=quote(str(c.get("text") or "")),
                checkworthy=_num(c.get("checkworthy")),
                source=source,
                cue=_str(att.get("cue")) if att else None,
                attributed=source is not None,
                quantities=[_quantity(q) for q in _referred(c.get("quantities"), quantities)],
                dates=[_date(d) for d in _referred(c.get("dates"), dates)],
            )
        )
    # Most check-worthy first: the order a fact-checker works in.
    views.sort(key=lambda v: (-(v.checkworthy or 0.0), v.start if v.start is not None else 1 << 62))
    return views


def _argument(arg: object, names: dict[str, str]) -> str | None:
    if not isinstance(arg, dict):
        return None
    entity = _str(arg.get("entity"))
    text = _str(arg.get("text"))
    if entity in names and text and quote(text) != names[entity]:
        return f"{names[entity]} (“{quote(text)}”)"
    return names.get(entity or "") or (quote(text) if text else None)


def _events(
    analysis: dict[str, Any], text: str, names: dict[str, str], claims: list[ClaimView]
) -> list[EventView]:
    """Incidents in timeline order, then any the timeline misses by date; undated always
    last (one following a dated incident keeps its place after it).  Each lists its
    mentions and the sources of the claims that hold them."""
    claim_ids = {c.id for c in claims}
    by_claim = {c.id: c for c in claims}
    reporter = {  # a casualty figure's source: that of the claim that states it
        str(q): by_claim[str(c.get("id"))].source
        for c in _dicts(analysis.get("claims"))
        if str(c.get("id")) in by_claim
        for q in _list(c.get("quantities"))
    }
    events = _by_id(analysis, "events")
    quantities, dates = _by_id(analysis, "quantities"), _by_id(analysis, "dates")
    timeline = _list(analysis.get("timeline"))
    ordered = [events[i] for i in dict.fromkeys(map(str, timeline)) if i in events]
    seen = {id(e) for e in ordered}
    rest = [e for e in events.values() if id(e) not in seen]
    rest.sort(key=lambda e: _str(dates.get(str(e.get("date")), {}).get("value")) or "")
    ordered += rest
    sentences = sorted(
        (s["start"], s["end"]) for s in _dicts(analysis.get("sentences")) if _offsets(s, len(text))
    )
    starts = [s for s, _ in sentences]
    views = []
    for e in ordered:
        date = dates.get(str(e.get("date")), {})
        trigger = _dict(e.get("trigger"))
        span = _offsets(trigger, len(text))
        sentence = None
        if span and starts:
            i = bisect_right(starts, span[0]) - 1
            if i >= 0 and sentences[i][1] >= span[1]:
                sentence = quote(text[sentences[i][0] : sentences[i][1]])
        claim = _str(e.get("claim"))
        spans = [m for m in map(_dict, _list(e.get("mentions"))) if _offsets(m, len(text))]

        def args(key: str, e: dict[str, Any] = e) -> list[str]:
            return [a for a in (_argument(x, names) for x in _dicts(e.get(key))) if a]

        figures = _referred(e.get("casualties"), quantities)
        reported = [reporter.get(str(q.get("id"))) for q in figures]

        views.append(
            EventView(
                id=str(e.get("id")),
                type=(_str(e.get("type")) or "event").replace("_", " "),
                trigger=quote(str(trigger.get("text") or "")),
                date=_str(date.get("value")),
                precision=_str(date.get("precision")),
                date_text=_str(date.get("text")),
                actors=args("actors"),
                targets=args("targets"),
                victims=args("victims"),
                instruments=args("instruments"),
                location=_argument(e.get("location"), names),
                casualties=[
                    _quantity(q) + (f", reported by {who}" if who else "")
                    for q, who in zip(figures, reported, strict=True)
                ],
                claim=claim if claim in claim_ids else None,
                sentence=sentence,
                anchored=span is not None,
                mentions=[quote(str(m.get("text") or "")) for m in spans],
                sources=list(
                    dict.fromkeys(
                        [
                            *(
                                c.source
                                for m in spans
                                for c in claims
                                if c.source
                                and c.start is not None
                                and c.end is not None
                                and c.start <= m["start"] < c.end
                            ),
                            *filter(None, reported),
                        ]
                    )
                ),
                after=_str(e.get("after")),
                figures=[quote(t) for q in figures if (t := _str(q.get("text")))],
            )
        )
    views.sort(
        key=lambda v: v.date is None and v.after is None
    )  # stable: keeps the timeline's order otherwise
    return views


def _entities(analysis: dict[str, Any], length: int) -> list[EntityView]:
    views = []
    for n, e in enumerate(_dicts(analysis.get("entities")), 1):
        geo = _dict(e.get("geo"))
        lat, lon = _num(geo.get("lat")), _num(geo.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            lat = lon = None
        mentions = _dicts(e.get("mentions"))
        forms = Counter(quote(str(m.get("text") or "")) for m in mentions)
        kb_id = _str(e.get("kb_id"))
        views.append(
            EntityView(
                id=_str(e.get("id")) or f"E{n}",
                name=quote(_str(e.get("name")) or "(unnamed)"),
                type=(_str(e.get("type")) or "unknown").replace("_", " "),
                kb_id=kb_id if kb_id and _KB_ID.fullmatch(kb_id) else None,
                lat=lat,
                lon=lon,
                forms=[(f, c) for f, c in forms.most_common() if f],
                spans=[s for s in (_offsets(m, length) for m in mentions) if s],
            )
        )
    views.sort(key=lambda v: (-sum(c for _, c in v.forms), v.name.lower()))
    return views


def _identities(analysis: dict[str, Any], names: dict[str, str]) -> list[IdentityView]:
    views = []
    for c in _dicts(analysis.get("identity_claims")):
        actors = _list(c.get("actors"))
        notes = _list(c.get("kb_notes"))
        views.append(
            IdentityView(
                text=quote(str(c.get("text") or "")),
                relation=(_str(c.get("relation")) or "related to").replace("_", " "),
                actors=[names.get(str(a), str(a)) for a in actors],
                notes=[
                    "; ".join(f"{k}: {v}" for k, v in n.items()) if isinstance(n, dict) else str(n)
                    for n in notes
                ],
            )
        )
    return views


def _source(analysis: dict[str, Any]) -> SourceView | None:
    """The outlet's own published rating, credited to its rater; never unspin's verdict."""
    src = analysis.get("source")
    if not isinstance(src, dict) or not any(_str(v) for v in src.values()):
        return None
    outlet = _str(src.get("name")) or _str(src.get("domain")) or "This outlet"
    if _str(src.get("name")) and _str(src.get("domain")):
        outlet = f"{src['name']} ({src['domain']})"
    parts = [f"{k} {src[k]}" for k in ("factuality", "bias") if _str(src.get(k))]
    rater = _str(src.get("rating_by"))
    if parts:
        rating = f"{rater or 'Rater not recorded'}: {', '.join(parts)}."
    else:
        rating = "No published rating recorded for this outlet."
    reference = _str(src.get("reference"))
    known = {"domain", "name", "factuality", "bias", "rating_by", "reference"}
    details = [
        (k.replace("_", " "), str(v))
        for k, v in src.items()
        if k not in known and isinstance(v, str | int | float) and str(v).strip()
    ]
    return SourceView(outlet, rating, reference, safe_url(reference), details)


def _marks(techniques: list[dict[str, Any]], text: str) -> tuple[list[Mark], int]:
    """The technique spans whose offsets fit the text (the MAX_SPANS best scored), layered,
    in reading order; and how many valid spans the cap left out."""
    raw = [(span, t) for t in techniques if (span := _offsets(t, len(text)))]
    capped = max(0, len(raw) - MAX_SPANS)
    if capped:
        raw.sort(key=lambda p: -(_num(p[1].get("score")) or 0.0))
        del raw[MAX_SPANS:]
    layers = assign_layers([s for s, _ in raw])
    marks = [
        Mark(s, e, text[s:e], style_of(str(t.get("technique"))), _num(t.get("score")), layer)
        for ((s, e), t), layer in zip(raw, layers, strict=True)
    ]
    return sorted(marks, key=lambda m: (m.start, -m.end)), capped


def build(analysis: dict[str, Any], number: int) -> DocView:
    """The view of one analysis; ``number`` makes its anchors unique on a multi-document page."""
    doc = _dict(analysis.get("document"))
    text = doc.get("text") if isinstance(doc.get("text"), str) else ""
    techniques = _dicts(analysis.get("techniques"))
    marks, capped = _marks(techniques, text)
    counts = Counter(m.style.key for m in marks)
    legend = sorted(
        ((style_of(k), n) for k, n in counts.items()), key=lambda p: (-p[1], p[0].label)
    )
    entities = _entities(analysis, len(text))
    mentions = [NameMark(s, e, v.label) for v in entities for s, e in v.spans]
    names = {e.id: e.name for e in entities}
    claims = _claims(analysis, len(text), names)
    events = _events(analysis, text, names, claims)
    anchors: dict[int, list[tuple[str, str]]] = {}
    for c in claims:
        if c.start is not None:
            anchors.setdefault(c.start, []).append(("claim", c.id))
    for e in _dicts(analysis.get("events")):
        span = _offsets(_dict(e.get("trigger")), len(text))
        if span:
            anchors.setdefault(span[0], []).append(("event", str(e.get("id"))))
    places = [e for e in entities if e.type.lower() in PLACE_TYPES or e.lat is not None]
    place_ids = {e.id for e in places}
    view = DocView(
        anchor=f"d{number}",
        title=quote(_str(doc.get("title")) or _str(doc.get("id")) or f"Document {number}"),
        site=_str(doc.get("site")),
        url=safe_url(doc.get("url")),
        url_text=_str(doc.get("url")),
        published=_str(doc.get("published")),
        authors=[a for a in _list(doc.get("authors")) if _str(a)],
        genre=(_str(doc.get("genre")) or "not classified"),
        provenance=_provenance(analysis),
        segments=segment(text, [*marks, *mentions], anchors),
        mentions=len(mentions),
        marks=marks,
        legend=legend,
        dropped=len(techniques) - len(marks) - capped,
        capped=capped,
        claims=claims,
        events=events,
        actors=[e for e in entities if e.id not in place_ids],
        places=places,
        identities=_identities(analysis, names),
        source=_source(analysis),
    )
    filled = {
        "techniques": marks,
        "claims": claims,
        "events": events,
        "entities": entities,
        "identity_claims": view.identities,
        "source": view.source,
    }
    view.empty = {layer: _empty_note(analysis, layer) for layer, v in filled.items() if not v}
    return view


def build_all(analyses: list[dict[str, Any]]) -> list[DocView]:
    return [build(a, n) for n, a in enumerate(analyses, 1)]
