"""Analyses in the formats annotation tools read: W3C Web Annotation, Label Studio, brat.

Each module is a function from an unspin/1 analysis (dict or Document) to the format;
``render`` puts several analyses into one output the way ``unspin analyze`` writes them.
"""

from __future__ import annotations

import json
from typing import Any

from unspin.exports import brat, labelstudio, webannotation

FORMATS = ("webanno", "labelstudio", "brat")
MEDIA_TYPES = {
    "webanno": webannotation.MEDIA_TYPE,
    "labelstudio": labelstudio.MEDIA_TYPE,
    "brat": "text/plain; charset=utf-8",
}


def render(analyses: list[dict[str, Any]], fmt: str, ids: list[int] | None = None) -> str:
    """``analyses`` in ``fmt``: Web Annotation pages (one indented, several as JSON Lines),
    one JSON list of Label Studio tasks (``ids``: their store ids), or one brat ``.ann``."""
    if fmt == "webanno":
        pages = [webannotation.page(a) for a in analyses]
        if len(pages) == 1:
            return json.dumps(pages[0], ensure_ascii=False, indent=2) + "\n"
        return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages)
    if fmt == "labelstudio":
        tasks = [labelstudio.task(a, i) for a, i in zip(analyses, ids or [None] * len(analyses),
                                                         strict=True)]
        return json.dumps(tasks, ensure_ascii=False, indent=2) + "\n"
    if fmt == "brat":
        if len(analyses) != 1:
            raise ValueError("brat standoff is one .txt/.ann pair per document")
        return brat.ann(analyses[0])
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")


__all__ = ["FORMATS", "MEDIA_TYPES", "brat", "labelstudio", "render", "webannotation"]
