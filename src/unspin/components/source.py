"""Fills doc.source (the outlet's Media Bias/Fact Check rating) and doc.meta.genre.

The rating is Media Bias/Fact Check's, as published with Baly et al. (2018, 2020), shown as
that outlet's rating and never as unspin's verdict.  The outlet comes from ``meta.url`` or
``meta.site`` (``--source``); 'www.', 'edition.' or 'm.' hosts resolve to the registered
domain in the table, and a rated section ('newyorker.com/humor/borowitz-report') wins
over its site.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from unspin.components import genre
from unspin.document import Document, SourceProfile
from unspin.pipeline.registry import component
from unspin.settings import LanguageModels

RATED_BY = {
    "acl2020": "Media Bias/Fact Check (via Baly et al. 2020)",
    "emnlp18": "Media Bias/Fact Check (via Baly et al. 2018)",
}


@cache
def outlets() -> dict[str, dict[str, str]]:
    """The bundled outlet table, keyed by host or host/section."""
    path = resources.files("unspin") / "data" / "media" / "outlets.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["domain"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _host_and_path(address: str) -> tuple[str, list[str]]:
    address = address.strip()
    parts = urlsplit(address if "://" in address else "http://" + address)
    host = (parts.hostname or "").lower().rstrip(".")
    return host, [s for s in parts.path.split("/") if s]


def find_outlet(address: str | None) -> tuple[str, dict[str, str]] | None:
    """The table row for a URL or domain: longest rated path first, then parent domains."""
    if not address:
        return None
    host, path = _host_and_path(address)
    if not host:
        return None
    table = outlets()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        domain = ".".join(labels[i:])
        for n in range(len(path), 0, -1):
            section = f"{domain}/{'/'.join(path[:n])}"
            if section in table:
                return section, table[section]
        if domain in table:
            return domain, table[domain]
    return None


def profile(address: str | None) -> SourceProfile:
    """The outlet's published rating; every field None when the outlet is not in the table."""
    found = find_outlet(address)
    if found is None:
        return SourceProfile()
    _, row = found
    return SourceProfile(
        domain=row["domain"].split("/")[0],
        name=row["name"],
        factuality=row["fact"],
        bias=row["bias"],
        rating_by=RATED_BY[row["corpus"]],
        reference=row["ref"],
        section=row["domain"].partition("/")[2] or None,
    )


@component(
    "source",
    uses={"doc.sentences": "genre style rates count '. ' as the sentence ends"},
    assigns=("doc.source", "doc.meta.genre"),
    any_language=True,
    settings="languages",
)
class SourceProfiler:
    """Looks the outlet up and measures the genre signals.

    The rating and the URL signals hold in any language; the text signals are English word
    lists, measured only on documents in a language unspin has word lists for.
    """

    def __init__(self, languages: dict[str, LanguageModels] | None = None) -> None:
        self.languages = set(languages or {"en": None})

    def __call__(self, doc: Document) -> Document:
        # A domain-like site (what --source sets) overrides the page's own URL; a site
        # *name* such as 'CNN' cannot be looked up.
        site = doc.meta.site if doc.meta.site and "." in doc.meta.site else None
        address = next((a for a in (site, doc.meta.url) if find_outlet(a)), site or doc.meta.url)
        source = profile(address)
        found = find_outlet(address)
        outlet = found[0] if found else None
        code = (doc.meta.language or "").split("-")[0].lower()
        if not code or code in self.languages:  # no language: the default, always supported
            sentences = len(doc.sentences) or doc.text.count(". ") + 1
            source.genre_signals = genre.signals(doc.text, sentences, doc.meta.url, outlet)
        else:
            source.genre_signals = genre.url_signals(doc.meta.url, outlet)
        if doc.meta.genre is None:
            doc.meta.genre = genre.decide(source.genre_signals)
        doc.source = source
        return doc
