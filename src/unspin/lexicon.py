"""Word lists kept as package data, and the regular expressions built from them."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load(area: str, name: str) -> Any:
    """``data/<area>/<name>`` parsed as JSON, read once per process."""
    return json.loads((files("unspin") / "data" / area / name).read_text("utf-8"))


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so 'at least' beats 'at'."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
