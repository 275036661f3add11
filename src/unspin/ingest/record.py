"""The unit every reader yields: a Document, or the reason one input could not be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from unspin.document import Document
from unspin.errors import InputError


def one_line(exc: BaseException) -> str:
    """An exception as one short line: a reason for stderr, never a traceback."""
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(slots=True)
class Record:
    """One document to analyse, or the reason it could not be read.

    ``source`` names it in messages: a path, ``-``, a URL, ``corpus.jsonl:12`` for the
    twelfth line of a batch, or ``crawl.warc.gz: record <uri>`` for one page of a crawl.
    ``crash`` holds the exception when the reason is a bug rather than bad input, so the
    batch goes on and the exit code can tell the two apart.
    """

    source: str
    document: Document | None = None
    error: str | None = None
    crash: BaseException | None = None

    @classmethod
    def crashed(cls, source: str, exc: BaseException) -> Record:
        """The Record for an input whose analysis hit an unexpected error."""
        return cls(source, error=f"internal error: {one_line(exc)}", crash=exc)


def guarded(source: str, build: Callable[[], Document]) -> Record:
    """The Record of ``build()``: failed with the reason on InputError, crashed on a bug, so
    that one record of a corpus never ends the rest."""
    try:
        return Record(source, build())
    except InputError as exc:
        return Record(source, error=exc.reason)
    except Exception as exc:
        return Record.crashed(source, exc)
