"""Loading saved analyses (unspin/1 JSON Lines, as ``unspin analyze -o x.jsonl`` writes them)
into a store, idempotently: a line already stored adds nothing, a bad line is reported and
skipped, and each good line is one transaction of its own."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from unspin.errors import InputError
from unspin.store import writer
from unspin.store.database import Store


@dataclass
class Loaded:
    added: int = 0
    already: int = 0
    failed: int = 0


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InputError(str(directory), "no such directory")
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise InputError(str(directory), "no *.jsonl files")
    return files


def _lines(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield f"{path}:{number}", line
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot read file") from None


def load_directory(store: Store, directory: Path, report: Callable[[str], None]) -> Loaded:
    """Store every analysis in ``directory``/*.jsonl; ``report`` gets one line per bad one."""
    loaded = Loaded()
    for path in _files(directory):
        try:
            for source, line in _lines(path):
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict):
                        raise InputError(source, "not a JSON object")
                    saved = writer.save(store, data, source)
                except json.JSONDecodeError as exc:
                    loaded.failed += 1
                    report(f"{source}: invalid JSON: {exc.msg} (column {exc.colno})")
                    continue
                except (InputError, UnicodeDecodeError) as exc:
                    loaded.failed += 1
                    report(str(exc) if isinstance(exc, InputError) else f"{source}: not UTF-8")
                    continue
                if saved.created:
                    loaded.added += 1
                else:
                    loaded.already += 1
        except InputError as exc:
            loaded.failed += 1
            report(str(exc))
    return loaded
