"""A JSON Lines corpus: one article object per line, each a record of its own.

Fields: ``text`` or ``html`` (required), and optionally ``id``, ``url``, ``title``,
``published``, ``authors``, ``site``, ``language``.  A bad line (invalid, over the size
limits, or one the reader fails on) is reported under its line number and skipped; the rest
of the corpus is still read.  ``parse_lines`` reads the other kind of JSON Lines file, one
that must be whole (a knowledge base, saved analyses): there one bad line fails the file,
naming the line.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime
from typing import IO, Any

from unspin import settings
from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document
from unspin.ingest.plain import plain_document
from unspin.ingest.published import iso_date
from unspin.ingest.record import Record, guarded
from unspin.ingest.text import clean_text, replace_controls, too_large
from unspin.ingest.url import checked_url


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
        return [replace_controls(a.strip()) for a in value.split(";") if a.strip()]
    if isinstance(value, list):
        return [replace_controls(str(a).strip()) for a in value if str(a).strip()]
    return []


def _optional(obj: dict[str, Any], key: str) -> str | None:
    """A field as trimmed text; absent, null and blank all mean "not given"."""
    value = obj.get(key)
    text = "" if value is None else replace_controls(str(value).strip())
    return text or None


def _url(obj: dict[str, Any], source: str) -> str | None:
    """The record's URL without credentials; InputError when it cannot be parsed."""
    url = _optional(obj, "url")
    return None if url is None else checked_url(url, source)


def record_document(obj: Any, source: str, default_id: str, max_chars: int) -> Document:
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
    if len(content) > max_chars:
        raise InputError(source, f"'{field}' longer than {max_chars:,} characters")
    content = clean_text(content, source)
    meta = Metadata(
        id=_optional(obj, "id") or default_id,
        url=_url(obj, source),
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


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """The lines of ``stream``, each None when longer than ``max_bytes`` (its rest skipped
    unread into memory)."""
    while line := stream.readline(max_bytes + 1):
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(max_bytes)) and not rest.endswith(b"\n"):
            pass
        yield None


def _line_record(raw: bytes, source: str, default_id: str, limits: settings.Limits) -> Record:
    """The Record for one non-blank line."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Record(source, error=f"invalid JSON: {exc.msg} (column {exc.colno})")
    except UnicodeDecodeError:
        return Record(source, error="invalid JSON: not UTF-8")
    if isinstance(obj, dict) and _optional(obj, "id"):
        source = f"{source} (id {_optional(obj, 'id')})"
    return guarded(source, lambda: record_document(obj, source, default_id, limits.max_text_chars))


def line_record(
    raw: bytes | None, name: str, stem: str, number: int, limits: settings.Limits
) -> Record | None:
    """The Record of line ``number`` of ``name`` (None: longer than the limit), or None for
    a blank line; ids default to ``stem:number``.  Spark reads lines one at a time."""
    source = f"{name}:{number}"
    if raw is None or len(raw) > limits.max_input_bytes:
        return Record(source, error=too_large(limits.max_input_bytes))
    if number == 1:
        raw = raw.removeprefix(codecs.BOM_UTF8)
    raw = raw.strip()
    return _line_record(raw, source, f"{stem}:{number}", limits) if raw else None


def iter_jsonl(
    stream: IO[bytes], name: str, stem: str, limits: settings.Limits
) -> Iterator[Record]:
    """A Record per non-blank line of ``name``; ids default to ``stem:line``."""
    empty = True
    for number, raw in enumerate(_lines(stream, limits.max_input_bytes), start=1):
        record = line_record(raw, name, stem, number, limits)
        if record is not None:
            empty = False
            yield record
    if empty:
        yield Record(name, error="empty input")
