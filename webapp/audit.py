"""Jejak audit: every event of the log, newest or oldest first, filtered and paged, and as CSV or XLSX."""

from __future__ import annotations

import tempfile
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file, stream_with_context
from flask_babel import gettext as _
from markupsafe import Markup

from domain.errors import UnknownEventKindError
from domain.times import end_of_day, start_of_day
from projections import chain, read
from services import auditexport
from services.presentation import KIND_LABELS, format_date, format_number
from webapp.cache import cached
from webapp.i18n import current_lang
from webapp.params import FieldErrors, day_from, positive_int
from webapp.rendering import page
from webapp.wiring import read_model

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50
ORDERS = ("terbaru", "terlama")  # newest first (default), oldest first
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kind_choices(db) -> list[str]:
    """The kinds the log holds, in the order of the kinds' labels; kinds without a label follow."""
    held = set(read.audit.audit_kinds(db))
    return [kind for kind in KIND_LABELS if kind in held] + sorted(held - set(KIND_LABELS))


def filters_from(args, kinds: list[str]) -> tuple[dict[str, Any], dict[str, str], FieldErrors]:
    """The audit-log question in the URL: (query arguments, the values as the URL carries them, errors)."""
    lang = current_lang()
    errors = FieldErrors()
    start = day_from(args, "dari", None, errors, lang)
    end = day_from(args, "sampai", None, errors, lang)
    if start and end and start > end:
        errors.messages["sampai"] = _("Rentang terbalik: tanggal awal %(start)s sesudah tanggal akhir %(end)s.",
                                      start=format_date(start, lang), end=format_date(end, lang))
    kind = (args.get("jenis") or "").strip()[:64]
    if kind and kind not in kinds and kind not in KIND_LABELS:
        errors.add("jenis", UnknownEventKindError(kind=kind), lang)
    order = (args.get("urutan") or "").strip() or ORDERS[0]
    if order not in ORDERS:
        errors.messages["urutan"] = _("Urutan tidak dikenal: pilih terbaru atau terlama.")
        order = ORDERS[0]
    query = {
        "recorded_from": start_of_day(start) if start else None,
        "recorded_to": end_of_day(end) if end else None,
        "actor": (args.get("pencatat") or "").strip()[:120] or None,
        "kind": kind or None,
        "reference": (args.get("kegiatan") or "").strip()[:64] or None,
    }
    shown = {"dari": start.isoformat() if start else "", "sampai": end.isoformat() if end else "",
             "pencatat": query["actor"] or "", "jenis": kind, "kegiatan": query["reference"] or "",
             "urutan": order}
    return query, shown, errors


def _question(db) -> tuple[dict[str, Any], dict[str, str], FieldErrors, bool]:
    query, shown, errors = filters_from(request.args, cached("audit-kinds", lambda: kind_choices(db)))
    return query, shown, errors, shown["urutan"] == "terbaru"


@bp.route("/jejak-audit")
def index() -> Any:
    db = read_model()
    query, shown, errors, newest_first = _question(db)
    after, before = positive_int(request.args, "setelah"), positive_int(request.args, "sebelum")
    links = {key: value for key, value in shown.items() if value}  # the URL of this question, without blanks

    def rows() -> Markup:
        # A page of the log holds nothing of the session: rendered once per log position.
        log = read.audit.audit_log(db, after=after, before=before, newest_first=newest_first, limit=PAGE_SIZE,
                                **query)
        return Markup(render_template("audit/_rows.html", log=log, links=links, first_page=not (after or before)))

    key = ("audit", tuple(sorted(shown.items())), after, before, current_lang())
    rows_html = Markup("") if errors else cached(key, rows)
    return page("audit/index.html", "audit/_body.html", 400 if errors else 200, rows_html=rows_html,
                filters=shown, errors=errors, kinds=cached("audit-kinds", lambda: kind_choices(db)),
                actors=cached("actors", lambda: read.audit.actors(db)))


def _refused(errors: FieldErrors) -> Response:
    return Response("\n".join(errors.messages.values()) + "\n", 400, mimetype="text/plain")


@bp.route("/jejak-audit.csv")
def download() -> Any:
    db = read_model()
    query, _shown, errors, newest_first = _question(db)
    if errors:
        return _refused(errors)
    seal = str(chain.head(db))  # the log as it stood for this download: every row is covered by it
    chunks = auditexport.csv_chunks(auditexport.log_rows(db, query, newest_first), seal)
    # Streamed inside the request, so every page of rows comes from the snapshot the seal was read in.
    return Response(stream_with_context(chunks), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="jejak-audit.csv"'})


@bp.route("/jejak-audit.xlsx")
def download_xlsx() -> Any:
    db = read_model()
    query, _shown, errors, newest_first = _question(db)
    if errors:
        return _refused(errors)
    seal = str(chain.head(db))
    # Written in this request's snapshot, then sent from disk; send_file closes it when sent.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        auditexport.write_xlsx(auditexport.log_rows(db, query, newest_first), seal, target)
    except auditexport.TooManyRowsError:
        target.close()
        limit = format_number(auditexport.XLSX_MAX_ROWS, current_lang())
        return Response(_("Terlalu banyak baris untuk satu lembar XLSX (paling banyak %(limit)s); persempit "
                          "saringan atau unduh CSV.", limit=limit) + "\n", 400, mimetype="text/plain")
    target.seek(0)
    return send_file(target, mimetype=XLSX_TYPE, as_attachment=True, download_name="jejak-audit.xlsx")
