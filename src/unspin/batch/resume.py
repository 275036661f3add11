"""Resuming a stopped batch: which records the JSON Lines output already holds, and
appending to it one whole line at a time.

A run with ``--resume`` writes each analysis as soon as it is in order, so a run that is
stopped keeps every finished record; the next run with ``--resume`` skips the documents
whose id is in the file.  A line cut short by a kill is removed before appending, so the
file never holds half a line.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO

from unspin.errors import InputError


def finished_ids(path: Path) -> set[str]:
    """The document ids of the analyses in ``path`` (none when it does not exist yet),
    after cutting off a last line left unfinished."""
    try:
        with path.open("rb+") as stream:
            data = stream.read()
            whole = data.rfind(b"\n") + 1
            if whole < len(data):
                stream.truncate(whole)
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise InputError(str(path), f"cannot resume: {exc.strerror or exc}") from None
    ids = set()
    for number, line in enumerate(data[:whole].splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc_id = json.loads(line)["document"]["id"]
        except (ValueError, KeyError, TypeError):
            raise InputError(
                str(path), f"line {number}: not an unspin JSON Lines analysis, cannot resume"
            ) from None
        if doc_id is not None:
            ids.add(doc_id)
    return ids


class LineAppender(io.TextIOBase):
    """A text sink appending each ``write`` (one whole line from the CLI) to the file in one
    call and flushing it, so a stop loses at most the line being written."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:  # type: ignore[override]
        self.stream.write(text.encode("utf-8"))
        self.stream.flush()
        return len(text)
