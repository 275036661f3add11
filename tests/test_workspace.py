"""The workspace's pages with FastAPI's TestClient: each page answers, hostile text comes back
escaped, every page carries a Content-Security-Policy without 'unsafe-inline', bad input is a
one-line message with a 4xx, and a correction made on a page is in the PTC gold export."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from conftest import DAILY_REPORT, WIRE_REPORT, as_article
from fastapi.testclient import TestClient

from unspin import settings as settings_module
from unspin.service import create_app
from unspin.store import writer

HOSTILE = "<script>alert('owned')</script>"


@pytest.fixture
def client(store: Any, pipeline: Any) -> Any:
    app = create_app(store, settings_module.load(), pipelines=lambda: [pipeline])
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _post(client: TestClient, text: str, site: str) -> int:
    body = {"text": text, "source": site, "published": "2024-03-06"}
    return client.post("/api/v1/analyses", json=body).json()["id"]


def _csp(response: Any) -> str:
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    return policy


def test_paste_form_redirects_to_the_analysis_without_javascript(client):
    form = {"text": f"A hostile title {HOSTILE}\n\n{DAILY_REPORT}"}
    made = client.post("/analyze", data=form, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/analyses/")
    page = client.get(made.headers["location"])
    assert page.status_code == 200
    _csp(page)
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    assert 'class="band"' in page.text and "<mark" in page.text
    assert 'href="/entities/' in page.text and 'href="/outlets/' not in page.text


def test_refused_input_is_one_visible_line(client):
    refused = client.post("/analyze", data={"url": "http://127.0.0.1:9/x"})
    assert refused.status_code == 400
    assert 'role="alert"' in refused.text and "private" in refused.text.lower()
    empty = client.post("/analyze", data={"text": " "})
    assert empty.status_code == 400 and "paste a text" in empty.text
    assert client.get("/search", params={"from": "yesterday"}).status_code == 400
    assert client.get("/analyses/nope").status_code == 404
    assert client.get("/entities/nobody-at-all").status_code == 404
    assert "Traceback" not in refused.text


def test_corpus_pages_link_to_each_other(client):
    wire = _post(client, WIRE_REPORT, "wire.example")
    daily = _post(client, DAILY_REPORT, "daily.example")
    analysis = client.get(f"/analyses/{daily}").text
    assert 'href="/entities/' in analysis and "Kharkiv</a>" in analysis
    found = client.get("/search", params={"q": "market", "outlet": "wire.example"})
    assert f'href="/analyses/{wire}"' in found.text
    assert f'href="/analyses/{daily}"' not in found.text
    outlet = client.get("/outlets/daily.example")
    assert outlet.status_code == 200 and outlet.text.count("<svg") >= 3
    _csp(outlet)
    assert client.get("/outlets/nowhere.example").status_code == 404
    entity = client.get("/entities/Kharkiv")
    assert entity.status_code == 200 and f'href="/analyses/{wire}"' in entity.text
    timeline = client.get("/timeline", params={"entity": "Kharkiv"}).text
    incidents = client.get("/api/v1/timeline", params={"entity": "Kharkiv"}).json()["incidents"]
    assert incidents and timeline.count('class="card version"') == sum(
        len(i["versions"]) for i in incidents
    )
    assert all(f'href="/outlets/{o}"' in timeline for i in incidents for o in i["outlets"])
    for path in ("/", "/search", "/timeline", "/static/report.css", "/static/workspace.js"):
        assert client.get(path).status_code == 200, path


def test_timeline_page_links_to_the_next_page(store, pipeline, reports):
    for n, day in enumerate(["2024-03-04", "2024-03-09"]):
        writer.save(store, as_article(reports[0], n, "wire.example", day))
    settings = settings_module.load(service={"page_size": 1})
    with TestClient(create_app(store, settings, pipelines=lambda: [pipeline])) as client:
        first = client.get("/timeline")
        assert first.status_code == 200 and "2024-03-04" in first.text
        assert "2024-03-09" not in first.text
        link = re.search(r'rel="next" href="([^"]+)"', first.text)
        assert link, "no next page link"
        second = client.get(html.unescape(link.group(1)))
        assert second.status_code == 200 and "2024-03-09" in second.text
        assert client.get("/timeline", params={"cursor": "x"}).status_code == 400


def test_correction_on_the_page_is_exported_as_gold(client):
    daily = _post(client, DAILY_REPORT, "daily.example")
    start = DAILY_REPORT.index("busy market")
    form = {
        "annotator": "Ada Reviewer",
        "start": str(start),
        "end": str(start + len("busy market")),
        "technique": "Exaggeration,Minimisation",
        "do": "add",
    }
    saved = client.post(f"/analyses/{daily}/corrections", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    page = client.get(f"/analyses/{daily}").text
    assert "Ada Reviewer" in page and "added (missed by the model)" in page
    gold = client.get("/api/v1/corrections", params={"format": "ptc"}).text
    assert f"{daily}\tExaggeration,Minimisation\t{start}\t{start + 11}\n" in gold
    nameless = client.post(f"/analyses/{daily}/corrections", data={**form, "annotator": ""})
    assert nameless.status_code == 400 and "give your name" in nameless.text
