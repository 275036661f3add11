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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from unspin.techniques import model as technique_model

MAX_TOKENS = 128  # word pieces per sentence, [CLS]/[SEP] included; longer ones are cut
BATCH = 32


def embed(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts), 384)`` L2-normalised mean of the encoder's last layer per sentence.

    Sentences are batched by length so little of each batch is padding.
    """
    tagger = technique_model.load()
    cls_id = tagger.tokenizer.token_to_id("[CLS]")
    sep_id = tagger.tokenizer.token_to_id("[SEP]")
    pieces = [
        [cls_id, *e.ids[: MAX_TOKENS - 2], sep_id]
        for e in tagger.tokenizer.encode_batch(list(texts), add_special_tokens=False)
    ]
    out = np.zeros((len(pieces), 384), dtype=np.float32)
    order = np.argsort([len(p) for p in pieces], kind="stable")
    for lo in range(0, len(order), BATCH):
        rows = order[lo : lo + BATCH]
        width = max(len(pieces[r]) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, r in enumerate(rows):
            ids[i, : len(pieces[r])] = pieces[r]
            mask[i, : len(pieces[r])] = 1
        hidden, _ = tagger.encoder(ids, mask)
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        out[rows] = pooled
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def features(emb: np.ndarray, signals: Sequence[Sequence[str]], names: Sequence[str],
             texts: Sequence[str]) -> np.ndarray:
    """One row per sentence: embedding, mean of its neighbours' embeddings, signals, length.

    The neighbours say what the sentence answers or introduces (a question before it, the
    figures after it); a missing neighbour counts as zeros.
    """
    zero = np.zeros((1, emb.shape[1]), dtype=emb.dtype)
    context = (np.vstack([zero, emb[:-1]]) + np.vstack([emb[1:], zero])) / 2
    fired = np.array([[n in s for n in names] for s in signals], dtype=np.float32)
    length = np.log1p([len(t.split()) for t in texts]).astype(np.float32)[:, None]
    return np.hstack([emb, context, fired.reshape(len(texts), len(names)), length])


@dataclass(frozen=True, slots=True)
class Scorer:
    """The logistic head and its Platt calibration, as trained and shipped."""

    weights: np.ndarray  # (features,)
    bias: float
    platt: tuple[float, float]  # probability = sigmoid(a * logit + b)
    signals: tuple[str, ...]  # signal names, in the order of their feature columns
    claim_score: float  # a sentence scored this high is a claim without a name, number or date

    def scores(self, texts: Sequence[str], signals: Sequence[Sequence[str]]) -> np.ndarray:
        """Calibrated check-worthiness in [0, 1] of each sentence of one document, in order."""
        if not texts:
            return np.zeros(0)
        logit = features(embed(texts), signals, self.signals, texts) @ self.weights + self.bias
        a, b = self.platt
        return 1 / (1 + np.exp(-(a * logit + b)))


@cache
def load() -> Scorer:
    """The shipped head, read once per process."""
    folder = files("unspin") / "data" / "claims"
    config = json.loads((folder / "checkworthy.json").read_text("utf-8"))
    with (folder / "checkworthy.npz").open("rb") as handle:
        arrays = np.load(handle)
        weights = arrays["weights"].astype(np.float64)
    return Scorer(
        weights=weights[:-1],
        bias=float(weights[-1]),
        platt=(config["calibration"]["a"], config["calibration"]["b"]),
        signals=tuple(config["signals"]),
        claim_score=config["claim_score"],
    )
