"""The read side of the audit log: every event of the store (activities', accounts', targets', the
profile's), filtered and paged, and what its filters offer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from domain.times import utc_text
from projections.read.activities import event_row


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


def actors(db: sqlite_utils.Database) -> list[str]:
    """Everyone who has recorded an event (for the audit-log filter)."""
    return [row["actor"] for row in db.query("SELECT DISTINCT actor FROM events ORDER BY actor")]
