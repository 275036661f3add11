"""Plain text to a Document: a title when the first line looks like one, one paragraph a line."""

from __future__ import annotations

import re

from unspin.document import Document, Metadata

# A title is a short line that does not end like a sentence or a clause.
TITLE_MAX_WORDS = 25
_NOT_TITLE_END = (".", ",", ";", ":")
# Hard-wrapped prose: a long line that stops mid-sentence continues on the next one.
WRAP_MIN_CHARS = 40
_SENTENCE_END = re.compile(r"""[.!?:;"'\u201d\u2019)\]]$""")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022\u2013]|\d{1,3}[.)])\s")


def looks_like_title(line: str) -> bool:
    """Short and not ending like a sentence: "Shelling cuts water to Karvesh", not "It rained."."""
    return len(line.split()) <= TITLE_MAX_WORDS and not line.endswith(_NOT_TITLE_END)


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, whitespace-trimmed, with hard-wrapped lines joined back together.

    The sentence splitter never crosses a line break, so a paragraph wrapped at 72 columns
    must become one line again; headings, list items and lines that end a sentence stay.
    """
    out: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            joinable = False
            continue
        if joinable and not _LIST_ITEM.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = len(line) >= WRAP_MIN_CHARS and not _SENTENCE_END.search(line)
    return out


def split_title(text: str) -> tuple[str | None, str]:
    """The first line as a title when it looks like one, and the rest.

    A first line that runs on into a lower-case next line is the start of a wrapped
    paragraph, not a title.
    """
    head, _, rest = text.strip().partition("\n")
    head = " ".join(head.split())
    following = rest.lstrip(" \t")
    runs_on = following[:1].islower()
    if rest.strip() and looks_like_title(head) and not runs_on:
        return head, rest
    return None, text


def plain_document(text: str, meta: Metadata, title: str | None = None) -> Document:
    """The Document for plain text (not blank); the title is guessed unless given."""
    if title is None:
        title, text = split_title(text)
    return Document.from_parts(title, "\n".join(paragraphs(text)), meta)
