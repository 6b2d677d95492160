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
from domain.indicators import Indicator
from domain.periods import Period
from domain.times import utc_text
from projections.counting import HELD_IN_PERIOD, VALID, any_exclusion, excluded, has_fact, held_by_leaders
from projections.counting import params as counting_params
from projections.read.activities import event_row
from projections.rows import decode


def _flags(indicator: Indicator, n: int = 0) -> str:
    """Per held activity `d`: `held` (with the indicator's leaders), `out` (excluded) and `counted`."""
    held = held_by_leaders(indicator)
    return (f"{held} AS held_{n}, ({held} AND {excluded(indicator, n)}) AS out_{n},"
            f" ({held} AND NOT {excluded(indicator, n)} AND {has_fact(indicator, n)}) AS counted_{n}")


def drilldown(db: sqlite_utils.Database, period: Period, indicator: Indicator, as_of: datetime, *,
              page_size: int, missing_page: int, counted_page: int) -> dict[str, Any]:
    """The activities in one indicator's denominator: `counted` (with the fact) and `missing` (the to-do list),
    with exact totals, one page of `page_size` of each (pages numbered from 1, kept within range); and every
    activity `excluded` from it, with the reason and note of its exclusion (`exclusions`: how many per reason)."""
    rows = (
        f"SELECT a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position, d.activity_id,"
        f" {_flags(indicator)} FROM ({HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
    )
    params = counting_params(period, as_of, [indicator])
    inside = f"SELECT * FROM ({rows}) WHERE held_0 AND NOT out_0"
    held, counted_total = db.execute(f"SELECT COUNT(*), COALESCE(SUM(counted_0), 0) FROM ({inside})", params).fetchone()
    result: dict[str, Any] = {"indicator": indicator, "page_size": page_size}
    for name, flag, total, wanted in (("missing", 0, held - counted_total, missing_page),
                                      ("counted", 1, counted_total, counted_page)):
        pages = max(1, -(-total // page_size))
        number = min(max(wanted, 1), pages)
        sql = f"SELECT * FROM ({inside}) WHERE counted_0 = {flag} ORDER BY held_at, reference LIMIT :limit OFFSET :offset"
        page = {"limit": page_size, "offset": (number - 1) * page_size}
        result[name] = [_drilldown_item(row) for row in db.query(sql, {**params, **page})]
        result[f"{name}_total"], result[f"{name}_page"], result[f"{name}_pages"] = total, number, pages
    excluded_rows = (
        f"SELECT o.reference, o.title, o.leaders, o.location, o.held_at, x.exclusion_reason, x.note, x.actor,"
        f" x.recorded_at FROM ({rows}) o JOIN events x ON x.activity_id = o.activity_id AND x.kind = 'excluded'"
        f" AND x.indicator = :i0_code AND {VALID.format(t='x')} WHERE o.out_0 ORDER BY o.held_at, o.reference, x.position")
    result["excluded"] = [{**_drilldown_item(row), "reason": row["exclusion_reason"], "note": row["note"],
                           "actor": row["actor"], "recorded_at": decode({"recorded_at": row["recorded_at"]})["recorded_at"]}
                          for row in db.query(excluded_rows, params)
                          if row["exclusion_reason"] in indicator.exclusion_reasons]
    result["excluded_total"] = len({item["reference"] for item in result["excluded"]})
    result["exclusions"] = exclusion_summary(result["excluded"])
    return result


def exclusion_summary(excluded_items: list[dict[str, Any]]) -> dict[str, int]:
    """How many excluded activities give each reason (an activity counted once per reason)."""
    summary: dict[str, set[str]] = {}
    for item in excluded_items:
        summary.setdefault(item["reason"], set()).add(item["reference"])
    return {reason: len(references) for reason, references in sorted(summary.items())}


def _drilldown_item(row: dict[str, Any]) -> dict[str, Any]:
    return decode({key: row[key] for key in ("reference", "title", "leaders", "location", "held_at")})


def exclusions(db: sqlite_utils.Database, period: Period, as_of: datetime,
               indicators: tuple[Indicator, ...]) -> dict[str, dict[str, int]]:
    """For each indicator that allows exclusions: how many activities of its denominator's leaders held in the
    period are excluded from it, per reason (`{code: {reason: n}}`; an indicator with none: `{}`)."""
    result: dict[str, dict[str, int]] = {}
    allowing = [(n, indicator) for n, indicator in enumerate(indicators) if indicator.exclusion_reasons]
    if not allowing:
        return result
    params = counting_params(period, as_of, indicators)
    if not any_exclusion(db):
        return {indicator.code: {} for _, indicator in allowing}
    for n, indicator in allowing:
        reasons = ", ".join(f":i{n}_reason{m}" for m in range(len(indicator.exclusion_reasons)))
        sql = (f"SELECT x.exclusion_reason AS reason, COUNT(DISTINCT d.activity_id) AS n FROM ({HELD_IN_PERIOD}) d"
               f" JOIN events x ON x.activity_id = d.activity_id AND x.kind = 'excluded' AND x.indicator = :i{n}_code"
               f" AND x.exclusion_reason IN ({reasons}) AND {VALID.format(t='x')}"
               f" WHERE {held_by_leaders(indicator)} GROUP BY x.exclusion_reason ORDER BY x.exclusion_reason")
        result[indicator.code] = {row["reason"]: row["n"] for row in db.query(sql, params)}
    return result


def period_activities(db: sqlite_utils.Database, period: Period, as_of: datetime,
                      indicators: tuple[Indicator, ...]) -> list[dict[str, Any]]:
    """The activities held in the period as known at `as_of`, each with its part in each indicator (by code):
    `counted`, `missing` (in the denominator without the fact), `excluded`, or None (not of its leaders)."""
    flags = ", ".join(_flags(indicator, n) for n, indicator in enumerate(indicators))
    sql = (f"SELECT a.activity_id, a.reference, a.title, a.leaders, a.location, d.held_at, d.held_position"
           f"{', ' + flags if flags else ''}"
           f" FROM ({HELD_IN_PERIOD}) d JOIN activities a ON a.activity_id = d.activity_id"
           f" ORDER BY d.held_at, a.reference")
    activities = []
    for row in db.query(sql, counting_params(period, as_of, indicators)):
        item = {key: row[key] for key in ("activity_id", "reference", "title", "leaders", "location", "held_at",
                                          "held_position")}
        for n, indicator in enumerate(indicators):
            item[indicator.code] = (None if not row[f"held_{n}"] else "excluded" if row[f"out_{n}"]
                                    else "counted" if row[f"counted_{n}"] else "missing")
        activities.append(item)
    return activities


#: the kinds of fact an activity's part in a period's counts depends on
_MOVERS = ("held", "published", "documented", "protocol_served", "excluded", "withdrawn")


_ALL_KNOWN = 2 ** 63  # a position after every position: a cutoff at a moment includes all recorded by then


def _counted_at(facts: list[Fact], indicators: tuple[Indicator, ...], start: date, end: date,
                cutoff: tuple[str, int]) -> dict[str, int]:
    """One activity's part in a period's counts (`{"<code>:denominator": 0|1, "<code>:numerator": 0|1, …}`) as
    known at `cutoff` (recording time, position): the counting rule of domain/counting.py."""
    part = {}
    for indicator in indicators:
        part[f"{indicator.code}:denominator"] = int(counting.in_denominator(facts, indicator, start, end, cutoff))
        part[f"{indicator.code}:numerator"] = int(counting.in_numerator(facts, indicator, start, end, cutoff))
    return part


def _fact(row: dict[str, Any]) -> Fact:
    """A fact of the counting rule from its read-model row, ordered by (recording time, position)."""
    withdrawn = (row["withdrawn_at"], row["withdrawn_position"]) if row["withdrawn_at"] is not None else None
    return Fact(row["kind"], date.fromisoformat(row["occurred_date"]), (row["recorded_at"], row["position"]),
                withdrawn, channel=row["channel"] or "", leaders=tuple((row["held_leaders"] or "").split(";")),
                indicator=row["indicator"] or "", reason=row["exclusion_reason"] or "")


def changes_since(db: sqlite_utils.Database, period: Period, since: datetime, until: datetime,
                  indicators: tuple[Indicator, ...]) -> dict[str, Any]:
    """Every activity whose part in the period's counts differs between `since` and `until`,
    and only those: each with its differences (`moved`: each indicator's `<code>:denominator` and
    `<code>:numerator`)
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
    counted = list(_counted_at([], indicators, period.start, period.end, ("", 0)))
    totals = dict.fromkeys(counted, 0)
    for activity_events in events.values():
        facts = [_fact(event) for event in activity_events if event["kind"] != "withdrawn"]
        before = _counted_at(facts, indicators, period.start, period.end, (bounds["since"], _ALL_KNOWN))
        after = _counted_at(facts, indicators, period.start, period.end, (bounds["until"], _ALL_KNOWN))
        moved = {kind: after[kind] - before[kind] for kind in counted}
        if not any(moved.values()):
            continue
        # Each event since, in recording order: what it changed in the activity's part at that moment.
        movers, state = [], before
        for event in activity_events:
            if event["recorded_at"] <= bounds["since"]:
                continue
            reached = _counted_at(facts, indicators, period.start, period.end,
                                  (event["recorded_at"], event["position"]))
            step = {kind: reached[kind] - state[kind] for kind in counted}
            if any(step.values()):
                movers.append({**event_row(event), "moved": step})
            state = reached
        for kind in counted:
            totals[kind] += moved[kind]
        moved_activities.append({"activity_id": activity_events[0]["activity_id"],
                                 "reference": activity_events[0]["reference"], "moved": moved, "events": movers})
    moved_activities.sort(key=lambda item: (item["events"][0]["position"], item["reference"]))
    return {"activities": moved_activities, "totals": totals}


def changes_page(db: sqlite_utils.Database, period: Period, then: datetime, at: datetime, offset: int,
                 limit: int, indicators: tuple[Indicator, ...]) -> dict[str, Any]:
    """One page (`offset`, `limit`) of `changes_since(then, at)`, each activity with its title; `totals` and
    `moved_count` are of all pages."""
    changes = changes_since(db, period, then, at, indicators)
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
