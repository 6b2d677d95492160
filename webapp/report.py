"""Laporan: the official IKU report of a year, print-ready in the browser and as XLSX, PDF and CSV."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import filetype
from flask import Blueprint, Response, abort, redirect, request, send_file, url_for
from flask_babel import gettext as _

from domain.errors import DomainError
from domain.indicators import in_force
from domain.periods import parse_period
from domain.periods import year as year_period
from domain.profile import TEXT_FIELDS
from domain.targets import check_indicator, check_quarter, check_target, check_year
from domain.times import now, wib_date
from projections import read
from services import lkjip, officialreport, quarterreport, reports
from services.evidence import EvidenceStore
from services.presentation import ROMAN, describe, exclusions_text, format_percent, indicator_name
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors, as_of_from
from webapp.rendering import confirm, page, year_document_moment
from webapp.wiring import read_model, runtime

bp = Blueprint("report", __name__)


@bp.app_template_global("profile_labels")
def profile_labels() -> list[tuple[str, str]]:
    """(field, label) of the profile form, in the user's language."""
    labels = {"pemda": _("Pemerintah daerah"), "unit": _("Unit kerja"), "alamat": _("Alamat"),
              "tempat": _("Tempat penandatanganan"), "penandatangan_jabatan": _("Jabatan penandatangan"),
              "penandatangan_nama": _("Nama penandatangan"), "penandatangan_nip": _("NIP penandatangan")}
    return [(key, labels[key]) for key in TEXT_FIELDS]


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", officialreport.to_xlsx),
    "pdf": ("application/pdf", officialreport.to_pdf),
    "csv": ("text/csv; charset=utf-8", officialreport.to_csv),
}


def _official(year: int, as_of: datetime | None, lang: str) -> dict[str, Any]:
    """The official report of `year` as known at `as_of` (none: now), made now."""
    made = now()
    return officialreport.build(read_model(), year, as_of or made, stated=as_of is not None, printed_at=made,
                                logo_path=EvidenceStore(runtime().data_dir).path, lang=lang)


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


def _report_page(refused: FieldErrors | None = None, as_of_value: str = "", entered: dict | None = None,
                 profile_entered: dict | None = None) -> Any:
    """The Laporan page for the year and as-of in the URL; after a refused form (422), its errors beside
    its fields and what it had entered."""
    year, as_of, errors = _state(request.args)
    status = 400 if errors else 200
    if refused is not None:
        errors.messages.update(refused.messages)
        status = 422
    lang = current_lang()
    data = _official(year, as_of, lang)
    this_year = wib_date(now()).year
    # the period picker's years (this one and seven before), with the year shown when it is older; targets
    # are also set for the coming year
    years = sorted({*range(this_year, this_year - 8, -1), year}, reverse=True)
    typed = (entered or {}).get("tahun", "").strip()
    target_years = sorted({this_year + 1, *years, *([int(typed)] if typed.isdigit() else [])}, reverse=True)
    db = read_model()
    versions = read.manual.recorded_versions(db)
    # the target form offers every indicator in force in one of the years it offers
    offered = {i.code: i for y in reversed(target_years) for i in in_force(versions, y)}
    at = as_of or data["printed_at"]
    in_year = reports.indicators_for(db, year_period(year), at)
    return page("report/index.html", "report/_body.html", status, data=data, errors=errors, year=year,
                years=years, target_years=target_years, as_of_value=as_of_value, indicators=list(offered.values()),
                entered=entered or {}, profile_entered=profile_entered or {}, roman=ROMAN,
                exclusion_notes=_exclusion_notes(db, year, at, lang), targets=_targets(db, year, at, in_year),
                lkjip=lkjip.data(db, year, at))


def _exclusion_notes(db: Any, year: int, at: datetime, lang: str) -> list[str]:
    """The year's excluded activities in words for each indicator, in the order of the report's rows."""
    rows = reports.report(db, year_period(year), at, lang)["indicators"]
    return [exclusions_text(row["excluded"], row["exclusions"], lang) for row in rows]


def _targets(db: Any, year: int, at: datetime, indicators: Any) -> list[dict[str, Any]]:
    """Each indicator in force for `year` with its targets as recorded by `at`: the PK's original (awal), its
    revision (perubahan, with the decree's number and date) and the triwulan targets."""
    recorded = read.targets.pk_targets(db, year, at)
    empty = {"awal": None, "perubahan": None, "basis_number": None, "basis_date": None, "quarters": {}}
    rows = []
    for indicator in indicators:
        row = {"indicator": indicator, **(recorded.get(indicator.code) or empty)}
        row["basis_day"] = date.fromisoformat(row["basis_date"]) if row["basis_date"] else None
        rows.append(row)
    return rows


#: a domain error's field, named as the form's input it belongs beside
_INPUTS = {"note": "reason", "evidence_ref": "basis_number"}
#: the kinds of target the target form records: the PK's original, its revision by decree, a triwulan's
TARGET_KINDS = ("awal", "perubahan", "triwulan")


def _refused(prefix: str, error: DomainError) -> FieldErrors:
    refused = FieldErrors()
    field = error.input_field
    refused.messages[f"{prefix}-{_INPUTS.get(field, field) if field else 'form'}"] = describe(error, current_lang())
    return refused


@bp.route("/laporan")
def index() -> Any:
    return _report_page(as_of_value=request.args.get("per", ""))


@bp.route("/laporan/target", methods=["POST"])
@requires_role("admin")
def set_target() -> Any:
    """An admin sets an indicator's target for a year (`jenis` awal, the PK's original), revises it by a decree
    (perubahan: number, date) or sets a triwulan's target (triwulan: 1–4); each kept as an event with the reason."""
    form = request.form
    kind = (form.get("jenis") or "awal").strip()
    log, common = runtime().log, {"reason": form.get("reason", ""), "actor": actor()}
    year_text, code, value = form.get("tahun", ""), form.get("code", ""), form.get("value", "")
    if kind not in TARGET_KINDS:
        refused = FieldErrors()
        refused.messages["target-jenis"] = _("Jenis target tidak dikenal: pilih awal, perubahan atau triwulan.")
        return _report_page(refused, entered=dict(form))
    try:
        if kind == "perubahan":
            recorded = log.revise_target(year_text, code, value, basis_number=form.get("basis_number", ""),
                                         basis_date=form.get("basis_date", ""), **common)
        elif kind == "triwulan":
            recorded = log.set_quarter_target(year_text, code, form.get("quarter", ""), value, **common)
        else:
            recorded = log.set_target(year_text, code, value, **common)
    except DomainError as error:
        return _report_page(_refused("target", error), entered=dict(form))
    runtime().applied(recorded)
    lang = current_lang()
    year = check_year(year_text)
    words = {"year": year, "value": format_percent(check_target(value), lang),
             "indicator": indicator_name(check_indicator(code, runtime().log.indicators(year)), lang)}
    if kind == "perubahan":
        confirm(_("Tersimpan: target %(year)s (PK perubahan), %(indicator)s: %(value)s", **words))
    elif kind == "triwulan":
        confirm(_("Tersimpan: target triwulan %(roman)s %(year)s, %(indicator)s: %(value)s",
                  roman=ROMAN[check_quarter(form.get("quarter", "")) - 1], **words))
    else:
        confirm(_("Tersimpan: target %(year)s, %(indicator)s: %(value)s", **words))
    return redirect(url_for("report.index", tahun=year), 303)


@bp.route("/laporan/profil", methods=["POST"])
@requires_role("admin")
def set_profile() -> Any:
    """An admin changes the institution profile printed on the report (and its logo), all together."""
    form = request.form
    values = {key: form.get(key, "") for key in TEXT_FIELDS if key in form}
    try:
        upload = request.files.get("logo")
        if upload is not None and upload.filename:
            values["logo"] = EvidenceStore(runtime().data_dir).put_logo(upload.read(), upload.filename)
        recorded = runtime().log.change_profile(values, actor=actor())
    except DomainError as error:
        return _report_page(_refused("profile", error), profile_entered=dict(form))
    runtime().applied(recorded)
    confirm(_("Tersimpan: profil instansi pada laporan") if recorded.positions
            else _("Profil instansi tidak berubah: isiannya sama dengan yang tersimpan"))
    return redirect(url_for("report.index", tahun=request.args.get("tahun") or None), 303)


@bp.route("/laporan/iku.<fmt>")
def download(fmt: str) -> Any:
    if fmt not in FORMATS:
        abort(404)
    year, as_of, errors = _state(request.args)
    if errors:
        abort(400)
    mimetype, render = FORMATS[fmt]
    body = render(_official(year, as_of, "id"))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="laporan-iku-{year}.{fmt}"'})


@bp.route("/laporan/logo")
def logo() -> Any:
    """The logo set with `iku profile logo` (a PNG or JPEG kept by its digest)."""
    sha256 = read.targets.profile(read_model()).get("logo")
    path = EvidenceStore(runtime().data_dir).path(sha256) if sha256 else None
    if path is None or not path.exists():
        abort(404)
    kind = filetype.guess(path.read_bytes())
    return send_file(path, mimetype=kind.mime if kind else "application/octet-stream")


LKJIP = {"xlsx": FORMATS["xlsx"][0],
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@bp.route("/laporan/lkjip-<int:year>.<fmt>")
def lkjip_table(year: int, fmt: str) -> Any:
    """The LKjIP chapter III table (tabel capaian kinerja) of `year` as known at `per` (none: now)."""
    if fmt not in LKJIP:
        abort(404)
    moment, _ = year_document_moment(year)
    data = lkjip.data(read_model(), year, moment, logo_path=EvidenceStore(runtime().data_dir).path)
    body = lkjip.xlsx(data) if fmt == "xlsx" else lkjip.docx(data)
    return Response(body, mimetype=LKJIP[fmt],
                    headers={"Content-Disposition": f'attachment; filename="lkjip-capaian-{year}.{fmt}"'})


QUARTERLY = {"xlsx": FORMATS["xlsx"][0], "pdf": FORMATS["pdf"][0]}


@bp.route("/laporan/triwulan-<int:quarter>.<fmt>")
def quarterly(quarter: int, fmt: str) -> Any:
    """The quarterly report of triwulan `quarter` of the chosen year: the approved revision when it is closed,
    the log as of the chosen moment (none: now) otherwise."""
    if fmt not in QUARTERLY or not 1 <= quarter <= 4:
        abort(404)
    year, as_of, errors = _state(request.args)
    if errors:
        abort(400)
    made = now()
    data = quarterreport.build(read_model(), parse_period(f"{year}-Q{quarter}"), as_of or made, stated=as_of is not None,
                               printed_at=made, logo_path=EvidenceStore(runtime().data_dir).path)
    body = quarterreport.to_xlsx(data) if fmt == "xlsx" else quarterreport.to_pdf(data)
    return Response(body, mimetype=QUARTERLY[fmt],
                    headers={"Content-Disposition": f'attachment; filename="laporan-kinerja-{year}-Q{quarter}.{fmt}"'})
