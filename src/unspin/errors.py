"""Errors that reach the user as one line naming the input and the reason."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: reported as ``unspin: INPUT: REASON`` with a non-zero exit, no traceback."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
