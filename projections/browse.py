"""Read questions of the web pages: the agenda list, the monthly trend, and as-reported-vs-now."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlite_utils

from domain.activity import EVIDENCE_KINDS, LEADERS
from domain.indicators import INDICATORS
from domain.periods import Period, month
from domain.periods import year as year_period
from domain.times import from_utc_text, now, utc_text, wib_iso
from projections import queries

STATUSES = ("scheduled", "held", "cancelled")


def _activity_row(row: dict[str, Any]) -> dict[str, Any]:
    item = dict(row)
    item["leaders"] = item["leaders"].split(";") if item["leaders"] else []
    for key in ("planned_start", "held_at", "scheduled_at", "last_recorded_at"):
        if item.get(key):
            item[key] = from_utc_text(item[key])
    item["evidence"] = {kind: item.pop(f"n_{kind}") for kind in EVIDENCE_KINDS}
    return item


def agenda(
    db: sqlite_utils.Database, *, start: date, end: date, leader: str | None = None, status: str | None = None,
    text: str | None = None, limit: int = 200, offset: int = 0,
) -> dict[str, Any]:
    """Activities planned between `start` and `end` (WIB dates), filtered; newest plan last."""
    where, params = ["planned_date BETWEEN :start AND :end"], {"start": start.isoformat(), "end": end.isoformat()}
    if leader in LEADERS:
        where.append("(';' || leaders || ';') LIKE :leader")
        params["leader"] = f"%;{leader};%"
    if status in STATUSES:
        where.append("status = :status")
        params["status"] = status
    if text:
        where.append("(title LIKE :text OR location LIKE :text OR reference LIKE :text)")
        params["text"] = f"%{text.strip()}%"
    sql = (f"SELECT * FROM activities WHERE {' AND '.join(where)} ORDER BY planned_start, reference"
           f" LIMIT :limit OFFSET :offset")
    rows = [_activity_row(row) for row in db.query(sql, {**params, "limit": limit + 1, "offset": offset})]
    return {"rows": rows[:limit], "more": len(rows) > limit}


def activity_row(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """One activity as the agenda shows it (after a one-click action)."""
    rows = list(db.query("SELECT * FROM activities WHERE reference = ?", [reference.strip()]))
    return _activity_row(rows[0]) if rows else None


def monthly_trend(db: sqlite_utils.Database, year: int, as_of: datetime | None = None,
                  lang: str = "id") -> list[dict[str, Any]]:
    """For each month of `year`: the three indicators as `report` gives them (one query for the year)."""
    counts = queries.monthly_counts(db, year_period(year), as_of)
    empty = {"held": 0, **{indicator.numerator_kind: 0 for indicator in INDICATORS}}
    trend = []
    for m in range(1, 13):
        period = month(year, m)
        month_counts = counts.get(f"{year}-{m:02d}", empty)
        trend.append({
            "month": m,
            "period": period.as_dict(lang),
            "as_of": wib_iso(as_of) if as_of else None,
            "indicators": [queries.indicator_row(indicator, month_counts, lang) for indicator in INDICATORS],
        })
    return trend


def actors(db: sqlite_utils.Database) -> list[str]:
    """Everyone who has recorded an event (for the audit-log filter)."""
    return [row["actor"] for row in db.query("SELECT DISTINCT actor FROM events ORDER BY actor")]


def changes_since(db: sqlite_utils.Database, period: Period, since: datetime,
                  until: datetime | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Events recorded after `since` (up to `until`) that can change the period's indicators: facts and
    withdrawals of activities held (at any time, validly or not) within the period."""
    sql = (
        "SELECT e.* FROM events e WHERE e.recorded_at > :since AND e.recorded_at <= :until"
        " AND e.kind IN ('held', 'published', 'documented', 'protocol_served', 'withdrawn', 'cancelled')"
        " AND e.activity_id IN (SELECT h.activity_id FROM events h INDEXED BY events_held_by_date"
        "   WHERE h.kind = 'held' AND h.occurred_date BETWEEN :start AND :end)"
        " ORDER BY e.position LIMIT :limit"
    )
    params = {"since": utc_text(since), "until": utc_text(until or now()), "start": period.start.isoformat(),
              "end": period.end.isoformat(), "limit": limit}
    return [queries.event_row(row) for row in db.query(sql, params)]


def compare(db: sqlite_utils.Database, period: Period, then: datetime, lang: str = "id") -> dict[str, Any]:
    """The indicators as known at `then` beside now, and the events recorded since that changed them."""
    at = now()
    before = queries.report(db, period, then, lang)
    after = queries.report(db, period, at, lang)
    rows = []
    for old, new in zip(before["indicators"], after["indicators"], strict=True):
        delta = None
        if old["percent"] is not None and new["percent"] is not None:
            delta = round(new["percent"] - old["percent"], 2)
        rows.append({"code": new["code"], "name": new["name"], "then": old, "now": new, "delta": delta})
    return {"period": period, "then": then, "now": at, "indicators": rows,
            "changes": changes_since(db, period, then, at)}
