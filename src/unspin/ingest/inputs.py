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
from typing import IO
from urllib.parse import urlsplit

from unspin import settings
from unspin.document import Metadata
from unspin.errors import InputError
from unspin.ingest.html import html_document, looks_like_html
from unspin.ingest.jsonl import iter_jsonl
from unspin.ingest.plain import plain_document
from unspin.ingest.record import Record
from unspin.ingest.text import decode, too_large, unicode_encoding
from unspin.ingest.url import fetch, is_url, redact

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_GZIP = b"\x1f\x8b"


def _head_text(raw: bytes) -> str:
    """The first bytes as text, good enough to sniff markup or JSON in any encoding."""
    head = raw[:2048]
    found = unicode_encoding(head)
    return head[found[1] :].decode(found[0], "ignore") if found else head.decode("latin-1")


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


def _warc_records(stream: IO[bytes], name: str, limits: settings.Limits) -> Iterator[Record]:
    """The WARC reader, imported only for crawls: warcio is not needed for anything else."""
    from unspin.ingest.warc import iter_warc

    yield from iter_warc(stream, name, limits)


def _is_jsonl(head: str) -> bool:
    """Whether the first non-blank line is a whole JSON object."""
    first = head.lstrip().split("\n", 1)[0].strip()
    return first.startswith("{") and first.endswith("}")


def _plain(name: str, raw: bytes, meta: Metadata, charset: str | None = None) -> Record:
    text = decode(raw, name, charset)
    if not text.strip():
        raise InputError(name, "empty input")
    return Record(name, plain_document(text, meta))


def _is_corpus(head: str, suffix: str) -> bool:
    """JSON Lines by name, or by content when the content is not an HTML page."""
    if suffix in HTML_SUFFIXES or looks_like_html(head):
        return False
    return suffix in JSONL_SUFFIXES or _is_jsonl(head)


def _from_bytes(
    name: str, raw: bytes, suffix: str, meta: Metadata, limits: settings.Limits
) -> Iterator[Record]:
    """Records from an input held in memory (a file or stdin)."""
    if not raw.strip():
        raise InputError(name, "empty input")
    head = _head_text(raw)
    if _warc(name, raw[:512], suffix):
        yield from _warc_records(io.BytesIO(raw), name, limits)
    elif _is_corpus(head, suffix):
        yield from iter_jsonl(io.BytesIO(raw), name, meta.id or "stdin", limits)
    elif len(raw) > limits.max_input_bytes:
        raise InputError(name, too_large(limits.max_input_bytes))
    elif suffix in HTML_SUFFIXES or looks_like_html(head):
        yield Record(name, html_document(raw, name, meta=meta))
    else:
        yield _plain(name, raw, meta)


def name_parts(name: str) -> tuple[str, str]:
    """The format suffix (``.jsonl``, ``.warc.gz``) and the stem, the default id, of an
    input named by a path or a file-system URI (``hdfs://…/corpus.jsonl``)."""
    path = Path(urlsplit(name).path if _SCHEME.match(name) else name)
    suffix = _suffix(path)
    return suffix, path.name.removesuffix(suffix)


def _suffix(path: Path) -> str:
    """The extension that names the format: ``.jsonl``, or both parts of ``.warc.gz``."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return "".join(suffixes) if suffixes[-1:] == [".gz"] else "".join(suffixes[-1:])


def _from_file(name: str, limits: settings.Limits) -> Iterator[Record]:
    """Records from a file; the file stem (``corpus`` for ``corpus.jsonl``) is the id."""
    path = Path(name)
    suffix, stem = name_parts(name)
    if path.is_dir():
        raise InputError(name, "is a directory, not a file")
    try:
        with path.open("rb") as stream:
            head = stream.read(2048)
            stream.seek(0)
            # Corpora are streamed: they can be far larger than memory.
            if _warc(name, head[:512], suffix):
                yield from _warc_records(stream, name, limits)
                return
            if _is_corpus(_head_text(head), suffix):
                yield from iter_jsonl(stream, name, stem, limits)
                return
            raw = stream.read(limits.max_input_bytes + 1)  # one byte more says "too large"
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, exc.strerror or "cannot read file") from None
    yield from _from_bytes(name, raw, suffix, Metadata(id=stem), limits)


def _from_url(name: str, allow_private: bool, limits: settings.Limits) -> Iterator[Record]:
    """The Record for a web page, its id the URL as given (without credentials); HTML sent as
    text/plain is sniffed."""
    page = fetch(name, allow_private=allow_private, limits=limits)
    shown = redact(name)
    meta = Metadata(id=shown)
    if page.media_type == "text/plain" and not looks_like_html(_head_text(page.body)):
        meta.url = page.url
        yield _plain(shown, page.body, meta, page.charset)
    else:
        yield Record(
            shown, html_document(page.body, shown, url=page.url, charset=page.charset, meta=meta)
        )


def _read(name: str, allow_private: bool, limits: settings.Limits) -> Iterator[Record]:
    if name == "-":
        yield from _from_bytes(name, sys.stdin.buffer.read(), "", Metadata(), limits)
    elif is_url(name):
        yield from _from_url(name, allow_private, limits)
    elif _SCHEME.match(name):
        scheme = name.split(":", 1)[0]
        raise InputError(redact(name), f"unsupported URL scheme {scheme} (use http or https)")
    else:
        yield from _from_file(name, limits)


def _within(record: Record, max_chars: int) -> Record:
    """The record, or a failed one when its text is longer than the pipeline may take."""
    if record.document is not None and len(record.document.text) > max_chars:
        return Record(record.source, error=f"text longer than {max_chars:,} characters")
    return record


def _guarded(name: str, records: Iterator[Record], limits: settings.Limits) -> Iterator[Record]:
    """The records of one input; its bad input or a reader's bug ends only that input."""
    try:
        for record in records:
            yield _within(record, limits.max_text_chars)
    except InputError as exc:
        yield Record(exc.source, error=exc.reason)
    except Exception as exc:
        yield Record.crashed(redact(name), exc)


def records_from_bytes(name: str, raw: bytes, limits: settings.Limits) -> Iterator[Record]:
    """The Records of a whole file already in memory (as Spark's ``binaryFiles`` hands it
    over), read as the same file on disk would be."""
    suffix, stem = name_parts(name)
    yield from _guarded(name, _from_bytes(name, raw, suffix, Metadata(id=stem), limits), limits)


def iter_records(
    inputs: list[str], *, allow_private: bool = False, limits: settings.Limits | None = None
) -> Iterator[Record]:
    """Yield a Record per document; a bad input yields a Record with ``error`` set.

    A corpus (JSON Lines, WARC) yields one Record per article, bad ones included, so one
    broken line never hides the rest; a reader's bug ends only the input it was reading.
    ``limits`` default to the user's settings (``unspin.settings.load()``).
    """
    limits = limits or settings.load().limits
    for name in inputs:
        yield from _guarded(name, _read(name, allow_private, limits), limits)
