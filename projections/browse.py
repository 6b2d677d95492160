"""Read questions of the web pages: the agenda list, the monthly trend, and as-reported-vs-now."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlite_utils

from domain import counting
from domain.activity import EVIDENCE_KINDS, LEADERS
from domain.counting import Fact
from domain.indicators import INDICATORS
from domain.periods import Period
from domain.times import utc_text
from projections import queries
from projections.rows import decode

STATUSES = ("scheduled", "held", "cancelled")


def _activity_row(row: dict[str, Any]) -> dict[str, Any]:
    item = decode(row)
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


def actors(db: sqlite_utils.Database) -> list[str]:
    """Everyone who has recorded an event (for the audit-log filter)."""
    return [row["actor"] for row in db.query("SELECT DISTINCT actor FROM events ORDER BY actor")]


#: the kinds of fact an activity's part in a period's counts depends on (its denominator, then its numerators)
COUNTED = ("held", *sorted({indicator.numerator_kind for indicator in INDICATORS}))
_MOVERS = (*COUNTED, "withdrawn")
_ALL_KNOWN = 2 ** 63  # a position after every position: a cutoff at a moment includes all recorded by then


def _counted_at(facts: list[Fact], start: date, end: date, cutoff: tuple[str, int]) -> dict[str, int]:
    """One activity's part in a period's counts (`{"held": 0|1, kind: 0|1, …}`) as known at `cutoff`
    (recording time, position): the counting rule of domain/counting.py."""
    return {"held": int(counting.in_denominator(facts, start, end, cutoff)),
            **{kind: int(counting.in_numerator(facts, kind, start, end, cutoff)) for kind in counting.COUNTED_KINDS}}


def _fact(row: dict[str, Any]) -> Fact:
    """A fact of the counting rule from its read-model row, ordered by (recording time, position)."""
    withdrawn = (row["withdrawn_at"], row["withdrawn_position"]) if row["withdrawn_at"] is not None else None
    return Fact(row["kind"], date.fromisoformat(row["occurred_date"]), (row["recorded_at"], row["position"]),
                withdrawn)


def changes_since(db: sqlite_utils.Database, period: Period, since: datetime, until: datetime) -> dict[str, Any]:
    """Every activity whose part in the period's counts differs between `since` and `until`,
    and only those: each with its differences (`moved`: held = the denominator, then each numerator kind)
    and the events recorded since that moved them, each with its own `moved` (in recording order, they add
    up to the activity's). `totals` adds every activity up: the change of each count between the two."""
    bounds = {"since": utc_text(since), "until": utc_text(until), "start": period.start.isoformat(),
              "end": period.end.isoformat()}
    kinds = ", ".join(f"'{kind}'" for kind in _MOVERS)
    # Only an activity with a held dated in the period (at either moment) and an event since can have moved.
    candidates = [row[0] for row in db.execute(
        "SELECT DISTINCT h.activity_id FROM events h INDEXED BY events_held_by_date"
        " WHERE h.kind = 'held' AND h.occurred_date BETWEEN :start AND :end AND h.recorded_at <= :until"
        f" AND EXISTS (SELECT 1 FROM events e WHERE e.activity_id = h.activity_id AND e.kind IN ({kinds})"
        "   AND e.recorded_at > :since AND e.recorded_at <= :until)", bounds)]
    events: dict[str, list[dict[str, Any]]] = {}
    for first in range(0, len(candidates), 500):
        chunk = candidates[first:first + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(
            f"SELECT * FROM events WHERE activity_id IN ({marks}) AND kind IN ({kinds}) AND recorded_at <= ?"
            " ORDER BY recorded_at, position", [*chunk, bounds["until"]],
        ):
            events.setdefault(row["activity_id"], []).append(dict(row))
    moved_activities = []
    totals = dict.fromkeys(COUNTED, 0)
    for activity_events in events.values():
        facts = [_fact(event) for event in activity_events if event["kind"] != "withdrawn"]
        before = _counted_at(facts, period.start, period.end, (bounds["since"], _ALL_KNOWN))
        after = _counted_at(facts, period.start, period.end, (bounds["until"], _ALL_KNOWN))
        moved = {kind: after[kind] - before[kind] for kind in COUNTED}
        if not any(moved.values()):
            continue
        # Each event since, in recording order: what it changed in the activity's part at that moment.
        movers, state = [], before
        for event in activity_events:
            if event["recorded_at"] <= bounds["since"]:
                continue
            reached = _counted_at(facts, period.start, period.end, (event["recorded_at"], event["position"]))
            step = {kind: reached[kind] - state[kind] for kind in COUNTED}
            if any(step.values()):
                movers.append({**queries.event_row(event), "moved": step})
            state = reached
        for kind in COUNTED:
            totals[kind] += moved[kind]
        moved_activities.append({"activity_id": activity_events[0]["activity_id"],
                                 "reference": activity_events[0]["reference"], "moved": moved, "events": movers})
    moved_activities.sort(key=lambda item: (item["events"][0]["position"], item["reference"]))
    return {"activities": moved_activities, "totals": totals}


def changes_page(db: sqlite_utils.Database, period: Period, then: datetime, at: datetime, offset: int,
                 limit: int) -> dict[str, Any]:
    """One page (`offset`, `limit`) of `changes_since(then, at)`, each activity with its title; `totals` and
    `moved_count` are of all pages."""
    changes = changes_since(db, period, then, at)
    page = changes["activities"][offset:offset + limit]
    titles = {}
    if page:
        marks = ", ".join("?" for _ in page)
        titles = {row["activity_id"]: row["title"] for row in db.query(
            f"SELECT activity_id, title FROM activities WHERE activity_id IN ({marks})",
            [item["activity_id"] for item in page])}
    for item in page:
        item["title"] = titles.get(item["activity_id"]) or ""
    return {"changes": page, "totals": changes["totals"], "moved_count": len(changes["activities"])}
