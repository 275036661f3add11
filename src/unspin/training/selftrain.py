"""More signal for the technique tagger: self-training on unlabelled articles, balanced windows.

Self-training (the ApplicaAI recipe of SemEval-2020 Task 11): a teacher, an exported model
run through the pipeline's technique component exactly as users get it, labels articles no
annotator saw. Only the spans it is fairly sure of become labels (calibrated score at least
``min_score``); tokens it is unsure about (span probability at least ``negative_below`` but in
no kept span) carry no token loss, so a half-labelled article does not teach the student that
a likely span is plain text. Everything else in the article is a confident negative.

Balanced sampling: windows holding a rare technique are drawn more often (inverse frequency
of the technique's windows, capped), on top of the class-weighted losses.

No torch here, so the selection rules are tested without the 'train' extra.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unspin.training.corpus import Article, read_articles

Interval = tuple[int, int]


@dataclass(slots=True)
class PseudoArticle:
    """An unlabelled article with the teacher's kept spans and the character ranges whose
    tokens are left out of the token loss."""

    article: Article
    ignore: list[Interval] = field(default_factory=list)


def select_spans(found: Iterable[dict[str, Any]], min_score: float) -> list[tuple[int, int, str]]:
    """``(start, end, technique)`` of the tagger's spans scored at least ``min_score``, sorted
    and without repeats (a span reported under two techniques keeps both)."""
    return sorted(
        {(t["start"], t["end"], t["technique"]) for t in found if t["score"] >= min_score}
    )


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint union of character intervals (touching ones joined)."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def uncertain_regions(
    offsets: np.ndarray, span_prob: np.ndarray, kept: Sequence[Interval], negative_below: float
) -> list[Interval]:
    """Character ranges of the word pieces the teacher finds possibly inside a span
    (``span_prob >= negative_below``) that overlap no kept span: neither a label nor a
    negative. ``offsets`` is ``(tokens, 2)`` character offsets, ``span_prob`` ``(tokens,)``."""
    kept_sorted = merge_intervals(kept)
    unsure = []
    for (start, end), prob in zip(offsets.tolist(), span_prob.tolist(), strict=True):
        if prob < negative_below or end <= start:
            continue
        if any(s < end and start < e for s, e in kept_sorted):
            continue
        unsure.append((int(start), int(end)))
    return merge_intervals(unsure)


def window_weights(techniques: Sequence[set[int]], cap: float) -> np.ndarray:
    """Sampling weight of each training window: 1 for a window with no technique, else the
    largest ``windows of the commonest technique / windows of this technique`` among the
    techniques it holds, at least 1 and at most ``cap``."""
    counts: dict[int, int] = {}
    for held in techniques:
        for k in held:
            counts[k] = counts.get(k, 0) + 1
    if not counts:
        return np.ones(len(techniques))
    most = max(counts.values())
    weights = [
        min(cap, max(1.0, max((most / counts[k] for k in held), default=1.0)))
        for held in techniques
    ]
    return np.asarray(weights, dtype=np.float64)


def pseudo_label(
    folder: Path,
    teacher: Path,
    min_score: float,
    negative_below: float,
    threads: int = 1,
    exclude: Iterable[str] = (),
) -> list[PseudoArticle]:
    """Label every ``articleID.txt`` in ``folder`` with ``teacher`` through the pipeline's
    technique component; ids in ``exclude`` (the labelled corpus, held-out articles above
    all) are refused, since a held-out article must never be trained on."""
    from unspin.components import PIPELINE
    from unspin.document import Document
    from unspin.models.techniques import model
    from unspin.pipeline import Pipeline
    from unspin.settings import Settings, TechniqueSettings

    texts = read_articles(folder)
    clash = sorted(set(texts) & set(exclude))
    if clash:
        raise ValueError(f"unlabelled articles also in the labelled corpus: {clash[:5]}")
    settings = Settings(techniques=TechniqueSettings(model=teacher, threads=threads))
    pipeline = Pipeline(skip=[n for n in PIPELINE if n != "techniques"], settings=settings)
    tagger = model.load(teacher, threads)
    out = []
    for article_id, text in texts.items():
        doc = pipeline(Document(text=text))
        found = [
            {"start": t.start, "end": t.end, "technique": t.technique, "score": t.score}
            for t in doc.techniques
        ]
        spans = select_spans(found, min_score)
        outputs = tagger.outputs(text)  # the pipeline dropped its own pass
        ignore = uncertain_regions(
            outputs.enc.offsets, outputs.span_prob, [(s, e) for s, e, _ in spans], negative_below
        )
        out.append(PseudoArticle(Article(article_id, text, spans), ignore))
    return out
