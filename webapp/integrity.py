"""Integritas: the current seal, the seals printed on approved reports and whether today's log is consistent with
each, a check of a seal pasted from a paper report, the last verification, a button to verify the whole log now,
where this node stands against the event store, and how many publication links still open, per year."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for

from domain.times import now
from projections import chain, read
from services import integrity, proofs
from services.presentation import format_decimal
from webapp.auth import requires_role
from webapp.i18n import current_lang
from webapp.params import SEAL_FORM, seal_from
from webapp.rendering import page
from webapp.wiring import follow_failing, position, read_model, runtime

bp = Blueprint("integrity", __name__)


@bp.route("/integritas")
@requires_role("auditor", "admin")
def index() -> Any:
    """The page; with `?segel=…` (the form), also whether today's log is consistent with that seal."""
    db = read_model()
    opened = runtime()
    node = {"store": opened.store_label(), "position": position(), "head": opened.follower.head(),
            "interval": format_decimal(opened.following.interval, current_lang()) if opened.following else None,
            "failing": follow_failing()}
    checked, error = None, None
    try:
        pasted, seal = seal_from(request.args, "segel")
        checked = proofs.check_seal(db, seal) if seal is not None else None
    except ValueError:
        pasted, error = request.args.get("segel", ""), SEAL_FORM
    printed = [{**approval, "check": _check(db, approval["seal"])} for approval in read.closing.approvals(db)]
    return page("integrity/index.html", "integrity/_body.html", 400 if error else 200, seal=str(chain.head(db)),
                node=node, last=current_app.extensions.get("iku.last_verification"),
                link_counts=read.evidence.link_counts(db), printed=printed, pasted=pasted[:chain.MAX_SEAL_TEXT],
                checked=checked,
                seal_error=error)


def _check(db: Any, text: str) -> proofs.SealCheck | None:
    try:
        return proofs.check_seal(db, chain.Seal.parse(text))
    except ValueError:  # an approval's seal is always well formed; never fail the page over one
        return None


@bp.route("/integritas/periksa", methods=["POST"])
@requires_role("auditor", "admin")
def verify_now() -> Any:
    read_model()
    result = integrity.verify(runtime())
    current_app.extensions["iku.last_verification"] = {"at": now(), "result": result}
    return redirect(url_for("integrity.index"), 303)
