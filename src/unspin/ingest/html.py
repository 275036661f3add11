"""An HTML page to a Document: the article's main text and what the page says about itself.

trafilatura does the extraction (dropping navigation, sidebars, footers, comments) and
the metadata (title, authors, date via htmldate, canonical URL, site name); this module
decodes the page, checks trafilatura's result, and removes the furniture it sometimes keeps.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from lxml.etree import ParserError
from lxml.html import HTMLParser, fromstring

from unspin.document import Document, Metadata
from unspin.errors import InputError
from unspin.ingest.text import decode

if TYPE_CHECKING:
    from lxml.html import HtmlElement

NO_ARTICLE = "no article text found in the HTML page"
# An article has at least one line of prose, not just link labels.
MIN_PROSE_WORDS = 8
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
# Burmese) are measured in characters instead: about two make a word.
MIN_PROSE_CHARS = 2 * MIN_PROSE_WORDS
_SPACELESS = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# trafilatura's own parser, but without libxml2's 256-level nesting and 10 MB text-node and
# attribute limits: deep wrapper divs and inline data: images occur on real article pages.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)
# Only short lines are tested against the boilerplate patterns, so that an article
# paragraph which happens to mention cookies or newsletters is never dropped.
BOILERPLATE_MAX_WORDS = 30
# Structured and markup dates only: htmldate's free-text search can pick up a copyright
# year or a "related story" date, and a wrong publication date is worse than none.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_LANGUAGE_XPATHS = (
    "/html/@lang",
    "/html/@xml:lang",
    "//meta[@http-equiv][translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
    "='content-language']/@content",
    "//meta[@property='og:locale']/@content",
    "//meta[@name='language' or @name='dc.language' or @name='DC.language']/@content",
)


def looks_like_html(head: str) -> bool:
    """Whether the start of a text is an HTML document (sniffed, not trusted to a name)."""
    head = head.lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return head.startswith("<") and re.search(r"<(html|head|body)[\s>]", head) is not None


@cache
def _boilerplate() -> re.Pattern[str]:
    """The furniture patterns from ``data/ingest/boilerplate.txt``, as one regex."""
    text = files("unspin").joinpath("data/ingest/boilerplate.txt").read_text("utf-8")
    patterns = [p for p in text.splitlines() if p.strip() and not p.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _language(tree: HtmlElement) -> str | None:
    """The page's declared language as a primary subtag ("en-GB" -> "en"), or None."""
    for xpath in _LANGUAGE_XPATHS:
        for value in tree.xpath(xpath, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}):
            primary = re.split(r"[-_,;\s]", str(value).strip().lower(), maxsplit=1)[0]
            if _LANGUAGE.match(primary):
                return primary
    return None


def _tree(html: str) -> HtmlElement | None:
    """The parsed page, or None when there is nothing to parse."""
    if not html.strip():
        return None
    from trafilatura.utils import repair_faulty_html  # trafilatura loads only for pages

    try:
        return fromstring(repair_faulty_html(html, html[:50].lower()).encode(), parser=_PARSER)
    except ParserError:  # "Document is empty": nothing but comments or processing instructions
        return None


def is_prose(line: str) -> bool:
    """A line of running text rather than a link label or a caption."""
    words = len(line.split())
    return words >= MIN_PROSE_WORDS or len(_SPACELESS.findall(line)) >= MIN_PROSE_CHARS


def _same(a: str, b: str) -> bool:
    """Equal up to case, spacing and final punctuation (a heading repeating the title)."""

    def norm(s: str) -> str:
        return " ".join(s.casefold().split()).rstrip(".:!?")

    return norm(a) == norm(b)


def _is_byline(line: str, authors: list[str]) -> bool:
    """A short "By Lina Haddad ..." line naming an author the metadata already holds."""
    return (
        len(line.split()) <= BOILERPLATE_MAX_WORDS
        and line.lower().startswith("by ")
        and any(a.lower() in line.lower() for a in authors)
    )


def body_lines(text: str, title: str | None, authors: list[str]) -> list[str]:
    """Article paragraphs, one per line, minus the title, byline and banner lines."""
    furniture = _boilerplate()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    kept = [
        line
        for line in lines
        if line
        and not _is_byline(line, authors)
        and not (len(line.split()) <= BOILERPLATE_MAX_WORDS and furniture.search(line))
    ]
    if title and kept and _same(kept[0], title):
        kept = kept[1:]
    return kept


def html_document(
    raw: bytes,
    source: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    meta: Metadata | None = None,
) -> Document:
    """The Document for one HTML page; InputError when it holds no article text.

    ``charset`` is what the server declared; the page's own ``<meta charset>`` is the
    fallback.  Fields already set in ``meta`` (given by a corpus record) win over the page's.
    """
    declared = charset
    if declared is None and (found := _META_CHARSET.search(raw[:4096])):
        # A <meta> readable as ASCII means the page is not UTF-16/32, whatever it says
        # (WHATWG: such a label means UTF-8).
        declared = re.sub(r"(?i)^utf-?(16|32).*", "utf-8", found.group(1).decode("ascii"))
    html = decode(raw, source, declared)
    tree = _tree(html)
    if tree is None:
        raise InputError(source, NO_ARTICLE)
    language = _language(tree)
    from trafilatura import bare_extraction  # importing it costs about as much as spaCy's load

    result = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if result is None or not result.text:
        raise InputError(source, NO_ARTICLE)
    authors = [a.strip() for a in (result.author or "").split(";") if a.strip()]
    meta = meta or Metadata()
    title = meta.title or result.title
    lines = body_lines(result.text, title, authors)
    if not any(is_prose(line) for line in lines):
        raise InputError(source, NO_ARTICLE)
    meta.url = meta.url or result.url or url
    meta.site = meta.site or result.sitename or result.hostname
    meta.published = meta.published or result.date
    meta.authors = meta.authors or authors
    meta.language = meta.language or language
    return Document.from_parts(title, "\n".join(lines), meta)
