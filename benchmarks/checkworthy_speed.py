"""Run-time cost per article of the check-worthiness scorer, and of the claims layer with it.

Usage: python benchmarks/checkworthy_speed.py [ARTICLES_DIR] [N]
(default: the first 20 of ../shared/data/ptc-unlabeled/articles beside the checkout).  Times
the scorer's encoder pass over an article's sentences (``text_logits``) and the whole claims
component, on documents already split and parsed, models loaded before the clock starts.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from unspin.components.claims import ClaimFinder
from unspin.document import Document
from unspin.models import checkworthy
from unspin.pipeline import Pipeline

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/ptc-unlabeled/articles"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:count]]
    if not texts:
        print(f"skipped: no articles in {folder}")
        return 0
    before = Pipeline(skip=["techniques", "claims", "events", "source", "summary"])
    docs = [before(Document(t)) for t in texts]
    for doc in docs:  # the parse is cleared after a pipeline run; parse again, off the clock
        ClaimFinder()(doc)
    scorer = checkworthy.load()
    sentences = sum(len(d.sentences) for d in docs)
    started = time.perf_counter()
    for doc in docs:
        scorer.text_logits(doc, doc.sentences)
    scoring = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        ClaimFinder()(doc)
    layer = time.perf_counter() - started
    print(
        f"{len(docs)} articles, {sentences} sentences: scorer {1000 * scoring / len(docs):.0f} ms "
        f"an article ({1000 * scoring / sentences:.1f} ms a sentence); whole claims layer "
        f"{1000 * layer / len(docs):.0f} ms an article"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
