"""Penutupan periode: each triwulan of a year and the year itself through the accountability cycle (submit,
verify or return, approve, reopen), what awaits the viewing account, and the steps its role may take."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_babel import gettext as _

from domain.accounts import WRITERS
from domain.closing import NARRATIVE_FIELDS, OPEN, STEPPED, STEPS, WITH_REASON, closable
from domain.errors import DomainError
from domain.periods import parse_period
from domain.targets import check_year
from domain.times import now, wib_date
from services import closing, reports
from services.presentation import (
    describe,
    field_label,
    format_moment,
    kind_label,
    period_label,
    state_label,
    step_button,
)
from webapp.auth import actor
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page
from webapp.wiring import read_model, runtime

bp = Blueprint("closing", __name__)


def _year(args: Any, errors: FieldErrors) -> int:
    this_year = wib_date(now()).year
    text = (args.get("tahun") or "").strip()
    if text:
        try:
            return check_year(text)
        except DomainError as error:
            errors.add("tahun", error, current_lang())
    return this_year


def _page(year: int, errors: FieldErrors, status: int = 200, entered: dict[str, str] | None = None) -> Any:
    db = read_model()
    user = g.get("user")
    role = user["role"] if user else None
    cycles = closing.year_view(runtime(), db, year, user["username"] if user else None, role)
    this_year = wib_date(now()).year
    years = sorted({*range(this_year, this_year - 8, -1), year}, reverse=True)
    return page("closing/index.html", "closing/_body.html", status, year=year, years=years, cycles=cycles,
                awaiting=closing.awaiting(db, role), errors=errors, entered=entered or {}, with_reason=WITH_REASON)


@bp.route("/penutupan")
def index() -> Any:
    errors = FieldErrors()
    year = _year(request.args, errors)
    return _page(year, errors, 400 if errors else 200)


@bp.route("/penutupan/<code>/<step>", methods=["POST"])
def step(code: str, step: str) -> Any:
    """Take a step of the cycle as the logged-in account (its role and the separation of duties decide)."""
    if step not in STEPS:
        abort(404)
    who = actor()
    lang = current_lang()
    errors = FieldErrors()
    reason = request.form.get("alasan", "")
    try:
        period = closable(code)
    except DomainError as error:
        errors.messages["form"] = describe(error, lang)
        return _page(_year(request.form, FieldErrors()), errors, 422)
    try:
        closing.take_step(runtime(), period.code, step, actor=who, reason=reason)
    except DomainError as error:
        errors.messages[f"{period.code}-{step}"] = describe(error, lang)
        return _page(period.start.year, errors, 422, {f"{period.code}-{step}": reason})
    confirm(_("Tersimpan: %(period)s %(what)s", period=period_label(parse_period(period.code), lang),
              what=kind_label(f"period_{STEPPED[step]}", lang)))
    return redirect(url_for("closing.index", tahun=period.start.year), 303)


@bp.route("/penutupan/<code>/narasi", methods=["GET", "POST"])
def narrative(code: str) -> Any:
    """The narrative of each indicator in a triwulan (analisis capaian, kendala, tindak lanjut) beside its
    figures: written by an operator while the triwulan is open, read by everyone else."""
    lang = current_lang()
    try:
        period = closable(code)
    except DomainError:
        abort(404)
    if period.is_year:
        abort(404)
    errors, entered, status = FieldErrors(), {}, 200
    if request.method == "POST":
        indicator = (request.form.get("indikator") or "").strip()
        texts = {name: request.form.get(name, "") for name in NARRATIVE_FIELDS}
        try:
            closing.write_narrative(runtime(), period.code, indicator, texts, actor=actor())
        except DomainError as error:
            field = error.params.get("field") if error.params.get("field") in NARRATIVE_FIELDS else "form"
            known = {i.code for i in reports.indicators_for(read_model(), period, now())}
            row = indicator if indicator in known else ""  # an unknown indicator: said above the forms
            errors.messages[f"{row}-{field}"] = describe(error, lang)
            entered, status = {indicator: texts}, 422
        else:
            confirm(_("Tersimpan: narasi %(period)s", period=period_label(period, lang)))
            return redirect(url_for("closing.narrative", code=period.code), 303)
    sheet = closing.quarter_sheet(read_model(), period, now(), lang)
    user = g.get("user")
    can_write = bool(user) and user["role"] in WRITERS and sheet["state"] == OPEN
    return page("closing/narrative.html", "closing/_narrative.html", status, sheet=sheet, can_write=can_write,
                errors=errors, entered=entered, fields=NARRATIVE_FIELDS)


@bp.app_template_filter("period_code_label")
def period_code_label(code: str) -> str:
    return period_label(parse_period(code), current_lang())


@bp.app_template_filter("period_state")
def period_state(state: str) -> str:
    return state_label(state, current_lang())


@bp.app_template_filter("stepped")
def stepped(step: str) -> str:
    return STEPPED[step]


@bp.app_template_filter("period_step_button")
def period_step_button(step: str) -> str:
    return step_button(step, current_lang())


@bp.app_template_filter("iso_moment")
def iso_moment(text: str) -> str:
    """A moment kept as ISO 8601 text (an approval's), as people read it."""
    return format_moment(datetime.fromisoformat(text), current_lang())


@bp.app_template_filter("field_name")
def field_name(name: str) -> str:
    """An input's name as people read it (analisis capaian, kendala, tindak lanjut), capitalised as a label."""
    text = field_label(name, current_lang())
    return text[:1].upper() + text[1:]
