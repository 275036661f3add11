"""Claims: the sentences that assert something checkable, scored for check-worthiness.

The score comes from a head trained on CLEF CheckThat! debates (``unspin.models.checkworthy``)
over the sentence's embedding and transparent signals: named actors, counts, dates,
past-tense events, a named source, first-person opinion, modals and predictions, questions,
hedges, evaluative adjectives and appeals.  Each claim lists the ``signals`` that fired so a
reader can see why it ranks where it does.  Sentences with no checkable content (no actor,
number, date or past event) are claims only when the model scores them high.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import cache
from typing import Any

from spacy.tokens import Span as SpacySpan

from unspin import lexicon
from unspin.components import attribution
from unspin.document import Claim, Document, Quantity, Timex
from unspin.models import checkworthy
from unspin.pipeline import nlp
from unspin.pipeline.registry import component
from unspin.settings import ClaimSettings


def model() -> dict[str, Any]:
    """Weights and word lists of the check-worthiness model."""
    return lexicon.load("claims", "checkworthiness.json")


@cache
def _phrases(key: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{lexicon.alternation(model()[key])})\b", re.IGNORECASE)


def _between(starts: list[int], lo: int, hi: int) -> slice:
    """The positions in sorted ``starts`` of the values in [lo, hi): found by bisection, so
    looking up every sentence of an article stays linear in its length."""
    return slice(bisect_left(starts, lo), bisect_left(starts, hi))


def _named_actor(sent: SpacySpan, ents: list[tuple[int, int]], mentions: list[int]) -> bool:
    """Whether the sentence holds one of spaCy's actor entities (token ``(start, end)``,
    sorted; inside the sentence, as ``Span.ents`` has it) or a mention start (characters)."""
    inside = ents[_between([s for s, _ in ents], sent.start, sent.end)]
    return any(e <= sent.end for _, e in inside) or bool(
        mentions[_between(mentions, sent.start_char, sent.end_char)]
    )


def _signals(
    sent: SpacySpan,
    named_actor: bool,
    counts: list[Quantity],
    dates: list[Timex],
    attributed: bool,
) -> list[str]:
    """The names of the features that fire on one sentence."""
    m = model()
    fired = {
        "named_actor": named_actor,
        "number": bool(counts),
        "casualty": any(q.kind for q in counts),
        "date": bool(dates),
        "past_event": any(
            t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" and t.lemma_ != "be" for t in sent
        ),
        "attributed": attributed,
        "first_person_opinion": any(
            t.lemma_.lower() in m["opinion_verbs"]
            and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in t.children)
            for t in sent
        ),
        # Tagged modals, or modal lemmas used as verbs ('May' the month is neither).
        "modal_or_future": any(
            t.tag_ == "MD" or (t.pos_ in ("AUX", "VERB") and t.lemma_.lower() in m["modals"])
            for t in sent
        ),
        "question": sent.text.rstrip().endswith("?"),
        "hedge": bool(_phrases("hedges").search(sent.text)),
        "evaluative": bool(_phrases("evaluative").search(sent.text)),
        "appeal": bool(_phrases("appeals").search(sent.text)),
    }
    return [name for name, on in fired.items() if on]


# Double quotation marks, straight and curly; single ones are too often apostrophes.
_QUOTES = '"\u201c\u201d'


def _has_quote(text: str) -> bool:
    return any(q in text for q in _QUOTES)


def checkworthiness(signals: list[str]) -> float:
    """logistic(bias + weights of the fired signals), in [0, 1]."""
    m = model()
    z = m["bias"] + sum(m["weights"][s] for s in signals)
    return round(1 / (1 + math.exp(-z)), 3)


@component(
    "claims",
    requires=("doc.sentences", "doc.dates", "doc.quantities"),
    uses={"doc.entities": "named actors are spaCy's names only"},
    assigns=("doc.claims",),
    settings="claims",
)
class ClaimFinder:
    """Fills ``doc.claims``: one claim per checkable sentence, with attribution, counts, dates.

    ``min_score`` drops claims scored below it (default 0: keep every checkable sentence and
    let the reader sort by ``checkworthy``).
    """

    def __init__(self, settings: ClaimSettings | None = None) -> None:
        self.min_score = (settings or ClaimSettings()).min_score

    def __call__(self, doc: Document) -> Document:
        doc.claims = []
        if not doc.text.strip():
            return doc
        parsed = nlp.parse(doc)
        mentions = sorted(m.start for e in doc.entities for m in e.mentions)
        labels = model()["entity_labels"]
        ents = [(e.start, e.end) for e in parsed.ents if e.label_ in labels]
        dates = sorted(doc.dates, key=lambda t: t.start)
        counts = sorted(doc.quantities, key=lambda q: q.start)
        date_starts, count_starts = [t.start for t in dates], [q.start for q in counts]
        claim_signals = set(model()["claim_signals"])
        speaker: attribution.Sourcing | None = None  # of the quote still running
        announced = False  # the last sentence ended in a colon: a quote may follow on a new line
        previous_end = -1
        scorer = checkworthy.load()
        text_logits = scorer.text_logits(doc, doc.sentences)
        for sentence, text_logit in zip(doc.sentences, text_logits, strict=True):
            sent = parsed.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if sent is None:
                continue
            inside_dates = dates[_between(date_starts, sentence.start, sentence.end)]
            inside_counts = counts[_between(count_starts, sentence.start, sentence.end)]
            source = attribution.find(sent)
            quoted = sentence.text[:1] in _QUOTES
            if (
                source is None
                and quoted
                and speaker
                and (announced or "\n" not in doc.text[previous_end : sentence.start])
            ):
                source = speaker  # '"We held the bridge," he said. "Then the shelling began."'
            # A quotation runs on, or is announced by a sentence ending in a colon.
            announced = sentence.text.endswith(":")
            running = _has_quote(sentence.text) or announced
            speaker = source if source and source.source and running else None
            previous_end = sentence.end
            attributed = source is not None and source.source is not None
            named = _named_actor(sent, ents, mentions)
            signals = _signals(sent, named, inside_counts, inside_dates, attributed)
            score = scorer.probability(text_logit, signals)
            checkable = claim_signals & set(signals) or score >= scorer.claim_score
            if not checkable or score < self.min_score:
                continue
            doc.claims.append(
                Claim(
                    id=f"C{len(doc.claims) + 1}",
                    start=sentence.start,
                    end=sentence.end,
                    text=sentence.text,
                    checkworthy=score,
                    attributed=attributed,
                    attribution=source.attribution(doc) if source else None,
                    quantities=[q.id for q in inside_counts],
                    dates=[t.id for t in inside_dates],
                    signals=signals,
                )
            )
        return doc
