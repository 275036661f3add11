"""The report as Markdown: headings and lists, every value escaped so article text stays text."""

from __future__ import annotations

import re

from unspin.report.model import DocView
from unspin.report.outline import Outline, outline

# Backslash-escape the ASCII punctuation Markdown (or inline HTML) could act on.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _document(doc: Outline) -> list[str]:
    lines = [f"# {escape(doc.title)}", ""]
    lines += [f"- **{label}:** {escape(value)}" for label, value in doc.meta]
    for section in doc.sections:
        lines += ["", f"## {escape(section.title)}", ""]
        if section.note:
            lines += [f"_{escape(section.note)}_", ""]
        for item in section.items:
            lines.append(f"- {escape(item.text)}")
            lines += [f"    - {escape(d)}" for d in item.details]
    return [*lines, ""]


def render(views: list[DocView]) -> str:
    """One Markdown document; several analyses follow one another under their own titles."""
    if not views:
        return "_No documents to report._\n"
    lines: list[str] = []
    if len(views) > 1:
        lines += ["# Documents", ""]
        lines += [f"{n}. {escape(v.title)}" for n, v in enumerate(views, 1)]
        lines += [""]
    for view in views:
        lines += _document(outline(view))
    return "\n".join(lines)
