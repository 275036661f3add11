"""Issue #18: one bad record never ends a batch, nothing is lost silently, nothing leaks."""

from __future__ import annotations

import errno
import html
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin import cli
from unspin.cli import main
from unspin.document import Document
from unspin.ingest import iter_records
from unspin.ingest.html import html_document
from unspin.ingest.text import decode
from unspin.report import render
from unspin.settings import Limits
from unspin.settings import load as load_settings

PARAGRAPH = (
    "The harbour at Velmora reopened on Tuesday after divers cleared the sunken ferry from "
    "the channel, the port authority said."
)
SKIP = [
    a
    for n in ("entities", "identity", "techniques", "claims", "events", "source")
    for a in ("--skip", n)
]


def _page(body: str, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>Harbour reopens</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def _article(paragraph: str = PARAGRAPH) -> str:
    return f"<article><h1>Harbour reopens</h1><p>{paragraph}</p></article>"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *SKIP, *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- one bad record, one line, the batch goes on


class _Exploding:
    """A pipeline with a bug that only one record triggers."""

    settings = load_settings()  # the batch reads its limits from the pipeline's settings

    def __call__(self, doc: Document) -> Document:
        if "ferry" in doc.text:
            raise RuntimeError("component bug\non two lines")
        return doc


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    lines = [{"text": "Quiet day at the market.\n\nTraders said sales were steady."}]
    lines += [{"text": PARAGRAPH}, {"text": "Bridge repairs finish.\n\nTraffic resumed."}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_internal_error_is_one_line_and_its_own_exit_code(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "build_pipeline", lambda *a: _Exploding())
    code, out, err = _run(capsys, str(corpus))
    assert code == cli.EXIT_INTERNAL == 3
    assert len(out.splitlines()) == 2  # the other records are written
    assert err.splitlines() == [
        f"unspin: {corpus}:2: internal error: RuntimeError: component bug on two lines",
        "unspin: 1 of 3 inputs failed (1 internal errors)",
    ]
    code, _, err = _run(capsys, "--debug", str(corpus))
    assert code == 3 and "Traceback (most recent call last)" in err


def test_failed_inputs_exit_1_not_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "missing.txt"))
    assert code == cli.EXIT_FAILED == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "field",
    [
        '"text": "Fog closes the port\\ud800 again.\\n\\nShips waited offshore overnight."',
        '"text": "Fog closes the port.", "title": "Fog \\udfff"',
        '"text": "Fog closes the port.", "id": "x\\ud800"',
        '"html": "<html><body><article><p>\\ud800 ' + PARAGRAPH + '</p></article></body></html>"',
    ],
)
def test_lone_surrogates_in_any_field_are_replaced(
    tmp_path: Path, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("{" + field + "}\n")
    code, out, err = _run(capsys, str(path))
    assert (code, err) == (0, "")
    assert "\ufffd" in out


def test_invalid_bracketed_host_fails_one_record(tmp_path: Path) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text(
        json.dumps({"text": PARAGRAPH, "url": "http://[zz]/story"})
        + "\n"
        + json.dumps({"text": PARAGRAPH, "url": "https://user:pw@news.example/a"})
        + "\n"
    )
    bad, good = iter_records([str(path)])
    assert bad.error.startswith("invalid URL: ") and bad.crash is None
    assert good.document.meta.url == "https://news.example/a"
    (record,) = iter_records(["http://[zz]/"])
    assert record.error.startswith("invalid URL") and record.crash is None


# --- limits


def test_text_over_the_limit_fails_fast_and_alone(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"text": "word " * 300_000}) + "\n" + json.dumps({"text": PARAGRAPH}) + "\n"
    )
    long, short = iter_records([str(path)], limits=Limits(max_text_chars=100_000))
    assert long.error == "'text' longer than 100,000 characters"
    assert short.document is not None


def test_input_over_the_byte_limit_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNSPIN_LIMITS__MAX_INPUT_BYTES", "50000")
    big = tmp_path / "big.html"
    big.write_text(_page(_article() * 1000))
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"text": "x " * 40_000}) + "\n" + json.dumps({"text": PARAGRAPH}))
    code, out, err = _run(capsys, str(big), str(lines))
    assert code == 1 and len(out.splitlines()) == 1
    assert err.splitlines()[:2] == [
        f"unspin: {big}: larger than 50,000 bytes (limit max_input_bytes)",
        f"unspin: {lines}:1: larger than 50,000 bytes (limit max_input_bytes)",
    ]


def test_one_long_line_is_refused_not_handed_to_spacy(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("Headline\n\n" + "long " * 250_000)
    (record,) = iter_records([str(path)], limits=Limits(max_text_chars=1_000_000))
    assert record.error == "text longer than 1,000,000 characters"


# --- WARC


def _warc(
    gz: bool, pages: int = 4, uris: dict[int, str] | None = None
) -> tuple[bytes, list[int]]:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    offsets = []
    for n in range(pages):
        offsets.append(out.tell())
        body = _page(_article(f"{PARAGRAPH} Page number {n}.")).encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                (uris or {}).get(n, f"https://port.example/{n}"),
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
            )
        )
    return out.getvalue(), offsets


def _outcome(raw: bytes, tmp_path: Path, name: str = "c.warc") -> list[str | None]:
    path = tmp_path / name
    path.write_bytes(raw)
    return [r.error for r in iter_records([str(path)])]


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_reports_its_last_record(gz: bool, tmp_path: Path) -> None:
    raw, offsets = _warc(gz)
    errors = _outcome(raw[:-60], tmp_path, "c.warc.gz" if gz else "c.warc")
    assert errors[:3] == [None, None, None]
    assert errors[3] == f"record at offset {offsets[3]} is cut short"


def test_a_bad_target_uri_fails_that_record_only(tmp_path: Path) -> None:
    raw, _ = _warc(True, uris={1: "http://[not-an-address]/story"})
    errors = _outcome(raw, tmp_path, "c.warc.gz")
    assert errors[0] is None and errors[2:] == [None, None]
    assert errors[1].startswith("invalid URL: ")


def test_shortened_content_length_fails_that_record_only(tmp_path: Path) -> None:
    raw, offsets = _warc(False)
    start = raw.index(b"Content-Length: ", offsets[1]) + len(b"Content-Length: ")
    end = raw.index(b"\r\n", start)
    raw = raw[:start] + str(int(raw[start:end]) - 40).encode() + raw[end:]
    assert _outcome(raw, tmp_path) == [
        None,
        f"record at offset {offsets[1]} is cut short",
        None,
        None,
    ]


def test_garbled_gzip_member_costs_one_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, offsets = _warc(True)
    garbled = bytearray(raw)
    garbled[offsets[1] + 30 : offsets[1] + 60] = bytes(range(200, 230))
    path = tmp_path / "c.warc.gz"
    path.write_bytes(bytes(garbled))
    code, out, err = _run(capsys, str(path))
    assert code == 1 and len(out.splitlines()) == 3
    line = err.splitlines()[0]
    assert line.startswith(f"unspin: {path}: offset {offsets[1]}: unreadable record at offset")
    assert line.isascii() and line.isprintable()


# --- pages that hold an article


@pytest.mark.parametrize(
    "raw",
    [
        _page("<div>" * 400 + _article() + "</div>" * 400).encode(),
        _page(
            '<img alt="" src="data:image/png;base64,' + "QUJD" * 2_700_000 + '">' + _article()
        ).encode(),
        _page(_article(PARAGRAPH.replace("divers", "div\x00ers"))).encode(),
        _page(_article(PARAGRAPH.replace("channel", "chan\x1b[2Jnel\x07"))).encode(),
        _page(_article(), '<meta charset="utf-16">').encode("utf-16-le"),
        _page(_article(), '<meta charset="utf-16">').encode("utf-16-be"),
    ],
    ids=["deep", "data-uri", "nul", "controls", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_pages_that_hold_an_article_are_read(raw: bytes) -> None:
    doc = html_document(raw, "page")
    assert "sunken ferry" in doc.text
    assert not any(c in doc.text for c in "\x00\x1b\x07")


def test_japanese_prose_counts_characters_not_spaces() -> None:
    prose = "港湾当局によると、沈没したフェリーの撤去が終わり、火曜日に港が再開された。"
    body = f"<article><p>{prose}</p></article>"
    doc = html_document(_page(body, '<meta charset="utf-8">', "ja").encode(), "ja")
    assert "港が再開された" in doc.text and doc.meta.language == "ja"


def test_utf7_is_never_honoured() -> None:
    raw = b"Harbour news\n\nThe mayor said +ADw-script+AD4-alert(1)+ADw-/script+AD4- today."
    assert decode(raw, "x", "utf-7") == raw.decode("ascii")


def test_binary_text_in_a_record_is_refused_like_a_file(tmp_path: Path) -> None:
    binary = "".join(chr(b) for b in range(32)) * 20
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"text": binary}) + "\n")
    (record,) = iter_records([str(path)])
    assert record.error == "binary or undecodable content"


# --- output


def test_failed_run_leaves_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    code, _, _ = _run(capsys, str(tmp_path / "missing.txt"), "-o", str(out))
    assert code == 1 and not out.exists()
    out.write_text("previous")
    _run(capsys, str(tmp_path / "missing.txt"), "-o", str(out))
    assert out.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_full_disk_is_one_line_and_no_half_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Harbour reopens\n\n" + PARAGRAPH)
    out = tmp_path / "out.json"
    out.write_text("previous")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(json, "dump", full)
    code, _, err = _run(capsys, str(article), "-o", str(out))
    assert code == cli.EXIT_USAGE, err
    assert err == f"unspin: {out}: cannot write: No space left on device\n"
    assert out.read_text() == "previous" and len(list(tmp_path.iterdir())) == 2


def test_terminal_reports_carry_no_control_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Port \x1b]0;owned\x07news\u202e", "text": PARAGRAPH}))
    for fmt in ("text", "md"):
        code, out, _ = _run(capsys, str(path), "--format", fmt)
        assert code == 0 and "Port" in out
        assert not any(c in out for c in "\x1b\x07\u202e\x9b")


def _analysis(text: str, techniques: list[dict[str, object]]) -> dict[str, object]:
    title = text.split("\n", 1)[0]
    return {
        "schema": "unspin/1",
        "document": {"id": "d", "title": title, "text": text},
        "techniques": techniques,
    }


def test_html_report_isolates_bidi_and_sets_a_csp() -> None:
    text = "Evil \u202etitle\n\nBody text follows here."
    page = render([_analysis(text, [])], "html")
    assert "<title>\u2068Evil \u202etitle\u2069 · unspin report</title>" in page
    assert '<h1 id="d1-h-title"><bdi>Evil \u202etitle</bdi></h1>' in page
    assert '<div class="text" id="d1-text-body" tabindex="-1" dir="auto">' in page
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src'
    assert csp in html.unescape(page)
    assert "'unsafe-inline'" not in page


def _nested(depth: int) -> dict[str, object]:
    text = "x" * (4 * depth)
    spans = [
        {"start": i, "end": len(text) - i, "technique": "Loaded_Language", "score": 0.5}
        for i in range(depth)
    ]
    return _analysis(text, spans)


def test_report_with_deeply_nested_spans_grows_linearly() -> None:
    # Its speed is measured by benchmarks/report_scaling.py.
    sizes = [len(render([_nested(depth)], "html")) for depth in (500, 1000)]
    assert sizes[1] < 2.2 * sizes[0]  # twice the spans, about twice the page
    assert "more enclosing span(s)" in render([_nested(20)], "html")


def test_spans_per_report_are_capped() -> None:
    analysis = _nested(3000)
    assert "1000 lower-scored span(s) beyond the first 2000 are not shown" in render(
        [analysis], "text"
    )
