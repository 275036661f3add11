"""Parsing user- and page-supplied dates into ISO 8601."""

from __future__ import annotations

from datetime import date, datetime

import dateparser

from unspin.errors import InputError

_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def iso_date(value: str, source: str) -> str:
    """``value`` as YYYY-MM-DD; InputError (naming ``source``) when it is not a date."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    parsed: datetime | None = dateparser.parse(value, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        raise InputError(source, f"not a date: {value!r}")
    return parsed.date().isoformat()
