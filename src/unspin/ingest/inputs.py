"""Dispatch each input (file, ``-``, URL) to the reader for what it turns out to be.

The kind is sniffed from the content (a WARC header, an HTML document, JSON objects per
line) as well as the file name, so ``-`` and mislabelled files still go to the right reader.
"""

from __future__ import annotations

import io
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from unspin.document import Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document, looks_like_html
from unspin.ingest.jsonl import iter_jsonl
from unspin.ingest.plain import plain_document
from unspin.ingest.record import Record
from unspin.ingest.text import bom_encoding, decode
from unspin.ingest.url import fetch, is_url
from unspin.ingest.warc import iter_warc

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_GZIP = b"\x1f\x8b"


def _head_text(raw: bytes) -> str:
    """The first bytes as text, good enough to sniff markup or JSON in any encoding."""
    head = raw[:2048]
    bom = bom_encoding(head)
    return head[bom[1] :].decode(bom[0], "ignore") if bom else head.decode("latin-1")


def _is_warc(head: bytes) -> bool:
    """A WARC starts with ``WARC/``, compressed (one gzip member per record) or not."""
    if head.startswith(_GZIP):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _warc(name: str, head: bytes, suffix: str) -> bool:
    """Whether to read the input as a WARC: by content; a WARC name alone is not enough."""
    if _is_warc(head):
        return True
    if suffix in WARC_SUFFIXES:
        raise InputError(name, "not a WARC file")
    return False


def _is_jsonl(head: str) -> bool:
    """Whether the first non-blank line is a whole JSON object."""
    first = head.lstrip().split("\n", 1)[0].strip()
    return first.startswith("{") and first.endswith("}")


def _plain(name: str, raw: bytes, meta: Metadata, charset: str | None = None) -> Record:
    text = decode(raw, name, charset)
    if not text.strip():
        raise InputError(name, "empty input")
    return Record(name, plain_document(text, meta))


def _from_bytes(name: str, raw: bytes, suffix: str, meta: Metadata) -> Iterator[Record]:
    """Records from an input held in memory (a file or stdin)."""
    if not raw.strip():
        raise InputError(name, "empty input")
    head = _head_text(raw)
    if _warc(name, raw[:512], suffix):
        yield from iter_warc(io.BytesIO(raw), name)
    elif suffix in HTML_SUFFIXES or looks_like_html(head):
        yield Record(name, html_document(raw, name, meta=meta))
    elif suffix in JSONL_SUFFIXES or _is_jsonl(head):
        yield from iter_jsonl(io.BytesIO(raw), name, meta.id or "stdin")
    else:
        yield _plain(name, raw, meta)


def _suffix(path: Path) -> str:
    """The extension that names the format: ``.jsonl``, or both parts of ``.warc.gz``."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return "".join(suffixes) if suffixes[-1:] == [".gz"] else "".join(suffixes[-1:])


def _from_file(name: str) -> Iterator[Record]:
    """Records from a file; the file stem (``corpus`` for ``corpus.jsonl``) is the id."""
    path = Path(name)
    suffix = _suffix(path)
    stem = path.name.removesuffix(suffix)
    if path.is_dir():
        raise InputError(name, "is a directory, not a file")
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
            stream.seek(0)
            # Corpora are streamed: they can be far larger than memory.
            if _warc(name, head, suffix):
                yield from iter_warc(stream, name)
                return
            if suffix in JSONL_SUFFIXES:
                yield from iter_jsonl(stream, name, stem)
                return
            raw = stream.read()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, exc.strerror or "cannot read file") from None
    yield from _from_bytes(name, raw, suffix, Metadata(id=stem))


def _from_url(name: str, allow_private: bool) -> Iterator[Record]:
    """The Record for a web page, its id the URL as given; HTML sent as text/plain is sniffed."""
    page = fetch(name, allow_private=allow_private)
    meta = Metadata(id=name)
    if page.media_type == "text/plain" and not looks_like_html(_head_text(page.body)):
        meta.url = page.url
        yield _plain(name, page.body, meta, page.charset)
    else:
        yield Record(
            name, html_document(page.body, name, url=page.url, charset=page.charset, meta=meta)
        )


def _read(name: str, allow_private: bool) -> Iterator[Record]:
    if name == "-":
        yield from _from_bytes(name, sys.stdin.buffer.read(), "", Metadata())
    elif is_url(name):
        yield from _from_url(name, allow_private)
    elif _SCHEME.match(name):
        scheme = name.split(":", 1)[0]
        raise InputError(name, f"unsupported URL scheme {scheme} (use http or https)")
    else:
        yield from _from_file(name)


def iter_records(inputs: list[str], *, allow_private: bool = False) -> Iterator[Record]:
    """Yield a Record per document; a bad input yields a Record with ``error`` set.

    A corpus (JSON Lines, WARC) yields one Record per article, bad ones included, so one
    broken line never hides the rest.
    """
    for name in inputs:
        try:
            yield from _read(name, allow_private)
        except InputError as exc:
            yield Record(exc.source, error=exc.reason)
