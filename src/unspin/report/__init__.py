"""Reports for people: a saved unspin/1 analysis rendered as HTML, Markdown or plain text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from unspin.report import html, markdown, text
from unspin.report.load import load_analyses
from unspin.report.model import DocView, build_all

RENDERERS: dict[str, Callable[[list[DocView]], str]] = {
    "html": html.render,
    "md": markdown.render,
    "text": text.render,
}


# What a terminal acts on rather than shows: C0 controls but tab and newline, DEL, C1
# controls (ESC sequences, 8-bit CSI) and bidi embeddings, overrides and isolates.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def render(analyses: list[dict[str, Any]], fmt: str) -> str:
    """The report of ``analyses`` in ``fmt`` ("html", "md" or "text").

    Markdown and text reports are read in terminals, so article text never brings its own
    control sequences into them.
    """
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(RENDERERS)}")
    out = RENDERERS[fmt](build_all(analyses))
    return out if fmt == "html" else _TERMINAL_CONTROLS.sub("", out)


__all__ = ["load_analyses", "render"]
