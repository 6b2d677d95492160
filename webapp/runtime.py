"""The app's Runtime: the read model (caught up before each read) and the write path."""

from __future__ import annotations

import sqlite_utils
from flask import current_app

from iku.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["iku.runtime"]


def read_model() -> sqlite_utils.Database:
    """The read model, level with the store (other processes may have written)."""
    return runtime().fresh()
