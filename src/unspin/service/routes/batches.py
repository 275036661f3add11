"""Batches: a JSONL or WARC upload, or a JSON list of URLs, analysed in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from unspin.errors import InputError
from unspin.ingest import iter_records
from unspin.ingest.url import is_url
from unspin.service.inputs import json_body, saved_upload, uploaded_file
from unspin.service.security import require_token
from unspin.store import batches, writer

router = APIRouter(tags=["batches"])


async def _inputs(request: Request) -> tuple[list[str], Path | None, str]:
    """The batch's inputs (URLs, or the uploaded file saved to disk), the file to remove and
    the name to report records under."""
    upload = await uploaded_file(request)
    if upload is not None:
        path = saved_upload(*upload)
        return [str(path)], path, Path(upload[0] or "file").name
    urls = await json_body(request)
    if isinstance(urls, dict):
        urls = urls.get("urls")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise InputError("body", "give a JSON list of URLs, or upload a JSONL or WARC 'file'")
    bad = next((u for u in urls if not is_url(u)), None)
    if bad is not None:
        raise InputError("body", f"not an http(s) URL: {bad[:200]!r}")
    return urls, None, ""


@router.post("/batches", status_code=202, dependencies=[Depends(require_token)])
async def create_batch(request: Request) -> JSONResponse:
    """Start a batch; 202 with its id.  One bad record is counted, reported and skipped."""
    inputs, upload, shown = await _inputs(request)
    return JSONResponse({"id": start(request.app, inputs, upload, shown)}, status_code=202)


def start(app: Any, inputs: list[str], upload: Path | None, shown: str) -> str:
    """Start a batch over ``inputs`` in the background (removing ``upload`` when done, and
    naming records by ``shown`` rather than its temporary path); the batch id."""
    store, settings, workers = app.state.store, app.state.settings, app.state.workers
    batch_id = batches.create(store)
    keep = settings.service.batch_errors_kept

    def analyse_and_save(document: Any) -> None:
        writer.save(store, workers.analyse(document))

    def run() -> None:
        try:
            for record in iter_records(inputs, limits=settings.limits):
                name = record.source.replace(inputs[0], shown) if upload else record.source
                error = record.error
                if record.document is not None:
                    try:
                        workers.submit(lambda d=record.document: analyse_and_save(d))
                    except InputError as exc:
                        error = exc.reason
                    except Exception as exc:
                        error = f"internal error: {type(exc).__name__}"
                batches.progress(store, batch_id, f"{name}: {error}" if error else None, keep)
            batches.finish(store, batch_id)
        except Exception as exc:  # the reader itself failed: the batch says so and ends
            batches.finish(store, batch_id, f"batch stopped: {type(exc).__name__}: {exc}")
        finally:
            if upload is not None:
                upload.unlink(missing_ok=True)

    workers.start_batch(run)
    return batch_id


@router.get("/batches/{batch_id}")
def read_batch(batch_id: str, request: Request) -> dict[str, Any]:
    """How far a batch has got: records done, failed and read so far, and the reasons."""
    found = batches.status(request.app.state.store, batch_id)
    if found is None:
        raise HTTPException(404, f"no batch {batch_id!r}")
    return found
