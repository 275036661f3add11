"""The unit every reader yields: a Document, or the reason one input could not be read."""

from __future__ import annotations

from dataclasses import dataclass

from unspin.document import Document


@dataclass(slots=True)
class Record:
    """One document to analyse, or the reason it could not be read.

    ``source`` names it in messages: a path, ``-``, a URL, ``corpus.jsonl:12`` for the
    twelfth line of a batch, or ``crawl.warc.gz: record <uri>`` for one page of a crawl.
    """

    source: str
    document: Document | None = None
    error: str | None = None
