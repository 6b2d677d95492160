"""Perbandingan: the indicators as known at a past moment beside now, and what changed them since."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from projections import browse
from webapp.i18n import current_lang
from webapp.indicators import period_state, picker_context
from webapp.rendering import page
from webapp.runtime import read_model

bp = Blueprint("compare", __name__)


@bp.route("/perbandingan")
def index() -> Any:
    period, as_of, errors = period_state(request.args)
    result = browse.compare(read_model(), period, as_of, current_lang()) if as_of else None
    return page("compare/index.html", "compare/_result.html", 400 if errors else 200, period=period, as_of=as_of,
                result=result, errors=errors, **picker_context(period, as_of))
