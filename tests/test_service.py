"""The web API with FastAPI's TestClient, on SQLite and PostgreSQL: analyse, read, query,
incidents, batches, and every guard (token, body cap, bad input, CSP, no tracebacks)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from conftest import DAILY_REPORT, WIRE_REPORT, as_article
from fastapi.testclient import TestClient

from unspin import settings as settings_module
from unspin.service import create_app
from unspin.store import writer


def _client(store: Any, pipeline: Any, token: str | None = None, **service: Any) -> TestClient:
    settings = settings_module.load(service=service) if service else settings_module.load()
    app = create_app(store, settings, token=token, pipelines=lambda: [pipeline])
    return TestClient(app, raise_server_exceptions=False)


def _post(client: TestClient, text: str, site: str, **headers: str) -> Any:
    body = {"text": text, "source": site, "published": "2024-03-06"}
    return client.post("/api/v1/analyses", json=body, headers=headers)


def test_post_then_find_by_outlet_technique_and_entity(store, pipeline):
    with _client(store, pipeline) as client:
        created = _post(client, DAILY_REPORT, "daily.example")
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["analysis"]["schema"] == "unspin/1"
        assert body["analysis"]["document"]["site"] == "daily.example"
        again = _post(client, DAILY_REPORT, "daily.example")
        assert again.status_code == 200 and again.json()["id"] == body["id"]
        technique = body["analysis"]["techniques"][0]["technique"]
        kb_id = next(e["kb_id"] for e in body["analysis"]["entities"] if e["name"] == "Kharkiv")
        for query in (
            {"outlet": "daily.example"},
            {"technique": technique},
            {"entity": kb_id},
            {"entity": "Kharkiv", "q": "market"},
        ):
            found = client.get("/api/v1/analyses", params=query).json()
            assert [item["id"] for item in found["items"]] == [body["id"]], query
        assert client.get("/api/v1/analyses", params={"outlet": "x.example"}).json() == {
            "items": [],
            "next": None,
        }
        read = client.get(f"/api/v1/analyses/{body['id']}").json()
        assert read == {"id": body["id"], "analysis": body["analysis"]}


def test_timeline_groups_one_incident_from_two_articles(store, pipeline):
    with _client(store, pipeline) as client:
        assert _post(client, WIRE_REPORT, "wire.example").status_code == 201
        assert _post(client, DAILY_REPORT, "daily.example").status_code == 201
        incidents = client.get("/api/v1/timeline", params={"entity": "Kharkiv"}).json()
    shared = [i for i in incidents["incidents"] if len(i["outlets"]) == 2]
    assert len(shared) == 1
    figures = {v["site"]: [c["count"] for c in v["casualties"]] for v in shared[0]["versions"]}
    assert figures == {"wire.example": [12], "daily.example": [14]}


def test_timeline_pages_follow_next_and_bad_paging_is_a_4xx(store, pipeline, reports):
    for n, day in enumerate(["2024-03-04", "2024-03-09", "2024-03-15"]):
        for report, site in zip(reports, ("wire.example", "daily.example"), strict=True):
            writer.save(store, as_article(report, n, site, day))
    with _client(store, pipeline) as client:
        whole = client.get("/api/v1/timeline", params={"limit": 100}).json()
        seen, cursor = [], None
        while True:
            page = client.get("/api/v1/timeline", params={"limit": 1, "cursor": cursor}).json()
            seen += page["incidents"]
            cursor = page["next"]
            if cursor is None:
                break
        assert whole["next"] is None and len(whole["incidents"]) >= 3
        assert seen == whole["incidents"]
        bad = client.get("/api/v1/timeline", params={"cursor": "yesterday"})
        assert bad.status_code == 400 and "cursor" in bad.json()["error"]
        assert client.get("/api/v1/timeline", params={"limit": 0}).status_code == 422
        assert "error" in client.get("/api/v1/timeline", params={"limit": "x"}).json()


def test_entity_outlet_and_report_formats(store, pipeline):
    with _client(store, pipeline) as client:
        analysis_id = _post(client, DAILY_REPORT, "daily.example").json()["id"]
        entity = client.get("/api/v1/entities/Kharkiv").json()
        assert [m["analysis_id"] for m in entity["mentions"]] == [analysis_id]
        assert client.get("/api/v1/entities/" + entity["key"]).json()["name"] == "Kharkiv"
        outlet = client.get("/api/v1/outlets/daily.example").json()
        assert outlet["articles"] == 1 and outlet["techniques_per_1000_words"]
        page = client.get(f"/api/v1/analyses/{analysis_id}", params={"format": "html"})
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert policy.startswith("default-src 'none'") and "sha256-" in policy
        assert "<script>alert" not in page.text
        md = client.get(f"/api/v1/analyses/{analysis_id}", params={"format": "md"})
        assert md.headers["content-type"].startswith("text/markdown") and "Kharkiv" in md.text


def test_html_in_the_article_is_escaped_in_the_report(store, pipeline):
    text = "A <script>alert(1)</script> headline\n\nThe council met on Monday in Kharkiv."
    with _client(store, pipeline) as client:
        analysis_id = _post(client, text, "x.example").json()["id"]
        page = client.get(f"/api/v1/analyses/{analysis_id}", params={"format": "html"}).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_upload_and_html_inputs(store, pipeline):
    page = (
        "<html><head><title>Floodgate bridge reopens</title></head><body><article>"
        "<h1>Floodgate bridge reopens</h1><p>The Floodgate bridge reopened on Tuesday after "
        "repairs that lasted four months, the city council said in a statement.</p>"
        "</article></body></html>"
    )
    with _client(store, pipeline) as client:
        sent = client.post("/api/v1/analyses", files={"file": ("page.html", page, "text/html")})
        assert sent.status_code == 201, sent.text
        assert sent.json()["analysis"]["document"]["title"] == "Floodgate bridge reopens"
        posted = client.post("/api/v1/analyses", json={"html": page})
        assert posted.json()["id"] == sent.json()["id"]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"txt": "x"}, 422, "txt: Extra inputs are not permitted"),
        ({"text": "a", "url": "https://example.org/"}, 422, "give exactly one of"),
        ({"text": "   "}, 400, "empty text"),
        ({"url": "http://127.0.0.1:9/x"}, 400, "refused"),
        ({"url": "file:///etc/passwd"}, 400, "unsupported URL scheme"),
        ({"text": "Some text.", "published": "yesterday-ish"}, 400, "published"),
    ],
)
def test_bad_input_is_a_4xx_json_error(store, pipeline, body, status, error):
    with _client(store, pipeline) as client:
        answer = client.post("/api/v1/analyses", json=body)
    assert answer.status_code == status and error in answer.json()["error"]


def test_bad_queries_are_4xx(store, pipeline):
    with _client(store, pipeline) as client:
        for path, status in [
            ("/api/v1/analyses?technique=Nope", 400),
            ("/api/v1/analyses?from=March", 400),
            ("/api/v1/analyses?limit=0", 422),
            ("/api/v1/analyses?cursor=abc", 400),
            ("/api/v1/analyses/12345", 404),
            ("/api/v1/analyses/1?format=pdf", 422),
            ("/api/v1/entities/Nobody", 404),
            ("/api/v1/batches/none", 404),
        ]:
            answer = client.get(path)
            assert answer.status_code == status, path
            assert set(answer.json()) == {"error"}
        assert (
            client.post(
                "/api/v1/analyses", content=b"{oops", headers={"content-type": "application/json"}
            ).status_code
            == 400
        )


def test_token_guards_writes_only(store, pipeline):
    with _client(store, pipeline, token="s3cret") as client:
        assert _post(client, WIRE_REPORT, "wire.example").status_code == 401
        wrong = _post(client, WIRE_REPORT, "wire.example", authorization="Bearer nope")
        assert wrong.status_code == 401 and wrong.json() == {
            "error": "missing or wrong bearer token"
        }
        assert client.post("/api/v1/batches", json=["https://example.org/"]).status_code == 401
        ok = _post(client, WIRE_REPORT, "wire.example", authorization="Bearer s3cret")
        assert ok.status_code == 201
        assert client.get("/api/v1/analyses").status_code == 200


def test_body_over_the_cap_is_refused_before_analysis(store, pipeline):
    with _client(store, pipeline, max_body_bytes=1000) as client:
        answer = _post(client, "Long text. " * 200, "x.example")
        assert answer.status_code == 413 and "max_body_bytes" in answer.json()["error"]
        assert client.get("/api/v1/analyses").json()["items"] == []


def test_slow_analysis_answers_504(store, pipeline):
    with _client(store, pipeline, request_timeout_s=0.001) as client:
        answer = _post(client, WIRE_REPORT, "wire.example")
    assert answer.status_code == 504 and "longer than" in answer.json()["error"]


def test_a_bug_is_a_500_without_traceback(store, pipeline, monkeypatch):
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("unspin.store.queries.outlet", broken)
    with _client(store, pipeline) as client:
        answer = client.get("/api/v1/outlets/x.example")
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal error: RuntimeError"}


def test_batch_of_jsonl_reports_the_bad_line_and_stores_the_rest(store, pipeline):
    lines = [
        json.dumps({"text": WIRE_REPORT, "site": "wire.example", "published": "2024-03-06"}),
        "{broken",
        json.dumps({"text": DAILY_REPORT, "site": "daily.example", "published": "2024-03-06"}),
    ]
    with _client(store, pipeline) as client:
        started = client.post(
            "/api/v1/batches", files={"file": ("feed.jsonl", "\n".join(lines), "text/plain")}
        )
        assert started.status_code == 202
        batch = started.json()["id"]
        deadline = time.monotonic() + 120
        while not (status := client.get(f"/api/v1/batches/{batch}").json())["finished"]:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        listed = client.get("/api/v1/analyses").json()["items"]
    assert (status["done"], status["failed"], status["total"]) == (2, 1, 3)
    assert status["errors"] == [
        "feed.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"
    ]
    assert {item["site"] for item in listed} == {"wire.example", "daily.example"}


def test_health_and_openapi_and_offline_docs(store, pipeline):
    with _client(store, pipeline) as client:
        assert client.get("/api/v1/health").json()["status"] == "ok"
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/api/v1/analyses", "/api/v1/timeline", "/api/v1/batches"} <= set(paths)
        docs = client.get("/docs")
        assert "cdn" not in docs.text.lower() and "content-security-policy" in docs.headers
        asset = docs.text.split('src="')[1].split('"')[0]
        assert client.get(asset).status_code == 200
