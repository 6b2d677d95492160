"""Turning posted form fields into command arguments; the domain judges them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from domain.errors import DomainError, MissingFieldError
from domain.times import parse_instant
from services.presentation import format_moment, kind_label

#: the form fields each kind of event reads (names as the forms post them)
FIELDS = {
    "scheduled": ("reference", "title", "leaders", "location", "occurred_at", "note"),
    "rescheduled": ("occurred_at", "title", "location", "note"),
    "held": ("occurred_at", "note"),
    "cancelled": ("occurred_at", "reason"),
    "published": ("occurred_at", "channel", "evidence_ref", "note"),
    "documented": ("occurred_at", "channel", "evidence_ref", "note"),
    "protocol_served": ("occurred_at", "channel", "evidence_ref", "note"),
    "excluded": ("occurred_at", "indicator", "exclusion_reason", "note"),
    "withdrawn": ("occurred_at", "withdrawn_kind", "evidence_ref", "reason"),
}
#: a domain error's field, named as the exclusion form's input it belongs beside
_EXCLUSION_INPUTS = {"code": "indicator", "reason": "exclusion_reason"}


def new_submission_id() -> str:
    return uuid.uuid4().hex


def saved_message(kind: str, occurred_at: datetime, lang: str) -> str:
    """The confirmation of a save: `Tersimpan: dipublikasikan, 27 November 2026 pukul 09.10 WIB`."""
    return _("Tersimpan: %(kind)s, %(when)s", kind=kind_label(kind, lang), when=format_moment(occurred_at, lang))


def command_fields(kind: str, form: Any) -> dict[str, Any]:
    """Arguments for `Batch.record(kind, …)` from a posted form; a bad time raises a field error."""
    fields: dict[str, Any] = {}
    for name in FIELDS[kind]:
        if name == "leaders":
            fields["leaders"] = form.getlist("leaders")
        elif name == "occurred_at":
            text = (form.get("occurred_at") or "").strip()
            if not text:
                raise MissingFieldError(field="occurred_at")
            fields["occurred_at"] = parse_instant(text)
        elif name != "reference":
            fields[name] = form.get(name, "")
    submission = (form.get("submission_id") or "").strip()[:64]
    if submission:
        fields["submission_id"] = submission
    return fields


def worded(kind: str, error: DomainError) -> DomainError:
    """The error as the form names it: an exclusion's missing note is its note, not a reason."""
    if kind == "excluded" and isinstance(error, MissingFieldError) and error_field(kind, error) == "note":
        return MissingFieldError(field="note")
    return error


def error_field(kind: str, error: DomainError) -> str:
    """The form input an error belongs beside (`form` when it is about the whole form)."""
    field = error.input_field or "form"
    if kind == "withdrawn" and field in ("kind", "channel"):
        return "withdrawn_kind"
    if kind == "excluded":
        if isinstance(error, MissingFieldError) and field == "reason":
            return "note"  # the domain calls an event's missing note its reason (it is one elsewhere)
        field = _EXCLUSION_INPUTS.get(field, field)
    if field == "berkas":
        return field
    return field if field in FIELDS.get(kind, ()) else "form"
