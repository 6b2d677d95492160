"""Kegiatan: one activity with its audit trail, and the form that records its next step."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request, send_file, url_for

from domain.activity import LEADER_LABELS, next_steps, withdrawable_now
from domain.errors import DomainError
from domain.times import WIB, now
from iku.evidence import MEDIA_TYPES, EvidenceStore
from projections import browse, queries
from webapp.auth import actor, safe_next
from webapp.forms import FIELDS, command_fields, error_field, new_submission_id
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import page, wants_fragment
from webapp.runtime import read_model, runtime

bp = Blueprint("activity", __name__)


def default_time(item: dict[str, Any]) -> str:
    """The time a one-click step proposes: the planned start if it has passed, otherwise now (WIB)."""
    moment = now()
    planned = item.get("planned_start")
    if planned is not None and planned <= moment:
        moment = planned
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def action_context(item: dict[str, Any], errors: FieldErrors | None = None, failed_kind: str = "",
                   values: dict[str, str] | None = None) -> dict[str, Any]:
    """What the action forms of an activity need: the valid next steps, defaults, and any errors."""
    evidence = item.get("evidence") or {kind: item.get(f"n_{kind}", 0)
                                        for kind in ("published", "documented", "protocol_served")}
    return {
        "steps": next_steps(item["status"], evidence),
        "withdrawable": withdrawable_now(item["status"], evidence),
        "default_time": default_time(item),
        "now_time": now().astimezone(WIB).strftime("%Y-%m-%dT%H:%M"),
        "submission_id": new_submission_id(),
        "errors": errors or FieldErrors(),
        "failed_kind": failed_kind,
        "entered": values or {},
    }


@bp.app_template_global("actions_for")
def actions_for(item: dict[str, Any]) -> dict[str, Any]:
    return action_context(item)


@bp.app_template_filter("leader_names")
def leader_names(codes: list[str]) -> str:
    return ", ".join(LEADER_LABELS.get(code, code) for code in codes)


@bp.route("/berkas/<sha256>")
def evidence_file(sha256: str) -> Any:
    """An attached evidence file, with the type detected when it was stored and a safe disposition."""
    found = queries.attachment(read_model(), sha256) if len(sha256) == 64 else None
    if found is None or found["media_type"] not in MEDIA_TYPES:
        abort(404)
    path = EvidenceStore(runtime().data_dir).path(sha256)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=found["media_type"], download_name=found["name"],
                     as_attachment=found["media_type"] == "application/pdf", max_age=86400)


@bp.route("/kegiatan/<reference>")
def show(reference: str) -> Any:
    trail = queries.trail(read_model(), reference)
    if trail is None:
        abort(404)
    return page("activity/show.html", "activity/_body.html", trail=trail, item=trail["activity"],
                leader_labels=LEADER_LABELS, **action_context(trail["activity"]))


@bp.route("/kegiatan/<reference>/catat", methods=["POST"])
def record(reference: str) -> Any:
    db = read_model()
    if queries.activity(db, reference) is None:
        abort(404)
    kind = request.form.get("kind", "")
    if kind not in FIELDS or kind == "scheduled":
        abort(400)
    context = "agenda" if request.form.get("konteks") == "agenda" else "kegiatan"
    errors = FieldErrors()
    upload = request.files.get("berkas")
    try:
        batch = runtime().batch()
        batch.record(kind, reference, actor=actor(), **command_fields(kind, request.form))
        if upload is not None and upload.filename and kind in ("published", "documented", "protocol_served"):
            described = EvidenceStore(runtime().data_dir).put(upload.read(), upload.filename)
            batch.attach(reference, kind, occurred_at=now(), actor=actor(), **described)
        runtime().commit(batch)
    except DomainError as error:
        errors.messages[error_field(kind, error)] = error.message(current_lang())
    values = {key: request.form.get(key, "") for key in request.form if key not in ("csrf_token", "submission_id")}
    status = 422 if errors else 200
    if context == "agenda" and wants_fragment():
        item = browse.activity_row(read_model(), reference)
        return page("agenda/_row.html", "agenda/_row.html", status, row=item, leader_labels=LEADER_LABELS,
                    actions=action_context(item, errors, kind, values))
    if errors or wants_fragment():
        trail = queries.trail(read_model(), reference)
        return page("activity/show.html", "activity/_body.html", status, trail=trail, item=trail["activity"],
                    leader_labels=LEADER_LABELS, **action_context(trail["activity"], errors, kind, values))
    if context == "agenda":
        return redirect(safe_next(request.form.get("kembali")) or url_for("agenda.index"), 303)
    return redirect(url_for("activity.show", reference=reference), 303)
