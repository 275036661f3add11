"""Mentions → entities: link each name to the knowledge base and group one actor's names.

Choices made here, most specific first: a lone surname goes to the person named in full
earlier; an ambiguous name goes to the entry the article already mentioned, then to one in a
country the article names, then to the curated or most populous one.  Names the knowledge
base does not know stay unresolved (``kb_id`` null) but still group by spelling key.
'The group' / 'the coalition' / 'the regime' are linked only when exactly one entity the
knowledge base marks as answering to that noun was named in the preceding few sentences.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from rapidfuzz import fuzz

from unspin import lexicon
from unspin.components.entities.matcher import (
    FUZZY_CUTOFF,
    MIN_FUZZY_LENGTH,
    Link,
    candidates,
    clean,
)
from unspin.components.entities.mentions import FUNCTION_WORDS, GAZETTEER, Mention
from unspin.components.entities.normalise import key, skeleton
from unspin.components.entities.store import (
    GENERATED_PLACES,
    ORG_TYPES,
    Entry,
    KnowledgeBase,
    is_acronym,
)
from unspin.document import PLACE_TYPES, Entity, Geo, Span

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entry types a spaCy label may take when the match is only approximate.
COMPATIBLE = {
    "PERSON": frozenset({"person"}),
    "ORG": ORG_TYPES,
    "NORP": ORG_TYPES,
    "GPE": PLACE_TYPES | {"government"},
    "LOC": PLACE_TYPES,
    "FAC": PLACE_TYPES,
    GAZETTEER: frozenset(),
}
# A name outlets go by ('Reuters', the page's masthead): never a place or a person of that
# name; an organisation of the knowledge base, else an unknown outlet.
MEDIA = "MEDIA"
COMPATIBLE[MEDIA] = ORG_TYPES
LABEL_TYPES = {"PERSON": "person", "ORG": "organization", MEDIA: "media"}
KNOWN_ABROAD_POPULATION = 100_000  # a town this big may be named without its country
# A misspelt group name spaCy took for a person ('Syrian Democratic Froces') links to the
# group when it is this long and the article names the group, or its country, correctly.
MIN_RETYPED_WORDS = 3
REFERENCE_WINDOW = 400  # characters back from 'the group' in which its antecedent must lie


@cache
def ambiguous_acronyms() -> frozenset[str]:
    """Acronyms that link only with support from the rest of the article ('MIT', 'KIA')."""
    table = lexicon.load("kb", "ambiguous_acronyms.json")
    return frozenset(k for k in table if not k.startswith("_"))


def _ambiguous(surface: str) -> bool:
    return clean(surface).replace(".", "") in ambiguous_acronyms()


@cache
def reference_nouns() -> dict[str, tuple[str, ...]]:
    """Type → nouns that may stand for an entity of that type ('the group')."""
    data = lexicon.load("kb", "references.json")
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


def answers_to(entry: Entry, noun: str) -> bool:
    return noun in entry.refs or noun in reference_nouns().get(entry.type, ())


def _allowed(label: str) -> Callable[[Entry, bool], bool]:
    def ok(entry: Entry, exact: bool) -> bool:
        if label == MEDIA:
            return entry.type in ORG_TYPES
        if entry.origin in GENERATED_PLACES:
            return label in PLACE_LABELS
        if label == "PERSON" and entry.type in PLACE_TYPES:
            return False
        return exact or entry.type in COMPATIBLE[label]

    return ok


def _initials(name: str) -> str:
    """'Border Security Force' -> 'BSF'; 'Observatory for Human Rights' -> 'OHR'."""
    words = re.findall(r"[^\W\d_][\w'\u2019]*", name)
    return "".join(w[0] for w in words if w not in FUNCTION_WORDS).upper()


def _surname(name: str) -> str:
    words = key(name).split()
    return words[-1] if len(words) > 1 else ""


@dataclass
class Cluster:
    """One entity being assembled: its KB entry (if any) and its mentions."""

    entry: Entry | None
    name: str
    type: str
    confidence: float
    mentions: list[tuple[int, int]] = field(default_factory=list)


class Linker:
    """Links one document's mentions; holds the per-article context."""

    def __init__(self, kb: KnowledgeBase, text: str, outlets: frozenset[str] = frozenset()):
        self.kb = kb
        self.text = text
        self.outlets = outlets  # spelling keys of outlet names
        self.clusters: list[Cluster] = []
        self.by_id: dict[str, Cluster] = {}
        self.by_key: dict[str, Cluster] = {}
        self.surnames: dict[str, Cluster] = {}
        self.countries: set[str] = set()
        # Entries and countries the article names unambiguously: they vouch for an ambiguous
        # acronym ('MIT' is Turkey's intelligence service only in a text that names Turkey).
        self.named: set[str] = set()
        self.named_countries: set[str] = set()

    def _plausible(self, link: Link) -> bool:
        """A gazetteer town or district in a country the article does not name must be well
        known (and matched as written, not only through transliteration folding): 'Palm
        Beach' in a story about Florida is not the Australian suburb of that name."""
        entry = link.entry
        if entry.origin not in GENERATED_PLACES or entry.country in self.countries:
            return True
        if link.confidence < 1.0:
            return False
        return entry.origin == "region" or entry.population >= KNOWN_ABROAD_POPULATION

    def _vouched(self, link: Link) -> bool:
        entry = link.entry
        return entry.id in self.named or entry.country in self.named_countries

    def _note_named(self, found: list[tuple[Mention, list[Link]]]) -> None:
        for mention, links in found:
            exact = [link.entry for link in links if link.confidence == 1.0]
            if not exact or _ambiguous(mention.text):
                continue
            self.named.update(e.id for e in exact)
            first = exact[0]
            if first.type == "state":
                self.countries.add(first.country or "")
            curated_place = first.type in PLACE_TYPES and first.origin not in GENERATED_PLACES
            if len(exact) == 1 and curated_place and first.country:
                self.named_countries.add(first.country)

    def _retyped(self, mention: Mention) -> list[Link]:
        """Groups a long misspelt name labelled PERSON may be, where the article supports
        them: the group named exactly elsewhere, or its country named."""
        if mention.label != "PERSON" or len(clean(mention.text).split()) < MIN_RETYPED_WORDS:
            return []
        links = candidates(self.kb, mention.text, lambda entry, _: entry.type in ORG_TYPES)
        return [
            link
            for link in links
            if link.entry.id in self.named or link.entry.country in self.countries
        ]

    def _choose(self, links: list[Link]) -> Link:
        best = links[0].confidence

        def preference(link: Link) -> tuple[int, int, tuple[int, int]]:
            entry = link.entry
            seen = entry.id in self.by_id
            local = entry.country in self.countries and entry.type != "state"
            return (-seen, -local, entry.rank)

        return min((x for x in links if x.confidence == best), key=preference)

    def _cluster(self, entry: Entry | None, name: str, label: str, conf: float) -> Cluster:
        if entry is not None:
            cluster = self.by_id.get(entry.id)
            if cluster is None:
                cluster = Cluster(entry, entry.name, entry.type, conf)
                self.by_id[entry.id] = cluster
                self.clusters.append(cluster)
            cluster.confidence = max(cluster.confidence, conf)
        else:
            k = key(name)
            cluster = self.by_key.get(k)
            if cluster is None:
                kind = "place" if label in PLACE_LABELS else LABEL_TYPES.get(label, "other")
                cluster = Cluster(None, name, kind, 0.0)
                self.by_key[k] = cluster
                self.clusters.append(cluster)
        if (entry is None and label == "PERSON") or (entry and entry.type == "person"):
            surname = _surname(cluster.name)
            if surname:
                self.surnames.setdefault(surname, cluster)
        return cluster

    def link(self, mentions: list[Mention]) -> None:
        mentions = [
            replace(m, label=MEDIA) if key(clean(m.text)) in self.outlets else m for m in mentions
        ]
        found = [(m, candidates(self.kb, m.text, _allowed(m.label))) for m in mentions]
        self._note_named(found)
        for mention, links in found:
            links = [link for link in links if self._plausible(link)] or self._retyped(mention)
            if _ambiguous(mention.text):
                links = [link for link in links if self._vouched(link)]
                if not links:  # someone else's acronym: cluster it as an unknown name
                    mention = replace(mention, label="ORG")
            name = clean(mention.text)
            k = key(name)
            lower = name == name.lower()  # 'faux democrats', 'congress': common nouns
            single = len(k.split()) == 1 or (len(k.split()) == 2 and k.startswith("al "))
            earlier = self.surnames.get(k.removeprefix("al ")) if single else None
            if earlier is not None and mention.proper:
                cluster = earlier
            elif links and not lower:
                chosen = self._choose(links)
                cluster = self._cluster(chosen.entry, name, mention.label, chosen.confidence)
                if chosen.entry.country and chosen.entry.type in PLACE_TYPES:
                    self.countries.add(chosen.entry.country)
            elif mention.label in (GAZETTEER, "NORP") or not mention.proper or lower:
                continue  # unlinked nationalities ('Syrian') are adjectives, not actors
            else:
                cluster = self._cluster(None, name, mention.label, 0.0)
            offset = mention.start + mention.text.find(name)
            cluster.mentions.append((offset, offset + len(name)))

    def merge_early_surnames(self) -> None:
        """A surname used before the full name (a headline's 'Dalby', then 'Marten Dalby')
        joins that person when exactly one person of the article bears it."""
        bearers: dict[str, list[Cluster]] = defaultdict(list)
        for cluster in self.clusters:
            surname = _surname(cluster.name) if cluster.type == "person" else ""
            if surname:
                bearers[surname].append(cluster)
        for cluster in self.clusters:
            if cluster.entry is not None or cluster.type != "person":
                continue
            owners = bearers.get(key(cluster.name).removeprefix("al "), [])
            if len(owners) == 1 and owners[0] is not cluster:
                owners[0].mentions.extend(cluster.mentions)
                cluster.mentions.clear()

    def merge_spellings(self) -> None:
        """Unknown names of one type spelt two ways ('Jabal Shashabo', 'Jebel Shashabu') are
        one entity: same consonant skeleton, or as close as the fuzzy matcher requires."""
        unknown = [c for c in self.clusters if c.entry is None and c.mentions]
        for i, cluster in enumerate(unknown):
            k = key(cluster.name)
            if len(k) < MIN_FUZZY_LENGTH:
                continue
            for other in unknown[i + 1 :]:
                o = key(other.name)
                same = skeleton(o) == skeleton(k) or fuzz.ratio(k, o) >= FUZZY_CUTOFF
                if other.mentions and other.type == cluster.type and same:
                    cluster.mentions.extend(other.mentions)
                    other.mentions.clear()

    def merge_acronyms(self) -> None:
        """An unknown acronym ('BSF') joins the one longer name of the article whose
        initials it spells ('Border Security Force'), before or after it."""
        for cluster in self.clusters:
            letters = cluster.name.replace(".", "")
            if cluster.entry or not cluster.mentions or len(letters) < 2 or not is_acronym(letters):
                continue
            owners = [
                c
                for c in self.clusters
                if c is not cluster
                and c.mentions
                and c.type not in ("person", "state")
                and " " in c.name
                and _initials(c.name) == letters
            ]
            if len(owners) == 1:
                owners[0].mentions.extend(cluster.mentions)
                cluster.mentions.clear()

    def resolve_references(self, sentences: list[tuple[int, int]]) -> None:
        """Attach 'the group'-style references to their single plausible antecedent."""
        nouns = {n for group in reference_nouns().values() for n in group}
        nouns |= {n for c in self.clusters if c.entry for n in c.entry.refs}
        if not nouns or not self.clusters:
            return
        pattern = re.compile(
            r"\b[Tt]he ("
            + "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
            + r")\b(?![-\w])(?!\s+of\b)"
        )
        spans = sorted((s, e, c) for c in self.clusters for s, e in c.mentions)
        taken = [(s, e) for s, e, _ in spans]
        added: list[tuple[Cluster, int, int]] = []
        for match in pattern.finditer(self.text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            after = self.text[end : end + 3]
            if after[:1] in (",", " ") and any(s in range(end, end + 3) for s, _, _ in spans):
                continue  # an apposition: 'the group Hurras al-Din' names what follows
            window = max(start - REFERENCE_WINDOW, _sentence_start(sentences, start, back=2))
            near = {
                id(c): c
                for s, e, c in spans
                if window <= s and e <= start and c.entry and answers_to(c.entry, match[1])
            }
            if len(near) == 1:
                added.append((next(iter(near.values())), start, end))
        for cluster, start, end in added:
            cluster.mentions.append((start, end))

    def entities(self) -> list[Entity]:
        """The entities layer: E1, E2… in order of first mention."""
        ordered = sorted((c for c in self.clusters if c.mentions), key=lambda c: min(c.mentions))
        out = []
        for n, cluster in enumerate(ordered, 1):
            entry = cluster.entry
            geo = entry.geo if entry else None
            out.append(
                Entity(
                    id=f"E{n}",
                    name=cluster.name,
                    type=cluster.type,
                    kb_id=entry.id if entry else None,
                    geo=Geo(lat=geo[0], lon=geo[1]) if geo else None,
                    confidence=round(cluster.confidence, 3),
                    mentions=[
                        Span(start=s, end=e, text=self.text[s:e])
                        for s, e in sorted(cluster.mentions)
                    ],
                )
            )
        return out


def _sentence_start(sentences: list[tuple[int, int]], offset: int, back: int) -> int:
    """Start of the sentence ``back`` sentences before the one holding ``offset``."""
    starts = [s for s, _ in sentences if s <= offset]
    return starts[-1 - back] if len(starts) > back else 0
