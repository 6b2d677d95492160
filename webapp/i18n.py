"""Bahasa Indonesia by default, English on request; Indonesian dates and numbers in templates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, redirect, request, session, url_for
from flask_babel import Babel, get_locale, get_translations

from domain.times import to_wib
from services import catalogue
from services.accounts import describe_change
from services.presentation import (
    dead_since_text,
    document_state_label,
    exclusion_reason_label,
    exclusions_text,
    format_date,
    format_fraction,
    format_moment,
    format_number,
    format_percent,
    frequency_label,
    indicator_formula,
    indicator_name,
    kind_label,
    leader_label,
    link_answer,
    period_label,
    predikat_label,
    role_label,
)

LANGUAGES = ("id", "en")
bp = Blueprint("i18n", __name__)


def current_lang() -> str:
    return str(get_locale() or "id")


def select_locale() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "id"


@bp.route("/bahasa/<lang>", methods=["POST"])
def switch(lang: str) -> Any:
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.form.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("indicators.index")
    return redirect(target, 303)


def _translations() -> Any:
    """This request's catalogue, looked up once (Flask-Babel looks it up again for every text)."""
    found = g.get("iku_translations")
    if found is None:
        found = g.iku_translations = get_translations()
    return found


def template_gettext(text: str) -> str:
    return _translations().ugettext(text)


def template_ngettext(singular: str, plural: str, count: int) -> str:
    return _translations().ungettext(singular, plural, count)


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_locale="id", default_timezone="Asia/Jakarta",
          default_translation_directories=str(catalogue.DIRECTORY))
    app.jinja_env.install_gettext_callables(template_gettext, template_ngettext, newstyle=True)
    app.register_blueprint(bp)
    app.add_template_filter(lambda v: format_percent(v, current_lang()), "percent")
    app.add_template_filter(lambda v: format_number(v, current_lang()), "number")
    app.add_template_filter(lambda v: format_moment(v, current_lang()) if v else "–", "moment")
    app.add_template_filter(lambda v: format_date(v, current_lang()) if v else "–", "day")
    app.add_template_filter(lambda v: format_date(to_wib(v).date(), current_lang()) if v else "–", "day_of")
    app.add_template_filter(lambda v: kind_label(v, current_lang()), "kind")
    app.add_template_filter(lambda v: period_label(v, current_lang()), "period_label")
    app.add_template_filter(lambda v: indicator_name(v, current_lang()), "indicator_name")
    app.add_template_filter(lambda v: indicator_formula(v, current_lang()), "indicator_formula")
    app.add_template_filter(lambda v: leader_label(v, current_lang()), "leader")
    app.add_template_filter(lambda v: predikat_label(v, current_lang()), "predikat")
    app.add_template_filter(lambda v: role_label(v, current_lang()), "role")
    app.add_template_filter(lambda v: exclusion_reason_label(v, current_lang()), "exclusion_reason")
    app.add_template_filter(lambda v: frequency_label(v, current_lang()), "frequency")
    # a report row's excluded activities in words: `1 kegiatan dikecualikan: 1 tertutup/rahasia` (empty: none)
    app.add_template_filter(lambda row: exclusions_text(row.get("excluded") or 0, row.get("exclusions") or {},
                                                        current_lang()), "exclusions")
    app.add_template_filter(lambda row: describe_change(row, current_lang()), "account_change")
    app.add_template_filter(lambda check: link_answer(check, current_lang()), "link_answer")
    app.add_template_filter(lambda moment: dead_since_text(moment, current_lang()), "dead_since")
    app.add_template_filter(lambda state: document_state_label(state, current_lang()), "document_state")
    app.add_template_global(current_lang, "current_lang")
    app.add_template_global(
        lambda item: format_fraction(item["numerator"], item["denominator"], item["percent"], current_lang()),
        "fraction",
    )
