"""Check-worthiness: a logistic head over sentence embeddings and the transparent signals.

Trained on CLEF-2019 CheckThat! debates by ``unspin.training.checkworthy`` (never imported at
run time); weights and Platt calibration ship as ``data/claims/checkworthy.npz``, settings and
cross-validated figures as ``data/claims/checkworthy.json``.  The encoder is the technique
model's int8 ONNX graph, already shipped: its last hidden layer, mean-pooled over each
sentence read on its own, so no second encoder is loaded.  The signals that fired stay the
reader's explanation of a score; the embedding catches what they cannot name (a speaker's
claim about their own record, a statistic said in words).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from unspin.document import Document, Span
from unspin.models.techniques import model as technique_model

EMBEDDING = 384  # width of the encoder's hidden layer


def embed(doc: Document, spans: Sequence[Span]) -> np.ndarray:
    """``(len(spans), EMBEDDING)`` sentence vectors from the technique model's encoder pass
    over the whole document (run once and shared with the technique tagger): the
    L2-normalised mean of each sentence's word pieces, read in their context."""
    tagger = technique_model.load()
    return tagger.document_outputs(doc).pooled([(s.start, s.end) for s in spans])


def features(
    emb: np.ndarray, signals: Sequence[Sequence[str]], names: Sequence[str], texts: Sequence[str]
) -> np.ndarray:
    """One row per sentence: embedding, the signals that fired (0/1), log(1 + words).

    The lines before and after a sentence were tried as context and did not raise the
    leave-debates-out MAP, so a sentence is scored on its own.
    """
    fired = np.array([[n in s for n in names] for s in signals], dtype=np.float32)
    length = np.log1p([len(t.split()) for t in texts]).astype(np.float32)[:, None]
    return np.hstack([emb, fired.reshape(len(texts), len(names)), length])


@dataclass(frozen=True, slots=True)
class Scorer:
    """The logistic head and its Platt calibration, as trained and shipped.

    The head is linear, so the part from the text (embedding, length) is computed for all of a
    document's sentences in one encoder pass and the signals are added one sentence at a time.
    """

    weights: np.ndarray  # laid out as ``features``: embedding, signals, length
    bias: float
    platt: tuple[float, float]  # probability = sigmoid(a * logit + b)
    signal_weights: dict[str, float]
    claim_score: float  # a sentence scored this high is a claim without a name, number or date

    def text_logits(self, doc: Document, spans: Sequence[Span]) -> np.ndarray:
        """The head's logit of each sentence from its text, before any signal."""
        if not spans:
            return np.zeros(0)
        texts = [s.text for s in spans]
        none: list[list[str]] = [[] for _ in spans]
        x = features(embed(doc, spans), none, tuple(self.signal_weights), texts)
        return x @ self.weights + self.bias

    def probability(self, text_logit: float, signals: Sequence[str]) -> float:
        """Calibrated check-worthiness in [0, 1] from the text logit and the fired signals."""
        logit = text_logit + sum(self.signal_weights.get(s, 0.0) for s in signals)
        a, b = self.platt
        return round(1 / (1 + math.exp(-(a * logit + b))), 3)

    def scores(
        self, doc: Document, spans: Sequence[Span], signals: Sequence[Sequence[str]]
    ) -> list[float]:
        """Calibrated check-worthiness of each sentence of one document, in order."""
        logits = self.text_logits(doc, spans)
        return [self.probability(z, fired) for z, fired in zip(logits, signals, strict=True)]


@cache
def load() -> Scorer:
    """The shipped head, read once per process."""
    folder = files("unspin") / "data" / "claims"
    config = json.loads((folder / "checkworthy.json").read_text("utf-8"))
    with (folder / "checkworthy.npz").open("rb") as handle:
        weights = np.load(handle)["weights"].astype(np.float64)
    names = config["signals"]
    return Scorer(
        weights=weights[:-1],
        bias=float(weights[-1]),
        platt=(config["calibration"]["a"], config["calibration"]["b"]),
        signal_weights={n: float(weights[EMBEDDING + i]) for i, n in enumerate(names)},
        claim_score=config["claim_score"],
    )
