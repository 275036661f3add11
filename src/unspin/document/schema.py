"""The unspin/1 JSON Schema, generated from the layer models so code and contract agree.

``python -m unspin.document.schema`` rewrites ``schema/unspin-1.schema.json``; a test
checks that the committed file is what the models generate.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.resources import files
from typing import Any

from unspin.document.document import SCHEMA, Document

PATH = files("unspin") / "schema" / "unspin-1.schema.json"


def json_schema() -> dict[str, Any]:
    """The schema of ``Document.to_dict()``: every object closed (additionalProperties false)."""
    schema = Document.model_json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://unspin.invalid/schema/unspin-1.schema.json",
        **schema,
        "title": f"{SCHEMA} analysis",
        "description": (
            "One analysed article. Every start/end is a character offset (Python str index) "
            "into document.text, and every span's text equals document.text[start:end]. "
            "Claims and events refer to items of the dates and quantities layers by id."
        ),
    }


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the unspin/1 JSON Schema.")
    parser.add_argument("out", nargs="?", default=str(PATH), help="default: the shipped file")
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
