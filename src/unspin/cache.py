"""Indexes built from bundled data, kept on disk so that later runs start fast.

The knowledge-base index (35,000 entries, each name folded twice) and py3langid's model
(LZMA-compressed) take longer to build than spaCy takes to load its model, yet depend only on
unspin's data and the versions of the libraries they are built from.  The first run builds
them and pickles the result into the cache directory (``Settings.cache_dir``, by default the
user's cache directory); later runs read it.  The file name carries a hash of everything the
object is built from, so an upgrade or an edited data file builds a new one.  An unreadable
entry is rebuilt and an unwritable directory only costs the speed.  The files are the user's
own, like spaCy's or Hugging Face's caches: unpickling trusts them as it trusts the package.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from importlib.abc import Traversable
from pathlib import Path
from typing import TypeVar

import unspin

T = TypeVar("T")

# Where entries are kept; None: the user's cache directory. Set once per process by the
# Pipeline from ``Settings.cache_dir``.
_directory: Path | None = None


def use(directory: Path | None) -> None:
    """Keep entries in ``directory`` (None: the user's cache directory)."""
    global _directory
    _directory = directory


def directory() -> Path:
    """The cache directory: the configured one, else ``$XDG_CACHE_HOME/unspin`` or the
    platform's equivalent (platformdirs)."""
    if _directory is not None:
        return _directory
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("unspin", appauthor=False))


def _key(packages: Iterable[str], data: Iterable[Traversable]) -> str:
    """A hash of unspin's and Python's versions, the packages' versions and the data files."""
    digest = hashlib.sha256(f"{unspin.__version__} {sys.version}".encode())
    for package in packages:
        digest.update(f"{package} {metadata.version(package)}".encode())
    for item in data:
        digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:16]


def cached(
    name: str,
    build: Callable[[], T],
    *,
    packages: Iterable[str] = (),
    data: Iterable[Traversable] = (),
) -> T:
    """``build()``, or its result saved by an earlier run with the same inputs."""
    path = directory() / f"{name}-{_key(packages, data)}.pickle"
    paused = gc.isenabled()
    gc.disable()  # the collector would walk the half-loaded index many times over
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # missing, cut short or from another build: build it again
        pass
    finally:
        if paused:
            gc.enable()
    value = build()
    _save(path, value)
    return value


def _save(path: Path, value: object) -> None:
    """Write through a temporary file renamed into place, so readers never see half a file
    (two processes building at once both write whole files; the last rename wins)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except OSError:
        Path(part).unlink(missing_ok=True)
