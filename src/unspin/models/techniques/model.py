"""The shipped technique tagger: ONNX Runtime and ``tokenizers`` only, loaded once per process.

Scores are calibrated on the held-out split (see ``export.py``): a span's score is the
Platt-scaled probability that it is a technique span, times the temperature-scaled
probability of its technique, that product Platt-scaled once more against "right technique,
half the span in gold" (the product of two calibrated parts is not calibrated itself).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import onnxruntime as ort

from unspin.document import Document
from unspin.models.techniques import DATA
from unspin.models.techniques.head import SpanHead, logit, sigmoid, softmax
from unspin.models.techniques.outputs import DocumentOutputs, document_outputs
from unspin.models.techniques.spans import Boundaries, snap, words
from unspin.models.techniques.windows import encode, load_tokenizer

if TYPE_CHECKING:
    from spacy.tokens import Doc


def session(path: Path, threads: int) -> ort.InferenceSession:
    """One CPU session using ``threads`` cores for each operator (windows go in as one
    batch)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class TechniqueModel:
    """Encoder (ONNX) + span technique head (numpy) + thresholds and calibration (JSON)."""

    def __init__(self, folder: Path, threads: int):
        config = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        self.config = config
        self.id: str = config["id"]
        self.session = session(folder / config["onnx"], threads)
        self.tokenizer = load_tokenizer(folder / "tokenizer.json")
        self.head = SpanHead.load(folder / config["span_head"])
        self.techniques: tuple[str, ...] = tuple(config["techniques"])
        self.threshold: float = config["threshold"]
        self.low_threshold: float = config["low_threshold"]
        self.second_threshold: float = config["second_threshold"]
        self.window: int = config["window"]
        self.stride: int = config["stride"]
        self.calibration: dict[str, Any] = config["calibration"]
        self.temperature: float = self.calibration["technique_temperature"]
        # A model.json without "boundaries" (exported before snapping existed) does not snap.
        snapping = config.get("boundaries")
        self.boundaries = Boundaries.from_config(snapping) if snapping else None

    def encoder(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hidden, logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return hidden, logits

    def outputs(self, text: str) -> DocumentOutputs:
        return document_outputs(
            self.encoder, text, encode(self.tokenizer, text, self.window, self.stride)
        )

    def document_outputs(self, doc: Document) -> DocumentOutputs:
        """The encoder pass over ``doc``, run once per document and shared by every head that
        reads it (techniques, check-worthiness); the Pipeline drops it at the end."""
        if doc._encoding is None or doc._encoding[0] != self.id:
            doc._encoding = (self.id, self.outputs(doc.text))
        return doc._encoding[1]

    def technique_probs(self, outputs: DocumentOutputs, spans: list[tuple[int, int]]) -> np.ndarray:
        """Calibrated technique distribution ``(len(spans), 14)`` for character spans."""
        return softmax(outputs.technique_logits(self.head, spans), self.temperature)

    def tag(
        self, text: str, outputs: DocumentOutputs | None = None, parsed: Doc | None = None
    ) -> list[dict[str, Any]]:
        """Technique spans of ``text`` (from ``outputs`` when the encoder already ran), snapped
        to the words of ``parsed`` (the spaCy parse of ``text``) when given and the model
        snaps; a span whose runner-up technique is likely gets both."""
        outputs = outputs or self.outputs(text)
        spans = outputs.spans(self.threshold, self.low_threshold)
        if parsed is not None and self.boundaries is not None:
            spans = snap(text, spans, words(parsed, self.boundaries))
        probs = self.technique_probs(outputs, [(s, e) for s, e, _ in spans])
        found = [
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "technique": self.techniques[k],
                "score": round(score, 4),
            }
            for start, end, k, score in reported(
                spans, probs, self.calibration, self.second_threshold
            )
        ]
        return sorted(found, key=lambda t: (t["start"], -t["score"]))


def reported(
    spans: list[tuple[int, int, float]],
    dists: np.ndarray,
    calibration: dict[str, Any],
    second_threshold: float,
) -> list[tuple[int, int, int, float]]:
    """``(start, end, technique index, score)``: each decoded span under its likeliest
    technique, and its runner-up too when that is at least ``second_threshold`` likely. The
    score is the Platt-scaled span probability times the technique probability, rescaled by
    ``calibration["score"]`` when there is one (export fits it on these very products)."""
    span, final = calibration["span"], calibration.get("score")
    out = []
    for (start, end, mean_prob), dist in zip(spans, dists, strict=True):
        p_span = sigmoid(span["a"] * logit(mean_prob) + span["b"])
        first, second = np.argsort(-dist)[:2]
        for k in (first, second) if dist[second] >= second_threshold else (first,):
            score = p_span * dist[k]
            if final:
                score = sigmoid(final["a"] * logit(score) + final["b"])
            out.append((start, end, int(k), float(score)))
    return out


_LOADED: dict[tuple[Path, int], TechniqueModel] = {}


def load(directory: Path | None = None, threads: int | None = None) -> TechniqueModel:
    """The model in ``directory`` (default: the bundled one), loaded once per process.

    A caller with no thread count of its own (the check-worthiness head) gets the instance
    already loaded for that directory, whatever its threads, so a process never holds a
    second ONNX session of the same model; else one on every core.
    """
    folder = directory or Path(str(DATA))
    if threads is None:
        loaded = next((m for (f, _), m in _LOADED.items() if f == folder), None)
        if loaded is not None:
            return loaded
        threads = os.cpu_count() or 1
    if (folder, threads) not in _LOADED:
        _LOADED[(folder, threads)] = TechniqueModel(folder, threads)
    return _LOADED[(folder, threads)]
