"""Bytes to text: BOMs, declared charsets, then detection; binary content is refused."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from unspin.errors import InputError

BINARY = "binary or undecodable content"

# C0 controls other than tab, newline, form feed and carriage return: rare in any text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(raw: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding, len(bom)
    return None


def _known(encoding: str | None) -> str | None:
    """``encoding`` when Python has a codec for it (pages declare all sorts of names)."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip().strip("\"'")).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): pages labelled Latin-1 are really Windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode(raw: bytes, source: str, declared: str | None = None) -> str:
    """The text of ``raw`` with newlines normalised to ``\\n``.

    A BOM wins, then a charset the sender declared (HTTP header, ``<meta charset>``), then
    strict UTF-8, then charset-normalizer's best guess; NUL bytes without a BOM, or no
    plausible encoding at all, mean the input is not text.
    """
    bom = bom_encoding(raw)
    declared = _known(declared)
    if bom:
        text = raw[bom[1] :].decode(bom[0], errors="replace")
    elif b"\x00" in raw and not (declared or "").startswith(("utf-16", "utf-32")):
        raise InputError(source, BINARY)
    elif declared:
        text = raw.decode(declared, errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(raw).best()
            if best is None:
                raise InputError(source, BINARY) from None
            text = str(best)
    if len(_CONTROL.findall(text)) > 1 + len(text) // 100:
        raise InputError(source, BINARY)
    return text.replace("\r\n", "\n").replace("\r", "\n")
