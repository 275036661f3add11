"""The FastAPI application: store, workers, guards and error handlers put together.

Every error reaches the client as ``{"error": "..."}`` with a 4xx status (bad input, wrong
token, unknown id) or a 500 without a traceback (a bug; the traceback goes to the log).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from unspin import __version__
from unspin.errors import InputError
from unspin.pipeline import Pipeline
from unspin.service.routes import analyses, batches, corpus, corrections, gold, pages
from unspin.service.security import Guard
from unspin.service.workers import Workers
from unspin.settings import Settings
from unspin.store.database import Store

log = logging.getLogger("unspin.service")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validation(_: Request, exc: Exception) -> JSONResponse:
    first = exc.errors()[0] if isinstance(exc, RequestValidationError) and exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = first.get("msg", "invalid request").removeprefix("Value error, ")
    return _error(422, f"{where}: {message}" if where else message)


def _http(_: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
    headers = getattr(exc, "headers", None)
    return JSONResponse({"error": str(detail)}, status_code=status, headers=headers)


def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(500, f"internal error: {type(exc).__name__}")


def create_app(
    store: Store,
    settings: Settings,
    *,
    token: str | None = None,
    pipelines: Callable[[], list[Pipeline]] | None = None,
) -> FastAPI:
    """The service over ``store``.  ``pipelines`` builds the analysis pipelines (by default
    ``settings.service.workers`` of them), once, when the service starts."""
    build = pipelines or (
        lambda: [Pipeline(settings=settings) for _ in range(settings.service.workers)]
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built = build()
        for pipeline in built:
            _ = pipeline.components  # load the models now, not on the first request
        app.state.workers = Workers(built)
        try:
            yield
        finally:
            app.state.workers.close()

    app = FastAPIOffline(
        title="unspin",
        version=__version__,
        description="A corpus of unspin analyses: an aid to a human reader, never a verdict.",
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.token = token
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(InputError, _http)
    app.add_exception_handler(Exception, _bug)
    if settings.service.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.service.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(Guard, max_body_bytes=settings.service.max_body_bytes)
    for module in (analyses, corpus, batches, corrections, gold):
        app.include_router(module.router, prefix="/api/v1")
    pages.mount(app)

    @app.get("/api/v1/health", tags=["service"])
    def health() -> dict[str, object]:
        """The service is up: its version, store dialect and analysis workers."""
        return {
            "status": "ok",
            "unspin_version": __version__,
            "store": store.dialect,
            "workers": settings.service.workers,
        }

    return app
