"""Request bodies to Documents, through the same readers as ``unspin analyze``.

Text and HTML go through the JSON Lines record reader (``unspin.ingest.jsonl``), a URL
through ``unspin.ingest.url`` with its private-address guard, an uploaded file through the
same sniffing as the command line (``unspin.ingest.inputs``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import UploadFile

from unspin.document import Document
from unspin.errors import InputError
from unspin.ingest import Record, iter_records
from unspin.ingest.jsonl import record_document
from unspin.ingest.published import iso_date
from unspin.settings import Limits


class AnalysisRequest(BaseModel):
    """One article: exactly one of ``text``, ``html`` and ``url``, with optional metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    html: str | None = None
    url: str | None = Field(None, description="http(s); private addresses are refused")
    title: str | None = None
    published: str | None = Field(None, description="ISO 8601; anchors relative dates")
    source: str | None = Field(None, description="the outlet's domain, overriding the page's")

    @model_validator(mode="after")
    def _one_input(self) -> AnalysisRequest:
        given = [f for f in ("text", "html", "url") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text', 'html' and 'url'")
        return self


def _only(records: Iterator[Record], name: str) -> Document:
    """The one document of an input; InputError when it failed or holds several."""
    record = next(records, None)
    if record is None or record.error is not None or record.document is None:
        raise InputError(name, record.error if record else "empty input")
    if next(records, None) is not None:
        raise InputError(name, "holds several articles: POST it to /api/v1/batches")
    return record.document


def _override(doc: Document, request: AnalysisRequest) -> Document:
    if request.published:
        doc.meta.published = iso_date(request.published, "published")
    if request.source:
        doc.meta.site = request.source
    return doc


def request_document(request: AnalysisRequest, limits: Limits) -> Document:
    """The Document a JSON request describes (fetching its URL, when it gives one)."""
    if request.url is not None:
        doc = _only(iter_records([request.url], limits=limits), "url")
        if request.title:
            doc.meta.title = request.title
        return _override(doc, request)
    fields = request.model_dump(include={"text", "html", "title"}, exclude_none=True)
    doc = record_document(fields, "text" if request.text else "html", "api", limits.max_text_chars)
    return _override(doc, request)


def saved_upload(filename: str | None, content: bytes) -> Path:
    """The upload in a temporary file keeping its name's extension, which the readers use."""
    name = Path(filename or "upload").name
    suffix = "".join(Path(name).suffixes[-2:]) if name.endswith(".gz") else Path(name).suffix
    with tempfile.NamedTemporaryFile(prefix="unspin-upload-", suffix=suffix, delete=False) as f:
        f.write(content)
    return Path(f.name)


def upload_document(filename: str | None, content: bytes, limits: Limits) -> Document:
    """The Document of an uploaded file (text, HTML, or a one-record JSONL/WARC)."""
    path = saved_upload(filename, content)
    try:
        return _only(iter_records([str(path)], limits=limits), filename or "file")
    finally:
        path.unlink(missing_ok=True)


async def uploaded_file(request: Request) -> tuple[str | None, bytes] | None:
    """The ``file`` part of a multipart request (its name and bytes); None for other bodies."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InputError("file", "no 'file' part in the form")
    return upload.filename, await upload.read()


async def json_body(request: Request) -> Any:
    """The request body as JSON; InputError when it is not."""
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError("body", f"invalid JSON: {getattr(exc, 'msg', exc)}") from None
