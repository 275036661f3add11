"""People's labels stored as gold, written out for retraining."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from unspin.store import gold

router = APIRouter(tags=["gold"])


@router.get("/gold", response_class=PlainTextResponse)
def read_gold(request: Request, format: Literal["ptc"] = "ptc") -> PlainTextResponse:
    """Gold technique spans (the newest annotation of each analysis) in the PTC format:
    ``article_id\\ttechnique\\tstart\\tend`` lines, the article id being the analysis id."""
    with request.app.state.store.reading() as conn:
        rows = gold.ptc_rows(conn)
    return PlainTextResponse(
        gold.ptc_lines(rows), media_type="text/tab-separated-values; charset=utf-8"
    )
