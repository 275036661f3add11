"""Reading a saved analysis back: one unspin/1 JSON object, or JSON Lines of them."""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path
from typing import Any

from unspin.document import SCHEMA
from unspin.errors import InputError
from unspin.ingest.jsonl import parse_lines


def _check(value: object, path: Path, where: str) -> dict[str, Any]:
    """The analysis, if it is one: enough of unspin/1 for the report to rely on."""
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        raise InputError(str(path), f'{where}not an {SCHEMA} analysis (no "schema": "{SCHEMA}")')
    doc = value.get("document")
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        raise InputError(str(path), f"{where}{SCHEMA} analysis without document.text")
    if not isinstance(value.get("techniques", []), list):
        raise InputError(str(path), f'{where}"techniques" is not a list')
    return value


def load_analyses(path: Path) -> list[dict[str, Any]]:
    """The analyses saved in ``path`` by ``unspin analyze``, in file order.

    Raises InputError for a missing or unreadable file, invalid JSON, or anything that is not
    an unspin/1 analysis, naming the line for JSON Lines.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    if not raw.strip():
        raise InputError(str(path), "empty file")
    with suppress(json.JSONDecodeError):  # one JSON value; otherwise JSON Lines below
        return [_check(json.loads(raw), path, "")]
    return [_check(value, path, f"line {n}: ") for n, value in parse_lines(raw, str(path))]
