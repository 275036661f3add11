"""Shared test fixtures: the reference data beside the checkout, and offset checks."""

from __future__ import annotations

import copy
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "samples"

SCHEMA = json.loads(
    resources.files("unspin").joinpath("schema/unspin-1.schema.json").read_text("utf-8")
)

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is absent")


def dated(body: str, published: str) -> list[Any]:
    """The dates layer of an article as `unspin analyze` fills it (over the sentences and
    the parse; the technique model is not needed for dates)."""
    from unspin.document import Document, Metadata
    from unspin.pipeline import Pipeline

    doc = Document.from_parts(None, body, Metadata(published=published))
    return Pipeline(skip=["techniques"])(doc).dates


def assert_offsets(analysis: dict[str, Any]) -> None:
    """Every span anywhere in an unspin/1 analysis quotes document.text exactly."""
    text = analysis["document"]["text"]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys() and node["start"] is not None:
                assert text[node["start"] : node["end"]] == node["text"], node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in analysis.items() if k != "document"})


# Two reports of one incident, written for these tests, and the URL of a PostgreSQL server
# for the store tests (.ci/run starts one; without it those tests skip).
WIRE_REPORT = (
    "Market in Kharkiv shelled\n\nRussian artillery shelled the central market in Kharkiv on "
    "Monday, killing 12 civilians, the regional governor said. Moscow denied any attack."
)
DAILY_REPORT = (
    "Deadly strike in Kharkiv\n\nAt least 14 people were killed when rockets hit a market in "
    "Kharkiv on Monday, according to the Ukrainian army. The barbaric, cowardly butchers "
    "turned a busy market into a bloodbath of innocent shoppers."
)
POSTGRES = os.environ.get("UNSPIN_TEST_POSTGRES")
STORES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES, reason="UNSPIN_TEST_POSTGRES is not set"),
    ),
]


@pytest.fixture(scope="session")
def pipeline() -> Any:
    """One analysis pipeline for the whole session (loading the models takes seconds)."""
    from unspin.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def reports(pipeline: Any) -> list[dict[str, Any]]:
    """The two incident reports, analysed once, as two outlets published them."""
    from unspin.document import Metadata
    from unspin.ingest.plain import plain_document

    found = []
    for text, site in ((WIRE_REPORT, "wire.example"), (DAILY_REPORT, "daily.example")):
        meta = Metadata(published="2024-03-06", url=f"https://{site}/2024/03/market")
        found.append(pipeline(plain_document(text, meta)).to_dict())
    return found


def as_article(analysis: dict[str, Any], n: int, site: str, day: str | None = None) -> Any:
    """A stored analysis as article ``n`` of ``site`` (its dated events moved to ``day`` if
    given), to fill a store without running the pipeline."""
    other = copy.deepcopy(analysis)
    other["document"]["url"] = f"https://{site}/story/{n}"
    other["document"]["site"] = site
    if other.get("source"):
        other["source"]["domain"] = site
    if day:
        for timex in other["dates"]:
            if timex["precision"] == "day":
                timex["value"] = day
    return other


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """An empty store: an SQLite file, or the PostgreSQL test database emptied."""
    from sqlalchemy import create_engine, text

    from unspin.store.database import database_url, open_store

    if request.param == "sqlite":
        opened = open_store(str(tmp_path / "store.sqlite"))
    else:
        engine = create_engine(database_url(POSTGRES or ""))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        opened = open_store(POSTGRES or "")
    yield opened
    opened.close()
