"""Integritas: the current seal, the last verification, a button to verify the whole log now, where this node
stands against the event store, and how many publication links still open, per year."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, url_for

from domain.times import now
from projections import chain, read
from services import integrity
from services.presentation import format_decimal
from webapp.auth import requires_role
from webapp.i18n import current_lang
from webapp.rendering import page
from webapp.wiring import follow_failing, position, read_model, runtime

bp = Blueprint("integrity", __name__)


@bp.route("/integritas")
@requires_role("auditor", "admin")
def index() -> Any:
    db = read_model()
    opened = runtime()
    node = {"store": opened.store_label(), "position": position(), "head": opened.follower.head(),
            "interval": format_decimal(opened.following.interval, current_lang()) if opened.following else None,
            "failing": follow_failing()}
    return page("integrity/index.html", "integrity/_body.html", seal=str(chain.head(db)), node=node,
                last=current_app.extensions.get("iku.last_verification"), link_counts=read.evidence.link_counts(db))


@bp.route("/integritas/periksa", methods=["POST"])
@requires_role("auditor", "admin")
def verify_now() -> Any:
    read_model()
    result = integrity.verify(runtime())
    current_app.extensions["iku.last_verification"] = {"at": now(), "result": result}
    return redirect(url_for("integrity.index"), 303)
