"""Indikator: the three indicators for a period and as-of, the monthly trend, and each drill-down."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from domain.errors import DomainError
from domain.periods import Period
from domain.times import WIB, now, parse_instant, wib_date, wib_iso
from projections import chain, read
from services import bundle as bundles
from services import closing, reports
from services.evidence import EvidenceStore
from services.presentation import ROMAN, format_date, format_fraction, month_name, period_label
from services.proofs import ProofError
from webapp.cache import cached
from webapp.charts import trend_chart
from webapp.errors import refusal
from webapp.i18n import current_lang
from webapp.params import (
    CUSTOM_PART,
    SEAL_FORM,
    FieldErrors,
    as_of_from,
    period_from,
    picked,
    picker_fields,
    positive_int,
    seal_from,
)
from webapp.publications import dead_links
from webapp.rendering import page, wants_fragment
from webapp.wiring import read_model, runtime

bp = Blueprint("indicators", __name__)

#: rows of each drill-down list on one page
PAGE_SIZE = 50


@bp.app_template_filter("span")
def span_label(period: Period) -> str:
    """`1 – 15 Februari 2020`, `1 Januari – 15 Februari 2020`, or both dates in full across a new year."""
    lang = current_lang()
    start, end = period.start, period.end
    if start == end:
        return format_date(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} – {format_date(end, lang)}"
    if start.year == end.year:
        return f"{start.day} {month_name(start.month, lang)} – {format_date(end, lang)}"
    return f"{format_date(start, lang)} – {format_date(end, lang)}"


@bp.app_template_filter("period_title")
def period_title(period: Period) -> str:
    """`Triwulan I 2020`, or for a range of dates the dates as a person writes them."""
    return span_label(period) if period.is_custom else period_label(period, current_lang())


def _as_of_value(as_of) -> str:
    if as_of is None:
        return ""
    local = as_of.astimezone(WIB)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


def _entered_as_of() -> str:
    """What was entered as as-of, shown again beside its message (in the form the field takes, if it can)."""
    text = request.args.get("per") or ""
    try:
        return _as_of_value(parse_instant(text))
    except DomainError:
        return text


def picker_context(period, as_of) -> dict[str, Any]:
    """Choices of the period picker showing the URL's period, and the query that carries period and as-of
    into every link."""
    lang = current_lang()
    this_year = wib_date(now()).year
    year_text, part = picker_fields(period)
    parts = [("tahunan", _("Tahunan"))]
    parts += [(f"Q{i}", _("Triwulan %(roman)s", roman=ROMAN[i - 1])) for i in range(1, 5)]
    parts += [(f"S{i}", _("Semester %(roman)s", roman=ROMAN[i - 1])) for i in range(1, 3)]
    parts += [(f"{m:02d}", month_name(m, lang)) for m in range(1, 13)]
    parts += [(CUSTOM_PART, _("Rentang sendiri"))]
    years = list(range(this_year, this_year - 8, -1))
    if int(year_text) not in years:  # a year the list would not offer must still show as chosen
        years = sorted({*years, int(year_text)}, reverse=True)
    errors = g.get("period_errors") or FieldErrors()
    refused = bool(errors.get("sampai"))
    as_of_value = _as_of_value(as_of)
    return {
        "per_value": _entered_as_of() if errors.get("per") else as_of_value,
        "years": years,
        "parts": parts,
        "selected_year": int(year_text),
        "selected_part": part,
        # after a refused range the fields keep what was entered, to be corrected
        "range_values": ((request.args.get("dari") or "", request.args.get("sampai") or "") if refused
                         else (period.start.isoformat(), period.end.isoformat())),
        "as_of_value": as_of_value,
        # links carry the very moment (to the microsecond), in the field's form when that is exact
        "period_args": {"periode": period.code, "per": (as_of_value if parse_instant(as_of_value) == as_of
                                                         else wib_iso(as_of)) if as_of else None},
        "picker_oob": wants_fragment(),
        # with htmx the dates being typed are not replaced under the cursor
        "keep_range": picked(request.args) == "range",
    }


def period_state(args) -> tuple[Any, Any, FieldErrors]:
    errors = FieldErrors()
    lang = current_lang()
    period = period_from(args, errors, lang)
    as_of = as_of_from(args, errors, lang)
    g.period_errors = errors
    return period, as_of, errors


@bp.route("/")
def index() -> Any:
    period, as_of, errors = period_state(request.args)
    db = read_model()
    lang = current_lang()
    picker = picker_context(period, as_of)
    viewer = g.user["role"] if g.user else None  # None: a public visitor (IKU_PUBLIC_INDICATORS=1)

    def cards() -> Markup:
        # The figures and the chart, rendered once per log position for each kind of viewer.
        one_year = period.start.year == period.end.year
        at, stated = as_of or now(), as_of is not None
        report = reports.report(db, period, at, lang, stated=stated)
        trend = reports.monthly_trend(db, period.start.year, at, lang) if one_year else []
        standing = closing.reported(db, period, as_of)  # final, or provisional beside its last approval, as known then
        changed = closing.differences(standing["approval"], report) if standing else []
        return Markup(render_template("indicators/_cards.html", report=report, period=period, as_of=as_of,
                                      chart=trend_chart(trend, lang) if trend else None, one_year=one_year,
                                      viewer=viewer, period_args=picker["period_args"], seal=chain.head(db),
                                      standing=standing, changed=changed))

    cards_html = cached(("cards", period.code, as_of, lang, viewer), cards)
    return page("indicators/index.html", "indicators/_cached.html", 400 if errors else 200, cards_html=cards_html,
                period=period, as_of=as_of, errors=errors, **picker)


@bp.route("/data-dukung.zip")
def bundle() -> Any:
    """The evidence bundle of the chosen period and as-of, as a ZIP download; with `sejak` (a seal printed on an
    earlier report), with the consistency proof from it."""
    period, as_of, errors = period_state(request.args)
    if errors:
        abort(400)
    try:
        _given, since = seal_from(request.args, "sejak")
    except ValueError:
        return refusal(400, _("Segel tidak dapat dibaca"), _(SEAL_FORM))
    seals = [since] if since is not None else []
    try:
        data = bundles.build(read_model(), period, as_of or now(), log=runtime().log, stated=as_of is not None,
                             store=EvidenceStore(runtime().data_dir), since=seals)
    except ProofError as error:
        if not seals:
            raise  # the tree not yet level: the error page says so
        return refusal(409, _("Segel tidak cocok dengan log ini"), error.message(current_lang()))
    name = f"data-dukung-{period.code.replace('..', '_')}.zip"
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/indikator/<code>")
def drilldown(code: str) -> Any:
    period, as_of, errors = period_state(request.args)
    db = read_model()
    at = as_of or now()
    indicator = next((i for i in reports.indicators_for(db, period, at) if i.code == code), None)
    if indicator is None:
        abort(404)
    result = read.indicators.drilldown(db, period, indicator, at, page_size=PAGE_SIZE,
                               missing_page=positive_int(request.args, "belum", 1),
                               counted_page=positive_int(request.args, "sudah", 1))
    row = reports.report_row(db, period, code, at, current_lang())
    completeness = read.evidence.completeness(db, period, at)
    completeness["text"] = format_fraction(completeness["complete"], completeness["required"],
                                           completeness["percent"], current_lang())
    picker = picker_context(period, as_of)
    standing = closing.reported(db, period, as_of)  # final, or provisional beside the last approval, as known then
    changed = closing.differences(standing["approval"], {"indicators": [row]}) if standing else []
    return page("indicators/drilldown.html", "indicators/_drilldown.html", 400 if errors else 200,
                indicator=indicator, row=row, result=result, lists=_list_pages(code, result, picker["period_args"]),
                completeness=completeness, dead=_dead_links(db, result),
                period=period, as_of=as_of, errors=errors, standing=standing, changed=changed,
                viewer=g.user["role"] if g.user else None, **picker)


def _dead_links(db: Any, result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The listed activities' publication links that could not be opened at their last check, by reference."""
    listed = {item["reference"] for name in ("missing", "counted", "excluded") for item in result[name]}
    ids = {}
    for reference in sorted(listed):
        found = read.activities.activity(db, reference)
        if found is not None:
            ids[found["activity_id"]] = reference
    return {ids[activity_id]: links for activity_id, links in dead_links(db, list(ids)).items()}


def _list_pages(code: str, result: dict[str, Any], period_args: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """For each drill-down list: the rows shown (first, last of total) and the links to its neighbouring
    pages, which keep the period, the as-of and the other list's page."""
    keys = {"missing": "belum", "counted": "sudah"}
    pages = {name: result[f"{name}_page"] for name in keys}
    lists = {}
    for name in keys:
        number, total = pages[name], result[f"{name}_total"]

        def link(to: int, name: str = name) -> str:
            wanted = {**pages, name: to}
            query = {keys[n]: p for n, p in wanted.items() if p > 1}
            return url_for("indicators.drilldown", code=code, **period_args, **query) + f"#{name}-title"

        lists[name] = {
            "first": (number - 1) * PAGE_SIZE + 1, "last": min(number * PAGE_SIZE, total), "total": total,
            "page": number, "pages": result[f"{name}_pages"],
            "prev": link(number - 1) if number > 1 else None,
            "next": link(number + 1) if number < result[f"{name}_pages"] else None,
        }
    return lists
