"""The app's Runtime: the read model (level with the store when read) and the write path."""

from __future__ import annotations

import sqlite_utils
from flask import current_app, g, request

from iku.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["iku.runtime"]


def read_model() -> sqlite_utils.Database:
    """The read model, level with the store; checked once a request.

    When a background follower keeps it level (a server), a page that only reads uses it as it is: other
    nodes' events arrive within the follower's interval, and this node's own writes were applied when they
    were stored. A write first catches up, so its rules are checked against everything stored so far.
    """
    if "iku_read_model" not in g:
        opened = runtime()
        if opened.following is not None and request.method in ("GET", "HEAD"):
            g.iku_read_model = opened.db
        else:
            g.iku_read_model = opened.fresh()
    return g.iku_read_model


def behind() -> int:
    """Events stored (by any node) that this node's pages do not show yet (0 without a background follower)."""
    following = runtime().following
    return following.behind() if following is not None else 0
