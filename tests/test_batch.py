"""Parallel batches, resuming, and the on-disk cache of built indexes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from unspin import cache
from unspin.batch.local import with_threads
from unspin.batch.resume import finished_ids
from unspin.cli import main
from unspin.settings import Settings, TechniqueSettings

ARTICLES = [
    {
        "id": "river",
        "title": "Clashes near the river",
        "text": "Two soldiers were killed near the river on Monday, the army said. "
        "Officials in Orsk confirmed the attack.",
        "published": "2024-03-04",
    },
    {"id": "flood", "text": "The minister said 40 people were displaced by flooding in May 2023."},
    {"id": "bad", "text": 17},
    {
        "id": "column",
        "title": "Opinion",
        "text": "I think the council is wrong. We must act now, or the city will suffer.",
    },
    {
        "id": "shelling",
        "text": "According to the Red Cross, at least 12 civilians were injured in shelling "
        "on 2 June. Residents said the market was hit twice.",
    },
    {"id": "blank", "text": "   "},
    {"id": "quote", "text": '"We held the bridge," the commander said. "Then the shelling began."'},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps(a) for a in ARTICLES]
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["analyze", *argv])
    return code, capsys.readouterr().err.splitlines()


def test_two_workers_write_exactly_what_one_writes(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    code_one, err_one = _run(capsys, str(corpus), "-o", str(one))
    code_two, err_two = _run(capsys, str(corpus), "-o", str(two), "--workers", "2")
    assert one.read_bytes() == two.read_bytes()
    ids = [json.loads(line)["document"]["id"] for line in one.read_text("utf-8").splitlines()]
    assert ids == ["river", "flood", "column", "shelling", "quote"]  # input order
    # Bad records: the same lines and exit code as in one process.
    assert (code_one, err_one) == (code_two, err_two)
    assert code_one == 1
    assert err_one[-1] == "unspin: 3 of 8 inputs failed"


def test_resume_skips_finished_records_and_drops_a_half_line(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = tmp_path / "whole.jsonl"
    _run(capsys, str(corpus), "-o", str(whole))
    lines = whole.read_text("utf-8").splitlines(keepends=True)
    stopped = tmp_path / "stopped.jsonl"
    stopped.write_text(lines[0] + lines[1] + lines[2][:40], encoding="utf-8")  # killed mid-line
    assert finished_ids(stopped) == {"river", "flood"}
    assert stopped.read_text("utf-8") == lines[0] + lines[1]
    code, err = _run(capsys, str(corpus), "-o", str(stopped), "--resume", "--workers", "2")
    assert stopped.read_bytes() == whole.read_bytes()
    assert code == 1 and len(err) == 4  # the bad records are reported again


def test_resume_needs_a_json_lines_output(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, str(corpus), "--resume") == (
        2,
        ["unspin: --resume: needs -o FILE and JSON Lines output (--format json)"],
    )
    report = tmp_path / "report.json"
    report.write_text('{"an": "indented"\n}\n', encoding="utf-8")
    code, err = _run(capsys, str(corpus), "-o", str(report), "--resume")
    assert code == 2
    assert err == [f"unspin: {report}: line 1: not an unspin JSON Lines analysis, cannot resume"]


def test_workers_must_be_positive(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", str(corpus), "--workers", "0"])
    assert exit_.value.code == 2
    assert "--workers: expected a whole number of at least 1" in capsys.readouterr().err


def test_cache_builds_once_and_rebuilds_a_damaged_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_directory", tmp_path)
    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {"entries": len(built)}

    assert cache.cached("index", build) == {"entries": 1}
    assert cache.cached("index", build) == {"entries": 1}  # read back, not built
    assert len(built) == 1
    (entry,) = tmp_path.glob("index-*.pickle")
    entry.write_bytes(entry.read_bytes()[:5])
    assert cache.cached("index", build) == {"entries": 2}
    assert cache.cached("index", build, packages=("pydantic",)) == {"entries": 3}  # new key


def test_a_worker_takes_the_threads_it_is_given_unless_the_user_chose() -> None:
    assert with_threads(Settings(), 1).techniques.threads == 1
    chosen = Settings(techniques=TechniqueSettings(threads=3))
    assert with_threads(chosen, 1).techniques.threads == 3


def test_a_worker_caps_numpys_blas_threads_at_its_share() -> None:
    """Idle BLAS threads spin on the cores other workers need; a fresh process, so the cap
    does not leak into the other tests."""
    code = (
        "from threadpoolctl import threadpool_info; from unspin.settings import Settings; "
        "from unspin.batch.local import with_threads, worker_pipeline; "
        "worker_pipeline([], with_threads(Settings(), 1)); "
        "print(max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"
