"""The persuasion-technique model: corpus reading, windows, decoding, scoring, training, export.

Only ``train`` and ``export`` import torch; everything else runs on numpy, ``tokenizers`` and
ONNX Runtime so the installed tool never needs the training stack.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DATA = resources.files("unspin") / "data" / "techniques"


@cache
def technique_names() -> tuple[str, ...]:
    """The 14 PTC technique names, in the order of the model's outputs."""
    return tuple(json.loads((DATA / "techniques.json").read_text("utf-8"))["techniques"])
