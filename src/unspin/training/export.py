"""Export a trained run to the shipped files, calibrate it, and measure what export costs.

``python -m unspin.training.export --data PTC --run RUN --out src/unspin/data/techniques``:
1. encoder + token head -> ONNX (opset 17), then int8 dynamic quantisation;
2. span head -> ``span_head.npz``, tokenizer -> ``tokenizer.json``;
3. on the held-out articles of the run: SI/TC with PyTorch and with the int8 graph, the SI
   decoding thresholds (best F1, also reported cross-fitted over two halves so one figure is
   not tuned on the articles it is scored on), the technique temperature and the span Platt
   scaling;
4. ``model.json`` (labels, thresholds, snapping to phrase edges, calibration, provenance) and
   ``RUN/export_log.json``;
   ``RUN/held_out/`` gets the held-out articles and TC labels for ``unspin eval ptc``.
A run trained on every article has nothing to measure on: ``--decoding-from MODEL_JSON`` then
takes thresholds and calibration from a run of the same recipe that held articles out.
Needs the 'train' extra (torch, onnx).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

from unspin.document import Document
from unspin.evaluation.ptc import right
from unspin.evaluation.semeval import merge, span_scores
from unspin.models.techniques import technique_names
from unspin.models.techniques.head import SpanHead, logit, softmax
from unspin.models.techniques.model import reported, session
from unspin.models.techniques.outputs import DocumentOutputs, document_outputs
from unspin.models.techniques.spans import Boundaries, snap, words
from unspin.models.techniques.windows import encode, load_tokenizer
from unspin.pipeline import nlp
from unspin.training.calibration import fit_platt, fit_temperature
from unspin.training.corpus import Article, load_corpus
from unspin.training.train import (
    Settings,
    TechniqueNet,
    encoder_dir,
    evaluate_outputs,
    torch_encoder,
)

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))
# (threshold, low threshold) pairs for hysteresis decoding; low == threshold is plain cutting.
DECODINGS = tuple((hi, lo) for hi in THRESHOLDS for lo in THRESHOLDS if hi - 0.41 < lo <= hi)
SECOND_THRESHOLD = 0.4  # a runner-up technique this likely is emitted as a second entry
# Snapping to the parse's words at run time (``spans.Boundaries``), chosen on the 74 held-out
# articles of the 297-article run (src/unspin/data/techniques/README.md).
BOUNDARIES = {
    "trim": [
        "article",
        "demonstrative",
        "possessive",
        "preposition",
        "conjunction",
        "auxiliary",
        "relative",
    ],
    "extend_noun_phrases": False,
    "max_phrase_words": 6,
}


class _Graph(torch.nn.Module):
    """What goes into ONNX: encoder and token head (the span head stays in numpy)."""

    def __init__(self, net: TechniqueNet):
        super().__init__()
        self.net = net

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        return self.net(input_ids, attention_mask)


def export_onnx(net: TechniqueNet, folder: Path) -> tuple[Path, Path]:
    """fp32 graph (kept in the run folder) and its int8 quantisation."""
    fp32 = folder / "techniques-fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        _Graph(net).eval(),  # the exporter restores this mode afterwards: keep it eval
        (ids, torch.ones_like(ids)),
        str(fp32),
        dynamo=False,
        opset_version=17,
        input_names=["input_ids", "attention_mask"],
        output_names=["hidden", "token_logits"],
        dynamic_axes={
            n: {0: "batch", 1: "positions"}
            for n in ("input_ids", "attention_mask", "hidden", "token_logits")
        },
    )
    int8 = folder / "techniques-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return fp32, int8


Decoding = tuple[float, float]


def si_by_decoding(
    outputs: dict[str, DocumentOutputs], held: list[Article]
) -> dict[Decoding, dict[str, dict[str, float]]]:
    """Per-article SI spans for every decoding, scored later on any subset of articles."""
    return {
        d: {a.id: [(s, e) for s, e, _ in outputs[a.id].spans(*d)] for a in held} for d in DECODINGS
    }


def choose_decoding(
    predicted: dict[Decoding, dict[str, list[tuple[int, int]]]],
    gold: dict[str, list[tuple[int, int]]],
    articles: set[str],
) -> tuple[Decoding, dict[str, float]]:
    """The decoding with the best SI F1 on ``articles``, and its scores."""
    sub = {i: gold[i] for i in articles}
    scored = {d: span_scores({i: p[i] for i in articles}, sub) for d, p in predicted.items()}
    best = max(scored, key=lambda d: scored[d]["f1"])
    return best, scored[best]


def cross_fitted_si(
    predicted: dict[Decoding, dict[str, list[tuple[int, int]]]],
    gold: dict[str, list[tuple[int, int]]],
    seed: int,
) -> dict[str, object]:
    """SI with the decoding chosen on the other half of the held-out articles."""
    ids = sorted(gold)
    random.Random(seed).shuffle(ids)
    halves = [set(ids[::2]), set(ids[1::2])]
    chosen = [
        choose_decoding(predicted, gold, halves[1])[0],
        choose_decoding(predicted, gold, halves[0])[0],
    ]
    combined = {i: predicted[chosen[h]][i] for h in (0, 1) for i in halves[h]}
    return {"decodings": chosen, **span_scores(combined, gold)}


def decoded(
    outputs: DocumentOutputs, text: str, threshold: float, low: float, boundaries: Boundaries
) -> list[tuple[int, int, float]]:
    """The spans the tagger reports for ``text``: decoded, then snapped to the pipeline's
    parse."""
    return snap(
        text, outputs.spans(threshold, low), words(nlp.parse(Document(text=text)), boundaries)
    )


def calibrate(
    outputs: dict[str, DocumentOutputs],
    held: list[Article],
    head: SpanHead,
    threshold: float,
    low: float,
) -> dict[str, object]:
    """Technique temperature on gold spans; Platt scaling of the reported spans' mean
    probability (right: half the span in gold spans); then Platt scaling of the score the
    user sees, span x technique probability (right: half the span in gold spans of that
    technique), since the product of two calibrated parts is overconfident.
    """
    names = technique_names()
    index = {n: i for i, n in enumerate(names)}
    boundaries = Boundaries.from_config(BOUNDARIES)
    logits, gold = [], []
    xs, ys = [], []
    spans: dict[str, list[tuple[int, int, float]]] = {}
    for a in held:
        first = {}
        for s, e, t in a.spans:
            first.setdefault((s, e), index[t])
        keys = sorted(first)
        logits.append(outputs[a.id].technique_logits(head, keys))
        gold.extend(first[k] for k in keys)
        spans[a.id] = decoded(outputs[a.id], a.text, threshold, low, boundaries)
        merged = merge((s, e) for s, e, _ in a.spans)
        for s, e, p in spans[a.id]:
            xs.append(float(logit(p)))
            ys.append(float(right((s, e), merged)))
    a_, b_ = fit_platt(np.array(xs), np.array(ys))
    calibration: dict[str, object] = {
        "technique_temperature": fit_temperature(np.concatenate(logits), np.array(gold)),
        "span": {"a": a_, "b": b_, "fitted_on_spans": len(xs), "positive_rate": float(np.mean(ys))},
    }
    zs, ts = [], []
    for a in held:
        keys = [(s, e) for s, e, _ in spans[a.id]]
        dists = softmax(
            outputs[a.id].technique_logits(head, keys), calibration["technique_temperature"]
        )  # type: ignore[arg-type]
        by_technique = {
            t: merge((s, e) for s, e, u in a.spans if u == t) for t in {u for _, _, u in a.spans}
        }
        for s, e, k, score in reported(spans[a.id], dists, calibration, SECOND_THRESHOLD):
            zs.append(float(logit(score)))
            ts.append(float(right((s, e), by_technique.get(names[k], []))))
    c_, d_ = fit_platt(np.array(zs), np.array(ts))
    calibration["score"] = {
        "a": c_,
        "b": d_,
        "fitted_on_spans": len(zs),
        "positive_rate": float(np.mean(ts)),
    }
    calibration["method"] = (
        "Platt scaling of the span's mean token logit (right = half its characters in gold "
        "spans) x temperature-scaled technique softmax, the product Platt-scaled again (right "
        "= half its characters in gold spans of that technique); spans decoded and snapped as "
        "the tagger reports them; all fitted on the held-out split of the run"
    )
    return calibration


def write_held_out(run: Path, data: Path, held: list[Article]) -> None:
    """The held-out articles and their TC gold, in PTC layout, for ``unspin eval ptc``."""
    folder = run / "held_out" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for a in held:
        shutil.copyfile(
            data / "train-articles" / f"article{a.id}.txt", folder / f"article{a.id}.txt"
        )
    lines = [f"{a.id}\t{t}\t{s}\t{e}" for a in held for s, e, t in a.spans]
    (run / "held_out" / "tc.labels").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(
    net: TechniqueNet, int8: Path, held: list[Article], settings: Settings
) -> tuple[dict[str, object], Decoding, dict[str, object]]:
    """PyTorch vs int8 figures on the held-out articles, the decoding and the calibration."""
    head = net.numpy_head()
    tokenizer = load_tokenizer(encoder_dir() / "tokenizer.json")
    encoded = {a.id: encode(tokenizer, a.text, settings.window, settings.stride) for a in held}
    int8_session = session(int8, settings.threads)

    def onnx_encoder(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hidden, logits = int8_session.run(None, {"input_ids": ids, "attention_mask": mask})
        return hidden, logits

    report: dict[str, object] = {"held_out_articles": len(held)}
    gold = {a.id: [(s, e) for s, e, _ in a.spans] for a in held}
    results = {}
    for name, encoder in (("pytorch", torch_encoder(net)), ("onnx_int8", onnx_encoder)):
        t0 = time.time()
        outputs = {a.id: document_outputs(encoder, a.text, encoded[a.id]) for a in held}
        seconds = time.time() - t0
        scores = evaluate_outputs(outputs, held, head, THRESHOLDS)
        predicted = si_by_decoding(outputs, held)
        best, best_scores = choose_decoding(predicted, gold, set(gold))
        results[name] = (outputs, predicted)
        report[name] = {
            "encoder_seconds": round(seconds, 1),
            "best_decoding": best,
            "si_at_best": best_scores,
            "si_cross_fitted": cross_fitted_si(predicted, gold, settings.split_seed),
            "si_by_threshold": scores["si"],
            "tc": scores["tc"],
        }
    threshold, low = report["onnx_int8"]["best_decoding"]  # type: ignore[index]
    # Same decoding for both, so the int8 cost is measured alone.
    report["pytorch_at_onnx_decoding"] = span_scores(results["pytorch"][1][threshold, low], gold)
    calibration = calibrate(results["onnx_int8"][0], held, head, threshold, low)
    return report, (threshold, low), calibration


def export(
    data: Path, run: Path, out: Path, decoding_from: Path | None = None
) -> dict[str, object]:
    """Write the shipped files; a run trained on every article (no held-out split) takes its
    decoding thresholds and calibration from ``decoding_from``, the model.json of a run that
    had one."""
    log = json.loads((run / "train_log.json").read_text(encoding="utf-8"))
    settings = Settings(**{**log["settings"], "thresholds": THRESHOLDS})
    held_ids = set(log["held_out_ids"])
    if not held_ids and decoding_from is None:
        raise SystemExit("this run held no articles out: pass --decoding-from MODEL_JSON")
    torch.set_num_threads(settings.threads)
    net = TechniqueNet(len(technique_names()), settings.span_hidden, settings.dropout, "eager")
    net.load_state_dict(torch.load(run / "checkpoint.pt"))
    head = net.numpy_head()
    out.mkdir(parents=True, exist_ok=True)
    fp32, int8 = export_onnx(net, run)
    net.eval()  # for the PyTorch figures below (no dropout)
    shutil.copyfile(int8, out / "techniques.onnx")
    np.savez(out / "span_head.npz", w1=head.w1, b1=head.b1, w2=head.w2, b2=head.b2)
    shutil.copyfile(encoder_dir() / "tokenizer.json", out / "tokenizer.json")

    if held_ids:
        held = [a for a in load_corpus(data) if a.id in held_ids]
        write_held_out(run, data, held)
        report, (threshold, low), calibration = measure(net, int8, held, settings)
        boundaries = BOUNDARIES
        held_out = (
            f"fold {settings.fold} of {settings.folds}"
            if settings.folds
            else f"a seeded {settings.held_out:.0%}"
        )
        trained_on = f"PTC train split minus {held_out} held out ({len(log['train_ids'])} articles)"
    else:
        inherited = json.loads(Path(decoding_from).read_text(encoding="utf-8"))  # type: ignore[arg-type]
        threshold, low = inherited["threshold"], inherited["low_threshold"]
        boundaries = inherited.get("boundaries")
        calibration = {**inherited["calibration"], "inherited_from": inherited["id"]}
        report = {"held_out_articles": 0, "decoding_from": str(decoding_from)}
        trained_on = (
            f"all {len(log['train_ids'])} PTC training articles; decoding thresholds and "
            f"calibration from {inherited['id']}, the same recipe with 20% held out"
        )
    config = {
        "id": f"unspin-techniques-minilm-l6-ptc{len(log['train_ids'])}-{time.strftime('%Y-%m')}",
        "techniques": list(technique_names()),
        "onnx": "techniques.onnx",
        "span_head": "span_head.npz",
        "tokenizer": "tokenizer.json",
        "window": settings.window,
        "stride": settings.stride,
        "threshold": threshold,
        "low_threshold": low,
        "second_threshold": SECOND_THRESHOLD,
        "boundaries": boundaries,
        "calibration": calibration,
        "provenance": {
            "encoder": log["encoder"],
            "trained_on": trained_on,
            "epochs": len(log["epochs"]),
            "quantisation": "onnxruntime quantize_dynamic, per-channel QInt8 weights",
        },
    }
    (out / "model.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    report["sizes_mb"] = {
        "fp32": round(fp32.stat().st_size / 2**20, 1),
        "int8": round(int8.stat().st_size / 2**20, 1),
    }
    report["calibration"] = calibration
    (run / "export_log.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--decoding-from", type=Path, help="model.json to take thresholds/calibration from"
    )
    args = parser.parse_args()
    report = export(args.data, args.run, args.out, args.decoding_from)
    if not report["held_out_articles"]:
        print(json.dumps(report, indent=2))
        return
    summary = {k: report[k] for k in ("pytorch", "onnx_int8", "pytorch_at_onnx_decoding")}
    for v in (summary["pytorch"], summary["onnx_int8"]):
        v.pop("si_by_threshold")
        v["tc"] = {"micro_f1": v["tc"]["micro_f1"]}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
