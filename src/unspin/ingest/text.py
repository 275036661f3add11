"""Bytes to text: BOMs, declared charsets, then detection; binary content is refused.

Stray control characters (a NUL, an escape sequence) are replaced rather than fatal; only
content that is mostly controls counts as binary, whether it came as a file or as a string
in a corpus record.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from unspin.errors import InputError

BINARY = "binary or undecodable content"
REPLACEMENT = "\ufffd"

# C0 controls other than tab, newline, form feed and carriage return, DEL, C1 controls, and
# unpaired surrogates (which no encoder accepts): never part of an article's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Share of the text that may be control characters before it counts as binary (binary
# files run at 10% and more; a page with a stray escape sequence well below 5%).
MAX_CONTROL_SHARE = 0.05
# UTF-7 turns plain ASCII ("+ADw-script+AD4-") into markup and swallows text: never honoured.
_REFUSED_ENCODINGS = frozenset({"utf-7"})
# Without a BOM, UTF-16 shows as NUL bytes on one side of most byte pairs (ASCII markup).
_UTF16_SNIFF_BYTES = 4096
_UTF16_NUL_SHARE = 0.3

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def too_large(limit: int, setting: str = "max_input_bytes") -> str:
    """The reason given for an input over ``limit`` bytes, naming the setting that says so."""
    size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"
    return f"larger than {size} (limit {setting})"


def bom_encoding(raw: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NULs sit on one side of the byte pairs, else None."""
    head = raw[:_UTF16_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd > pairs * _UTF16_NUL_SHARE and even == 0:
        return "utf-16-le"
    if even > pairs * _UTF16_NUL_SHARE and odd == 0:
        return "utf-16-be"
    return None


def unicode_encoding(raw: bytes) -> tuple[str, int] | None:
    """A Unicode encoding the bytes announce (BOM) or show (UTF-16 without BOM), and the
    number of bytes to skip."""
    found = bom_encoding(raw)
    if found is None and (utf16 := _utf16_without_bom(raw)):
        found = utf16, 0
    return found


def _known(encoding: str | None) -> str | None:
    """``encoding`` when Python has a codec for it and it is safe to honour."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in _REFUSED_ENCODINGS:
        return None
    # As browsers do (WHATWG Encoding): pages labelled Latin-1 are really Windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def replace_controls(text: str) -> str:
    """``text`` with every control character and unpaired surrogate replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text)


def clean_text(text: str, source: str) -> str:
    """``text`` with stray control characters replaced; InputError when it is mostly
    controls (binary content, whether read from a file or given in a record)."""
    controls = len(_CONTROL.findall(text))
    if controls > 1 + len(text) * MAX_CONTROL_SHARE:
        raise InputError(source, BINARY)
    return replace_controls(text) if controls else text


def decode(raw: bytes, source: str, declared: str | None = None) -> str:
    """The text of ``raw`` with newlines normalised to ``\\n``.

    A BOM (or the NUL pattern of UTF-16 without one) wins, then a charset the sender
    declared (HTTP header, ``<meta charset>``), then strict UTF-8, then charset-normalizer's
    best guess; no plausible encoding at all, or mostly control characters, mean the input
    is not text.
    """
    found = unicode_encoding(raw)
    declared = _known(declared)
    if found:
        text = raw[found[1] :].decode(found[0], errors="replace")
    elif declared:
        text = raw.decode(declared, errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(raw, cp_exclusion=["utf_7"]).best()
            if best is None:
                raise InputError(source, BINARY) from None
            text = str(best)
    return clean_text(text, source).replace("\r\n", "\n").replace("\r", "\n")
