"""The read side of the indicators beyond their counts (projections/counting.py): which activities are in a
period's denominator and numerators (the drill-down, the evaluation bundle) and which changed their part in
them between two moments (the Perbandingan page). Every question takes `as_of`; none reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlite_utils

from domain import counting
from domain.counting import Fact
from domain.indicators import BY_CODE, INDICATORS
from domain.periods import Period
from domain.times import utc_text
from projections.counting import HAS_FACT, HELD_IN_PERIOD
from projections.counting import params as counting_params
from projections.read.activities import event_row
from projections.rows import decode


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


def period_activities(db: sqlite_utils.Database, period: Period, as_of: datetime) -> list[dict[str, Any]]:
    """The activities in the period's denominator as known at `as_of`, each with whether it counts for
    each indicator."""
    flags = ", ".join(f"{HAS_FACT.format(kind=i.numerator_kind)} AS \"{i.code}\"" for i in INDICATORS)
    sql = (f"SELECT a.activity_id, a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position, {flags}"
           f" FROM ({HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
           f" ORDER BY d.held_at, a.reference")
    return [dict(row) for row in db.query(sql, counting_params(period, as_of))]


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
                movers.append({**event_row(event), "moved": step})
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
