"""Perbandingan: the indicators as known at a past moment beside now, and what changed them since."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from domain.times import now, parse_instant, wib_iso
from services import reports
from webapp.cache import cached
from webapp.i18n import current_lang
from webapp.indicators import period_state, picker_context
from webapp.params import positive_int
from webapp.rendering import page
from webapp.wiring import read_model

bp = Blueprint("compare", __name__)
PAGE_SIZES = (25, 50, 100, 200)


@bp.route("/perbandingan")
def index() -> Any:
    period, as_of, errors = period_state(request.args)
    size = positive_int(request.args, "ukuran", PAGE_SIZES[1])
    size = size if size in PAGE_SIZES else PAGE_SIZES[1]
    number = max(positive_int(request.args, "halaman", 1), 1)
    lang = current_lang()
    result = None
    if as_of and not errors:
        db = read_model()
        result = cached(("compare", period.code, as_of, number, size, lang),
                        lambda: reports.compare(db, period, as_of, now(), lang, offset=(number - 1) * size,
                                               limit=size))
    picker = picker_context(period, as_of)
    # What the paging links carry: this period, this very moment (to the microsecond), and the page size.
    moment = picker["as_of_value"] if as_of and as_of == parse_instant(picker["as_of_value"]) else ""
    links = {"periode": period.code, "per": moment or (wib_iso(as_of) if as_of else ""), "ukuran": size}
    return page("compare/index.html", "compare/_result.html", 400 if errors else 200, period=period, as_of=as_of,
                result=result, errors=errors, links=links, page_number=number, page_sizes=PAGE_SIZES, **picker)
