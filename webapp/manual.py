"""Manual IKU: every indicator in force for a year with its whole definition and version history, its PDF and
DOCX, and (admins only) the forms that record a new version of an indicator or retire one from a year."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, redirect, request, url_for
from flask_babel import gettext as _

from domain.errors import DomainError
from domain.indicators import EXCLUSION_REASONS, FREQUENCIES, LEADERS, NUMERATOR_KINDS, SEED_CODES, Indicator
from domain.targets import check_year
from domain.times import FIRST_YEAR, now, wib_date
from projections import read
from services import manualdoc
from services.evidence import EvidenceStore
from services.presentation import describe
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page, year_document_moment
from webapp.wiring import read_model, runtime

bp = Blueprint("manual", __name__)

#: the inputs of the definition form, in its order (leaders and exclusion reasons are checkboxes)
DEFINITION_INPUTS = ("code", "name", "definition", "formula", "unit", "higher_is_better", "data_source",
                     "responsible", "frequency", "sasaran", "numerator_kind", "channels", "leaders",
                     "exclusion_reasons", "renstra_target", "effective_from", "reason")
#: a domain error's field, named as the form's input it belongs beside
_INPUTS = {"year": "effective_from", "value": "renstra_target", "channel": "channels", "note": "reason"}

DOCUMENTS = {
    "pdf": ("application/pdf", manualdoc.pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", manualdoc.docx),
}


def _year(args: Any, errors: FieldErrors) -> int:
    """`tahun` from the URL (this year when absent or refused)."""
    this_year = wib_date(now()).year
    text = (args.get("tahun") or "").strip()
    if not text:
        return this_year
    try:
        return check_year(text)
    except DomainError as error:
        errors.add("tahun", error, current_lang())
        return this_year


def _form_values(indicator: Indicator, year: int) -> dict[str, Any]:
    """The definition form filled with `indicator`'s version, to change it from `year` on."""
    return {"code": indicator.code, "name": indicator.name, "definition": indicator.definition,
            "formula": indicator.formula, "unit": indicator.unit,
            "higher_is_better": "naik" if indicator.higher_is_better else "turun",
            "data_source": indicator.data_source, "responsible": indicator.responsible,
            "frequency": indicator.frequency, "sasaran": indicator.sasaran, "numerator_kind": indicator.numerator_kind,
            "channels": "; ".join(indicator.channels), "leaders": list(indicator.leaders),
            "exclusion_reasons": list(indicator.exclusion_reasons), "renstra_target": indicator.renstra_target,
            "effective_from": str(year), "reason": ""}


def _posted_definition() -> dict[str, Any]:
    form = request.form
    # a field the form did not send takes the domain's default (as the command line's options do)
    values: dict[str, Any] = {name: form.get(name, "") for name in DEFINITION_INPUTS if name in form}
    values["leaders"] = form.getlist("leaders")
    values["exclusion_reasons"] = form.getlist("exclusion_reasons")
    values.setdefault("reason", "")
    values.setdefault("effective_from", "")
    values.setdefault("code", "")
    return values


def _manual_page(errors: FieldErrors | None = None, status: int = 200, defining: dict[str, Any] | None = None,
                 retiring: dict[str, str] | None = None) -> Any:
    """The Manual IKU of the URL's year (`tahun`); after a refused form (422) its errors beside its fields and
    what it had entered."""
    shown = FieldErrors()
    year = _year(request.args, shown)
    if shown:
        status = 400
    if errors is not None:
        shown.messages.update(errors.messages)
    db = read_model()
    indicators = read.manual.indicators(db, year, now())
    history = read.manual.history(db)
    versions = {indicator.code: [entry for entry in history if entry["code"] == indicator.code]
                for indicator in indicators}
    changing = (request.args.get("ubah") or "").strip()
    chosen = next((indicator for indicator in indicators if indicator.code == changing), None)
    if defining is None and chosen is not None and g.user is not None and g.user["role"] == "admin":
        defining = _form_values(chosen, year)
    this_year = wib_date(now()).year
    years = sorted({*range(this_year + 1, this_year - 8, -1), year}, reverse=True)
    return page("manual/index.html", "manual/_body.html", status, year=year, years=years, indicators=indicators,
                versions=versions, seed_codes=SEED_CODES, first_year=FIRST_YEAR, errors=shown,
                defining=defining or {}, blank=_form_values(Indicator(code="", numerator_kind=""), year), retiring=retiring or {}, changing=chosen,
                numerator_kinds=NUMERATOR_KINDS, frequencies=FREQUENCIES, leaders=LEADERS,
                exclusion_reasons=EXCLUSION_REASONS)


@bp.route("/manual")
def index() -> Any:
    return _manual_page()


def _refused(prefix: str, error: DomainError, inputs: tuple[str, ...]) -> FieldErrors:
    field = _INPUTS.get(error.input_field or "", error.input_field or "")
    refused = FieldErrors()
    refused.messages[f"{prefix}-{field if field in inputs else 'form'}"] = describe(error, current_lang())
    return refused


@bp.route("/manual/definisi", methods=["POST"])
@requires_role("admin")
def define() -> Any:
    """An admin records a version of an indicator (a new one, or a change of one from a year on)."""
    values = _posted_definition()
    reason = values.pop("reason")
    try:
        recorded = runtime().log.define_indicator(values, reason=reason, actor=actor())
    except DomainError as error:
        return _manual_page(_refused("define", error, DEFINITION_INPUTS), 422, defining={**values, "reason": reason})
    runtime().applied(recorded)
    year = check_year(values["effective_from"])
    confirm(_("Tersimpan: definisi indikator %(code)s, berlaku mulai %(year)s", code=values["code"].strip(),
              year=year))
    return redirect(url_for("manual.index", tahun=year), 303)


@bp.route("/manual/hentikan", methods=["POST"])
@requires_role("admin")
def retire() -> Any:
    """An admin takes an indicator out of the IKU from a year on (earlier years keep it)."""
    form = request.form
    entered = {name: form.get(name, "") for name in ("code", "effective_from", "reason")}
    try:
        recorded = runtime().log.retire_indicator(entered["code"], entered["effective_from"],
                                                  reason=entered["reason"], actor=actor())
    except DomainError as error:
        return _manual_page(_refused("retire", error, ("code", "effective_from", "reason")), 422, retiring=entered)
    runtime().applied(recorded)
    year = check_year(entered["effective_from"])
    confirm(_("Tersimpan: indikator %(code)s dihentikan mulai %(year)s", code=entered["code"].strip(), year=year))
    return redirect(url_for("manual.index", tahun=year), 303)


@bp.route("/manual/<int:year>.<fmt>")
def download(year: int, fmt: str) -> Any:
    """The Manual IKU of `year` as known at `per` (none: now), as PDF or DOCX."""
    if fmt not in DOCUMENTS:
        abort(404)
    moment, _ = year_document_moment(year)
    data = manualdoc.data(read_model(), year, moment, logo_path=EvidenceStore(runtime().data_dir).path)
    mimetype, render = DOCUMENTS[fmt]
    return Response(render(data), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="manual-iku-{year}.{fmt}"'})
