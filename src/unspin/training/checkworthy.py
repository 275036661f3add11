"""Train the check-worthiness head on CLEF-2019 CheckThat! Task 1 debates.

``python -m unspin.training.checkworthy --data DIR --out src/unspin/data/claims``

Each debate is read as one document, one line per paragraph, so the spaCy parse, entities,
counts, dates and attribution behind the transparent signals are computed exactly as
``ClaimFinder`` computes them on an article.  Features per line: the sentence embedding, the
signals and the length (``unspin.models.checkworthy.features``).  The head is an
L2-regularised logistic regression fitted by Newton's method in numpy, so training needs
nothing the runtime does not have; its logit is Platt-calibrated on the out-of-fold logits of
leave-one-debate-out training.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.components import attribution, claims
from unspin.components.dates import DateFinder
from unspin.components.entities import EntityLinker
from unspin.components.quantities import QuantityFinder
from unspin.document import Document
from unspin.models import checkworthy
from unspin.pipeline import nlp

L2 = 3.0  # ridge penalty of the head; set before the runs, not searched
LIFT = 2.0  # see ``claim_threshold``


@dataclass(slots=True)
class Debate:
    """One CLEF file: the lines in order and which were chosen for checking (speakers are left
    out: articles have none)."""

    name: str
    texts: list[str]
    labels: np.ndarray


def read_debates(folder: Path) -> list[Debate]:
    """Every ``*.tsv`` of ``folder`` (``line_no, speaker, text, label``), sorted by name."""
    debates = []
    for path in sorted(folder.glob("*.tsv")):
        rows = [
            line.split("\t")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        debates.append(
            Debate(
                name=path.stem,
                texts=[" ".join(r[2].split()) for r in rows],
                labels=np.array([int(r[3]) for r in rows], dtype=np.int64),
            )
        )
    return debates


def data_hash(folder: Path) -> str:
    """sha256 over the names and bytes of the debate files, to tie figures to their data."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.tsv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def debate_document(texts: list[str]) -> Document:
    """The lines as one document, a paragraph each, with one sentence per line: entities,
    counts and the encoder see each line in its context, as in an article."""
    doc = Document("\n".join(t or "." for t in texts))
    offset = 0
    for text in texts:
        doc.sentences.append(doc.span(offset, offset + len(text or ".")))
        offset += len(text or ".") + 1
    return doc


def line_signals(doc: Document) -> list[list[str]]:
    """The transparent signals of each line, computed as ``ClaimFinder`` computes them; the
    running-quote speaker of ``ClaimFinder`` is left out (debates are speech, not reports)."""
    for component in (EntityLinker(), DateFinder(), QuantityFinder()):
        doc = component(doc)
    parsed = nlp.parse(doc)
    dates, counts = doc.dates, doc.quantities
    mentions = sorted(m.start for e in doc.entities for m in e.mentions)
    labels = claims.model()["entity_labels"]
    ents = [(e.start, e.end) for e in parsed.ents if e.label_ in labels]
    found = []
    for sentence in doc.sentences:
        sent = parsed.char_span(sentence.start, sentence.end, alignment_mode="expand")
        source = attribution.find(sent)
        found.append(
            claims._signals(
                sent,
                claims._named_actor(sent, ents, mentions),
                [q for q in counts if sentence.start <= q.start < sentence.end],
                [t for t in dates if sentence.start <= t.start < sentence.end],
                source is not None and source.source is not None,
            )
        )
    return found


def line_inputs(texts: list[str]) -> tuple[np.ndarray, list[list[str]]]:
    """Each line's embedding (from the encoder pass over the whole debate, as articles get
    it at run time) and its signals."""
    doc = debate_document(texts)
    return checkworthy.embed(doc, doc.sentences), line_signals(doc)


def debate_inputs(debate: Debate, cache_dir: Path) -> tuple[np.ndarray, list[list[str]]]:
    """Embeddings and signals of a debate's lines, cached on disk (a restart resumes)."""
    path = cache_dir / f"{debate.name}.json"
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        return np.load(cache_dir / f"{debate.name}.npy"), saved["signals"]
    emb, signals = line_inputs(debate.texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(cache_dir / f"{debate.name}.npy", emb)
    path.write_text(json.dumps({"signals": signals}), encoding="utf-8")
    return emb, signals


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 30) -> np.ndarray:
    """Weights (bias last) of a ridge logistic regression, by Newton's method (convex, exact)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-8)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def _hand_set(signals: list[str], claim_signals: set[str]) -> float:
    """The former score as the pipeline ranks by it: claims first, then the other sentences."""
    return claims.checkworthiness(signals) - (0.0 if claim_signals & set(signals) else 1.0)


def crossval(data: Path, cache: Path | None = None, l2: float = L2) -> dict[str, Any]:
    """Leave-one-debate-out: each debate scored by the head trained on the other ones.

    Returns the figures (model, hand-set, length, chance), the out-of-fold logits and the
    features and labels of every debate (the final fit reuses them).
    """
    from unspin.evaluation.checkworthy import chance_scores, ranking_scores

    debates = read_debates(data)
    names = tuple(claims.model()["weights"])
    claim_signals = set(claims.model()["claim_signals"])
    xs, signals = [], []
    for debate in debates:
        emb, fired = debate_inputs(debate, cache) if cache else line_inputs(debate.texts)
        xs.append(checkworthy.features(emb, fired, names, debate.texts))
        signals.append(fired)
    labels = [d.labels for d in debates]
    oof = []
    for k in range(len(debates)):
        rest = [i for i in range(len(debates)) if i != k]
        w = fit_logistic(
            np.vstack([xs[i] for i in rest]), np.concatenate([labels[i] for i in rest]), l2
        )
        oof.append(xs[k] @ w[:-1] + w[-1])
    figures = {
        "model (leave-one-debate-out)": ranking_scores(
            [(z.tolist(), y) for z, y in zip(oof, labels, strict=True)]
        ),
        "hand-set score (checkworthiness.json)": ranking_scores(
            [
                ([_hand_set(s, claim_signals) for s in fired], y)
                for fired, y in zip(signals, labels, strict=True)
            ]
        ),
        "sentence length (words)": ranking_scores(
            [([len(t.split()) for t in d.texts], d.labels) for d in debates]
        ),
        "random order (mean of 200)": chance_scores(labels),
    }
    return {
        "figures": figures,
        "debates": [d.name for d in debates],
        "lines": sum(len(y) for y in labels),
        "positives": int(sum(y.sum() for y in labels)),
        "signal_names": names,
        "signals": signals,
        "oof_logits": oof,
        "features": xs,
        "labels": labels,
    }


def claim_threshold(
    probability: np.ndarray, labels: np.ndarray, signals: list[list[str]], claim_signals: set[str]
) -> float:
    """Lowest calibrated score at which sentences without a claim signal are, out of fold,
    ``LIFT`` times as often chosen for checking as the sentences the signals make claims.

    At lift 1 the rule would add every sentence a little likelier than the base rate (a
    thousand debate lines for 51 hits); at 2 it adds a few hundred: mostly statements about
    jobs, taxes and the economy, many with sums or percentages the count signal does not
    catch, and what a speaker did or will do.
    """
    has = np.array([bool(claim_signals & set(s)) for s in signals])
    target = LIFT * labels[has].mean()
    rest_p, rest_y = probability[~has], labels[~has]
    for t in np.round(np.arange(0.02, 0.9, 0.01), 2):
        chosen = rest_p >= t
        if chosen.sum() >= 10 and rest_y[chosen].mean() >= target:
            return float(t)
    return 1.0


def train(data: Path, out: Path, cache: Path | None) -> dict[str, Any]:
    """Cross-validate, calibrate on the out-of-fold logits, fit on every debate, and write
    ``checkworthy.npz`` (weights, bias last) and ``checkworthy.json`` (settings, figures)."""
    started = time.time()
    cv = crossval(data, cache)
    logits = np.concatenate(cv["oof_logits"])
    labels = np.concatenate(cv["labels"])
    a, b = fit_logistic(logits[:, None], labels.astype(np.float64), 0.0)
    probability = 1 / (1 + np.exp(-(a * logits + b)))
    signals = [s for fired in cv["signals"] for s in fired]
    claim_signals = set(claims.model()["claim_signals"])
    threshold = claim_threshold(probability, labels, signals, claim_signals)
    weights = fit_logistic(np.vstack(cv["features"]), labels.astype(np.float64), L2)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "checkworthy.npz", weights=weights.astype(np.float32))
    has = np.array([bool(claim_signals & set(s)) for s in signals])
    log = {
        "_doc": "Check-worthiness head of unspin.models.checkworthy, written by "
        "unspin.training.checkworthy; figures are leave-one-debate-out, per debate averaged.",
        "data": {
            "name": "CLEF-2019 CheckThat! Task 1 English, training debates",
            "sha256": data_hash(data),
            "debates": cv["debates"],
            "lines": cv["lines"],
            "positives": cv["positives"],
        },
        "settings": {
            "encoder": "techniques.onnx last hidden layer over the whole debate (windows of "
            "the technique tagger), mean-pooled per line, L2-normalised",
            "features": f"embedding (384), {len(cv['signal_names'])} signals, log(1 + words)",
            "head": "logistic regression, Newton's method, L2 penalty on weights",
            "l2": L2,
        },
        "signals": list(cv["signal_names"]),
        "calibration": {
            "method": "Platt scaling of the out-of-fold logits of all debates",
            "a": float(a),
            "b": float(b),
        },
        "claim_score": threshold,
        "claim_rule": {
            "doc": "a sentence scored >= claim_score is a claim without a claim signal; the "
            f"threshold is where such sentences are, out of fold, {LIFT} times as often "
            "check-worthy as those with one",
            "check-worthy share with a claim signal": round(float(labels[has].mean()), 4),
            "lines without one, scored >= claim_score": int(
                ((probability >= threshold) & ~has).sum()
            ),
            "of them check-worthy": int(((probability >= threshold) & ~has & (labels == 1)).sum()),
            "check-worthy lines without a claim signal": int((~has & (labels == 1)).sum()),
        },
        "crossval": cv["figures"],
        "seconds": round(time.time() - started),
    }
    (out / "checkworthy.json").write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--cache", type=Path, help="keep each debate's embeddings and signals here (resumable)"
    )
    args = parser.parse_args(argv)
    log = train(args.data, args.out, args.cache)
    print(json.dumps(log["crossval"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
