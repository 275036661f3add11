"""Plain text inputs: encodings, titles, paragraphs, and the inputs that are refused."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from unspin.document import Metadata
from unspin.errors import InputError
from unspin.ingest import iter_records
from unspin.ingest.plain import plain_document
from unspin.ingest.text import BINARY, decode

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TITLE = "Ceasefire holds in the eastern valley"


def _only(inputs: list[str]):
    records = list(iter_records(inputs))
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize("name", ["ceasefire_utf16.txt", "ceasefire_cp1252.txt"])
def test_legacy_encodings_decode_to_the_same_text(name: str) -> None:
    record = _only([str(FIXTURES / name)])
    assert record.error is None
    doc = record.document
    assert doc.meta.title == TITLE
    assert doc.meta.id == Path(name).stem
    assert doc.text.startswith(TITLE + "\n\n")
    # Curly quotes, en dash and é survive only if the encoding was detected correctly.
    assert "the valley\u2019s main town" in doc.text
    assert "\u2013 a \u201cfragile calm\u201d" in doc.text
    assert "caf\u00e9 owner" in doc.text
    # Paragraphs are one line each, no blank lines left in the body.
    assert doc.text[len(TITLE) + 2 :].count("\n") == 1


def test_utf8_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfHello", "x") == "Hello"


def test_declared_latin1_means_windows_1252() -> None:
    assert decode("\u201cquoted\u201d".encode("cp1252"), "x", "ISO-8859-1") == "\u201cquoted\u201d"


@pytest.mark.parametrize(
    "raw",
    [
        (FIXTURES / "binary.bin").read_bytes(),
        bytes(range(1, 32)) * 40,  # no NUL byte, but control characters throughout
        b"\x89PNG\r\n\x1a\n" + bytes(200),
    ],
)
def test_binary_content_is_refused(raw: bytes) -> None:
    with pytest.raises(InputError) as err:
        decode(raw, "x")
    assert err.value.reason == BINARY


def test_binary_file_record() -> None:
    record = _only([str(FIXTURES / "binary.bin")])
    assert record.document is None
    assert record.error == "binary or undecodable content"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  ", "\n \n".encode("utf-16")])
def test_empty_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    record = _only([str(path)])
    assert (record.source, record.error) == (str(path), "empty input")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing, folder = str(tmp_path / "nope.txt"), str(tmp_path)
    records = list(iter_records([missing, folder]))
    assert [(r.source, r.error) for r in records] == [
        (missing, "no such file"),
        (folder, "is a directory, not a file"),
    ]


def test_unsupported_scheme() -> None:
    record = _only(["ftp://example.org/article.txt"])
    assert record.error == "unsupported URL scheme ftp (use http or https)"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "Night raid on the depot\n\nWitnesses said the fire burned until dawn.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw.encode("utf-16"))))
    record = _only(["-"])
    assert record.source == "-"
    assert record.document.meta.title == "Night raid on the depot"
    assert record.document.text == raw.strip()


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Shelling resumes near the dam\nResidents fled overnight.",
            "Shelling resumes near the dam",
        ),
        ("Who controls the crossing?\n\nNobody would say.", "Who controls the crossing?"),
        ("It rained all night.\nThe roads flooded.", None),
        ("Supplies listed:\n- flour\n- water", None),
        ("Only one line of text", None),
        ("Residents of the valley fled their homes during the\nnight, officials said.", None),
    ],
)
def test_title_only_when_the_first_line_looks_like_one(text: str, title: str | None) -> None:
    doc = plain_document(text, Metadata())
    assert doc.meta.title == title
    assert doc.text.startswith(f"{title}\n\n" if title else text.split()[0])


def test_hard_wrapped_paragraphs_become_lines() -> None:
    text = (
        "Aid talks\n\n"
        "The relief agency said on Monday that its trucks had been waiting at the\n"
        "crossing for three days without permission to enter.\n\n"
        "Supplies listed:\n"
        "- flour and rice for about two thousand families in the area\n"
        "- water purification tablets\n"
    )
    doc = plain_document(text, Metadata())
    assert doc.text.split("\n") == [
        "Aid talks",
        "",
        "The relief agency said on Monday that its trucks had been waiting at the "
        "crossing for three days without permission to enter.",
        "Supplies listed:",
        "- flour and rice for about two thousand families in the area",
        "- water purification tablets",
    ]
