"""Turning what the user hands over (files, stdin, URLs, corpora) into Documents."""

from unspin.ingest.inputs import Record, iter_records

__all__ = ["Record", "iter_records"]
