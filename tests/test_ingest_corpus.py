"""Batches: JSON Lines corpora and WARC crawls, where one bad record never hides the rest."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.ingest import iter_records

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = FIXTURES / "corpus.jsonl"
NEWS = (FIXTURES / "news_article.html").read_bytes()
NO_ARTICLE = (FIXTURES / "no_article.html").read_bytes()
ARTICLE_URI = "https://meridian-ledger.example/world/2024/03/karvesh-water?ref=home"
EMPTY_URI = "https://meridian-ledger.example/sections"


def test_jsonl_good_and_bad_records() -> None:
    name = str(CORPUS)
    records = list(iter_records([name]))
    assert [(r.source, r.error) for r in records] == [
        (f"{name}:1 (id a1)", None),
        (f"{name}:3", "invalid JSON: Unterminated string starting at (column 48)"),
        (f"{name}:4 (id a3)", "empty text"),
        (f"{name}:5 (id a4)", "no 'text' or 'html' field"),
        (f"{name}:6", None),
        (f"{name}:7", None),
    ]
    first, html, untitled = (r.document for r in records if r.document)
    assert first.meta.id == "a1"
    assert first.meta.title == "Convoy reaches northern villages"
    assert first.meta.url == "https://wire.example/a1"
    assert first.meta.published == "2024-05-02"
    assert first.text.count("\n") == 3  # title, blank line, two paragraphs
    assert html.meta.id == "corpus:6"
    assert html.meta.title == "Le pont rouvre"
    assert html.meta.language == "fr"
    assert html.meta.published == "2024-06-01T09:15:00+02:00"
    assert untitled.meta.title == "Talks resume in the capital"  # guessed, as for plain text


def test_jsonl_is_sniffed_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CORPUS.read_bytes())))
    records = list(iter_records(["-"]))
    assert [r.source for r in records if r.document] == ["-:1 (id a1)", "-:6", "-:7"]


def test_jsonl_bad_published_date(tmp_path: Path) -> None:
    path = tmp_path / "dates.ndjson"
    path.write_text(
        '{"text": "The market reopened on Monday.", "published": "sometime soon-ish"}\n'
        '{"text": "The market reopened on Monday.", "published": "2024-02-03T10:00:00Z"}\n'
    )
    bad, good = iter_records([str(path)])
    assert bad.error == "not a date: 'sometime soon-ish'"
    assert good.document.meta.published == "2024-02-03T10:00:00+00:00"
    assert good.document.meta.id == "dates:2"


def _http(status: str, content_type: str) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def _write_warc(path: Path) -> None:
    """A small crawl: the article, a page with no article, and records to skip."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        responses = [
            (
                "https://meridian-ledger.example/robots.txt",
                "200 OK",
                "text/plain",
                b"User-agent: *",
            ),
            (ARTICLE_URI, "200 OK", "text/html; charset=utf-8", NEWS),
            ("https://meridian-ledger.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://meridian-ledger.example/old", "404 Not Found", "text/html", NO_ARTICLE),
            (EMPTY_URI, "200 OK", "text/html", NO_ARTICLE),
        ]
        for uri, status, content_type, body in responses:
            request = writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True),
            )
            writer.write_record(request)
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=_http(status, content_type),
                )
            )


@pytest.mark.parametrize("filename", ["crawl.warc.gz", "crawl-without-extension"])
def test_warc_pages_become_documents(tmp_path: Path, filename: str) -> None:
    path = tmp_path / filename
    _write_warc(path)
    records = list(iter_records([str(path)]))
    assert [(r.source, r.error) for r in records] == [
        (f"{path}: record {ARTICLE_URI}", None),
        (f"{path}: record {EMPTY_URI}", "no article text found in the HTML page"),
    ]
    doc = records[0].document
    assert doc.meta.id == ARTICLE_URI
    assert doc.meta.url == "https://meridian-ledger.example/world/2024/03/karvesh-water"
    assert doc.meta.published == "2024-03-14"  # from the page, not the crawl date
    assert doc.meta.title == "Shelling cuts water to Karvesh as talks stall"


def test_warc_without_page_date_has_no_published(tmp_path: Path) -> None:
    page = NEWS.replace(b"2024-03-14", b"").replace(b"14 March 2024", b"")
    path = tmp_path / "undated.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        writer.write_record(
            writer.create_warc_record(
                ARTICLE_URI,
                "response",
                payload=io.BytesIO(page),
                http_headers=_http("200 OK", "text/html"),
            )
        )
    (record,) = iter_records([str(path)])
    assert record.document.meta.published is None


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not a gzip stream")
    (record,) = iter_records([str(path)])
    assert (record.source, record.error) == (str(path), "not a WARC file")


@pytest.mark.parametrize(
    "tail",
    [
        b"this is not a warc record\r\n\r\n",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nshort",
    ],
)
def test_malformed_warc_keeps_the_records_before_the_break(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes() + tail)
    records = list(iter_records([str(path)]))
    assert records[0].document is not None
    assert records[-1].source == f"{path}: offset {size}"
    assert records[-1].error.startswith(f"unreadable record at offset {size} (")


def test_blank_jsonl_is_empty_input(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n  \n\n")
    assert [(r.source, r.error) for r in iter_records([str(path)])] == [(str(path), "empty input")]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"text": 5}', "'text' is not a string"),
        (
            '{"html": "<html><body><nav><a>Home</a> <a>World</a></nav></body></html>"}',
            "no article text found in the HTML page",
        ),
    ],
)
def test_jsonl_records_that_cannot_be_documents(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    assert [(r.source, r.error) for r in iter_records([str(path)])] == [(f"{path}:1", reason)]
