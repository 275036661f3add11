"""k-fold cross-validation of the shipped training recipe on the PTC training articles.

``python -m unspin.training.crossval --data PTC --out runs/cv --folds 3``: for each fold K,
train with fold K held out (``OUT/fold-K``), export that run to ``OUT/fold-K/model`` (export
scores the int8 model on the fold), then write ``OUT/crossval.json`` with every fold's figures
and their mean and standard deviation. SI is given twice: with the decoding thresholds chosen
on the fold itself, and cross-fitted (chosen on one half of the fold, scored on the other),
which is the honest one. A fold with an ``export_log.json`` is not redone, so an interrupted
run resumes where it stopped. Needs the 'train' extra.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

# figure -> (model, part of export_log, key); "onnx_int8" is what ``unspin analyze`` runs.
FIGURES = {
    "si_f1_tuned_on_fold": ("onnx_int8", "si_at_best", "f1"),
    "si_precision_tuned_on_fold": ("onnx_int8", "si_at_best", "precision"),
    "si_recall_tuned_on_fold": ("onnx_int8", "si_at_best", "recall"),
    "si_f1_cross_fitted": ("onnx_int8", "si_cross_fitted", "f1"),
    "tc_micro_f1": ("onnx_int8", "tc", "micro_f1"),
    "pytorch_si_f1_tuned_on_fold": ("pytorch", "si_at_best", "f1"),
    "pytorch_tc_micro_f1": ("pytorch", "tc", "micro_f1"),
}


def run_fold(data: Path, out: Path, folds: int, fold: int) -> dict[str, Any]:
    """Train and export one fold unless it is already done; returns its export log."""
    run = out / f"fold-{fold}"
    log = run / "export_log.json"
    if not log.exists():
        # torch only here: summarising finished folds needs none
        from unspin.training.export import export
        from unspin.training.train import Settings, train

        train(data, run, Settings(folds=folds, fold=fold))
        export(data, run, run / "model")
    return json.loads(log.read_text(encoding="utf-8"))


def fold_figures(export_log: dict[str, Any]) -> dict[str, float]:
    """The int8 and PyTorch models' figures on their held-out fold."""
    return {
        name: round(export_log[model][part][key], 4) for name, (model, part, key) in FIGURES.items()
    }


def summarise(per_fold: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and (sample) standard deviation of each figure over the folds."""
    summary = {}
    for name in FIGURES:
        values = [f[name] for f in per_fold]
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        summary[name] = {"mean": round(statistics.mean(values), 4), "sd": round(sd, 4)}
    return summary


def cross_validate(data: Path, out: Path, folds: int) -> dict[str, object]:
    """Run (or resume) every fold and write ``OUT/crossval.json``."""
    per_fold = []
    for fold in range(folds):
        log = run_fold(data, out, folds, fold)
        per_fold.append({"fold": fold, "articles": log["held_out_articles"], **fold_figures(log)})
    result = {
        "folds": folds,
        "recipe": "unspin.training.train.Settings defaults, int8 ONNX export",
        "per_fold": per_fold,
        "mean_sd": summarise(per_fold),
    }
    (out / "crossval.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    print(json.dumps(cross_validate(args.data, args.out, args.folds)["mean_sd"], indent=2))


if __name__ == "__main__":
    main()
