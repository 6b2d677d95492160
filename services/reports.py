"""The indicator report, as the JSON contract, the pages and the official report give it: the counts from the
read model (projections/counting.py, the counting rule of domain/counting.py), the target in force, capaian
and predikat (domain/targets.py), and the words of the presentation.

`as_of` is always a moment: a front door that was given none resolves it to its own "now" and says so with
`stated=False` (the contract's `as_of` is then null)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from domain.indicators import Indicator, percent
from domain.periods import Period, month
from domain.periods import year as year_period
from domain.targets import capaian, check_indicator, predikat
from domain.times import wib_iso
from projections import counting, read
from services.presentation import indicator_name, period_dict


def indicators_for(db: sqlite_utils.Database, period: Period, as_of: datetime) -> tuple[Indicator, ...]:
    """The indicators the period is counted with: those in force for its year as known at `as_of` (a custom
    period across years: its first year's)."""
    return read.manual.indicators(db, period.start.year, as_of)


def indicator_row(indicator: Indicator, figures: dict[str, dict[str, int]], lang: str) -> dict[str, Any]:
    """An indicator's row of the JSON contract: code, name, numerator, denominator, percent (then the activities
    excluded from its denominator)."""
    return {"code": indicator.code, "name": indicator_name(indicator, lang), **_figures(indicator, figures)}


def _figures(indicator: Indicator, figures: dict[str, dict[str, int]]) -> dict[str, Any]:
    counted = figures.get(indicator.code) or {"numerator": 0, "denominator": 0, "excluded": 0}
    numerator, denominator = counted["numerator"], counted["denominator"]
    value = percent(numerator, denominator)
    return {"numerator": numerator, "denominator": denominator, "percent": float(value) if value is not None else None,
            "excluded": counted["excluded"]}


def report(db: sqlite_utils.Database, period: Period, as_of: datetime, lang: str, *,
           stated: bool = True) -> dict[str, Any]:
    """The report object of the JSON contract (`iku report --format json`); the contract's keys come first,
    then the target in force at `as_of`, capaian and predikat (extra keys)."""
    return {
        "period": period_dict(period, lang),
        "as_of": wib_iso(as_of) if stated else None,
        "indicators": _rows_with_targets(db, indicators_for(db, period, as_of), period, as_of, lang),
    }


def completeness(db: sqlite_utils.Database, period: Period, as_of: datetime) -> dict[str, Any]:
    """The period's document completeness (kelengkapan data dukung) as the report's extra key `documents`:
    required and complete (activity, kind) pairs, `percent` (null when nothing is required), and how many of
    the held activities have every required document. It changes no indicator."""
    found = read.evidence.completeness(db, period, as_of)
    return {**found, "percent": float(found["percent"]) if found["percent"] is not None else None}


def report_row(db: sqlite_utils.Database, period: Period, code: str, as_of: datetime, lang: str) -> dict[str, Any]:
    """One indicator's row of `report`: its figures, the target in force at `as_of`, capaian, predikat."""
    return _rows_with_targets(db, [check_indicator(code, indicators_for(db, period, as_of))], period, as_of, lang)[0]


def _rows_with_targets(db: sqlite_utils.Database, indicators: Any, period: Period, as_of: datetime,
                       lang: str) -> list[dict[str, Any]]:
    indicators = tuple(indicators)
    figures = counting.indicator_counts(db, period, as_of, indicators)
    exclusions = read.indicators.exclusions(db, period, as_of, indicators)
    pk = read.targets.pk_targets(db, period.start.year, as_of) if period.start.year == period.end.year else {}
    part = int(period.part[1]) if period.part.startswith("Q") else None
    rows = []
    for indicator in indicators:
        row = indicator_row(indicator, figures, lang)
        row["exclusions"] = exclusions.get(indicator.code, {})
        targets = pk.get(indicator.code) or {}
        target = targets.get("in_force")
        if part is not None and targets.get("quarters", {}).get(part) is not None:
            target = targets["quarters"][part]
        achieved = capaian(indicator, row["percent"], target)
        row.update(target=float(target) if target is not None else None,
                   capaian=float(achieved) if achieved is not None else None, predikat=predikat(achieved),
                   target_awal=_number(targets.get("awal")), target_perubahan=_number(targets.get("perubahan")),
                   target_basis=({"number": targets["basis_number"], "date": targets["basis_date"]}
                                 if targets.get("perubahan") is not None else None),
                   target_quarter=_number(targets.get("quarters", {}).get(part)) if part is not None else None)
        rows.append(row)
    return rows


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def monthly_trend(db: sqlite_utils.Database, year: int, as_of: datetime, lang: str) -> list[dict[str, Any]]:
    """For each month of `year` (the chart's points): its period (labelled in `lang`) and each indicator's
    code and figures (one query for the year)."""
    indicators = read.manual.indicators(db, year, as_of)
    counts = counting.monthly_counts(db, year_period(year), as_of, indicators)
    trend = []
    for m in range(1, 13):
        period = month(year, m)
        month_counts = counts.get(f"{year}-{m:02d}", {})
        trend.append({
            "period": period_dict(period, lang),
            "indicators": [{"code": indicator.code, **_figures(indicator, month_counts)} for indicator in indicators],
        })
    return trend


def compare(db: sqlite_utils.Database, period: Period, then: datetime, at: datetime, lang: str, offset: int,
            limit: int) -> dict[str, Any]:
    """The indicators as known at `then` beside `at` (the front door's now), and one page (`offset`, `limit`)
    of the activities whose counts changed between, with what changed them; `totals` (all pages) equal the
    differences shown (counted with the definitions in force at `at`; an indicator defined since has no
    figures then)."""
    before = {row["code"]: row for row in report(db, period, then, lang)["indicators"]}
    after = report(db, period, at, lang)
    indicators = indicators_for(db, period, at)
    changes = read.indicators.changes_page(db, period, then, at, offset, limit, indicators)
    totals = changes["totals"]
    rows = []
    for new in after["indicators"]:
        old = before.get(new["code"])
        delta = None
        if old is not None and old["percent"] is not None and new["percent"] is not None:
            delta = round(new["percent"] - old["percent"], 2)
        code = new["code"]
        rows.append({"code": code, "name": new["name"], "then": old, "now": new, "delta": delta,
                     "moved": {"numerator": totals[f"{code}:numerator"], "denominator": totals[f"{code}:denominator"]}})
    return {"then": then, "indicators": rows, "names": {row["code"]: row["name"] for row in rows},
            "changes": changes["changes"], "totals": totals,
            "moved_count": changes["moved_count"], "limit": limit}
