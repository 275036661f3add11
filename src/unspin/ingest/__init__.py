"""Turning what the user hands over (files, stdin, URLs, corpora) into Documents."""

from unspin.ingest.inputs import iter_records
from unspin.ingest.record import Record

__all__ = ["Record", "iter_records"]
