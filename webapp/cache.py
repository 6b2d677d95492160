"""Answers computed from the read model, kept until the log moves: the read model changes only when its
position does, so an answer at the same position (and the same question) is still exact."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from flask import current_app

from webapp.wiring import position


class PositionCache:
    def __init__(self, size: int = 256) -> None:
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._position: int | None = None
        self._lock = Lock()
        self.size = size

    def get(self, position: int, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if position != self._position:
                self._answers.clear()
                self._position = position
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        value = compute()
        with self._lock:
            if position == self._position:
                self._answers[key] = value
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return value


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()` at the read model's current position, or its answer from earlier at that position."""
    cache = current_app.extensions.setdefault("iku.cache", PositionCache())
    return cache.get(position(), key, compute)
