"""Build ``src/unspin/data/kb/wof_places.tsv.gz`` from Who's On First extracts.

The extracts (one gzipped TSV per country, see ``/work/shared/data/gazetteer-wof/README.md``)
hold every Who's On First record with a Wikidata concordance.  Kept here: localities,
districts (``county``), governorates and provinces (``region``) and airports and bases
(``campus``) that are current or of unknown status, with coordinates and an English name;
only facts are written (QID, English name and variants, place type, country, point,
population), never the source files.  A district or governorate that bears its seat's bare
name keeps only its suffixed names ('Lawdar District'), so 'Lawdar' in text is the town.

    python scripts/build_gazetteer.py /work/shared/data/gazetteer-wof
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "kb" / "wof_places.tsv.gz"
KINDS = {"locality": "town", "county": "district", "region": "province", "campus": "facility"}
COLUMNS = ("qid", "name", "variants", "kind", "country", "lat", "lon", "population")
SEPARATORS = frozenset(" -'\u2019")


def usable(name: str) -> bool:
    """A name English text can use: Latin letters (diacritics allowed) and separators, a
    letter first; airport codes ('OSKL') and numbered names are left out."""
    name = name.strip()
    latin = all(
        c in SEPARATORS or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in name
    )
    code = name.isupper() and len(name) <= 5
    return len(name) >= 3 and name[0].isalpha() and latin and not code


def read(folder: Path) -> dict[str, dict[str, object]]:
    """One record per QID: names merged over duplicate records, the first point kept."""
    places: dict[str, dict[str, object]] = {}
    for path in sorted(folder.glob("*.tsv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                qid, local, placetype, country, _, english, _, lat, lon, pop, current = row
                if placetype not in KINDS or current == "0" or not lat or not lon:
                    continue
                names = [n.strip() for n in english.split("|") if usable(n)]
                if usable(local) and local not in names:
                    names.append(local.strip())
                if not names:
                    continue
                place = places.setdefault(
                    qid,
                    {
                        "qid": qid,
                        "names": [],
                        "kind": KINDS[placetype],
                        "country": country,
                        "lat": round(float(lat), 4),
                        "lon": round(float(lon), 4),
                        "population": int(float(pop)) if pop else 0,
                    },
                )
                place["names"] += [n for n in names if n not in place["names"]]  # type: ignore[operator]
    return places


def _bare(name: str) -> str:
    return name.casefold().replace("-", " ").replace("'", "")


def drop_seat_names(places: dict[str, dict[str, object]]) -> None:
    """Districts and provinces lose a bare name that a town of their country also bears."""
    towns = {
        (p["country"], _bare(n))
        for p in places.values()
        if p["kind"] == "town"
        for n in p["names"]  # type: ignore[attr-defined]
    }
    for qid in list(places):
        place = places[qid]
        if place["kind"] not in ("district", "province"):
            continue
        names = [n for n in place["names"] if (place["country"], _bare(n)) not in towns]  # type: ignore[attr-defined]
        if names:
            place["names"] = names
        else:
            del places[qid]


def write(places: dict[str, dict[str, object]], out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
    writer.writerow(COLUMNS)
    for place in sorted(places.values(), key=lambda p: (p["country"], p["kind"], p["qid"])):
        names: list[str] = place["names"]  # type: ignore[assignment]
        writer.writerow(
            (
                place["qid"],
                names[0],
                "|".join(names[1:]),
                place["kind"],
                place["country"],
                place["lat"],
                place["lon"],
                place["population"],
            )
        )
    # mtime 0: the same extracts give the same bytes.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="folder of Who's On First <cc>.tsv.gz extracts")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    places = read(args.folder)
    drop_seat_names(places)
    write(places, args.out)
    kinds: dict[str, int] = {}
    for place in places.values():
        kinds[str(place["kind"])] = kinds.get(str(place["kind"]), 0) + 1
    print(f"{len(places)} places -> {args.out} ({args.out.stat().st_size:,} bytes): {kinds}")


if __name__ == "__main__":
    main()
