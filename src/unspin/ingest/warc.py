"""A WARC (or WARC.gz) crawl: each archived HTML page (a 200 response) is a record.

Requests, metadata, redirects, errors and non-HTML responses are skipped silently; an
HTML page without article text is reported and skipped.  The publication date comes from
the page only: WARC-Date is when the page was crawled, not when it was published.

Damage costs one record, not the rest of the crawl: a record cut short (a truncated file, a
Content-Length that does not match) or unreadable (a garbled gzip member) is reported with
its offset, and reading resumes at the next gzip member or ``WARC/1.`` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from unspin import settings
from unspin.document import Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document
from unspin.ingest.record import Record, guarded
from unspin.ingest.text import too_large
from unspin.ingest.url import checked_url, redact

HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = b"\nWARC/1."
_SCAN_CHUNK = 1 << 20


class _Reader(ArchiveIterator):
    """warcio's reader without its stderr warning on a bad Content-Length, which prints raw
    record bytes: the record is reported here instead (``err_count`` still counts it)."""

    INC_RECORD = ""


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _is_html_page(entry: ArcWarcRecord) -> bool:
    """A 200 response with an HTML body: the only records that can hold an article."""
    if entry.rec_type != "response" or entry.http_headers is None:
        return False
    media_type = (entry.http_headers.get_header("Content-Type") or "").split(";", 1)[0]
    return entry.http_headers.get_statuscode() == "200" and media_type.strip().lower() in HTML_TYPES


def _page(reader: _Reader, entry: ArcWarcRecord, name: str, at: int, max_bytes: int) -> Record:
    """The Record of one archived HTML page, or why it failed (too large, cut short)."""
    target = entry.rec_headers.get_header("WARC-Target-URI") or ""
    uri = redact(target)
    source = f"{name}: record {uri}" if uri else f"{name}: record at offset {at}"
    if entry.length is not None and entry.length > max_bytes:
        return Record(source, error=too_large(max_bytes))
    body = entry.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Record(source, error=too_large(max_bytes))
    cut = entry.raw_stream.limit > 0  # the file ended inside the record
    errors = reader.err_count
    reader.read_to_end()
    if cut or reader.err_count > errors:  # no blank line where Content-Length says it ends
        return Record(source, error=f"record at offset {at} is cut short")
    if target:
        try:
            checked_url(target, source)
        except InputError as exc:
            return Record(source, error=exc.reason)
    charset = _charset(entry.http_headers.get_header("Content-Type") or "")
    meta = Metadata(id=uri or None)
    return guarded(
        source,
        lambda: html_document(body, source, url=uri or None, charset=charset, meta=meta),
    )


def _next_start(stream: IO[bytes], after: int, marker: bytes) -> int | None:
    """Where the next record starts: the first ``marker`` past offset ``after``."""
    stream.seek(after + 1)
    position, carry = after + 1, b""
    while chunk := stream.read(_SCAN_CHUNK):
        found = (carry + chunk).find(marker)
        if found >= 0:
            start = position - len(carry) + found
            return start + 1 if marker == _WARC_LINE else start
        carry = (carry + chunk)[-len(marker) :]
        position += len(chunk)
    return None


def iter_warc(stream: IO[bytes], name: str, limits: settings.Limits) -> Iterator[Record]:
    """A Record per archived HTML page in ``stream`` (gzip-compressed or not, seekable).

    An unreadable record yields one failed Record naming its offset (never its bytes), and
    reading goes on at the next record.
    """
    origin = stream.tell()
    marker = _GZIP_MEMBER if stream.read(2) == _GZIP_MEMBER[:2] else _WARC_LINE
    start: int | None = origin
    while start is not None:
        stream.seek(start)
        reader = _Reader(stream)
        try:
            for entry in reader:
                at = reader.offset
                if _is_html_page(entry):
                    yield _page(reader, entry, name, at, limits.max_input_bytes)
            return
        except Exception as exc:  # warcio and zlib raise many kinds of error on damage
            at = reader.offset  # the start of the record being read
            reason = f"unreadable record at offset {at} ({type(exc).__name__})"
            yield Record(f"{name}: offset {at}", error=f"{reason}, skipped")
        start = _next_start(stream, at, marker)
