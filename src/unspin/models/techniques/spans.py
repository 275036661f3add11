"""From per-token probabilities to clean character spans, and the features of a span.

Shared by the training loop's held-out check and by the ONNX tagger, so the figures measured
while training are those of the shipped decoder.
"""

from __future__ import annotations

import re

import numpy as np

from unspin.models.techniques.windows import Encoded

_BOUNDARY = re.compile(r"\n\s*")  # a line break (title/body, paragraph): never inside a span
_EDGE = " \t\r\n.,;:-\u2013\u2014"
N_FEATURES = 3


def normalise(text: str) -> str:
    """Lower case with runs of non-word characters folded, for counting repetitions."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def span_features(text: str, norm_text: str, start: int, end: int, body_start: int) -> list[float]:
    """Length, repetition and title features a technique head cannot see in one window.

    Repetition is a document-level technique: how often the span's wording recurs in the
    article is the signal, and no 256-token window sees the whole article.
    """
    key = normalise(text[start:end])
    repeats = norm_text.count(key) if key else 0
    return [np.log1p(end - start), np.log1p(max(repeats - 1, 0)), float(start < body_start)]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow to whole words, then shed edge whitespace, dashes and clause punctuation."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def decode(
    text: str, enc: Encoded, prob: np.ndarray, threshold: float, low: float | None = None
) -> list[tuple[int, int, float]]:
    """``(start, end, mean probability)`` for each run of tokens scoring ≥ ``low`` that
    holds at least one token scoring ≥ ``threshold`` (hysteresis: a confident core grows
    over its less certain edges instead of breaking into fragments).

    Runs are cut at line breaks, so a span never straddles the title and the body, nor two
    paragraphs (PTC bodies are one sentence a line; cutting there scored slightly higher on
    held-out articles than keeping the 4% of gold spans that cross a line).
    """
    low = threshold if low is None else min(low, threshold)
    spans: list[tuple[int, int, float]] = []
    above = np.concatenate([[False], prob >= low, [False]])
    edges = np.flatnonzero(above[1:] != above[:-1])
    for first, stop in zip(edges[::2], edges[1::2], strict=True):
        if prob[first:stop].max() < threshold:
            continue
        c_start, c_end = int(enc.offsets[first, 0]), int(enc.offsets[stop - 1, 1])
        score = float(prob[first:stop].mean())
        piece_start = c_start
        for brk in [*_BOUNDARY.finditer(text, c_start, c_end), None]:
            piece_end = brk.start() if brk else c_end
            s, e = trim(text, piece_start, piece_end)
            if e - s >= 2:
                spans.append((s, e, score))
            if brk:
                piece_start = brk.end()
    return spans


def span_input(
    hidden: np.ndarray, token_prob: np.ndarray, first: int, last: int, features: list[float]
) -> np.ndarray:
    """The technique head's input for window positions ``first..last`` (numpy mirror of train).

    Mean-pooled span, its boundary tokens, the window's [CLS] (context), the mean token-level
    technique probabilities, and the document features.
    """
    piece = hidden[first : last + 1]
    return np.concatenate(
        [
            piece.mean(axis=0),
            hidden[first],
            hidden[last],
            hidden[0],
            token_prob[first : last + 1].mean(axis=0),
            np.asarray(features, dtype=hidden.dtype),
        ]
    ).astype(np.float32)


def answer_gold_lines(
    lines: list[tuple[int, int]], probs: dict[tuple[int, int], np.ndarray]
) -> list[int]:
    """One technique index per gold line: a span listed k times gets its k best techniques."""
    seen: dict[tuple[int, int], int] = {}
    answers = []
    for key in lines:
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        order = np.argsort(-probs[key])
        answers.append(int(order[min(rank, len(order) - 1)]))
    return answers
