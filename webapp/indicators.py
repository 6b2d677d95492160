"""Indikator: the three indicators for a period and as-of, the monthly trend, and each drill-down."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from markupsafe import Markup

from domain.indicators import BY_CODE
from domain.periods import MONTHS_EN, MONTHS_ID, ROMAN
from domain.times import WIB, now, wib_date
from iku import bundle as bundles
from iku.evidence import EvidenceStore
from projections import browse, chain, queries
from webapp.cache import cached
from webapp.charts import trend_chart
from webapp.i18n import current_lang
from webapp.params import FieldErrors, as_of_from, period_from
from webapp.rendering import page, wants_fragment
from webapp.runtime import read_model, runtime

bp = Blueprint("indicators", __name__)


def picker_context(period, as_of) -> dict[str, Any]:
    """Choices of the period picker, pre-selected from the URL's period."""
    lang = current_lang()
    this_year = wib_date(now()).year
    code = period.code
    year_text, _, part = code.partition("-") if ".." not in code else (str(period.start.year), "", "")
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    quarter_word = "Quarter" if lang == "en" else "Triwulan"
    parts = [("tahunan", "Annual" if lang == "en" else "Tahunan")]
    parts += [(f"Q{i}", f"{quarter_word} {ROMAN[i - 1]}") for i in range(1, 5)]
    parts += [(f"S{i}", f"Semester {ROMAN[i - 1]}") for i in range(1, 3)]
    parts += [(f"{m:02d}", months[m - 1]) for m in range(1, 13)]
    return {
        "years": list(range(this_year, this_year - 8, -1)),
        "parts": parts,
        "selected_year": int(year_text) if year_text.isdigit() else this_year,
        "selected_part": part or "tahunan",
        "custom": ".." in code,
        "as_of_value": as_of.astimezone(WIB).strftime("%Y-%m-%dT%H:%M") if as_of else "",
    }


def period_state(args) -> tuple[Any, Any, FieldErrors]:
    errors = FieldErrors()
    lang = current_lang()
    period = period_from(args, errors, lang)
    as_of = as_of_from(args, errors, lang)
    return period, as_of, errors


@bp.route("/")
def index() -> Any:
    period, as_of, errors = period_state(request.args)
    db = read_model()
    lang = current_lang()
    picker = picker_context(period, as_of)
    public = g.user is None

    def cards() -> Markup:
        # The figures and the chart, rendered once per log position (they hold nothing of the session).
        one_year = period.start.year == period.end.year
        report = queries.report(db, period, as_of, lang)
        trend = browse.monthly_trend(db, period.start.year, as_of, lang) if one_year else []
        return Markup(render_template("indicators/_cards.html", report=report, period=period, as_of=as_of,
                                      chart=trend_chart(trend) if trend else None, public=public,
                                      as_of_value=picker["as_of_value"], seal=str(chain.head(db))))

    cards_html = cached(("cards", period.code, as_of, lang, public), cards)
    status = 400 if errors else 200
    if wants_fragment():
        return page("indicators/_cached.html", "indicators/_cached.html", status, cards_html=cards_html)
    return page("indicators/index.html", "indicators/_cached.html", status, cards_html=cards_html, period=period,
                as_of=as_of, errors=errors, **picker)


@bp.route("/data-dukung.zip")
def bundle() -> Any:
    """The evidence bundle of the chosen period and as-of, as a ZIP download."""
    period, as_of, errors = period_state(request.args)
    if errors:
        abort(400)
    data = bundles.build(read_model(), period, as_of, EvidenceStore(runtime().data_dir))
    name = f"data-dukung-{period.code.replace('..', '_')}.zip"
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/indikator/<code>")
def drilldown(code: str) -> Any:
    indicator = BY_CODE.get(code)
    if indicator is None:
        abort(404)
    period, as_of, errors = period_state(request.args)
    db = read_model()
    result = queries.drilldown(db, period, code, as_of)
    row = queries.report_row(db, period, code, as_of, current_lang())
    return page("indicators/drilldown.html", "indicators/_drilldown.html", 400 if errors else 200,
                indicator=indicator, row=row, result=result, period=period, as_of=as_of, errors=errors,
                **picker_context(period, as_of))
