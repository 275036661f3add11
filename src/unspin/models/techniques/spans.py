"""From per-token probabilities to clean character spans, and the features of a span.

Shared by the training loop's held-out check and by the ONNX tagger, so the figures measured
while training are those of the shipped decoder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.models.techniques import DATA
from unspin.models.techniques.windows import Encoded

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BOUNDARY = re.compile(r"\n\s*")  # a line break (title/body, paragraph): never inside a span
_EDGE = " \t\r\n.,;:-\u2013\u2014"
N_FEATURES = 3
_OPEN = '"\u201c\u00ab'  # double quotes that open (and the straight one)
_CLOSE = '"\u201d\u00bb'
_HYPHENS = "-\u2010\u2011"


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


@dataclass(frozen=True, slots=True)
class Boundaries:
    """How decoded spans are snapped to the words of the parse (model.json ``boundaries``).

    Token probabilities fade out over a phrase's edge, so a decoded span often stops on "the"
    or starts on "that"; annotators mark whole phrases.
    """

    weak: frozenset[str]  # lower-case words a span never starts or ends on
    extend: bool  # a span that cuts a noun phrase grows to the phrase's edges
    max_phrase_words: int  # longer noun phrases are not grown into

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Boundaries:
        """``{"trim": [word classes of boundaries.json], "extend_noun_phrases": bool,
        "max_phrase_words": int}``."""
        classes = json.loads((DATA / "boundaries.json").read_text("utf-8"))["classes"]
        weak = frozenset(w for name in config["trim"] for w in classes[name])
        return cls(weak, bool(config["extend_noun_phrases"]), int(config["max_phrase_words"]))


@dataclass(frozen=True, slots=True)
class Words:
    """The parse's words (tokens holding a letter or digit) as parallel arrays: character
    edges, whether each is weak, and the first and last word of the noun phrase it is in
    (itself outside one)."""

    starts: np.ndarray
    ends: np.ndarray
    weak: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _in_compound(parsed: Doc, i: int) -> bool:
    """Token ``i`` is glued to a hyphen ("so" in "so-called"): part of a word, never weak."""
    after = i + 1 < len(parsed) and not parsed[i].whitespace_ and parsed[i + 1].text in _HYPHENS
    before = i > 0 and not parsed[i - 1].whitespace_ and parsed[i - 1].text in _HYPHENS
    return after or before


def words(parsed: Doc, boundaries: Boundaries) -> Words:
    """The words of a spaCy parse. Weak words are matched in lower case, so without noun
    phrase growing (which reads the parse's tags) SHOUTED text snaps exactly as quiet text."""
    index = np.full(len(parsed), -1, dtype=np.int64)  # token -> word
    kept = [t for t in parsed if any(c.isalnum() for c in t.text)]
    for n, token in enumerate(kept):
        index[token.i] = n
    first = np.arange(len(kept))
    last = first.copy()
    if boundaries.extend and parsed.has_annotation("DEP"):
        for chunk in parsed.noun_chunks:
            inside = index[chunk.start : chunk.end]
            inside = inside[inside >= 0]
            if 1 < len(inside) <= boundaries.max_phrase_words:
                first[inside], last[inside] = inside[0], inside[-1]
    return Words(
        starts=np.array([t.idx for t in kept], dtype=np.int64),
        ends=np.array([t.idx + len(t.text) for t in kept], dtype=np.int64),
        weak=np.array(
            [t.lower_ in boundaries.weak and not _in_compound(parsed, t.i) for t in kept],
            dtype=bool,
        ),
        first=first,
        last=last,
    )


def snap(
    text: str, spans: list[tuple[int, int, float]], found: Words
) -> list[tuple[int, int, float]]:
    """Spans grown over a noun phrase they cut, then shed of weak words at either edge; a
    span of weak words only is dropped, and two that become one keep the higher score.

    A quotation marked whole ("a gift to the crooks") is a unit and stays, and so does the
    start of a question ("Is anyone still naive enough ...?"); an edge that does not move
    keeps its character, and a double quote left without its partner goes.
    """
    best: dict[tuple[int, int], float] = {}
    for start, end, score in spans:
        lo = int(np.searchsorted(found.ends, start, side="right"))
        hi = int(np.searchsorted(found.starts, end, side="left")) - 1
        quoted = text[start] in _OPEN and text[end - 1] in _CLOSE and end - start > 1
        if lo > hi or quoted:  # no word inside (punctuation only), or a quotation
            best[start, end] = max(score, best.get((start, end), score))
            continue
        new_lo, new_hi = int(found.first[lo]), int(found.last[hi])
        while new_lo < new_hi and found.weak[new_lo] and text[end - 1] != "?":
            new_lo += 1
        while new_hi > new_lo and found.weak[new_hi]:
            new_hi -= 1
        if new_lo == new_hi and found.weak[new_lo]:
            continue
        s = start if new_lo == lo else int(found.starts[new_lo])
        e = end if new_hi == hi else int(found.ends[new_hi])
        if sum(text[s:e].count(q) for q in _OPEN + _CLOSE[1:]) % 2:
            s += text[s] in _OPEN
            e -= text[e - 1] in _CLOSE
        best[s, e] = max(score, best.get((s, e), score))
    return [(s, e, p) for (s, e), p in sorted(best.items())]


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
