"""The entities component: people, organisations and places, linked to the knowledge base.

``store`` loads entries into an index (once per process), ``normalise`` makes
transliteration-proof keys, ``matcher`` resolves one name, ``mentions`` finds names in a
parsed text, ``linker`` turns mentions into the entities layer.
"""

from __future__ import annotations

from functools import cache

from unspin.components.entities import mentions, store
from unspin.components.entities.linker import Linker
from unspin.components.entities.normalise import key
from unspin.components.source import find_outlet, outlets
from unspin.document import Document
from unspin.pipeline import nlp
from unspin.pipeline.registry import component
from unspin.settings import EntitySettings


@cache
def outlet_keys() -> frozenset[str]:
    """Spelling keys of the outlet table's names ('Reuters', 'Al Jazeera')."""
    return frozenset(key(row["name"]) for row in outlets().values() if row["name"])


def mastheads(doc: Document) -> frozenset[str]:
    """Outlet names to keep from place and person links: the table's, the page's site name
    and the name the table gives the page's own outlet."""
    own = {doc.meta.site or ""}
    for address in (doc.meta.site, doc.meta.url):
        found = find_outlet(address) if address and "." in address else None
        if found:
            own.add(found[1]["name"])
    return outlet_keys() | {key(name) for name in own if name and "." not in name}


@component("entities", requires=("doc.sentences",), assigns=("doc.entities",), settings="entities")
class EntityLinker:
    """Links names to the bundled knowledge base plus an optional user file (``kb``)."""

    def __init__(self, settings: EntitySettings | None = None) -> None:
        self.kb_path = (settings or EntitySettings()).kb
        if self.kb_path is not None:
            # Fail on a bad file before the first document, naming the file; the index built
            # here is the one every document uses (cached per path).
            store.load(self.kb_path)

    def __call__(self, doc: Document) -> Document:
        doc.entities = []
        if not doc.text.strip():
            return doc
        kb = store.load(self.kb_path)
        linker = Linker(kb, doc.text, mastheads(doc))
        linker.link(mentions.find(nlp.parse(doc), doc.text, kb))
        linker.merge_early_surnames()
        linker.merge_spellings()
        linker.merge_acronyms()
        linker.resolve_references([(s.start, s.end) for s in doc.sentences])
        doc.entities = linker.entities()
        return doc
