"""Name → knowledge-base entries: exact transliteration key first, then rapidfuzz.

The fuzzy step only compares a name with the keys that share its consonant skeleton or the
first three consonants of the name or of one of its words (the blocks), never with the whole
knowledge base, so linking stays cheap per mention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from unspin.components.entities.normalise import key, plain, skeleton
from unspin.components.entities.store import (
    GENERATED_PLACES,
    Entry,
    KnowledgeBase,
    block,
    is_acronym,
    word_blocks,
)

FUZZY_CUTOFF = 88.0
# A shared consonant skeleton is strong evidence of one name spelt two ways.
SKELETON_CUTOFF = 75.0
MIN_FUZZY_LENGTH = 5
# Below this length a transliteration key is too loose for a person's name on its own ('Bebe'
# and 'Bibi' share one): the name must be listed as written. Short place names ('Hums' for
# Homs) keep the key: their spellings vary far more.
MIN_LOOSE_KEY = 6
# GeoNames' alternate names are many and unchecked, so a generated place that only shares the
# name's transliteration key ('Le Pen' and 'Lai-pin' do; so do 'Deir Hafer' and 'Dayr Hafir')
# without looking like it is a weaker link, kept by the linker only where the article names
# the place's country.
GENERATED_LIKENESS = 85.0
KEY_ONLY_CONFIDENCE = 0.9
# A name met only through one of its words' blocks must match word by word, each word this
# close: 'Kudristan Workers Party' is the PKK, 'Free Democratic Party' is not 'US Democratic
# Party'.
WORD_CUTOFF = 70.0


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate entry for a name, with how sure the match is (1.0 for an exact key)."""

    entry: Entry
    confidence: float


def clean(surface: str) -> str:
    """The name without a possessive or surrounding quotes."""
    text = surface.strip().strip("\"'\u201c\u201d\u2018\u2019")
    for suffix in ("'s", "\u2019s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _verbatim(name: str, entry: Entry) -> bool:
    folded = name.casefold()
    return any(n.casefold() == folded for n in entry.names)


def _looks_alike(name: str, entry: Entry) -> bool:
    written = plain(name)
    return any(fuzz.ratio(written, plain(n)) >= GENERATED_LIKENESS for n in entry.names)


def _word_by_word(name: str, other: str) -> bool:
    words, others = name.split(), other.split()
    return len(words) == len(others) and all(
        fuzz.ratio(a, b) >= WORD_CUTOFF for a, b in zip(words, others, strict=True)
    )


def candidates(
    kb: KnowledgeBase, surface: str, allowed: Callable[[Entry, bool], bool] | None = None
) -> list[Link]:
    """Entries the name may refer to, best first; ``allowed(entry, exact)`` filters them."""
    ok = allowed or (lambda entry, exact: True)
    name = clean(surface)
    bare = name.replace(".", "")
    if is_acronym(name) or (len(bare) >= 4 and bare.upper() in kb.by_acronym and bare.istitle()):
        found = [Link(e, 1.0) for e in kb.by_acronym.get(bare.upper(), []) if ok(e, True)]
        if found:
            return found  # else a name in capitals ('HAMAS'): look it up as a name
    k = key(name)
    if not k:
        return []
    exact = [
        Link(
            e,
            1.0
            if e.origin not in GENERATED_PLACES or _looks_alike(name, e)
            else KEY_ONLY_CONFIDENCE,
        )
        for e in kb.by_key.get(k, [])
        if ok(e, True) and (len(k) >= MIN_LOOSE_KEY or e.type != "person" or _verbatim(name, e))
    ]
    if exact or len(k) < MIN_FUZZY_LENGTH:
        return sorted(exact, key=lambda link: -link.confidence)
    skel = skeleton(k)
    same_skeleton = kb.by_skeleton.get(skel, set())
    near = same_skeleton | kb.blocks.get(block(skel), set())
    pool = list(near.union(*(kb.blocks.get(b, ()) for b in word_blocks(skel))))
    links: dict[str, Link] = {}
    for other, score, _ in process.extract(k, pool, scorer=fuzz.ratio, limit=5):
        cutoff = SKELETON_CUTOFF if other in same_skeleton and len(skel) >= 4 else FUZZY_CUTOFF
        if score < cutoff or (other not in near and not _word_by_word(k, other)):
            continue
        for entry in kb.by_key[other]:
            # Tens of thousands of generated town names sit a letter or two from any unknown
            # name ('Velmora' ~ 'Vellmar'): only curated and user entries match loosely.
            if entry.origin in GENERATED_PLACES:
                continue
            if ok(entry, False) and entry.id not in links:
                links[entry.id] = Link(entry, round(score / 100, 3))
    return sorted(links.values(), key=lambda link: (-link.confidence, link.entry.rank))


def resolve(kb: KnowledgeBase, surface: str) -> Link | None:
    """The best entry for a name on its own, without article context (used by the scorer)."""
    found = candidates(kb, surface)
    return found[0] if found else None
