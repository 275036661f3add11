"""Word pieces per second of the technique model (ONNX, int8) on unlabelled articles.

Usage: python benchmarks/techniques_speed.py [ARTICLES_DIR]
(default: ../shared/data/ptc-unlabeled/articles beside the checkout).  Measures the whole
technique layer — tokenising, encoder windows, span decoding and the technique head.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from unspin.models.techniques import model

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/ptc-unlabeled/articles"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        print(f"skipped: no articles in {folder}")
        return 0
    tagger = model.load()
    tagger.tag(texts[0])  # warm-up: first-run allocations are not throughput
    tokens = sum(len(tagger.tokenizer.encode(t, add_special_tokens=False).ids) for t in texts)
    started = time.perf_counter()
    spans = sum(len(tagger.tag(t)) for t in texts)
    seconds = time.perf_counter() - started
    print(
        f"{len(texts)} articles, {tokens} word pieces, {spans} technique spans in "
        f"{seconds:.1f}s: {tokens / seconds:.0f} tokens/s, {len(texts) / seconds:.2f} articles/s "
        f"({os.cpu_count()} cores, intra-op threads = cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
