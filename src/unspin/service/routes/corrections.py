"""Readers' corrections of technique spans: add one, and export them all as gold."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict

from unspin.service.security import require_token
from unspin.store import corrections

router = APIRouter(tags=["corrections"])


class CorrectionRequest(BaseModel):
    """A span marked right or wrong, relabelled, or added; who says so."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["right", "wrong", "relabel", "add"]
    technique: str
    start: int
    end: int
    previous: str | None = None
    annotator: str


@router.post(
    "/analyses/{analysis_id}/corrections",
    status_code=201,
    dependencies=[Depends(require_token)],
)
def create_correction(analysis_id: int, body: CorrectionRequest, request: Request) -> JSONResponse:
    """Store one correction of the analysis's technique spans: 201 with its id."""
    fields = body.model_dump(exclude={"annotator"})
    saved = corrections.save(
        request.app.state.store, analysis_id, corrections.Correction(**fields), body.annotator
    )
    return JSONResponse({"id": saved}, status_code=201)


@router.get("/corrections")
def export_corrections(
    request: Request, format: Literal["json", "ptc"] = "json", analysis: int | None = None
) -> Response:
    """Every correction (json, who and when included), or the gold spans they make in the
    PTC format (``article_id<TAB>technique<TAB>start<TAB>end``)."""
    with request.app.state.store.reading() as conn:
        if format == "ptc":
            return PlainTextResponse(corrections.ptc(corrections.gold_spans(conn)))
        return JSONResponse({"corrections": corrections.listed(conn, analysis)})
