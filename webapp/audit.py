"""Jejak audit: every event in recording order, filtered and paged, and the same rows as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from markupsafe import Markup

from domain.activity import EVENT_KINDS
from domain.times import end_of_day, start_of_day
from iku.bundle import neutralise
from projections import browse, chain, queries
from webapp.cache import cached
from webapp.i18n import current_lang
from webapp.params import FieldErrors, day_from, positive_int
from webapp.rendering import page, wants_fragment
from webapp.runtime import read_model

bp = Blueprint("audit", __name__)
LOG_KINDS = (*EVENT_KINDS, "attached")
PAGE_SIZE = 50
CSV_LIMIT = 1_000_000


def filters_from(args) -> tuple[dict[str, Any], dict[str, str], FieldErrors]:
    lang = current_lang()
    errors = FieldErrors()
    start = day_from(args, "dari", None, errors, lang)
    end = day_from(args, "sampai", None, errors, lang)
    kind = args.get("jenis") if args.get("jenis") in LOG_KINDS else ""
    query = {
        "recorded_from": start_of_day(start) if start else None,
        "recorded_to": end_of_day(end) if end else None,
        "actor": (args.get("pencatat") or "").strip()[:120] or None,
        "kind": kind or None,
        "reference": (args.get("kegiatan") or "").strip()[:64] or None,
    }
    shown = {"dari": start.isoformat() if start else "", "sampai": end.isoformat() if end else "",
             "pencatat": query["actor"] or "", "jenis": kind, "kegiatan": query["reference"] or ""}
    return query, shown, errors


@bp.route("/jejak-audit")
def index() -> Any:
    query, shown, errors = filters_from(request.args)
    after = positive_int(request.args, "setelah")
    db = read_model()

    def rows() -> Markup:
        # A page of the log holds nothing of the session: rendered once per log position.
        log = queries.audit_log(db, after=after, limit=PAGE_SIZE, **query)
        return Markup(render_template("audit/_rows.html", log=log, filters=shown, after=after, errors=errors))

    key = ("audit", tuple(sorted(shown.items())), after, current_lang())
    rows_html = rows() if errors else cached(key, rows)
    if wants_fragment():
        return page("audit/_cached.html", "audit/_cached.html", 400 if errors else 200, rows_html=rows_html)
    return page("audit/index.html", "audit/_cached.html", 400 if errors else 200, rows_html=rows_html,
                filters=shown, errors=errors, kinds=LOG_KINDS, actors=cached("actors", lambda: browse.actors(db)))


COLUMNS = ("position", "reference", "version", "kind", "occurred_at", "recorded_at", "actor", "title", "leaders",
           "location", "channel", "evidence_ref", "note", "withdrawn_position", "withdrawn_at", "withdrawn_by",
           "withdrawn_reason", "seal")


@bp.route("/jejak-audit.csv")
def download() -> Any:
    query, _shown, errors = filters_from(request.args)
    if errors:
        return Response("\n".join(errors.messages.values()) + "\n", 400, mimetype="text/plain")
    db = read_model()
    seal = str(chain.head(db))  # the log as it stood for this download: every row is covered by it

    def rows():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        after, written = 0, 0
        while written < CSV_LIMIT:
            page_rows = queries.audit_log(db, after=after, limit=2000, **query)
            for row in page_rows["rows"]:
                row["leaders"] = ";".join(row["leaders"])
                for key in ("occurred_at", "recorded_at", "withdrawn_at"):
                    if row.get(key):
                        row[key] = row[key].isoformat()
                row["seal"] = seal
                writer.writerow([neutralise(row.get(column)) for column in COLUMNS])
            written += len(page_rows["rows"])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if page_rows["next_after"] is None:
                break
            after = page_rows["next_after"]

    # Streamed inside the request, so every page of rows comes from the snapshot the seal was read in.
    return Response(stream_with_context(rows()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="jejak-audit.csv"'})


