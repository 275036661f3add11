"""`unspin eval aliases`: how well names resolve to knowledge-base entries.

The gold set pairs surface forms with the entry they name: variants (typos,
transliterations, case and diacritic changes, real-world spellings the knowledge base does not
list), names listed as written, and actors the knowledge base lacks (no expected id; they must
stay unresolved).  It comes in two parts: ``aliases.tsv``, whose misses the matching rules were
written against (tuned), and ``aliases-heldback.tsv``, written before the last matcher change
and never tuned on, the honest figure.  Names are resolved on their own, without an article.
"""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from unspin.components.entities import store
from unspin.components.entities.matcher import resolve
from unspin.errors import InputError
from unspin.evaluation.metrics import rate

FORMS = ("verbatim", "variant", "unknown")
PARTS = {"tuned": "aliases.tsv", "heldback": "aliases-heldback.tsv"}


def read_gold(path: Path | None, part: str = "tuned") -> list[dict[str, str]]:
    """Gold rows (surface, expected, form) of a file or a bundled part; InputError names a bad
    file."""
    source = resources.files("unspin") / "data" / "gold" / PARTS[part] if path is None else path
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(source), f"cannot read gold file ({exc})") from exc
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or not {"surface", "expected", "form"} <= set(rows[0]):
        raise InputError(str(source), "expected a TSV with columns surface, expected, form")
    for n, row in enumerate(rows, 1):
        if row["form"] not in FORMS:
            raise InputError(str(source), f"row {n}: form must be one of {', '.join(FORMS)}")
    return rows


def evaluate(gold: Path | None = None) -> dict[str, Any]:
    """Scores of a gold file, or of both bundled parts side by side (``tuned``, ``heldback``)."""
    if gold is not None:
        return score(read_gold(gold))
    return {part: score(read_gold(None, part)) for part in PARTS}


def score(rows: list[dict[str, str]]) -> dict[str, Any]:
    """Accuracy overall and on variants, unresolved rate, wrong-link rate."""
    kb = store.load()
    outcome: Counter[tuple[str, str]] = Counter()
    for row in rows:
        link = resolve(kb, row["surface"])
        got = link.entry.id if link else ""
        expected = row["expected"].strip()
        result = "correct" if got == expected else ("unresolved" if not got else "wrong")
        outcome[(row["form"], result)] += 1
    by_form = {f: sum(n for (form, _), n in outcome.items() if form == f) for f in FORMS}
    total = sum(by_form.values())
    correct = sum(n for (_, r), n in outcome.items() if r == "correct")
    linkable = by_form["verbatim"] + by_form["variant"]
    unresolved = sum(n for (f, r), n in outcome.items() if r == "unresolved" and f != "unknown")
    wrong = sum(n for (_, r), n in outcome.items() if r == "wrong")
    return {
        "items": total,
        "by_form": by_form,
        "accuracy": rate(correct, total, digits=4),
        "accuracy_verbatim": rate(outcome[("verbatim", "correct")], by_form["verbatim"], digits=4),
        "accuracy_variants": rate(outcome[("variant", "correct")], by_form["variant"], digits=4),
        "unresolved_rate": rate(unresolved, linkable, digits=4),
        "wrong_link_rate": rate(wrong, total, digits=4),
        "unknown_left_unresolved": rate(
            outcome[("unknown", "correct")], by_form["unknown"], digits=4
        ),
    }
