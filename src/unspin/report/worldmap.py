"""The places of a report on a small SVG map, drawn from country outlines shipped with unspin.

No tile server and no request: the outlines are Natural Earth's 1:110m countries as packaged
by world-atlas (``data/report/countries-110m.json``, source in ``SOURCES.md`` beside it). The
map is an equirectangular projection of the window around the places, its width scaled by the
cosine of the middle latitude so that nearby shapes keep their proportions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from unspin import lexicon
from unspin.report.model import EntityView

WIDTH = 600.0  # SVG user units; the page scales the map to its column
ASPECT = 1.5  # width / height of the window
MIN_SPAN = 8.0  # degrees: a single town still shows its region
PADDING = 1.4  # the window around the places' extent
STEPS = (1, 2, 5, 10, 15, 30, 45)  # graticule spacings, degrees
LABEL = (14.0, 13.0)  # room one number label takes, SVG units

Box = tuple[float, float, float, float]  # west, south, east, north
Ring = list[tuple[float, float]]  # (lon, lat)
Project = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Pin:
    number: int
    entity: str
    name: str
    x: float
    y: float
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class PlaceMap:
    width: float
    height: float
    outlines: list[str]  # SVG path data, one per country in the window
    graticule: str  # SVG path data
    pins: list[Pin]
    extent: str  # the window in words, for the caption

    def number(self, entity: str) -> int | None:
        return next((p.number for p in self.pins if p.entity == entity), None)


@cache
def countries() -> list[tuple[Box, list[Ring]]]:
    """Every country's rings in degrees with its bounding box, decoded from the TopoJSON."""
    topo = lexicon.load("report", "countries-110m.json")
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:  # quantised and delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(ids: list[int]) -> Ring:
        out: Ring = []
        for i in ids:  # a negative id is the one's complement of an arc walked backwards
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}
        rings = [ring(r) for p in polygons.get(geometry["type"]) or [] for r in p]
        if rings:
            lons = [lon for r in rings for lon, _ in r]
            lats = [lat for r in rings for _, lat in r]
            shapes.append(((min(lons), min(lats), max(lons), max(lats)), rings))
    return shapes


def _window(points: list[tuple[float, float]]) -> tuple[Box, float]:
    """The window around the points, and the cosine that scales its longitudes."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    mid_lat = (min(lats) + max(lats)) / 2
    k = max(math.cos(math.radians(mid_lat)), 0.2)
    span = PADDING * max((max(lons) - min(lons)) * k, (max(lats) - min(lats)) * ASPECT, MIN_SPAN)
    if span / k >= 300:  # places all over the world: show all of it
        return (-180.0, -60.0, 180.0, 85.0), 1.0
    half_lon, half_lat = span / k / 2, span / ASPECT / 2
    lon0, lat0 = (min(lons) + max(lons)) / 2, min(max(mid_lat, -85 + half_lat), 85 - half_lat)
    return (lon0 - half_lon, lat0 - half_lat, lon0 + half_lon, lat0 + half_lat), k


def _step(span: float) -> int:
    """The graticule spacing that draws a handful of lines across ``span`` degrees."""
    return next((s for s in STEPS if span / s <= 8), STEPS[-1])


def place_map(places: list[EntityView]) -> PlaceMap | None:
    """The map of the places that have coordinates, numbered in the order given."""
    located = [(p, p.lon, p.lat) for p in places if p.lat is not None and p.lon is not None]
    if not located:
        return None
    (west, south, east, north), k = _window([(lon, lat) for _, lon, lat in located])
    scale = WIDTH / ((east - west) * k)
    height = (north - south) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * k * scale, (north - lat) * scale

    def path(ring: Ring) -> str:
        return "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p) for p in ring)) + "Z"

    outlines = [
        "".join(path(r) for r in rings)
        for (w, s, e, n), rings in countries()
        if w <= east and e >= west and s <= north and n >= south
    ]
    lines = []
    step = _step(north - south)
    for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        (x0, y), (x1, _) = xy(west, lat), xy(east, lat)
        lines.append(f"M{x0:.1f},{y:.1f}H{x1:.1f}")
    step = _step(east - west)
    for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        x, _ = xy(lon, north)
        lines.append(f"M{x:.1f},0V{height:.1f}")
    return PlaceMap(
        WIDTH,
        height,
        outlines,
        "".join(lines),
        _pins(located, xy),
        _extent(west, south, east, north),
    )


def _pins(places: list[tuple[EntityView, float, float]], xy: Project) -> list[Pin]:
    """One numbered pin per place, each number put where no earlier number sits."""
    pins: list[Pin] = []
    taken: list[tuple[float, float]] = []
    w, h = LABEL
    for n, (p, lon, lat) in enumerate(places, 1):
        x, y = xy(lon, lat)
        offsets = ((6, 4), (-6 - w, 4), (-w / 2, -8), (-w / 2, 6 + h))
        spots = [(x + dx, y + dy) for dx, dy in offsets]
        free = [s for s in spots if all(abs(s[0] - a) >= w or abs(s[1] - b) >= h for a, b in taken)]
        lx, ly = (free or spots)[0]
        taken.append((lx, ly))
        pins.append(Pin(n, p.id, p.name, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1)))
    return pins


def _extent(west: float, south: float, east: float, north: float) -> str:
    def deg(value: float, pos: str, neg: str) -> str:
        return f"{abs(value):.1f}°{pos if value >= 0 else neg}"

    return (
        f"{deg(south, 'N', 'S')} to {deg(north, 'N', 'S')}, "
        f"{deg(west, 'E', 'W')} to {deg(east, 'E', 'W')}"
    )
