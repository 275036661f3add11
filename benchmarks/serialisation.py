"""Serialisation speed of the typed Document: pydantic v2 models against plain dataclasses.

Why the layers are pydantic models: the choice was made on this measurement.  The 90
unlabelled PTC articles are analysed once (cached in runs/, so reruns are quick); then
``to_dict`` and ``from_dict`` are timed over all of them for the pydantic models unspin
ships and for dataclass mirrors of the same models (same fields, a recursive ``from_dict``
built from the same annotations, ``dataclasses.asdict`` out).  Ratios are from one run.

    python benchmarks/serialisation.py [--articles DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from unspin.document import Document
from unspin.pipeline import Pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/ptc-unlabeled/articles"
CACHE = Path(__file__).resolve().parents[1] / "runs/serialisation-analyses.jsonl"

Builder = Callable[[Any], Any]


def _builder(annotation: Any, mirrors: dict[type, type]) -> Builder:
    """A function turning a JSON value into the dataclass mirror of ``annotation``."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _mirror(annotation, mirrors)
    if origin is list:
        (item,) = typing.get_args(annotation)
        build = _builder(item, mirrors)
        return lambda v: [build(x) for x in v]
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type)]
        models = [a for a in models if issubclass(a, BaseModel)]
        if models:
            build = _builder(models[0], mirrors)
            return lambda v: None if v is None else build(v)
    return lambda v: v


def _mirror(model: type[BaseModel], mirrors: dict[type, type]) -> Builder:
    """The dataclass with ``model``'s fields (keyed by alias) and its from-dict builder."""
    if model not in mirrors:
        keys = [f.alias or name for name, f in model.model_fields.items()]
        mirrors[model] = dataclasses.make_dataclass(
            model.__name__, [(k, Any) for k in keys], slots=True
        )
        fields = {
            (f.alias or name): _builder(f.annotation, mirrors)
            for name, f in model.model_fields.items()
        }
        mirrors[model].builders = fields  # type: ignore[attr-defined]
    cls = mirrors[model]
    return lambda v: cls(**{k: cls.builders[k](x) for k, x in v.items()})


def _analyses(files: list[Path]) -> list[dict[str, Any]]:
    """The articles' unspin/1 dicts, analysed once and cached."""
    if CACHE.exists():
        cached = [json.loads(line) for line in CACHE.read_text("utf-8").splitlines()]
        if len(cached) == len(files):
            return cached
    pipeline = Pipeline()
    analyses = [pipeline(Document(f.read_text("utf-8"))).to_dict() for f in files]
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text("".join(json.dumps(a) + "\n" for a in analyses), "utf-8")
    return analyses


def _time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5, help="best of N timings")
    args = parser.parse_args()
    files = sorted(args.articles.glob("*.txt")) if args.articles.is_dir() else []
    if not files:
        print(f"no articles in {args.articles}: nothing to measure", file=sys.stderr)
        return 0
    dicts = _analyses(files)
    docs = [Document.from_dict(d) for d in dicts]
    build = _mirror(Document, {})
    mirrors = [build(d) for d in dicts]
    timings = {
        "pydantic_from_dict_s": _time(lambda: [Document.from_dict(d) for d in dicts], args.repeat),
        "dataclass_from_dict_s": _time(lambda: [build(d) for d in dicts], args.repeat),
        "pydantic_to_dict_s": _time(lambda: [d.to_dict() for d in docs], args.repeat),
        "dataclass_to_dict_s": _time(
            lambda: [dataclasses.asdict(m) for m in mirrors], args.repeat
        ),
    }
    result = {
        "articles": len(dicts),
        "json_bytes": sum(len(json.dumps(d)) for d in dicts),
        **{k: round(v, 4) for k, v in timings.items()},
        "from_dict_ratio_pydantic_to_dataclass": round(
            timings["pydantic_from_dict_s"] / timings["dataclass_from_dict_s"], 2
        ),
        "to_dict_ratio_pydantic_to_dataclass": round(
            timings["pydantic_to_dict_s"] / timings["dataclass_to_dict_s"], 2
        ),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
