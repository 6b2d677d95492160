"""The read side of activities: one activity and its trail, the agenda, their events and attached files.

Times come back as aware datetimes and lists decoded (projections/rows.py). A question about the past takes
`as_of`: only facts recorded at or before it exist, and a withdrawal recorded after it does not yet apply.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils

from domain.activity import EVENT_KINDS, EVIDENCE_KINDS, LEADERS
from domain.times import utc_text
from projections.rows import decode

#: the kinds of an activity's own events (the others in the log are accounts', targets', the profile's)
ACTIVITY_EVENT_KINDS = frozenset({*EVENT_KINDS, "attached", "link_checked", "document_attached", "not_applicable"})


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
    by_position = {event["position"]: event for event in events}
    for row in db.query("SELECT * FROM link_checks WHERE activity_id = ? ORDER BY position", [item["activity_id"]]):
        by_position[row["position"]]["link_check"] = decode(dict(row))
    return {"activity": item, "events": events}


STATUSES = ("scheduled", "held", "cancelled")


def _activity_row(row: dict[str, Any]) -> dict[str, Any]:
    item = decode(row)
    item["evidence"] = {kind: item.pop(f"n_{kind}") for kind in EVIDENCE_KINDS}
    return item


def agenda(
    db: sqlite_utils.Database, *, start: date, end: date, leader: str | None = None, status: str | None = None,
    text: str | None = None, limit: int = 200, offset: int = 0, missing: tuple[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Activities planned between `start` and `end` (WIB dates), filtered; newest plan last. `missing`: a
    condition on the activity row with its parameters (`read.evidence.missing_documents`)."""
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
    if missing is not None:
        where.append(missing[0])
        params.update(missing[1])
    sql = (f"SELECT * FROM activities WHERE {' AND '.join(where)} ORDER BY planned_start, reference"
           f" LIMIT :limit OFFSET :offset")
    rows = [_activity_row(row) for row in db.query(sql, {**params, "limit": limit + 1, "offset": offset})]
    return {"rows": rows[:limit], "more": len(rows) > limit}


def activity_row(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """One activity as the agenda shows it (after a one-click action)."""
    rows = list(db.query("SELECT * FROM activities WHERE reference = ?", [reference.strip()]))
    return _activity_row(rows[0]) if rows else None


def next_reference(db: sqlite_utils.Database, year: int) -> str:
    """The office's next free reference in `year`: one more than the highest `AG-YYYY-N…` used, five digits."""
    prefix = f"AG-{year:04d}-"
    highest = 0
    for row in db.query("SELECT reference FROM activities WHERE reference GLOB :pattern",
                        {"pattern": f"{prefix}[0-9]*"}):
        number = row["reference"][len(prefix):]
        if number.isascii() and number.isdigit():
            highest = max(highest, int(number))
    return f"{prefix}{highest + 1:05d}"


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
