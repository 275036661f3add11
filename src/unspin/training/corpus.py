"""Reading the Propaganda Techniques Corpus in its official SemEval-2020 Task 11 layout."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from unspin.errors import InputError

_ARTICLE = re.compile(r"article(\w+)\.txt$")


@dataclass(slots=True)
class Article:
    """One article's text and its gold ``(start, end, technique)`` spans."""

    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def read_articles(folder: Path) -> dict[str, str]:
    """``articleID.txt`` files by id, read as UTF-8 exactly as the offsets expect."""
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder of articleID.txt files")
    texts = {}
    for path in sorted(folder.glob("article*.txt")):
        match = _ARTICLE.search(path.name)
        if match:
            texts[match.group(1)] = path.read_text(encoding="utf-8")
    if not texts:
        raise InputError(str(folder), "no articleID.txt files")
    return texts


def read_labels(path: Path) -> list[tuple[str, str | None, int, int]]:
    """``(article_id, technique, start, end)`` rows of a TC file, or SI rows (technique None).

    Accepts one labels file or a folder of per-article files; keeps the file's line order,
    since TC answers are matched to gold lines one by one.
    """
    files = sorted(path.glob("*.labels")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputError(str(path), "no .labels file")
    rows: list[tuple[str, str | None, int, int]] = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            try:
                if len(cols) == 4:
                    rows.append((cols[0], cols[1], int(cols[2]), int(cols[3])))
                elif len(cols) == 3:
                    rows.append((cols[0], None, int(cols[1]), int(cols[2])))
                else:
                    raise ValueError(f"{len(cols)} columns")
            except ValueError as exc:
                raise InputError(f"{file}:{number}", f"bad labels line ({exc})") from exc
    return rows


def load_corpus(data: Path) -> list[Article]:
    """Articles with their TC spans from a PTC folder (``train-articles`` + TC labels)."""
    texts = read_articles(data / "train-articles")
    labels = data / "train-task2-TC.labels"
    if not labels.exists():
        labels = data / "train-labels-task2-technique-classification"
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for article_id, technique, start, end in read_labels(labels):
        if technique is not None:
            spans[article_id].append((start, end, technique))
    return [Article(i, text, sorted(spans[i])) for i, text in texts.items()]


def _shuffled(ids: list[str], seed: int) -> list[str]:
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    return shuffled


def split_ids(ids: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """A seeded document-level ``(train, held_out)`` split, so no article leaks across."""
    shuffled = _shuffled(ids, seed)
    n = round(len(shuffled) * fraction)
    return sorted(shuffled[n:]), sorted(shuffled[:n])


def fold_ids(ids: list[str], folds: int, fold: int, seed: int) -> tuple[list[str], list[str]]:
    """``(train, held_out)`` for fold ``fold`` of a seeded ``folds``-way document split."""
    if not 0 <= fold < folds:
        raise ValueError(f"fold {fold} outside 0..{folds - 1}")
    shuffled = _shuffled(ids, seed)
    held = set(shuffled[fold::folds])
    return sorted(set(ids) - held), sorted(held)
