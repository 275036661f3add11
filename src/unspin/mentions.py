"""Matching a text span to the entities layer, so claims and events can name entity ids."""

from __future__ import annotations

from typing import Any


def entity_at(
    entities: list[dict[str, Any]], start: int, end: int, head: int | None = None
) -> str | None:
    """The id of the entity mentioned inside [start, end).

    A mention holding ``head`` (the span's syntactic head, e.g. 'Ministry' in 'the Interior
    Ministry') wins; otherwise the first mention inside the span ('a spokesman for
    *the army*').  None when the layer is empty or nothing is mentioned there.
    """
    inside: list[tuple[int, str]] = []
    for entity in entities:
        for mention in entity.get("mentions", ()):
            s, e = mention["start"], mention["end"]
            if head is not None and s <= head < e and start <= head < end:
                return entity["id"]
            if start <= s and e <= end:
                inside.append((s, entity["id"]))
    return min(inside)[1] if inside else None
