"""The workspace: HTML pages over the same store and API, for people at a browser.

Every page works without JavaScript (forms post here and redirect); the workspace script
only adds progress and text selection.  Styles and scripts are files from ``/static``, so
the Content-Security-Policy needs no inline code.  Bad input is a one-line message on the
page with a 4xx status, never a traceback.
"""

from __future__ import annotations

import hmac
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.datastructures import FormData, UploadFile

from unspin.document import Document
from unspin.errors import InputError
from unspin.report import html as report_html
from unspin.report.model import MAX_SPANS, EntityView, build_all, styles
from unspin.service import charts
from unspin.service.inputs import AnalysisRequest, request_document, saved_upload, upload_document
from unspin.service.routes import batches
from unspin.service.routes.analyses import analyse_into_store
from unspin.store import corrections, queries

router = APIRouter(include_in_schema=False)
BATCH_SUFFIXES = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz")
GENRES = queries.GENRES
NAV = [("/", "Analyse"), ("/search", "Search the corpus"), ("/timeline", "Timeline")]


class Links:
    """Where the report's names point inside the workspace."""

    @staticmethod
    def entity(e: EntityView) -> str:
        """By knowledge-base id, else by name (the store finds a name whatever its case)."""
        return "/entities/" + quote(e.kb_id or e.name, safe="")

    @staticmethod
    def outlet(domain: str) -> str:
        return "/outlets/" + quote(domain.lower(), safe="")


@cache
def _environment() -> Environment:
    base = report_html.environment()
    env = base.overlay(
        loader=ChoiceLoader([PackageLoader("unspin", "service/templates"), base.loader])
    )
    env.globals.update(
        nav=NAV,
        links=Links(),
        max_spans=MAX_SPANS,
        techniques=[(s.key, s.label) for s in styles()[0].values()],
        genres=GENRES,
        actions=corrections.ACTIONS,
        bars=charts.bars,
        lines=charts.lines,
        quote_url=lambda v: quote(str(v), safe=""),
    )
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A workspace page; ``error`` in the context is shown as one line at the top."""
    context.setdefault("error", None)
    body = (
        _environment()
        .get_template(template)
        .render(path=request.url.path, needs_token=bool(request.app.state.token), **context)
    )
    return HTMLResponse(body, status_code=status)


def _problem(exc: Exception) -> tuple[int, str]:
    """The status and one-line message of a refused request."""
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail)
    return 400, str(exc)


def _token_ok(request: Request, form: FormData) -> None:
    """Writes from a form carry the service's token in a field, as the API's carry it in a
    header; nothing to check when the service has none."""
    token: str | None = request.app.state.token
    given = form.get("token")
    if token and not (isinstance(given, str) and hmac.compare_digest(given.strip(), token)):
        raise HTTPException(401, "missing or wrong token")


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.get("/")
def start(request: Request) -> HTMLResponse:
    """Paste text or a URL, or choose a file."""
    return page(request, "start.html.j2")


@router.post("/analyze")
async def analyse_form(request: Request) -> Response:
    """The start page's form without JavaScript: analyse, then go to the analysis (or to the
    batch's progress for a JSONL or WARC file)."""
    form = await request.form()
    try:
        _token_ok(request, form)
        limits = request.app.state.settings.limits
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            name, content = upload.filename, await upload.read()
            if name.lower().endswith(BATCH_SUFFIXES):
                path = saved_upload(name, content)
                batch = batches.start(request.app, [str(path)], path, Path(name).name)
                return RedirectResponse(f"/batches/{batch}", status_code=303)
            saved, _ = await analyse_into_store(
                request.app, lambda: upload_document(name, content, limits)
            )
        else:
            given = {k: _field(form, k) for k in ("text", "url") if _field(form, k)}
            if len(given) != 1:
                raise InputError("form", "paste a text or a URL, or choose a file")
            parsed = AnalysisRequest(**given)
            saved, _ = await analyse_into_store(
                request.app, lambda: request_document(parsed, limits)
            )
    except (InputError, HTTPException) as exc:
        status, message = _problem(exc)
        return page(request, "start.html.j2", status, error=message, form=dict(form))
    return RedirectResponse(f"/analyses/{saved.id}", status_code=303)


def _analysis_page(
    request: Request, analysis_id: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """The analysis in the report's design, with its corrections."""
    found = None
    if analysis_id.isdigit():
        with request.app.state.store.reading() as conn:
            found = queries.analysis(conn, int(analysis_id))
            listed = corrections.listed(conn, int(analysis_id))
    if found is None:
        return page(request, "message.html.j2", 404, error=f"No analysis {analysis_id[:40]!r}.")
    view = build_all([Document.from_dict(found).to_dict()])[0]
    return page(
        request,
        "analysis.html.j2",
        status,
        v=view,
        analysis_id=int(analysis_id),
        corrections=listed,
        text=found["document"]["text"],
        **context,
    )


@router.get("/analyses/{analysis_id}")
def analysis(request: Request, analysis_id: str) -> HTMLResponse:
    return _analysis_page(request, analysis_id)


@router.post("/analyses/{analysis_id}/corrections")
async def correct(request: Request, analysis_id: str) -> Response:
    """A correction from the analysis page: ``do`` is ``action:start:end:previous`` for a
    model span's row (the row's ``label:…`` select gives a relabel's technique), or ``add``
    with the ``start``, ``end`` and ``technique`` fields."""
    form = await request.form()
    try:
        _token_ok(request, form)
        if not analysis_id.isdigit():
            raise HTTPException(404, f"no analysis {analysis_id[:40]!r}")
        action, _, span = _field(form, "do").partition(":")
        if action == "add":
            start, end, previous = _field(form, "start"), _field(form, "end"), None
            technique = _field(form, "technique")
        else:
            start, end, previous = [*span.split(":"), "", "", ""][:3]
            technique = _field(form, f"label:{span}") if action == "relabel" else previous
        if not (start.isdigit() and end.isdigit()):
            raise InputError("start", "select the passage, or give its start and end offsets")
        fix = corrections.Correction(action, technique, int(start), int(end), previous)
        corrections.save(request.app.state.store, int(analysis_id), fix, _field(form, "annotator"))
    except (InputError, HTTPException) as exc:
        status, message = _problem(exc)
        return _analysis_page(request, analysis_id, status, error=message)
    return RedirectResponse(f"/analyses/{analysis_id}#corrections", status_code=303)


@router.get("/batches/{batch_id}")
def batch(request: Request, batch_id: str) -> HTMLResponse:
    """A batch's progress (the script refreshes it from the API)."""
    found = batches.batches.status(request.app.state.store, batch_id)
    if found is None:
        return page(request, "message.html.j2", 404, error=f"No batch {batch_id[:40]!r}.")
    return page(request, "batch.html.j2", batch=found, batch_id=batch_id)


def _following(asked: dict[str, str], cursor: str | None) -> str | None:
    """The query string of the next page: the filters asked and its cursor."""
    kept = {k: v for k, v in asked.items() if v}
    return urlencode({**kept, "cursor": cursor}) if cursor else None


SEARCH_FIELDS = ("outlet", "technique", "entity", "from", "to", "genre", "factuality", "q")


@router.get("/search")
def search(request: Request) -> HTMLResponse:
    """The corpus listing with every filter, a page at a time."""
    asked = {k: request.query_params.get(k, "").strip() for k in SEARCH_FIELDS}
    cursor = request.query_params.get("cursor") or None
    service = request.app.state.settings.service
    try:
        filters = queries.Filters(
            outlet=asked["outlet"] or None,
            technique=asked["technique"] or None,
            entity=asked["entity"] or None,
            date_from=queries.parse_day(asked["from"], "from"),
            date_to=queries.parse_day(asked["to"], "to"),
            genre=asked["genre"] or None,
            factuality=asked["factuality"] or None,
            words=asked["q"] or None,
        )
        with request.app.state.store.reading() as conn:
            found = queries.list_analyses(conn, filters, service.page_size, cursor)
    except InputError as exc:
        return page(request, "search.html.j2", 400, error=str(exc), asked=asked, found=None)
    following = _following(asked, found["next"])
    return page(request, "search.html.j2", asked=asked, found=found, following=following)


@router.get("/outlets/{domain}")
def outlet(request: Request, domain: str) -> HTMLResponse:
    """The outlet's published rating and its charts against the corpus average."""
    with request.app.state.store.reading() as conn:
        mine = queries.outlet(conn, domain)
        corpus = queries.corpus_rates(conn)
        months = queries.monthly_rates(conn, domain)
        average = queries.monthly_rates(conn, None)
    names = {s.key: s.label for s in styles()[0].values()}
    rates = corpus["techniques_per_1000_words"]
    techniques = sorted(set(mine["techniques_per_1000_words"]) | set(rates))
    per_technique = [
        (names.get(t, t), [mine["techniques_per_1000_words"].get(t), rates.get(t)])
        for t in techniques
    ]
    status = 200 if mine["articles"] else 404
    points = sorted(set(months) | set(average))
    return page(
        request,
        "outlet.html.j2",
        status,
        o=mine,
        corpus=corpus,
        per_technique=per_technique,
        months=points,
        monthly=months,
        average=average,
        series=[[months.get(m) for m in points], [average.get(m) for m in points]],
        top=[(e["name"], [e["mentions"]]) for e in mine["top_entities"][:10]],
        error=None if mine["articles"] else f"No stored articles from {domain[:80]!r}.",
    )


@router.get("/entities/{key:path}")
def entity(request: Request, key: str) -> HTMLResponse:
    """Every mention of an actor or place across the corpus."""
    with request.app.state.store.reading() as conn:
        found = queries.entity(conn, key)
    if found is None:
        return page(request, "message.html.j2", 404, error=f"No entity {key[:80]!r} in the store.")
    spellings: Counter[str] = Counter()
    for m in found["mentions"]:
        spellings[m["name"]] += m["count"]
    return page(request, "entity.html.j2", e=found, spellings=spellings.most_common())


@router.get("/timeline")
def timeline(request: Request) -> HTMLResponse:
    """Incidents across articles, each outlet's version side by side, a page at a time."""
    asked = {k: request.query_params.get(k, "").strip() for k in ("entity", "place", "from", "to")}
    cursor = request.query_params.get("cursor") or None
    try:
        with request.app.state.store.reading() as conn:
            found = queries.timeline(
                conn,
                asked["entity"] or None,
                asked["place"] or None,
                queries.parse_day(asked["from"], "from"),
                queries.parse_day(asked["to"], "to"),
                limit=request.app.state.settings.service.page_size,
                cursor=cursor,
            )
    except InputError as exc:
        return page(request, "timeline.html.j2", 400, error=str(exc), asked=asked, incidents=[])
    following = _following(asked, found["next"])
    return page(
        request,
        "timeline.html.j2",
        asked=asked,
        incidents=found["incidents"],
        following=following,
    )


def _report_asset(kind: str) -> Response:
    css, js = report_html.assets()
    if kind == "css":
        return Response(css, media_type="text/css; charset=utf-8")
    return Response(js, media_type="text/javascript; charset=utf-8")


def mount(app: FastAPI) -> None:
    """The pages, the report's style sheet and script, and the workspace's static files."""
    app.add_api_route("/static/report.css", lambda: _report_asset("css"), include_in_schema=False)
    app.add_api_route("/static/report.js", lambda: _report_asset("js"), include_in_schema=False)
    static = resources.files("unspin") / "service" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(router)
