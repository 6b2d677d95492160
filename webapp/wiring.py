"""The web app's wiring to the services: the Runtime, the read model of a request (level with the store when
read) and the write path."""

from __future__ import annotations

import sqlite_utils
from flask import Flask, current_app, g, request

from services.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["services.runtime"]


def read_model() -> sqlite_utils.Database:
    """The read model for this request, level with the store; caught up once a request.

    When a background follower keeps it level (a server), a page that only reads uses it as it is: other
    nodes' events arrive within the follower's interval, and this node's own writes were applied when they
    were stored. A write first catches up, so its rules are checked against everything stored so far.

    A page that only reads sees one snapshot from its first query to its last, so its figures and the seal
    printed beside them are of the same log position even while the follower applies events.
    """
    if "iku_read_model" not in g:
        opened = runtime()
        reading = request.method in ("GET", "HEAD")
        if opened.following is None or not reading:
            opened.fresh()
        db = opened.reader()
        if db.conn.in_transaction:  # a snapshot an earlier request on this thread failed to let go
            db.execute("COMMIT")
        if reading:
            db.execute("BEGIN")  # deferred: the snapshot is taken at the first read
        g.iku_read_model = db
    return g.iku_read_model


def end_snapshot(_error: BaseException | None = None) -> None:
    db = g.pop("iku_read_model", None)
    if db is not None and db.conn.in_transaction:
        db.execute("COMMIT")  # nothing was written: this only lets the snapshot go


def position() -> int:
    """The log position of what this request reads."""
    return runtime().follower.position_in(read_model())


def behind() -> int:
    """Events stored (by any node) that this node's pages do not show yet (0 without a background follower)."""
    following = runtime().following
    return following.behind() if following is not None else 0


def follow_failing() -> str:
    """Why the background follower's last round failed: "" (it did not), "chain" (the store no longer
    matches the hash chain: tampering or a bad restore), or "store" (the store could not be read)."""
    from projections.catchup import ChainMismatchError
    from projections.tree import TreeMismatchError

    following = runtime().following
    if following is None or following.error is None:
        return ""
    return "chain" if isinstance(following.error, (ChainMismatchError, TreeMismatchError)) else "store"


def init_runtime(app: Flask) -> None:
    app.teardown_request(end_snapshot)
    app.add_template_global(behind, "read_model_behind")
    app.add_template_global(follow_failing, "read_model_follow_failing")
