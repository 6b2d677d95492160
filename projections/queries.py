"""The read path: indicators, drill-down, one activity's trail, the audit log. Plain dicts out.

Every question takes `as_of`: only facts recorded at or before it exist, and a withdrawal recorded
after it does not yet apply. Recording times are kept on every row, so as-of needs no replay.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.indicators import BY_CODE, INDICATORS, Indicator, percent
from domain.periods import Period
from domain.targets import capaian, predikat
from domain.times import from_utc_text, now, utc_text, wib_iso

# A fact is valid at :as_of when it was recorded by then and not withdrawn by then.
_VALID = "{t}.recorded_at <= :as_of AND ({t}.withdrawn_at IS NULL OR {t}.withdrawn_at > :as_of)"

_HELD_IN_PERIOD = (
    "SELECT DISTINCT h.activity_id AS activity_id, h.occurred_at AS held_at, h.position AS held_position,"
    " h.occurred_date AS held_date"
    " FROM events h INDEXED BY events_held_by_date"
    " WHERE h.kind = 'held' AND h.occurred_date BETWEEN :start AND :end AND " + _VALID.format(t="h")
)

_HAS_FACT = (
    "EXISTS (SELECT 1 FROM events f WHERE f.activity_id = d.activity_id AND f.kind = '{kind}' AND "
    + _VALID.format(t="f") + ")"
)


def _params(period: Period, as_of: datetime | None) -> dict[str, str]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": utc_text(as_of or now()),
    }


def indicator_counts(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None) -> dict[str, int]:
    """`{"held": denominator, "<numerator kind>": numerator, …}` for the period as known at `as_of`."""
    kinds = sorted({indicator.numerator_kind for indicator in INDICATORS})
    columns = ", ".join(f"COALESCE(SUM({_HAS_FACT.format(kind=kind)}), 0) AS \"{kind}\"" for kind in kinds)
    sql = f"SELECT COUNT(*) AS held, {columns} FROM ({_HELD_IN_PERIOD}) d"
    row = next(db.query(sql, _params(period, as_of)))
    return {key: int(value) for key, value in row.items()}


def monthly_counts(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None) -> dict[str, dict]:
    """`indicator_counts` for every month (`YYYY-MM`) of the period, in one pass over its held facts."""
    kinds = sorted({indicator.numerator_kind for indicator in INDICATORS})
    columns = ", ".join(f"COALESCE(SUM({_HAS_FACT.format(kind=kind)}), 0) AS \"{kind}\"" for kind in kinds)
    sql = (f"SELECT substr(d.held_date, 1, 7) AS month, COUNT(*) AS held, {columns}"
           f" FROM ({_HELD_IN_PERIOD}) d GROUP BY month")
    return {row.pop("month"): {key: int(value) for key, value in row.items()}
            for row in db.query(sql, _params(period, as_of))}


def indicator_row(indicator: Indicator, counts: dict[str, int], lang: str = "id") -> dict[str, Any]:
    numerator, denominator = counts[indicator.numerator_kind], counts["held"]
    value = percent(numerator, denominator)
    return {
        "code": indicator.code,
        "name": indicator.name(lang),
        "numerator": numerator,
        "denominator": denominator,
        "percent": float(value) if value is not None else None,
    }


def report(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None,
           lang: str = "id") -> dict[str, Any]:
    """The report object of the JSON contract (`iku report --format json`); the contract's keys come first,
    then the target in force at `as_of`, capaian and predikat (extra keys)."""
    return {
        "period": period.as_dict(lang),
        "as_of": wib_iso(as_of) if as_of else None,
        "indicators": _rows_with_targets(db, INDICATORS, period, as_of, lang),
    }


def report_row(db: sqlite_utils.Database, period: Period, code: str, as_of: datetime | None = None,
               lang: str = "id") -> dict[str, Any]:
    """One indicator's row of `report`: its figures, the target in force at `as_of`, capaian, predikat."""
    return _rows_with_targets(db, [BY_CODE[code]], period, as_of, lang)[0]


def _rows_with_targets(db: sqlite_utils.Database, indicators: Any, period: Period, as_of: datetime | None,
                       lang: str) -> list[dict[str, Any]]:
    counts = indicator_counts(db, period, as_of)
    in_force = targets(db, period.start.year, as_of) if period.start.year == period.end.year else {}
    rows = []
    for indicator in indicators:
        row = indicator_row(indicator, counts, lang)
        target = in_force.get(indicator.code)
        achieved = capaian(indicator, row["percent"], target)
        row.update(target=float(target) if target is not None else None,
                   capaian=float(achieved) if achieved is not None else None, predikat=predikat(achieved))
        rows.append(row)
    return rows


def targets(db: sqlite_utils.Database, year: int, as_of: datetime | None = None) -> dict[str, Decimal]:
    """The target of each indicator for `year` in force at `as_of` (the latest setting recorded by then)."""
    rows = db.execute(
        "SELECT code, value FROM targets t WHERE year = ? AND recorded_at <= ? AND position = ("
        "SELECT MAX(position) FROM targets u WHERE u.year = t.year AND u.code = t.code AND u.recorded_at <= ?)",
        [year, utc_text(as_of or now()), utc_text(as_of or now())],
    ).fetchall()
    return {code: Decimal(value) for code, value in rows}


def target_history(db: sqlite_utils.Database, year: int | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE year = ?", [year]) if year else ("", [])
    rows = [dict(r) for r in db.query(f"SELECT * FROM targets {where} ORDER BY year, code, position", params)]
    for row in rows:
        row["recorded_at"] = from_utc_text(row["recorded_at"])
    return rows


def drilldown(db: sqlite_utils.Database, period: Period, code: str, as_of: datetime | None = None) -> dict[str, Any]:
    """The activities in one indicator's denominator: `counted` (with the fact) and `missing` (the to-do list)."""
    indicator = BY_CODE[code]
    sql = (
        f"SELECT a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position,"
        f" {_HAS_FACT.format(kind=indicator.numerator_kind)} AS counted"
        f" FROM ({_HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
        f" ORDER BY d.held_at, a.reference"
    )
    counted: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for row in db.query(sql, _params(period, as_of)):
        item = {
            "reference": row["reference"],
            "title": row["title"],
            "leaders": row["leaders"].split(";") if row["leaders"] else [],
            "location": row["location"],
            "held_at": from_utc_text(row["held_at"]),
        }
        (counted if row["counted"] else missing).append(item)
    return {"indicator": indicator, "counted": counted, "missing": missing}


def event_row(row: dict[str, Any]) -> dict[str, Any]:
    """A read-model event row with times as aware datetimes and lists decoded."""
    event = dict(row)
    for key in ("occurred_at", "recorded_at", "withdrawn_at"):
        if event.get(key):
            event[key] = from_utc_text(event[key])
    event["leaders"] = event["leaders"].split(";") if event.get("leaders") else []
    event["targets"] = json.loads(event["targets"]) if event.get("targets") else []
    event["withdrawn"] = event.get("withdrawn_position") is not None
    return event


def activity(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """The current state of one activity, or None when the reference is unknown."""
    rows = list(db.query("SELECT * FROM activities WHERE reference = ?", [reference.strip()]))
    if not rows:
        return None
    item = dict(rows[0])
    item["leaders"] = item["leaders"].split(";") if item["leaders"] else []
    for key in ("planned_start", "held_at", "scheduled_at", "last_recorded_at"):
        if item.get(key):
            item[key] = from_utc_text(item[key])
    return item


def trail(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """One activity and every event it has, in order, with who withdrew what, when and why."""
    item = activity(db, reference)
    if item is None:
        return None
    events = [event_row(row) for row in db.query(
        "SELECT * FROM events WHERE activity_id = ? ORDER BY version", [item["activity_id"]]
    )]
    by_version = {event["version"]: event for event in events}
    for event in events:
        event["target_positions"] = [by_version[v]["position"] for v in event["targets"] if v in by_version]
        event["attachments"] = []
    for row in db.query("SELECT * FROM attachments WHERE activity_id = ? ORDER BY position", [item["activity_id"]]):
        if row["target_version"] in by_version:
            by_version[row["target_version"]]["attachments"].append(dict(row))
    return {"activity": item, "events": events}


def audit_log(
    db: sqlite_utils.Database, *, recorded_from: datetime | None = None, recorded_to: datetime | None = None,
    actor: str | None = None, kind: str | None = None, reference: str | None = None,
    after: int = 0, limit: int = 50,
) -> dict[str, Any]:
    """Every event in recording (log) order, filtered; `after` is the last position of the previous page."""
    where, params = ["position > :after"], {"after": after, "limit": limit + 1}
    if recorded_from is not None:
        where.append("recorded_at >= :recorded_from")
        params["recorded_from"] = utc_text(recorded_from)
    if recorded_to is not None:
        where.append("recorded_at <= :recorded_to")
        params["recorded_to"] = utc_text(recorded_to)
    if actor:
        where.append("actor = :actor")
        params["actor"] = actor
    if kind:
        where.append("kind = :kind")
        params["kind"] = kind
    if reference:
        where.append("reference = :reference")
        params["reference"] = reference.strip()
    sql = f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY position LIMIT :limit"
    rows = [event_row(row) for row in db.query(sql, params)]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"rows": rows, "next_after": rows[-1]["position"] if more else None}


def account(db: sqlite_utils.Database, username: str) -> dict[str, Any] | None:
    """One account with its role, whether it is disabled, and its password hash (for login only)."""
    rows = list(db.query("SELECT * FROM accounts WHERE username = ?", [(username or "").strip().lower()]))
    return dict(rows[0]) if rows else None


def accounts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every account, without password hashes."""
    return [
        {key: value for key, value in row.items() if key != "password_hash"}
        for row in db.query("SELECT * FROM accounts ORDER BY username")
    ]


def account_log(db: sqlite_utils.Database, username: str | None = None) -> list[dict[str, Any]]:
    """The append-only record of account changes (created, role changed, disabled, …), oldest first."""
    where, params = ("WHERE username = ?", [username.strip().lower()]) if username else ("", [])
    rows = [dict(row) for row in db.query(f"SELECT * FROM account_events {where} ORDER BY position", params)]
    for row in rows:
        row["recorded_at"] = from_utc_text(row["recorded_at"])
    return rows


def period_activities(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """The activities in the period's denominator as known at `as_of`, each with whether it counts for
    each indicator."""
    flags = ", ".join(f"{_HAS_FACT.format(kind=i.numerator_kind)} AS \"{i.code}\"" for i in INDICATORS)
    sql = (f"SELECT a.activity_id, a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position, {flags}"
           f" FROM ({_HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
           f" ORDER BY d.held_at, a.reference")
    return [dict(row) for row in db.query(sql, _params(period, as_of))]


def events_of(db: sqlite_utils.Database, activity_ids: list[str], as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every event of these activities recorded by `as_of`, in log order (withdrawals later than `as_of`
    are left out of the rows they mark)."""
    limit = utc_text(as_of or now())
    rows: list[dict[str, Any]] = []
    for first in range(0, len(activity_ids), 500):
        chunk = activity_ids[first:first + 500]
        marks = ", ".join("?" for _ in chunk)
        rows += [dict(row) for row in db.query(
            f"SELECT * FROM events WHERE activity_id IN ({marks}) AND recorded_at <= ? ORDER BY position",
            [*chunk, limit],
        )]
    for row in rows:
        if row.get("withdrawn_at") and row["withdrawn_at"] > limit:
            for key in ("withdrawn_position", "withdrawn_at", "withdrawn_by", "withdrawn_reason"):
                row[key] = None
    rows.sort(key=lambda row: row["position"])
    return rows


def attachment(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    """One recorded attachment with this digest (for serving the file)."""
    rows = list(db.query("SELECT * FROM attachments WHERE sha256 = ? ORDER BY position LIMIT 1", [sha256]))
    return dict(rows[0]) if rows else None


def attachments_of(db: sqlite_utils.Database, activity_ids: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for first in range(0, len(activity_ids), 500):
        chunk = activity_ids[first:first + 500]
        marks = ", ".join("?" for _ in chunk)
        rows += [dict(r) for r in db.query(f"SELECT * FROM attachments WHERE activity_id IN ({marks})", chunk)]
    return rows


def all_attachments(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query("SELECT position, sha256 FROM attachments ORDER BY position")]


def profile(db: sqlite_utils.Database) -> dict[str, str]:
    """The institution profile: defaults overlaid with what an admin has set."""
    from domain.profile import DEFAULTS

    return {**DEFAULTS, **{row["key"]: row["value"] for row in db.query("SELECT key, value FROM profile")}}
