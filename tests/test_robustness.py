"""Real articles end to end: every layer valid against the contract, every offset exact."""

from __future__ import annotations

import jsonschema
import pytest
from conftest import SCHEMA, SHARED, assert_offsets, needs_shared

from unspin.document import Document
from unspin.pipeline import Pipeline

ARTICLES = SHARED / "data/ptc-unlabeled/articles"


@needs_shared
def test_unlabeled_articles_analyse_cleanly() -> None:
    files = sorted(ARTICLES.glob("*.txt"))
    if not files:
        pytest.skip("no unlabeled articles")
    pipeline = Pipeline()
    for path in files:
        result = pipeline(Document(text=path.read_text("utf-8"))).to_dict()
        jsonschema.validate(result, SCHEMA)
        assert_offsets(result)
        for event_id in result["timeline"]:
            assert any(e["id"] == event_id for e in result["events"])
        assert result["sentences"], path.name
