"""Encoder outputs for a whole document and the technique head over chosen spans.

The encoder is passed in as a function, so the training loop (PyTorch) and the shipped tagger
(ONNX Runtime) go through the same windowing, stitching, decoding and span features.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from unspin.models.techniques.head import SpanHead, sigmoid
from unspin.models.techniques.spans import decode, normalise, span_features, span_input
from unspin.models.techniques.windows import Encoded, char_to_tokens, stitch

Encoder = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
BATCH = 16


def body_start(text: str) -> int:
    """Where the body begins in the title + blank line + body layout (0 without a title)."""
    cut = text.find("\n\n")
    return cut + 2 if cut > 0 and "\n" not in text[:cut] else 0


@dataclass(slots=True)
class DocumentOutputs:
    """Per-window hidden states and token probabilities (column 0: any technique), and each
    token's span probability read from the window where the token is most central."""

    text: str
    enc: Encoded
    hidden: np.ndarray  # (w, positions, h)
    prob: np.ndarray  # (w, positions, 1 + techniques)
    span_prob: np.ndarray  # (n,) per token, see ``span_probability``

    def pooled(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """``(len(spans), h)`` L2-normalised mean hidden state of each character span's word
        pieces (each read from the window where it is most central); zeros for a span with
        none. Other heads (check-worthiness) read sentences from this one encoder pass."""
        width = self.hidden.shape[-1] if self.hidden.size else 0
        out = np.zeros((len(spans), width), dtype=np.float32)
        if not len(self.enc.ids):
            return out
        tokens = stitch(self.enc, self.hidden)
        starts, ends = self.enc.offsets[:, 0], self.enc.offsets[:, 1]
        for row, (start, end) in enumerate(spans):
            lo = int(np.searchsorted(ends, start, side="right"))
            hi = int(np.searchsorted(starts, end, side="left"))
            if hi > lo:
                out[row] = tokens[lo:hi].mean(axis=0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def spans(self, threshold: float, low: float | None = None) -> list[tuple[int, int, float]]:
        return decode(self.text, self.enc, self.span_prob, threshold, low)

    def technique_logits(self, head: SpanHead, spans: list[tuple[int, int]]) -> np.ndarray:
        """Technique logits ``(len(spans), techniques)`` for character spans."""
        norm_text = normalise(self.text)
        start_body = body_start(self.text)
        rows = []
        for start, end in spans:
            tokens = char_to_tokens(self.enc, start, end)
            if tokens is None:  # no word piece (only spaces or control characters)
                tokens = (0, 0)
            w = self.enc.window_for(*tokens)
            lo, n = self.enc.starts[w], self.enc.lengths[w]
            first = min(max(tokens[0] - lo, 0), n - 1) + 1
            last = min(max(tokens[1] - lo, 0), n - 1) + 1
            feats = span_features(self.text, norm_text, start, end, start_body)
            rows.append(span_input(self.hidden[w], self.prob[w], first, last, feats))
        if not rows:
            return np.zeros((0, head.b2.shape[0]), dtype=np.float32)
        return head(np.stack(rows))


def span_probability(prob: np.ndarray) -> np.ndarray:
    """How likely a token is inside some technique span: the mean of the any-technique output
    and the strongest single-technique output (on held-out articles this decodes better than
    either alone: the two heads err differently)."""
    return (prob[..., 0] + prob[..., 1:].max(axis=-1)) / 2


def document_outputs(encoder: Encoder, text: str, enc: Encoded) -> DocumentOutputs:
    """Run the encoder over every window of ``enc``, a batch of windows at a time."""
    hidden, prob = [], []
    width = 0
    for lo in range(0, len(enc.starts), BATCH):
        ids, mask = enc.batch(np.arange(lo, min(lo + BATCH, len(enc.starts))))
        h, logits = encoder(ids, mask)
        hidden.append(h)
        prob.append(sigmoid(logits))
        width = max(width, ids.shape[1])
    if not hidden:
        empty = np.zeros((0, 0, 0), np.float32)
        return DocumentOutputs(text, enc, empty, empty, np.zeros(0, np.float32))

    def pad(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(
            [np.pad(p, ((0, 0), (0, width - p.shape[1]), (0, 0))) for p in parts]
        ).astype(np.float32)

    probs = pad(prob)
    return DocumentOutputs(text, enc, pad(hidden), probs, stitch(enc, span_probability(probs)))
