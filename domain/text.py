"""Text a person typed: no control characters (NUL, escape, …) in any field; line breaks only where a field
may hold several lines."""

from __future__ import annotations

import re

from domain.errors import ControlCharacterError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: fields whose text may run over several lines (a CSV cell in quotes may hold line breaks)
MULTILINE = frozenset({"note", "reason", "analysis", "obstacles", "follow_up"})


def check_plain(field: str, text: str) -> str:
    """`text` itself, or `ControlCharacterError` when it holds a control character."""
    pattern = _CONTROL_BUT_LINES if field in MULTILINE else _CONTROL
    if pattern.search(text):
        raise ControlCharacterError(field=field)
    return text
