"""Reading JSON Lines files that must be whole: one bad line fails the file, naming the line.

(Corpora for ``unspin analyze`` are the other kind: there a bad record is skipped, see
``unspin.ingest.jsonl``.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from unspin.errors import InputError


def parse_lines(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line; InputError naming ``source`` otherwise."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"line {number}: invalid JSON ({exc.msg})") from None
