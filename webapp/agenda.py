"""Agenda: activities by date with filters, a form to schedule one, one-click next steps per row."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlite_utils
from flask import Blueprint, redirect, request, url_for
from flask_htmx import make_response as htmx_response

from domain.activity import LEADERS
from domain.errors import DomainError
from domain.times import WIB, now, wib_date
from projections import read
from services.presentation import describe, format_date
from webapp.auth import actor
from webapp.forms import command_fields, error_field, new_submission_id, saved_message
from webapp.i18n import current_lang
from webapp.params import FieldErrors, day_from, positive_int
from webapp.publications import dead_links
from webapp.rendering import confirm, page, wants_fragment
from webapp.wiring import read_model, runtime

bp = Blueprint("agenda", __name__)
PAGE_SIZE = 100
#: `dokumen=belum`: only the held activities still missing a required document
INCOMPLETE = "belum"


def date_span(start: date, end: date, lang: str) -> str:
    """`23 – 29 November 2026` (or `30 November 2026 – 6 Desember 2026` across months)."""
    if start == end:
        return format_date(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} – {format_date(end, lang)}"
    return f"{format_date(start, lang)} – {format_date(end, lang)}"


def list_state(args) -> dict[str, Any]:
    lang = current_lang()
    errors = FieldErrors()
    today = wib_date(now())
    start = day_from(args, "dari", today - timedelta(days=today.weekday()), errors, lang)
    end = day_from(args, "sampai", start + timedelta(days=6), errors, lang)
    if end < start:
        start, end = end, start
    leader = args.get("pimpinan") if args.get("pimpinan") in LEADERS else ""
    status = args.get("status") if args.get("status") in read.activities.STATUSES else ""
    text = (args.get("q") or "").strip()[:100]
    offset = positive_int(args, "mulai")
    documents = INCOMPLETE if args.get("dokumen") == INCOMPLETE else ""
    query = {"start": start, "end": end, "leader": leader or None, "status": status or None, "text": text or None}
    if documents:
        query["missing"] = read.evidence.missing_documents(read.evidence.document_kinds(read_model()))
    result = read.activities.agenda(read_model(), **query, limit=PAGE_SIZE, offset=offset)
    filters = {"dari": start.isoformat(), "sampai": end.isoformat(), "pimpinan": leader, "status": status, "q": text,
               "dokumen": documents}
    return {"result": result, "filters": filters, "offset": offset, "page_size": PAGE_SIZE, "errors": errors,
            "marks": row_marks(read_model(), result["rows"]),
            "leaders": LEADERS, "statuses": read.activities.STATUSES,
            "prev_week": (start - timedelta(days=7)).isoformat(), "next_week": (start + timedelta(days=7)).isoformat(),
            "today": today, "span": date_span(start, end, lang)}


def row_marks(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """For the held activities among `rows`, by activity id: how many required documents are missing
    (`missing`) and their valid publications' links that could not be opened (`dead`)."""
    held = [row for row in rows if row["status"] == "held"]
    if not held:
        return {}
    kinds = read.evidence.document_kinds(db)
    counts = read.evidence.missing_counts(db, [row["activity_id"] for row in held], kinds)
    dead = dead_links(db, [row["activity_id"] for row in held])
    marks: dict[str, dict[str, Any]] = {}
    for row in held:
        missing = counts.get(row["activity_id"], 0)
        if missing or row["activity_id"] in dead:
            marks[row["activity_id"]] = {"missing": missing, "dead": dead.get(row["activity_id"], [])}
    return marks


def new_form(values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schedule form's values: the next free reference of this year suggested, the next full hour."""
    defaults = {"reference": read.activities.next_reference(read_model(), wib_date(now()).year), "title": "", "leaders": [],
                "location": "", "occurred_at": now().astimezone(WIB).strftime("%Y-%m-%dT%H:00"),
                "note": "", "submission_id": new_submission_id()}
    defaults.update(values or {})
    return defaults


@bp.route("/agenda")
def index() -> Any:
    state = list_state(request.args)
    return page("agenda/index.html", "agenda/_list.html", 400 if state["errors"] else 200,
                form=new_form(), form_errors=FieldErrors(), **state)


@bp.route("/agenda", methods=["POST"])
def schedule() -> Any:
    form = request.form
    lang = current_lang()
    errors = FieldErrors()
    reference = (form.get("reference") or "").strip()
    try:
        fields = command_fields("scheduled", form)
        runtime().record("scheduled", reference, actor=actor(), **fields)
        confirm(saved_message("scheduled", fields["occurred_at"], lang))
    except DomainError as error:
        errors.messages[error_field("scheduled", error)] = describe(error, lang)
        values = {key: form.get(key, "") for key in ("reference", "title", "location", "occurred_at", "note",
                                                     "submission_id")}
        values["leaders"] = form.getlist("leaders")
        state = list_state(request.args)
        return page("agenda/index.html", "agenda/_schedule_form.html", 422, form=new_form(values),
                    form_errors=errors, **state)
    target = url_for("activity.show", reference=reference)
    if wants_fragment():
        return htmx_response("", 200, redirect=target)  # htmx navigates to the new activity's page
    return redirect(target, 303)
