"""Fills doc.entities (people, organisations, places linked to the knowledge base) and
doc.identity_claims (sentences that say two actors are one)."""

from __future__ import annotations

from pathlib import Path

from unspin import identity, nlp
from unspin.document import Document
from unspin.kb import mentions, store
from unspin.kb.linker import Linker


class EntityLinker:
    """Links names to the bundled knowledge base plus an optional user file (``kb``)."""

    name = "entities"

    def __init__(self, kb: Path | str | None = None) -> None:
        self.kb_path = Path(kb) if kb is not None else None
        if self.kb_path is not None:
            # Fail on a bad file before the first document, naming the file; the index built
            # here is the one every document uses (cached per path).
            store.load(self.kb_path)

    def __call__(self, doc: Document) -> Document:
        if not doc.text.strip():
            doc.entities, doc.identity_claims = [], []
            return doc
        kb = store.load(self.kb_path)
        parsed = nlp.parse(doc)
        sentences = [(s.start, s.end) for s in doc.sentences] or [
            (s.start_char, s.end_char) for s in parsed.sents
        ]
        linker = Linker(kb, doc.text)
        linker.link(mentions.find(parsed, doc.text, kb))
        linker.merge_early_surnames()
        linker.merge_acronyms()
        linker.resolve_references(sentences)
        doc.entities = linker.entities()
        doc.identity_claims = identity.find_claims(doc.text, doc.entities, sentences, kb)
        return doc
