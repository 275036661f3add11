"""Shared test fixtures: the reference data beside the checkout, and offset checks."""

from __future__ import annotations

import json
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
