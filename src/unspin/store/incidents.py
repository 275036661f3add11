"""Grouping events of several articles into incidents, for the cross-outlet timeline.

Two events are one incident when they are of the same kind (the event type's incident
family, so one outlet's "shelling" meets another's "strike" or "killing"), on the same day,
and at the same place (the same linked entity, else the same place name) or with a linked
participant in common.
Each incident keeps every article's version: its sentence, casualty figures and sources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class StoredEventRow:
    """One event as the timeline query returns it."""

    id: int
    analysis_id: int
    type: str
    kind: str
    day: date
    place_id: int | None
    place: str | None
    participants: list[int]
    casualties: list[dict[str, Any]]
    sources: list[str]
    text: str
    site: str | None
    title: str | None


def _place_key(event: StoredEventRow) -> str | None:
    if event.place_id is not None:
        return f"id:{event.place_id}"
    return f"name:{' '.join(event.place.casefold().split())}" if event.place else None


def _same_incident(a: StoredEventRow, b: StoredEventRow) -> bool:
    if a.kind != b.kind or a.day != b.day:
        return False
    place = _place_key(a)
    return (place is not None and place == _place_key(b)) or bool(
        set(a.participants) & set(b.participants)
    )


def clusters(events: list[StoredEventRow]) -> list[list[StoredEventRow]]:
    """The events of each incident, in the order of each incident's first event."""
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_day: dict[tuple[date, str], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        by_day[(event.day, event.kind)].append(i)
    for members in by_day.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if _same_incident(events[i], events[j]):
                    parent[root(j)] = root(i)
    groups: dict[int, list[StoredEventRow]] = defaultdict(list)
    for i, event in enumerate(events):
        groups[root(i)].append(event)
    return list(groups.values())


def group(events: list[StoredEventRow], names: dict[int, str]) -> list[dict[str, Any]]:
    """Incidents by date, then kind (the order the timeline pages in), the most reported
    first; each with one version per article that reports it."""
    incidents = [_incident(members, names) for members in clusters(events)]
    incidents.sort(key=lambda x: (x["date"], x["kind"], -len(x["versions"])))
    return incidents


def _incident(members: list[StoredEventRow], names: dict[int, str]) -> dict[str, Any]:
    first = members[0]
    places = sorted({names.get(e.place_id or 0) or e.place for e in members if e.place})
    versions: dict[int, dict[str, Any]] = {}
    for event in members:
        version = versions.setdefault(
            event.analysis_id,
            {
                "analysis_id": event.analysis_id,
                "site": event.site,
                "title": event.title,
                "events": [],
                "text": [],
                "casualties": [],
                "sources": [],
            },
        )
        version["events"].append(event.type)
        for key, values in (
            ("text", [event.text]),
            ("casualties", event.casualties),
            ("sources", event.sources),
        ):
            version[key].extend(v for v in values if v not in version[key])
    participants = sorted({names[p] for e in members for p in e.participants if p in names})
    return {
        "date": first.day.isoformat(),
        "kind": first.kind,
        "places": places,
        "participants": participants,
        "outlets": sorted({e.site for e in members if e.site}),
        "versions": list(versions.values()),
    }
