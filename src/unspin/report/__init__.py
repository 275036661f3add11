"""Reports for people: a saved unspin/1 analysis rendered as HTML, Markdown or plain text."""

from __future__ import annotations

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


def render(analyses: list[dict[str, Any]], fmt: str) -> str:
    """The report of ``analyses`` in ``fmt`` ("html", "md" or "text")."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(RENDERERS)}")
    return RENDERERS[fmt](build_all(analyses))


__all__ = ["load_analyses", "render"]
