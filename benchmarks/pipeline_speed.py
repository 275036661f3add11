"""Whole-pipeline speed against spaCy's en_core_web_sm parsing the same texts.

The issue's target: a full ``unspin analyze`` of a batch costs at most 2.5x what
en_core_web_sm alone takes to parse the same articles, measured in the same run.

    python benchmarks/pipeline_speed.py [--articles DIR] [--limit N]

Prints one JSON object with articles/s, words/s, the ratio and the seconds each component
took (the spaCy parse is counted in the first component that needs it).
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    args = parser.parse_args()
    files = sorted(args.articles.glob("*.txt")) if args.articles.is_dir() else []
    if not files:
        print(f"no articles in {args.articles}: nothing to measure", file=sys.stderr)
        return 0
    texts = [f.read_text("utf-8") for f in files[: args.limit or None]]
    words = sum(len(t.split()) for t in texts)

    pipeline = Pipeline()
    spacy_model = nlp.load(pipeline.settings.languages["en"].spacy)
    pipeline(Document(text=texts[0]))  # load every model before the clock starts

    start = time.perf_counter()
    for text in texts:
        spacy_model(text)
    spacy_s = time.perf_counter() - start

    # The pipeline's own loop, with a clock around each component: where the time goes.
    per_component = dict.fromkeys(pipeline.names, 0.0)
    start = time.perf_counter()
    for text in texts:
        doc = Document(text=text)
        nlp.prepare(doc, pipeline.settings)
        for name, component in zip(pipeline.names, pipeline.components, strict=True):
            t0 = time.perf_counter()
            doc = component(doc)
            per_component[name] += time.perf_counter() - t0
        nlp.release(doc)
    unspin_s = time.perf_counter() - start

    print(
        json.dumps(
            {
                "articles": len(texts),
                "words": words,
                "spacy_parse_s": round(spacy_s, 2),
                "unspin_s": round(unspin_s, 2),
                "unspin_articles_per_s": round(len(texts) / unspin_s, 2),
                "unspin_words_per_s": round(words / unspin_s),
                "spacy_words_per_s": round(words / spacy_s),
                "ratio_to_spacy": round(unspin_s / spacy_s, 2),
                "target_ratio": 2.5,
                "seconds_per_component": {k: round(v, 2) for k, v in per_component.items()},
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
