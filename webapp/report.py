"""Laporan: the official IKU report of a year, print-ready in the browser and as XLSX, PDF and CSV."""

from __future__ import annotations

from typing import Any

import filetype
from flask import Blueprint, Response, abort, redirect, request, send_file, url_for

from domain.errors import DomainError
from domain.indicators import INDICATORS
from domain.targets import check_year
from domain.times import now, wib_date
from iku import officialreport
from iku.evidence import EvidenceStore
from projections import queries
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors, as_of_from
from webapp.rendering import page
from webapp.runtime import read_model, runtime

bp = Blueprint("report", __name__)
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", officialreport.to_xlsx),
    "pdf": ("application/pdf", officialreport.to_pdf),
    "csv": ("text/csv; charset=utf-8", officialreport.to_csv),
}


def _state(args: Any) -> tuple[int, Any, FieldErrors]:
    errors = FieldErrors()
    as_of = as_of_from(args, errors, current_lang())
    text = (args.get("tahun") or "").strip()
    year = wib_date(now()).year
    if text:
        try:
            year = check_year(text)
        except DomainError as error:
            errors.add("tahun", error, current_lang())
    return year, as_of, errors


@bp.route("/laporan")
def index() -> Any:
    year, as_of, errors = _state(request.args)
    data = officialreport.build(read_model(), year, as_of, EvidenceStore(runtime().data_dir).path)
    return page("report/index.html", "report/_table.html", 400 if errors else 200, data=data, errors=errors,
                year=year, as_of_value=request.args.get("per", ""), indicators=INDICATORS, entered={})


@bp.route("/laporan/target", methods=["POST"])
@requires_role("admin")
def set_target() -> Any:
    """An admin sets an indicator's target for a year (kept as an event with the reason)."""
    form = request.form
    try:
        runtime().log.set_target(form.get("tahun", ""), form.get("code", ""), form.get("value", ""),
                                 reason=form.get("reason", ""), actor=actor())
    except DomainError as error:
        year, as_of, errors = _state(request.args)
        errors.messages["target-" + (error.input_field or "form")] = error.message(current_lang())
        data = officialreport.build(read_model(), year, as_of, EvidenceStore(runtime().data_dir).path)
        return page("report/index.html", "report/_table.html", 422, data=data, errors=errors, year=year,
                    as_of_value="", indicators=INDICATORS, entered=dict(form))
    runtime().follower.catch_up()
    return redirect(url_for("report.index", tahun=form.get("tahun")), 303)


@bp.route("/laporan/iku.<fmt>")
def download(fmt: str) -> Any:
    if fmt not in FORMATS:
        abort(404)
    year, as_of, errors = _state(request.args)
    if errors:
        abort(400)
    mimetype, render = FORMATS[fmt]
    body = render(officialreport.build(read_model(), year, as_of, EvidenceStore(runtime().data_dir).path))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="laporan-iku-{year}.{fmt}"'})


@bp.route("/laporan/logo")
def logo() -> Any:
    """The logo set with `iku profile logo` (a PNG or JPEG kept by its digest)."""
    sha256 = queries.profile(read_model()).get("logo")
    path = EvidenceStore(runtime().data_dir).path(sha256) if sha256 else None
    if path is None or not path.exists():
        abort(404)
    kind = filetype.guess(path.read_bytes())
    return send_file(path, mimetype=kind.mime if kind else "application/octet-stream")
