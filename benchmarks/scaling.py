"""Cost against article length: each component timed on texts of 25, 50 and 100 KB.

A component whose cost grows linearly takes about 2x as long when the text doubles; one that
grows with the square takes about 4x.  The texts are the unlabelled PTC articles joined until
each size is reached, so they read like news.

    python benchmarks/scaling.py [--articles DIR]

Prints one JSON object: seconds per component per size and the 100 KB / 50 KB ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from unspin.document import Document
from unspin.pipeline import Pipeline, nlp

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/ptc-unlabeled/articles"
SIZES_KB = (25, 50, 100)


def text_of(articles: list[str], size: int) -> str:
    """Articles joined, one per paragraph block, cut at the first line end past ``size``."""
    text = ""
    for article in articles * (size // max(1, sum(map(len, articles))) + 1):
        text += article.strip() + "\n\n"
        if len(text) >= size:
            break
    return text[: text.find("\n", size) + 1 or None]


def timed(pipeline: Pipeline, text: str) -> dict[str, float]:
    """Seconds per component for one text."""
    doc = Document(text=text)
    nlp.prepare(doc, pipeline.settings)
    seconds = {}
    for name, component in zip(pipeline.names, pipeline.components, strict=True):
        start = time.perf_counter()
        doc = component(doc)
        seconds[name] = round(time.perf_counter() - start, 3)
    nlp.release(doc)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT)
    args = parser.parse_args()
    files = sorted(args.articles.glob("*.txt")) if args.articles.is_dir() else []
    if not files:
        print(f"no articles in {args.articles}: nothing to measure", file=sys.stderr)
        return 0
    articles = [f.read_text("utf-8") for f in files]
    pipeline = Pipeline()
    pipeline(Document(text=articles[0]))  # load every model before the clock starts
    runs = {kb: timed(pipeline, text_of(articles, kb * 1000)) for kb in SIZES_KB}
    ratio = {
        name: round(runs[100][name] / max(runs[50][name], 1e-3), 2) for name in pipeline.names
    }
    totals = {kb: round(sum(r.values()), 2) for kb, r in runs.items()}
    print(
        json.dumps(
            {
                "seconds": {f"{kb}KB": r for kb, r in runs.items()},
                "total_seconds": {f"{kb}KB": t for kb, t in totals.items()},
                "ratio_100KB_to_50KB": ratio,
                "total_ratio_100KB_to_50KB": round(totals[100] / totals[50], 2),
                "linear_is_about": 2.0,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
