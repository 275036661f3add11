"""What identifies a stored document, analysis and entity across the corpus."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

from unspin.document import Document, Entity


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """The URL as courlan normalises it (host case, default port, tracking parameters and
    parameter order), without its fragment, so links to one article meet."""
    try:
        normal = normalize_url(url)
    except ValueError:
        normal = url
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def text_hash(text: str) -> str:
    """A hash of the text with its whitespace folded: the same article re-extracted meets."""
    return _sha256(" ".join(text.split()))


def document_key(doc: Document) -> str:
    """``url:<canonical URL>`` when the article has a URL, else ``sha256:<text hash>``."""
    if doc.meta.url:
        return "url:" + canonical_url(doc.meta.url)
    return "sha256:" + text_hash(doc.text)


def fingerprint(doc: Document) -> str:
    """The same text analysed by the same unspin version, components and models is one
    analysis; a new model version makes a new one."""
    run = doc.run.model_dump() if doc.run else {}
    parts = [
        text_hash(doc.text),
        run.get("unspin_version"),
        run.get("components"),
        run.get("skipped"),
        run.get("models"),
    ]
    return _sha256(json.dumps(parts, sort_keys=True))


def name_key(name: str) -> str:
    """A name folded for lookup: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def entity_key(entity: Entity) -> str:
    """The knowledge-base id, else a stable key from the type and name (``name:person:…``)."""
    return entity.kb_id or f"name:{entity.type}:{name_key(entity.name)}"
