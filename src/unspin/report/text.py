"""The report as plain text for a terminal: underlined headings, wrapped indented lists."""

from __future__ import annotations

import textwrap

from unspin.report.model import DocView
from unspin.report.outline import Outline, outline

WIDTH = 100


def _wrap(text: str, indent: str, marker: str = "- ") -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent + marker,
        subsequent_indent=indent + " " * len(marker),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent + marker.rstrip()]


def _underline(title: str, char: str) -> list[str]:
    return [title, char * min(len(title), WIDTH)]


def _document(doc: Outline) -> list[str]:
    lines = _underline(doc.title, "=")
    for label, value in doc.meta:
        lines += _wrap(f"{label}: {value}", "", "")
    for section in doc.sections:
        lines += ["", *_underline(section.title, "-")]
        if section.note:
            lines += _wrap(section.note, "", "")
        for item in section.items:
            lines += _wrap(item.text, "")
            for detail in item.details:
                lines += _wrap(detail, "    ")
    return [*lines, "", ""]


def render(views: list[DocView]) -> str:
    """One text report; several analyses follow one another, each under its own title."""
    if not views:
        return "No documents to report.\n"
    lines: list[str] = []
    if len(views) > 1:
        lines += [f"{len(views)} documents:"]
        lines += [f"  {n}. {v.title}" for n, v in enumerate(views, 1)]
        lines += ["", ""]
    for view in views:
        lines += _document(outline(view))
    return "\n".join(lines).rstrip("\n") + "\n"
