"""Kegiatan: one activity with its audit trail, and the form that records its next step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, abort, g, redirect, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from domain.accounts import WRITERS
from domain.activity import EVIDENCE_KINDS, next_steps, withdrawable_now
from domain.errors import DomainError
from domain.indicators import EXCLUSION_REASONS, SEED, Indicator
from domain.times import WIB, now, wib_date
from projections import read
from services.evidence import MEDIA_TYPES, EvidenceStore, limit_bytes
from services.presentation import describe, format_decimal, leader_label
from webapp import errors
from webapp.agenda import row_marks
from webapp.auth import actor, safe_next
from webapp.checklist import checklist_context
from webapp.forms import FIELDS, command_fields, error_field, new_submission_id, saved_message, worded
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page, wants_fragment
from webapp.wiring import read_model, runtime

bp = Blueprint("activity", __name__)

HELD_NOW_LEAD = timedelta(minutes=60)
"""How far the planned start may still lie ahead for a one-click "held" to propose now (an activity that began a
little early). Beyond it "now" is not a plausible time for the activity to have taken place: the person enters
the time instead of tapping once."""


def _local(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def held_needs_time(item: dict[str, Any]) -> bool:
    """Whether the planned start is still more than HELD_NOW_LEAD ahead, so "held" must ask for its time."""
    planned = item.get("planned_start")
    return planned is not None and planned > now() + HELD_NOW_LEAD


def default_time(item: dict[str, Any]) -> str:
    """The time a one-click "held" proposes: the planned start if it has passed, otherwise now (WIB); empty
    when the planned start is too far ahead for now to be plausible (see HELD_NOW_LEAD)."""
    if held_needs_time(item):
        return ""
    moment = now()
    planned = item.get("planned_start")
    if planned is not None and planned <= moment:
        moment = planned
    return _local(moment)


def may_record() -> bool:
    """Whether the logged-in account may record events (operators and admins; auditors only read)."""
    return g.get("user") is not None and g.user["role"] in WRITERS


def action_context(item: dict[str, Any], errors: FieldErrors | None = None, failed_kind: str = "",
                   values: dict[str, str] | None = None, excluded: int = 0) -> dict[str, Any]:
    """What the action forms of an activity need: the valid next steps, defaults, and any errors (`excluded`:
    how many valid exclusions it has, which a withdrawal may take back)."""
    evidence = item.get("evidence") or {kind: item.get(f"n_{kind}", 0) for kind in EVIDENCE_KINDS}
    if excluded:
        evidence = {**evidence, "excluded": excluded}
    limit = limit_bytes()
    return {
        "steps": next_steps(item["status"], evidence),
        "evidence": evidence,
        "withdrawable": withdrawable_now(item["status"], evidence),
        "held_needs_time": held_needs_time(item),
        "default_time": default_time(item),
        "now_time": _local(now()),
        "planned_time": _local(item["planned_start"]) if item.get("planned_start") else "",
        "upload_limit": limit,
        "upload_limit_mb": format_decimal(round(limit / 1048576, 1), current_lang()),
        "submission_id": new_submission_id(),
        "errors": errors or FieldErrors(),
        "failed_kind": failed_kind,
        "entered": values or {},
    }


@bp.app_template_global("actions_for")
def actions_for(item: dict[str, Any]) -> dict[str, Any]:
    return action_context(item)


bp.app_template_global("may_record")(may_record)


@bp.app_template_filter("leader_names")
def leader_names(codes: list[str]) -> str:
    return ", ".join(leader_label(code, current_lang()) for code in codes)


@bp.route("/berkas/<sha256>")
def evidence_file(sha256: str) -> Any:
    """An attached evidence file, with the type detected when it was stored and a safe disposition."""
    found = read.activities.attachment(read_model(), sha256) if len(sha256) == 64 else None
    if found is None or found["media_type"] not in MEDIA_TYPES:
        abort(404)
    path = EvidenceStore(runtime().data_dir).path(sha256)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=found["media_type"], download_name=found["name"],
                     as_attachment=found["media_type"] == "application/pdf", max_age=86400)


@bp.errorhandler(RequestEntityTooLarge)
def too_large_submission(error: RequestEntityTooLarge) -> Any:
    """A step form sent with a body over the request cap: the 413 page, with the way back to the activity."""
    reference = (request.view_args or {}).get("reference")
    return errors.too_large(url_for("activity.show", reference=reference) if reference else None)


#: the part of the page a withdrawal was sent from, when it is the exclusions' own (`bagian`)
EXCLUSIONS_PART = "pengecualian"


def exclusion_context(trail: dict[str, Any]) -> dict[str, Any]:
    """What the trail and the exclusion form need: every indicator's definition by code (to name one in the
    trail), the activity's valid exclusions, and the indicators it may still be excluded from (in force for the
    year it was held, allowing a reason, with its leaders in their denominator, not excluded already), with the
    reasons they allow."""
    db = read_model()
    named: dict[str, Indicator] = {indicator.code: indicator for indicator in SEED}
    named.update((entry["code"], entry["indicator"]) for entry in read.manual.history(db))
    valid = [event for event in trail["events"] if event["kind"] == "excluded" and not event["withdrawn"]]
    held_at = trail["activity"].get("held_at")
    offered: list[Indicator] = []
    if held_at is not None and trail["activity"]["status"] == "held":
        taken = {event["indicator"] for event in valid}
        leaders = trail["activity"].get("leaders") or []
        offered = [indicator for indicator in read.manual.indicators(db, wib_date(held_at).year, now())
                   if indicator.exclusion_reasons and indicator.code not in taken and indicator.counts_leaders(leaders)]
        named.update((indicator.code, indicator) for indicator in offered)
    reasons = [reason for reason in EXCLUSION_REASONS if any(reason in i.exclusion_reasons for i in offered)]
    return {"indicator_titles": named, "exclusions": valid, "excludable": offered, "exclusion_reasons": reasons,
            "exclusions_part": EXCLUSIONS_PART}


def activity_page(trail: dict[str, Any], status: int = 200, errors: FieldErrors | None = None,
                  failed_kind: str = "", values: dict[str, str] | None = None,
                  documents: dict[str, Any] | None = None) -> Any:
    """The activity's page (or its body, for htmx); after a refused form, that form's errors and what it had
    (`documents`: a refused checklist form's, see `checklist_context`)."""
    exclusions = exclusion_context(trail)
    return page("activity/show.html", "activity/_body.html", status, trail=trail, item=trail["activity"],
                **exclusions, **checklist_context(trail, documents),
                **action_context(trail["activity"], errors, failed_kind, values,
                                 excluded=len(exclusions["exclusions"])))


def redirect_to(reference: str, part: str = "") -> Any:
    """303 to the activity's page (at one of its parts: `#part`)."""
    return redirect(url_for("activity.show", reference=reference) + (f"#{part}" if part else ""), 303)


@bp.route("/kegiatan/<path:reference>")
def show(reference: str) -> Any:
    trail = read.activities.trail(read_model(), reference)
    if trail is None:
        abort(404)
    return activity_page(trail)


@bp.route("/kegiatan/<path:reference>/catat", methods=["POST"])
def record(reference: str) -> Any:
    db = read_model()
    if read.activities.activity(db, reference) is None:
        abort(404)
    kind = request.form.get("kind", "")
    if kind not in FIELDS or kind == "scheduled":
        abort(400)
    context = "agenda" if request.form.get("konteks") == "agenda" else "kegiatan"
    errors = FieldErrors()
    upload = request.files.get("berkas")
    try:
        batch = runtime().batch()
        fields = command_fields(kind, request.form)
        batch.record(kind, reference, actor=actor(), **fields)
        if upload is not None and upload.filename and kind in EVIDENCE_KINDS:
            described = EvidenceStore(runtime().data_dir).put(upload.read(), upload.filename)
            batch.attach(reference, kind, occurred_at=now(), actor=actor(), **described)
        runtime().commit(batch)
    except DomainError as error:
        errors.messages[error_field(kind, error)] = describe(worded(kind, error), current_lang())
    else:
        confirm(saved_message(kind, fields["occurred_at"], current_lang()))
    values = {key: request.form.get(key, "") for key in request.form if key not in ("csrf_token", "submission_id")}
    status = 422 if errors else 200
    if context == "agenda" and wants_fragment():
        item = read.activities.activity_row(read_model(), reference)
        return page("agenda/_row.html", "agenda/_row.html", status, row=item, marks=row_marks(read_model(), [item]),
                    actions=action_context(item, errors, kind, values))
    if errors or wants_fragment():
        # a withdrawal sent from an exclusion's own form is answered there, not in the general one
        failed = "unexcluded" if kind == "withdrawn" and values.get("bagian") == EXCLUSIONS_PART else kind
        return activity_page(read.activities.trail(read_model(), reference), status, errors, failed, values)
    if context == "agenda":
        return redirect(safe_next(request.form.get("kembali")) or url_for("agenda.index"), 303)
    return redirect(url_for("activity.show", reference=reference), 303)
