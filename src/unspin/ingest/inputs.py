"""Dispatch each input to its reader. PLACEHOLDER: plain text only until ingestion lands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from unspin.document import Document
from unspin.errors import InputError


@dataclass(slots=True)
class Record:
    """One document to analyse, or the reason it could not be read.

    ``source`` names it in messages: a path, ``-``, a URL, or ``corpus.jsonl:12`` for the
    twelfth line of a batch.
    """

    source: str
    document: Document | None = None
    error: str | None = None


def iter_records(inputs: list[str], *, allow_private: bool = False) -> Iterator[Record]:
    """Yield a Record per document; a bad input yields a Record with ``error`` set."""
    for name in inputs:
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = raw.decode("utf-8")
            if not text.strip():
                raise InputError(name, "empty input")
            lines = text.strip().split("\n", 1)
            yield Record(name, Document.from_parts(lines[0], lines[1] if len(lines) > 1 else ""))
        except InputError as exc:
            yield Record(name, error=exc.reason)
        except OSError as exc:
            yield Record(name, error=exc.strerror or str(exc))
