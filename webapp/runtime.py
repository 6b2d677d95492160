"""The app's Runtime: the read model (caught up before each read) and the write path."""

from __future__ import annotations

import sqlite_utils
from flask import current_app, g

from iku.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["iku.runtime"]


def read_model() -> sqlite_utils.Database:
    """The read model, level with the store (other processes may have written); checked once a request."""
    if "iku_read_model" not in g:
        g.iku_read_model = runtime().fresh()
    return g.iku_read_model
