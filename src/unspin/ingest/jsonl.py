"""A JSON Lines corpus: one article object per line, each a record of its own.

Fields: ``text`` or ``html`` (required), and optionally ``id``, ``url``, ``title``,
``published``, ``authors``, ``site``, ``language``.  A bad line is reported under its line
number and skipped; the rest of the corpus is still read.  ``parse_lines`` reads the other
kind of JSON Lines file, one that must be whole (a knowledge base, saved analyses): there one
bad line fails the file, naming the line.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from contextlib import suppress
from datetime import datetime
from typing import Any

from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document
from unspin.ingest.plain import plain_document
from unspin.ingest.published import iso_date
from unspin.ingest.record import Record


def parse_lines(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line; InputError naming ``source`` otherwise."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"line {number}: invalid JSON ({exc.msg})") from None


def _published(value: Any, source: str) -> str | None:
    """An ISO 8601 date or date-time, kept as precise as the corpus gave it."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if "T" in text:
        with suppress(ValueError):
            return datetime.fromisoformat(text).isoformat()
    return iso_date(text, source)


def _authors(value: Any) -> list[str]:
    """A list of names, given as a list or as one ``;``-separated string."""
    if isinstance(value, str):
        return [a.strip() for a in value.split(";") if a.strip()]
    if isinstance(value, list):
        return [str(a).strip() for a in value if str(a).strip()]
    return []


def _optional(obj: dict[str, Any], key: str) -> str | None:
    """A field as trimmed text; absent, null and blank all mean "not given"."""
    value = obj.get(key)
    return None if value is None or str(value).strip() == "" else str(value).strip()


def record_document(obj: Any, source: str, default_id: str) -> Document:
    """The Document for one corpus object; InputError when it cannot become one."""
    if not isinstance(obj, dict):
        raise InputError(source, "not a JSON object")
    field = next((f for f in ("text", "html") if obj.get(f) is not None), None)
    if field is None:
        raise InputError(source, "no 'text' or 'html' field")
    content = obj[field]
    if not isinstance(content, str):
        raise InputError(source, f"'{field}' is not a string")
    if not content.strip():
        raise InputError(source, "empty text")
    meta = Metadata(
        id=_optional(obj, "id") or default_id,
        url=_optional(obj, "url"),
        site=_optional(obj, "site"),
        published=_published(obj.get("published"), source),
        authors=_authors(obj.get("authors")),
        language=_optional(obj, "language"),
    )
    title = _optional(obj, "title")
    if field == "html":
        meta.title = title
        return html_document(content.encode("utf-8"), source, url=meta.url, meta=meta)
    return plain_document(content.replace("\r\n", "\n"), meta, title=title)


def iter_jsonl(lines: Iterable[bytes], name: str, stem: str) -> Iterator[Record]:
    """A Record per non-blank line of ``name``; ids default to ``stem:line``."""
    empty = True
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        raw = raw.strip()
        if not raw:
            continue
        empty = False
        source = f"{name}:{number}"
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield Record(source, error=f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except UnicodeDecodeError:
            yield Record(source, error="invalid JSON: not UTF-8")
            continue
        if isinstance(obj, dict) and _optional(obj, "id"):
            source = f"{source} (id {_optional(obj, 'id')})"
        try:
            yield Record(source, record_document(obj, source, f"{stem}:{number}"))
        except InputError as exc:
            yield Record(source, error=exc.reason)
    if empty:
        yield Record(name, error="empty input")
