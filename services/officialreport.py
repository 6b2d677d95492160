"""The official IKU report of a year in the IKU document's layout, as data and as XLSX, PDF and CSV.

Columns: NO, SASARAN STRATEGIS, INDIKATOR, FORMULA INDIKATOR, SUMBER DATA, PENANGGUNG JAWAB, then TARGET,
REALISASI (numerator/denominator and %), CAPAIAN for triwulan I–IV and the year, as known at a moment.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import sqlite_utils

from domain.closing import APPROVED
from domain.periods import quarter, year
from domain.times import WIB, wib_iso
from projections import chain, read
from services import closing
from services import reports as indicator_reports
from services.catalogue import translate
from services.evidence import logo_file
from services.presentation import (
    exclusions_text,
    format_date,
    format_moment,
    format_percent,
    indicator_formula,
    indicator_name,
    neutralise,
)

#: the strategic objective the indicators serve, and the unit that holds the data and answers for it, in the
#: words of the performance agreement (the official report is in Indonesian, as it is filed)
PERIODS = ("TW I", "TW II", "TW III", "TW IV", "TAHUNAN")
PERIOD_LABELS = {"id": PERIODS, "en": ("Q1", "Q2", "Q3", "Q4", "YEAR")}


def build(db: sqlite_utils.Database, y: int, as_of: datetime, *, printed_at: datetime, stated: bool = True,
          logo_path: Any = None, lang: str = "id") -> dict[str, Any]:
    """Everything the official report shows, as plain data (one report per period, all at `as_of`), made at
    `printed_at` (the front door's now; when it was given no as-of, `as_of` is that now and `stated` False,
    and the documents print the moment they were made). `logo_path` finds the logo file from its digest.
    `lang` words the indicators and periods (the page in English); the documents and the CSV are the
    Indonesian report."""
    periods = [quarter(y, q) for q in range(1, 5)] + [year(y)]
    reports = [indicator_reports.report(db, period, as_of, "id", stated=stated) for period in periods]
    labels = list(PERIOD_LABELS.get(lang, PERIODS))
    for index, period in enumerate(periods):  # a closed period prints the figures of its approved revision
        found = closing.reported(db, period, as_of if stated else None)
        if found is not None and found["state"] == APPROVED and found["approval"] is not None:
            kept = {row["code"]: row for row in found["approval"]["figures"]}
            for row in reports[index]["indicators"]:
                row.update(kept.get(row["code"], {}))
            labels[index] = f"{labels[index]} (rev. {found['revision']})"
    profile = read.targets.profile(db)
    signed_on = printed_at.astimezone(WIB).date()
    rows = []
    by_code = [{row["code"]: row for row in report["indicators"]} for report in reports]
    for number, indicator in enumerate(indicator_reports.indicators_for(db, year(y), as_of), start=1):
        cells = []
        for found in by_code:
            item = found.get(indicator.code) or {}
            cells.append({key: item.get(key) for key in ("numerator", "denominator", "percent", "target", "capaian",
                                                         "predikat")})
        rows.append({"no": number, "sasaran": indicator.sasaran, "indikator": indicator_name(indicator, lang),
                     "formula": indicator_formula(indicator, lang), "sumber": indicator.data_source,
                     "penanggung_jawab": indicator.responsible, "cells": cells})
    data = {"year": y, "as_of": as_of if stated else None, "as_of_text": wib_iso(as_of) if stated else None,
            "printed_at": printed_at, "signed_on": signed_on, "seal": str(chain.head(db)), "profile": profile,
            "rows": rows, "periods": labels, "logo": logo_file(profile.get("logo"), logo_path),
            "notes": notes(reports[-1]["indicators"], lang)}
    # the signature line names the place and the day only: an official document carries no time of day
    data["signed_place_date"] = f"{profile['tempat']}, {format_date(signed_on, lang)}"
    data["as_known"] = _as_known(data)
    return data


def notes(year_rows: list[dict[str, Any]], lang: str = "id") -> list[str]:
    """What the figures alone do not say, from the year's rows: a target revised by a PK perubahan (the
    original beside it, with the decree), and the activities excluded from an indicator's denominator."""
    lines = []
    for row in year_rows:
        if row.get("target_perubahan") is not None:
            basis = row.get("target_basis") or {}
            day = format_date(date.fromisoformat(basis["date"]), lang) if basis.get("date") else "-"
            awal = format_percent(row["target_awal"], lang) if row.get("target_awal") is not None else "-"
            lines.append(translate(lang, "%(name)s: target PK awal %(awal)s, PK perubahan %(perubahan)s "
                                         "(%(number)s, %(date)s)",
                                   name=row["name"], awal=awal, perubahan=format_percent(row["target_perubahan"], lang),
                                   number=basis.get("number", "-"), date=day))
        if row.get("excluded"):
            lines.append(f"{row['name']}: {exclusions_text(row['excluded'], row.get('exclusions') or {}, lang)}")
    return lines


def _as_known(data: dict[str, Any]) -> str:
    known = format_moment(data["as_of"]) if data["as_of"] else f"{format_moment(data['printed_at'])} (kondisi terkini)"
    if any("(rev." in label for label in data["periods"]):
        known += "; periode bertanda (rev. N) memuat angka final revisi N yang disetujui, periode lain sementara"
    return known


def to_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tahun", "per", "segel", "no", "indikator", "periode", "target", "numerator", "denominator",
                     "realisasi", "capaian", "predikat"])
    for row in data["rows"]:
        for label, cell in zip(data["periods"], row["cells"], strict=True):
            writer.writerow([neutralise(value) for value in (
                data["year"], data["as_of_text"] or "", data["seal"], row["no"], row["indikator"], label,
                cell["target"], cell["numerator"], cell["denominator"], cell["percent"], cell["capaian"],
                cell["predikat"] or "")])
    return out.getvalue().encode("utf-8")


def to_xlsx(data: dict[str, Any]) -> bytes:
    from services.reportxlsx import to_xlsx as render

    return render(data)


def to_pdf(data: dict[str, Any]) -> bytes:
    from services.reportpdf import to_pdf as render

    return render(data)
