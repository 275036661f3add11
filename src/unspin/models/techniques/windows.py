"""Word pieces with character offsets, cut into overlapping windows the encoder can read.

Articles run to thousands of word pieces while the encoder reads 256, so a document is cut
into windows that overlap by a quarter; each token's output is taken from the window where it
sits most centrally (most context on both sides).  Shared by training and inference, so both
see exactly the same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

WINDOW = 256  # encoder positions per window, [CLS] and [SEP] included
STRIDE = 192


def load_tokenizer(path: Path | str) -> Tokenizer:
    """The BERT tokenizer from ``tokenizer.json``, without its 128-token truncation/padding."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@dataclass(slots=True)
class Encoded:
    """A document as word-piece ids, their ``(start, end)`` character offsets, and windows."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64, Python str offsets into the text
    starts: np.ndarray  # (w,) first token of each window
    lengths: np.ndarray  # (w,) tokens in each window (special tokens excluded)
    cls_id: int
    sep_id: int

    @property
    def owner(self) -> np.ndarray:
        """For each token, the window where it is most central."""
        if not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        centres = self.starts + self.lengths / 2
        positions = np.arange(len(self.ids))[:, None] + 0.5
        return np.abs(positions - centres[None, :]).argmin(axis=1)

    def batch(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``input_ids`` and ``attention_mask`` for the given windows, padded to the longest."""
        width = int(self.lengths[windows].max()) + 2
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, w in enumerate(windows):
            s, n = self.starts[w], self.lengths[w]
            ids[row, : n + 2] = [self.cls_id, *self.ids[s : s + n], self.sep_id]
            mask[row, : n + 2] = 1
        return ids, mask

    def window_for(self, first: int, last: int) -> int:
        """The window holding most of tokens ``first..last``, most centrally on a tie."""
        ends = self.starts + self.lengths
        overlap = np.minimum(ends, last + 1) - np.maximum(self.starts, first)
        margin = np.minimum(first - self.starts, ends - 1 - last)
        return int(np.lexsort((-margin, -overlap))[0])


def encode(tokenizer: Tokenizer, text: str, window: int = WINDOW, stride: int = STRIDE) -> Encoded:
    """Tokenise the whole text once and lay windows over it, the last one flush with the end."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    n = len(enc.ids)
    size = window - 2
    starts = list(range(0, max(n - size, 0) + 1, stride)) if n else []
    if starts and starts[-1] + size < n:
        starts.append(n - size)
    start_arr = np.array(starts, dtype=np.int64)
    return Encoded(
        ids=np.array(enc.ids, dtype=np.int64),
        offsets=np.array(enc.offsets, dtype=np.int64).reshape(-1, 2),
        starts=start_arr,
        lengths=np.minimum(size, n - start_arr),
        cls_id=tokenizer.token_to_id("[CLS]"),
        sep_id=tokenizer.token_to_id("[SEP]"),
    )


def stitch(enc: Encoded, per_window: np.ndarray) -> np.ndarray:
    """Per-token values ``(n, ...)`` from per-window outputs ``(w, positions, ...)``.

    Position 0 of each window is [CLS], so token ``i`` of window ``w`` is at ``i - start + 1``.
    """
    owner = enc.owner
    position = np.arange(len(enc.ids)) - enc.starts[owner] + 1
    return per_window[owner, position]


def char_to_tokens(enc: Encoded, start: int, end: int) -> tuple[int, int] | None:
    """First and last token overlapping characters ``start:end`` (None when none does)."""
    hits = np.nonzero((enc.offsets[:, 0] < end) & (enc.offsets[:, 1] > start))[0]
    if not len(hits):
        return None
    return int(hits[0]), int(hits[-1])
