"""The indicator report, as the JSON contract, the pages and the official report give it: the counts from the
read model (projections/counting.py, the counting rule of domain/counting.py), the target in force, capaian
and predikat (domain/targets.py), and the words of the presentation.

`as_of` is always a moment: a front door that was given none resolves it to its own "now" and says so with
`stated=False` (the contract's `as_of` is then null)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from domain.indicators import BY_CODE, INDICATORS, Indicator, percent
from domain.periods import Period, month
from domain.periods import year as year_period
from domain.targets import capaian, predikat
from domain.times import wib_iso
from projections import counting, read
from services.presentation import indicator_name, period_dict


def indicator_row(indicator: Indicator, counts: dict[str, int], lang: str) -> dict[str, Any]:
    """An indicator's row of the JSON contract: code, name, numerator, denominator, percent."""
    return {"code": indicator.code, "name": indicator_name(indicator, lang), **_figures(indicator, counts)}


def _figures(indicator: Indicator, counts: dict[str, int]) -> dict[str, Any]:
    numerator, denominator = counts[indicator.numerator_kind], counts["held"]
    value = percent(numerator, denominator)
    return {"numerator": numerator, "denominator": denominator, "percent": float(value) if value is not None else None}


def report(db: sqlite_utils.Database, period: Period, as_of: datetime, lang: str, *,
           stated: bool = True) -> dict[str, Any]:
    """The report object of the JSON contract (`iku report --format json`); the contract's keys come first,
    then the target in force at `as_of`, capaian and predikat (extra keys)."""
    return {
        "period": period_dict(period, lang),
        "as_of": wib_iso(as_of) if stated else None,
        "indicators": _rows_with_targets(db, INDICATORS, period, as_of, lang),
    }


def report_row(db: sqlite_utils.Database, period: Period, code: str, as_of: datetime, lang: str) -> dict[str, Any]:
    """One indicator's row of `report`: its figures, the target in force at `as_of`, capaian, predikat."""
    return _rows_with_targets(db, [BY_CODE[code]], period, as_of, lang)[0]


def _rows_with_targets(db: sqlite_utils.Database, indicators: Any, period: Period, as_of: datetime,
                       lang: str) -> list[dict[str, Any]]:
    counts = counting.indicator_counts(db, period, as_of)
    in_force = read.targets.targets(db, period.start.year, as_of) if period.start.year == period.end.year else {}
    rows = []
    for indicator in indicators:
        row = indicator_row(indicator, counts, lang)
        target = in_force.get(indicator.code)
        achieved = capaian(indicator, row["percent"], target)
        row.update(target=float(target) if target is not None else None,
                   capaian=float(achieved) if achieved is not None else None, predikat=predikat(achieved))
        rows.append(row)
    return rows


def monthly_trend(db: sqlite_utils.Database, year: int, as_of: datetime, lang: str) -> list[dict[str, Any]]:
    """For each month of `year` (the chart's points): its period (labelled in `lang`) and each indicator's
    code and figures (one query for the year)."""
    counts = counting.monthly_counts(db, year_period(year), as_of)
    empty = {"held": 0, **{indicator.numerator_kind: 0 for indicator in INDICATORS}}
    trend = []
    for m in range(1, 13):
        period = month(year, m)
        month_counts = counts.get(f"{year}-{m:02d}", empty)
        trend.append({
            "period": period_dict(period, lang),
            "indicators": [{"code": indicator.code, **_figures(indicator, month_counts)} for indicator in INDICATORS],
        })
    return trend


def compare(db: sqlite_utils.Database, period: Period, then: datetime, at: datetime, lang: str, offset: int,
            limit: int) -> dict[str, Any]:
    """The indicators as known at `then` beside `at` (the front door's now), and one page (`offset`, `limit`)
    of the activities whose counts changed between, with what changed them; `totals` (all pages) equal the
    differences shown."""
    before = report(db, period, then, lang)
    after = report(db, period, at, lang)
    changes = read.indicators.changes_page(db, period, then, at, offset, limit)
    totals = changes["totals"]
    rows = []
    for old, new in zip(before["indicators"], after["indicators"], strict=True):
        delta = None
        if old["percent"] is not None and new["percent"] is not None:
            delta = round(new["percent"] - old["percent"], 2)
        kind = BY_CODE[new["code"]].numerator_kind
        rows.append({"name": new["name"], "kind": kind, "then": old, "now": new, "delta": delta,
                     "moved": {"numerator": totals[kind], "denominator": totals["held"]}})
    return {"then": then, "indicators": rows, "changes": changes["changes"], "totals": totals,
            "moved_count": changes["moved_count"], "limit": limit}
