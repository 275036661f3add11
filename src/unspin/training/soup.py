"""A uniform model soup: the weight-by-weight mean of several technique-tagger runs.

Wortsman et al. (2022, "Model soups") average models fine-tuned from one pretrained start
with different seeds or settings; the mean often scores better than each ingredient and costs
nothing at run time, since the result is one model of the same size.  Every run here starts
from the same all-MiniLM-L6-v2 encoder, so the encoder weights stay in one basin; the heads
are initialised per seed, which is the part most likely to spoil the mean, hence this measures
rather than assumes.

``python -m unspin.training.soup --runs runs/A runs/B ... --out runs/soup`` writes
``checkpoint.pt`` (float tensors averaged, other tensors such as position ids taken from the
first run) and a copy of the first run's ``train_log.json``, so ``unspin.training.export``
calibrates the soup on the first run's held-out articles.  The runs must share that split
(same ``split_seed``), or the held-out figures leak; this is checked.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch


def average(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The mean of each floating-point tensor; other tensors come from the first state."""
    if not states:
        raise ValueError("no state dicts to average")
    first = states[0]
    for other in states[1:]:
        if other.keys() != first.keys():
            raise ValueError("the checkpoints hold different tensors")
        for name, tensor in first.items():
            if other[name].shape != tensor.shape:
                raise ValueError(
                    f"{name}: shapes {tuple(tensor.shape)} and {tuple(other[name].shape)}"
                )
    out = {}
    for name, tensor in first.items():
        if tensor.is_floating_point():
            total = torch.stack([s[name].double() for s in states]).mean(0)
            out[name] = total.to(tensor.dtype)
        else:
            out[name] = tensor.clone()
    return out


def soup(runs: list[Path], out: Path) -> Path:
    """Average the runs' checkpoints into ``out``; returns the new checkpoint's path."""
    logs = [json.loads((r / "train_log.json").read_text(encoding="utf-8")) for r in runs]
    held = logs[0]["held_out_ids"]
    for run, log in zip(runs[1:], logs[1:], strict=True):
        if log["held_out_ids"] != held:
            raise ValueError(f"{run} holds out other articles than {runs[0]}")
    states = [torch.load(r / "checkpoint.pt", map_location="cpu") for r in runs]
    out.mkdir(parents=True, exist_ok=True)
    path = out / "checkpoint.pt"
    torch.save(average(states), path)
    shutil.copyfile(runs[0] / "train_log.json", out / "train_log.json")
    (out / "soup.json").write_text(
        json.dumps(
            {
                "runs": [str(r) for r in runs],
                "seeds": [log["settings"].get("seed") for log in logs],
                "last_epoch_held_out": [log["epochs"][-1]["held_out"] for log in logs],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, nargs="+", required=True, help="run folders")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        print(soup(args.runs, args.out))
    except (OSError, ValueError, KeyError) as error:  # a missing or mismatched run: one line
        parser.exit(2, f"{parser.prog}: {error}\n")


if __name__ == "__main__":
    main()
