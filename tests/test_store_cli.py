"""The store commands: query, store load, serve's refusal to listen beyond loopback bare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.cli import main


def test_store_load_then_query(reports, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        "\n".join([json.dumps(reports[0]), "[1, 2]", json.dumps(reports[1])]) + "\n"
    )
    db = str(tmp_path / "s.sqlite")
    assert main(["store", "load", str(folder), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "a.jsonl:2: not a JSON object" in err and "2 added, 0 already stored, 1 failed" in err
    assert main(["store", "load", str(folder), "--db", db]) == 1
    assert "0 added, 2 already stored" in capsys.readouterr().err
    assert main(["query", "--db", db, "--outlet", "wire.example", "--format", "json"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [item["site"] for item in found] == ["wire.example"]
    assert main(["query", "--db", db, "--entity", "Kharkiv"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 3 and "daily.example" in table[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--db", "x.sqlite", "--host", "0.0.0.0"], "--host: 0.0.0.0 is beyond loopback"),
        (["query", "--db", "/no/such/dir/s.sqlite"], "no such directory"),
        (["query", "--db", "s.sqlite", "--from", "soon"], "--from: not a date"),
        (["store", "load", "/no/such/dir", "--db", "s.sqlite"], "no such directory"),
    ],
)
def test_refusals_are_one_line(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UNSPIN_TOKEN", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
