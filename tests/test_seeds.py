"""Training seeds apart from the held-out split, and the uniform model soup.

The tests that need torch skip where it is absent (the runtime environment has none).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.cli import _parser

IDS = [str(100 + i) for i in range(30)]


def test_seed_options_default_to_the_shipped_recipe() -> None:
    base = ["train", "techniques", "--data", "d", "--out", "o"]
    plain = _parser().parse_args(base)
    assert (plain.seed, plain.split_seed) == (13, 13)
    args = _parser().parse_args([*base, "--seed", "14"])
    assert (args.seed, args.split_seed) == (14, 13)
    assert _parser().parse_args([*base, "--split-seed", "7"]).split_seed == 7


def test_the_training_seed_leaves_the_held_out_articles_alone() -> None:
    pytest.importorskip("torch", reason="the 'train' extra is not installed")
    pytest.importorskip("transformers", reason="the 'train' extra is not installed")
    from unspin.training.corpus import fold_ids, split_ids
    from unspin.training.train import Settings, article_split

    shipped = article_split(IDS, Settings())
    assert shipped == split_ids(IDS, 0.2, 13)  # the shipped split, unchanged
    assert article_split(IDS, Settings(seed=14)) == shipped
    assert article_split(IDS, Settings(seed=14, split_seed=14)) != shipped
    folds = Settings(folds=5, fold=2, seed=99)
    assert article_split(IDS, folds) == fold_ids(IDS, 5, 2, 13)


def write_run(folder: Path, state: dict, seed: int, held: list[str]) -> Path:
    import torch

    folder.mkdir()
    torch.save(state, folder / "checkpoint.pt")
    log = {"settings": {"seed": seed}, "held_out_ids": held, "epochs": [{"held_out": {}}]}
    (folder / "train_log.json").write_text(json.dumps(log), encoding="utf-8")
    return folder


def test_soup_averages_float_tensors_and_keeps_the_rest(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch", reason="the 'train' extra is not installed")
    from unspin.training.soup import average, soup

    a = {"w": torch.tensor([1.0, 2.0]), "ids": torch.tensor([0, 1, 2]), "b": torch.ones(2, 2)}
    b = {"w": torch.tensor([3.0, 6.0]), "ids": torch.tensor([5, 5, 5]), "b": torch.zeros(2, 2)}
    mean = average([a, b])
    assert torch.equal(mean["w"], torch.tensor([2.0, 4.0]))
    assert torch.equal(mean["b"], torch.full((2, 2), 0.5))
    assert torch.equal(mean["ids"], a["ids"]) and mean["ids"].dtype == torch.int64
    assert mean["w"].dtype == torch.float32

    runs = [write_run(tmp_path / "a", a, 13, IDS[:5]), write_run(tmp_path / "b", b, 14, IDS[:5])]
    path = soup(runs, tmp_path / "soup")
    assert torch.equal(torch.load(path)["w"], torch.tensor([2.0, 4.0]))
    log = (tmp_path / "soup" / "train_log.json").read_text(encoding="utf-8")
    assert log == (runs[0] / "train_log.json").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "soup" / "soup.json").read_text())["seeds"] == [13, 14]

    other = write_run(tmp_path / "c", b, 15, IDS[5:10])
    with pytest.raises(ValueError, match="other articles"):
        soup([runs[0], other], tmp_path / "bad")
    with pytest.raises(ValueError, match="shapes"):
        average([a, {**b, "w": torch.zeros(3)}])


def test_soup_command_reports_a_missing_run_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch", reason="the 'train' extra is not installed")
    from unspin.training import soup

    missing = tmp_path / "no-run"
    monkeypatch.setattr("sys.argv", ["soup", "--runs", str(missing), "--out", str(tmp_path / "o")])
    with pytest.raises(SystemExit) as exit_:
        soup.main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and str(missing) in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()
