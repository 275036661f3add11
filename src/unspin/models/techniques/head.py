"""The span technique head in numpy: two dense layers, cheap enough to run outside ONNX."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class SpanHead:
    """``relu(x W1 + b1) W2 + b2``: technique logits from a span's input vector."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.w1, self.b1 = weights["w1"], weights["b1"]
        self.w2, self.b2 = weights["w2"], weights["b2"]

    @classmethod
    def load(cls, path: Path) -> SpanHead:
        with np.load(path) as data:
            return cls({k: data[k].astype(np.float32) for k in data.files})

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x @ self.w1 + self.b1, 0.0) @ self.w2 + self.b2


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float | np.ndarray) -> np.ndarray:
    """Log-odds, clipped so that 0 and 1 stay finite."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))
