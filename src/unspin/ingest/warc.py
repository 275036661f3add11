"""A WARC (or WARC.gz) crawl: each archived HTML page (a 200 response) is a record.

Requests, metadata, redirects, errors and non-HTML responses are skipped silently; an
HTML page without article text is reported and skipped.  The publication date comes from
the page only: WARC-Date is when the page was crawled, not when it was published.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator

from unspin.document import Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document
from unspin.ingest.record import Record

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _html_pages(stream: IO[bytes]) -> Iterator[tuple[str, str, bytes]]:
    """(target URI, content type, body) of every archived 200 HTML response."""
    for entry in ArchiveIterator(stream):
        if entry.rec_type != "response" or entry.http_headers is None:
            continue
        content_type = entry.http_headers.get_header("Content-Type") or ""
        media_type = content_type.split(";", 1)[0].strip().lower()
        if entry.http_headers.get_statuscode() == "200" and media_type in HTML_TYPES:
            uri = entry.rec_headers.get_header("WARC-Target-URI") or ""
            yield uri, content_type, entry.content_stream().read()


def _record(name: str, uri: str, content_type: str, body: bytes) -> Record:
    source = f"{name}: record {uri}"
    try:
        document = html_document(
            body,
            source,
            url=uri or None,
            charset=_charset(content_type),
            meta=Metadata(id=uri or None),
        )
    except InputError as exc:
        return Record(source, error=exc.reason)
    return Record(source, document)


def iter_warc(stream: IO[bytes], name: str) -> Iterator[Record]:
    """A Record per archived HTML page in ``stream`` (gzip-compressed or not).

    A malformed archive ends with one Record saying so, after the pages read before it.
    """
    pages = _html_pages(stream)
    while True:
        try:
            page = next(pages, None)
        except Exception as exc:  # warcio raises many kinds of error on malformed archives
            reason = " ".join(str(exc).split()) or type(exc).__name__
            yield Record(name, error=f"not a readable WARC file: {reason}")
            return
        if page is None:
            return
        yield _record(name, *page)
