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

from domain.activity import EVENT_KINDS
from domain.indicators import BY_CODE, INDICATORS
from domain.periods import Period
from domain.times import utc_text
from projections.counting import HAS_FACT, HELD_IN_PERIOD
from projections.counting import params as counting_params
from projections.rows import decode


def targets(db: sqlite_utils.Database, year: int, as_of: datetime) -> dict[str, Decimal]:
    """The target of each indicator for `year` in force at `as_of` (the latest setting recorded by then)."""
    rows = db.execute(
        "SELECT code, value FROM targets t WHERE year = ? AND recorded_at <= ? AND position = ("
        "SELECT MAX(position) FROM targets u WHERE u.year = t.year AND u.code = t.code AND u.recorded_at <= ?)",
        [year, utc_text(as_of), utc_text(as_of)],
    ).fetchall()
    return {code: Decimal(value) for code, value in rows}


def target_history(db: sqlite_utils.Database, year: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM targets WHERE :year IS NULL OR year = :year ORDER BY year, code, position"
    return [decode(row) for row in db.query(sql, {"year": year})]


def drilldown(db: sqlite_utils.Database, period: Period, code: str, as_of: datetime, *,
              page_size: int, missing_page: int, counted_page: int) -> dict[str, Any]:
    """The activities in one indicator's denominator: `counted` (with the fact) and `missing` (the to-do list),
    with exact totals, one page of `page_size` of each (pages numbered from 1, kept within range)."""
    indicator = BY_CODE[code]
    rows = (
        f"SELECT a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position,"
        f" {HAS_FACT.format(kind=indicator.numerator_kind)} AS counted"
        f" FROM ({HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
    )
    params = counting_params(period, as_of)
    held, counted_total = db.execute(f"SELECT COUNT(*), COALESCE(SUM(counted), 0) FROM ({rows})", params).fetchone()
    result: dict[str, Any] = {"indicator": indicator, "page_size": page_size}
    for name, flag, total, wanted in (("missing", 0, held - counted_total, missing_page),
                                      ("counted", 1, counted_total, counted_page)):
        pages = max(1, -(-total // page_size))
        number = min(max(wanted, 1), pages)
        sql = f"SELECT * FROM ({rows}) WHERE counted = {flag} ORDER BY held_at, reference LIMIT :limit OFFSET :offset"
        page = {"limit": page_size, "offset": (number - 1) * page_size}
        result[name] = [_drilldown_item(row) for row in db.query(sql, {**params, **page})]
        result[f"{name}_total"], result[f"{name}_page"], result[f"{name}_pages"] = total, number, pages
    return result


def _drilldown_item(row: dict[str, Any]) -> dict[str, Any]:
    return decode({key: row[key] for key in ("reference", "title", "leaders", "location", "held_at")})


#: the kinds of an activity's own events (the others in the log are accounts', targets', the profile's)
ACTIVITY_EVENT_KINDS = frozenset({*EVENT_KINDS, "attached"})


def event_row(row: dict[str, Any]) -> dict[str, Any]:
    """A read-model event row with times as aware datetimes and lists decoded."""
    event = decode(row)
    event["withdrawn"] = event.get("withdrawn_position") is not None
    #: an activity's event (its reference opens the activity), or another aggregate's (an account, a target)
    event["of_activity"] = event["kind"] in ACTIVITY_EVENT_KINDS
    return event


def activity(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """The current state of one activity, or None when the reference is unknown."""
    rows = list(db.query("SELECT * FROM activities WHERE reference = ?", [reference.strip()]))
    if not rows:
        return None
    return decode(rows[0])


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
        event["target_positions"] = [by_version[v]["position"] for v in event["targets"]]
        event["attachments"] = []
    for row in db.query("SELECT * FROM attachments WHERE activity_id = ? ORDER BY position", [item["activity_id"]]):
        by_version[row["target_version"]]["attachments"].append(dict(row))
    return {"activity": item, "events": events}


def _audit_filters(recorded_from: datetime | None, recorded_to: datetime | None, actor: str | None,
                   kind: str | None, reference: str | None) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
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
    return where, params


def audit_log(
    db: sqlite_utils.Database, *, recorded_from: datetime | None = None, recorded_to: datetime | None = None,
    actor: str | None = None, kind: str | None = None, reference: str | None = None,
    after: int | None = None, before: int | None = None, newest_first: bool = False, limit: int,
) -> dict[str, Any]:
    """Every event in log order (oldest first, or newest first), filtered, one page at a time.

    Keyset paging in the order shown: `after` = the last position of the previous page (the next page), or
    `before` = the first position of the following page (the page before it). `next_after` and
    `prev_before` are the cursors of the neighbouring pages, None where there is none.
    """
    where, params = _audit_filters(recorded_from, recorded_to, actor, kind, reference)
    later, earlier = ("<", ">") if newest_first else (">", "<")  # "after" = further down the list shown
    going_back = bool(before)
    cursor = before if going_back else after
    page_where = [*where, f"position {earlier if going_back else later} :cursor"] if cursor else list(where)
    descending = newest_first != going_back
    sql = (f"SELECT * FROM events WHERE {' AND '.join(page_where) or '1'}"
           f" ORDER BY position {'DESC' if descending else 'ASC'} LIMIT :limit")
    rows = [event_row(row) for row in db.query(sql, {**params, "cursor": cursor, "limit": limit + 1})]
    more = len(rows) == limit + 1
    if going_back and not more:  # back at the start: the first page, full
        return audit_log(db, recorded_from=recorded_from, recorded_to=recorded_to, actor=actor, kind=kind,
                         reference=reference, newest_first=newest_first, limit=limit)
    rows = rows[:limit]
    if going_back:
        rows.reverse()

    def beyond(position: int, direction: str) -> bool:
        test = " AND ".join([*where, f"position {direction} :position"])
        return bool(db.execute(f"SELECT EXISTS (SELECT 1 FROM events WHERE {test})",
                               {**params, "position": position}).fetchone()[0])

    if not rows:
        return {"rows": [], "next_after": None, "prev_before": None}
    attached = [row["position"] for row in rows if row["kind"] == "attached"]
    if attached:  # an attachment is read by its file's name (the event holds its digest)
        names = dict(db.execute(f"SELECT position, name FROM attachments WHERE position IN"
                                f" ({', '.join('?' for _ in attached)})", attached).fetchall())
        for row in rows:
            row["file_name"] = names.get(row["position"])
    has_next = more if not going_back else beyond(rows[-1]["position"], later)
    has_prev = more if going_back else bool(cursor) and beyond(rows[0]["position"], earlier)
    return {"rows": rows, "next_after": rows[-1]["position"] if has_next else None,
            "prev_before": rows[0]["position"] if has_prev else None}


def audit_kinds(db: sqlite_utils.Database) -> list[str]:
    """The kinds of event the log holds (for the audit-log filter: new kinds of event appear by themselves)."""
    # One index seek per kind rather than a scan of the whole log.
    sql = ("WITH RECURSIVE k(kind) AS (SELECT MIN(kind) FROM events UNION ALL"
           " SELECT (SELECT MIN(kind) FROM events WHERE kind > k.kind) FROM k WHERE k.kind IS NOT NULL)"
           " SELECT kind FROM k WHERE kind IS NOT NULL")
    return [row["kind"] for row in db.query(sql)]


def account(db: sqlite_utils.Database, username: str) -> dict[str, Any] | None:
    """One account with its role, whether it is disabled, its password hash (for login only), and how many
    times its password was changed or reset (`password_version`: a session is bound to it)."""
    sql = ("SELECT a.*, (SELECT COUNT(*) FROM account_events e WHERE e.username = a.username"
           " AND e.kind IN ('password_changed', 'password_reset')) AS password_version"
           " FROM accounts a WHERE a.username = ?")
    rows = list(db.query(sql, [(username or "").strip().lower()]))
    return dict(rows[0]) if rows else None


def accounts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every account, without password hashes; `created_at` and `changed_at` as aware datetimes."""
    return [decode(row, leave_out=["password_hash"]) for row in db.query("SELECT * FROM accounts ORDER BY username")]


def account_log(db: sqlite_utils.Database, username: str | None = None) -> list[dict[str, Any]]:
    """The append-only record of account changes (created, role changed, disabled, …), oldest first."""
    sql = "SELECT * FROM account_events WHERE :username IS NULL OR username = :username ORDER BY position"
    return [decode(row) for row in db.query(sql, {"username": username.strip().lower() if username else None})]


def period_activities(db: sqlite_utils.Database, period: Period, as_of: datetime) -> list[dict[str, Any]]:
    """The activities in the period's denominator as known at `as_of`, each with whether it counts for
    each indicator."""
    flags = ", ".join(f"{HAS_FACT.format(kind=i.numerator_kind)} AS \"{i.code}\"" for i in INDICATORS)
    sql = (f"SELECT a.activity_id, a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position, {flags}"
           f" FROM ({HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
           f" ORDER BY d.held_at, a.reference")
    return [dict(row) for row in db.query(sql, counting_params(period, as_of))]


def events_of(db: sqlite_utils.Database, activity_ids: list[str], as_of: datetime) -> list[dict[str, Any]]:
    """Every event of these activities recorded by `as_of`, in log order (withdrawals later than `as_of`
    are left out of the rows they mark)."""
    limit = utc_text(as_of)
    rows = [dict(row) for row in db.query(
        "SELECT * FROM events WHERE activity_id IN (SELECT value FROM json_each(:ids)) AND recorded_at <= :as_of"
        " ORDER BY position", {"ids": json.dumps(activity_ids), "as_of": limit},
    )]
    for row in rows:
        if row["withdrawn_at"] and row["withdrawn_at"] > limit:
            for key in ("withdrawn_position", "withdrawn_at", "withdrawn_by", "withdrawn_reason"):
                row[key] = None
    return rows


def attachment(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    """One recorded attachment with this digest (for serving the file)."""
    rows = list(db.query("SELECT * FROM attachments WHERE sha256 = ? ORDER BY position LIMIT 1", [sha256]))
    return dict(rows[0]) if rows else None


def attachments_of(db: sqlite_utils.Database, activity_ids: list[str]) -> list[dict[str, Any]]:
    """The files attached to these activities, in log order."""
    sql = "SELECT * FROM attachments WHERE activity_id IN (SELECT value FROM json_each(?)) ORDER BY position"
    return [dict(r) for r in db.query(sql, [json.dumps(activity_ids)])]


def all_attachments(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query("SELECT position, sha256 FROM attachments ORDER BY position")]


def profile(db: sqlite_utils.Database) -> dict[str, str]:
    """The institution profile: defaults overlaid with what an admin has set."""
    from domain.profile import DEFAULTS

    return {**DEFAULTS, **{row["key"]: row["value"] for row in db.query("SELECT key, value FROM profile")}}
