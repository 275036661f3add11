"""Bounded fuzzing of the ingesters: any bytes become records or an InputError, never a crash.

Inputs that crashed an ingester before issue #18 are pinned as plain regression tests below,
with edge cases of the new code (nothing to parse, a garbled gzip member).
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.errors import InputError
from unspin.ingest.html import html_document
from unspin.ingest.jsonl import iter_jsonl
from unspin.ingest.text import decode
from unspin.ingest.warc import iter_warc
from unspin.settings import Limits

LIMITS = Limits()
PREFIXES = [
    b"",
    b"<!DOCTYPE html><html><body><p>",
    b'{"text": "',
    b'{"html": "<p>',
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    b"\xff\xfe",
]


def _ingest(raw: bytes) -> None:
    """Every ingester over ``raw``; only InputError may escape, no record may crash."""
    for reader in (
        lambda: [decode(raw, "x")],
        lambda: [html_document(raw, "x")],
        lambda: list(iter_jsonl(io.BytesIO(raw), "x", "x", LIMITS)),
        lambda: list(iter_warc(io.BytesIO(raw), "x", LIMITS)),
    ):
        try:
            records = reader()
        except InputError:
            continue
        assert not [r for r in records if getattr(r, "crash", None) is not None]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600))
def test_ingesters_never_crash(prefix: bytes, body: bytes) -> None:
    _ingest(prefix + body)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text": "x\\ud800 y"}\n',  # lone surrogate: UnicodeEncodeError on output
        b'{"text": "x", "url": "http://[zz]/"}\n',  # ValueError from urlsplit downstream
        b'{"html": "<p>\\udfff</p>"}\n',  # UnicodeEncodeError before parsing
        b"<!-- only a comment -->",  # lxml's "Document is empty"
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbled",  # a gzip member that never inflates
    ],
)
def test_inputs_that_crashed_once(raw: bytes) -> None:
    _ingest(raw)
