"""POST and GET analyses: analyse an article into the store, read one back, list them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

from unspin import exports
from unspin.document import Document
from unspin.report import render
from unspin.service.inputs import (
    AnalysisRequest,
    json_body,
    request_document,
    upload_document,
    uploaded_file,
)
from unspin.service.security import require_token
from unspin.store import queries, writer

router = APIRouter(tags=["analyses"])
REPORTS = {"html": "text/html", "md": "text/markdown", "text": "text/plain"}


async def _document_job(request: Request) -> Any:
    """A function building the request's Document (run in a worker: a URL is fetched)."""
    limits = request.app.state.settings.limits
    upload = await uploaded_file(request)
    if upload is not None:
        filename, content = upload
        return lambda: upload_document(filename, content, limits)
    try:
        parsed = AnalysisRequest.model_validate(await json_body(request))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise HTTPException(422, f"{where}: {message}" if where else message) from None
    return lambda: request_document(parsed, limits)


async def analyse_into_store(
    app: Any, build: Callable[[], Document]
) -> tuple[writer.Saved, dict[str, Any]]:
    """Build the Document, analyse and store it in a worker (the API and the workspace's
    forms both come here); 504 when it takes longer than the service allows."""

    def job() -> tuple[writer.Saved, dict[str, Any]]:
        doc = app.state.workers.analyse(build())
        return writer.save(app.state.store, doc), doc.to_dict()

    started = time.monotonic()
    try:
        return await app.state.workers.run(job, app.state.settings.service.request_timeout_s)
    except TimeoutError:
        waited = time.monotonic() - started
        raise HTTPException(504, f"analysis took longer than {waited:.0f} s") from None


@router.post(
    "/analyses",
    status_code=201,
    dependencies=[Depends(require_token)],
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": AnalysisRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
            "required": True,
        }
    },
)
async def create_analysis(request: Request) -> JSONResponse:
    """Analyse one article and store it: 201 with its id and the unspin/1 analysis (200 when
    the same analysis was stored already)."""
    saved, analysis = await analyse_into_store(request.app, await _document_job(request))
    return JSONResponse(
        {"id": saved.id, "analysis": analysis}, status_code=201 if saved.created else 200
    )


@router.get("/analyses/{analysis_id}")
def read_analysis(
    analysis_id: int,
    request: Request,
    format: Literal["json", "html", "md", "text", "webanno", "labelstudio", "brat"] = "json",
) -> Response:
    """One stored analysis, as unspin/1 JSON, as a report (html, md, text) or for annotation
    tools: W3C Web Annotation JSON-LD, a list of one Label Studio task, a brat ``.ann``."""
    with request.app.state.store.reading() as conn:
        found = queries.analysis(conn, analysis_id)
    if found is None:
        raise HTTPException(404, f"no analysis {analysis_id}")
    if format == "json":
        return JSONResponse({"id": analysis_id, "analysis": found})
    if format in exports.FORMATS:
        body = exports.render([found], format, [analysis_id])
        return Response(body, media_type=exports.MEDIA_TYPES[format])
    page = render([Document.from_dict(found).to_dict()], format)
    if format == "html":
        return HTMLResponse(page)
    return PlainTextResponse(page, media_type=f"{REPORTS[format]}; charset=utf-8")


@router.get("/analyses")
def list_analyses(
    request: Request,
    outlet: str | None = None,
    technique: str | None = None,
    entity: str | None = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    genre: str | None = None,
    factuality: str | None = None,
    q: str | None = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """The newest analyses matching every filter given, a page at a time (``next`` is the
    cursor of the following page)."""
    service = request.app.state.settings.service
    filters = queries.Filters(
        outlet=outlet,
        technique=technique,
        entity=entity,
        date_from=queries.parse_day(from_, "from"),
        date_to=queries.parse_day(to, "to"),
        genre=genre,
        factuality=factuality,
        words=q,
    )
    size = min(limit or service.page_size, service.max_page_size)
    with request.app.state.store.reading() as conn:
        return queries.list_analyses(conn, filters, size, cursor)
