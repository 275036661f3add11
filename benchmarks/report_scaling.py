"""Report rendering time against the number of nested technique spans, in one run.

Nested spans were the report's worst case (every piece of text repeated every covering
span); the time per span should stay flat as the nesting doubles.

    python benchmarks/report_scaling.py [--depths 250 500 1000 2000]
"""

from __future__ import annotations

import argparse
import json
import time

from unspin.report import render


def _nested(depth: int) -> dict[str, object]:
    """An analysis whose ``depth`` technique spans all enclose one another."""
    text = "x" * (4 * depth)
    spans = [
        {
            "start": i,
            "end": len(text) - i,
            "text": text[i : len(text) - i],
            "technique": "Loaded_Language",
            "score": 0.5,
        }
        for i in range(depth)
    ]
    return {
        "schema": "unspin/1",
        "document": {"id": "d", "title": "x", "text": text},
        "techniques": spans,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", type=int, nargs="+", default=[250, 500, 1000, 2000])
    args = parser.parse_args()
    rows = []
    for depth in args.depths:
        analysis = _nested(depth)
        start = time.perf_counter()
        page = render([analysis], "html")
        seconds = time.perf_counter() - start
        rows.append(
            {
                "spans": depth,
                "seconds": round(seconds, 3),
                "bytes": len(page),
                "ms_per_span": round(1000 * seconds / depth, 3),
            }
        )
    first, last = rows[0], rows[-1]
    print(
        json.dumps(
            {
                "rows": rows,
                "time_per_span_ratio_last_to_first": round(
                    last["ms_per_span"] / first["ms_per_span"], 2
                ),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
