"""An independent oracle: replay the raw stored events in plain Python and count the indicators.

It shares no logic with the read model or the aggregate: it resolves withdrawals itself from the
withdrawn kind and reference, and counts by the domain's statement of the counting rule (domain/counting.py),
so the property test compares that rule with the read model's SQL (projections/counting.py).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain import counting as rule
from domain.indicators import SEED

JAKARTA = ZoneInfo("Asia/Jakarta")

NAMES = {
    "Held": "held", "Cancelled": "cancelled", "Published": "published", "Documented": "documented",
    "ProtocolServed": "protocol_served", "Excluded": "excluded", "Withdrawn": "withdrawn",
}


def stored_events(log) -> list:
    """Every event in the store, in log order, decoded."""
    events, start = [], 0
    while True:
        page = log.recorder.select_notifications(start, 500, inclusive_of_start=False)
        if not page:
            return events
        events.extend(log.mapper.to_domain_event(n) for n in page)
        start = page[-1].id


def oracle_counts(events: list, start: date, end: date, as_of: datetime,
                  indicators: tuple = SEED) -> dict[str, dict[str, int]]:
    """The counts by the domain's counting rule (domain/counting.py) over facts this oracle resolves itself:
    each held (with the leaders the activity had when it was held), evidence (with its channel) or exclusion
    (with its indicator and reason) fact, with the recording time of the withdrawal that took it back, if any."""
    facts: dict = {}  # activity -> [[kind, reference, occurred_at, recorded_at, withdrawn_at, details]]
    leaders: dict = {}  # activity -> its leaders now (in log order)
    for event in events:
        name = type(event).__name__
        kind = NAMES.get(name)
        activity = event.originator_id
        if name in ("Scheduled", "Rescheduled") and event.leaders:
            leaders[activity] = tuple(event.leaders)
        if kind == "held":
            facts.setdefault(activity, []).append(
                [kind, "", event.occurred_at, event.timestamp, None, {"leaders": leaders[activity]}])
        elif kind in ("published", "documented", "protocol_served"):
            facts.setdefault(activity, []).append([kind, event.evidence_ref, event.occurred_at, event.timestamp, None,
                                                   {"channel": event.channel}])
        elif kind == "excluded":
            facts.setdefault(activity, []).append(
                [kind, event.indicator, event.occurred_at, event.timestamp, None,
                 {"indicator": event.indicator, "reason": event.exclusion_reason}])
        elif kind == "withdrawn":
            for fact in facts.get(activity, []):
                if fact[4] is None and fact[0] == event.withdrawn_kind and (
                        event.withdrawn_kind == "held" or not event.evidence_ref or fact[1] == event.evidence_ref):
                    fact[4] = event.timestamp
    return rule.count([[rule.Fact.at(kind, occurred, recorded, withdrawn, **details)
                        for kind, _, occurred, recorded, withdrawn, details in activity_facts]
                       for activity_facts in facts.values()], indicators, start, end, as_of)


def oracle_state(events: list) -> dict[str, dict]:
    """Per activity reference, now: status and how many valid facts of each evidence kind."""
    state: dict = {}
    by_id: dict = {}
    for event in events:
        name = type(event).__name__
        if name == "Scheduled":
            by_id[event.originator_id] = state[event.reference] = {
                "status": "scheduled", "published": [], "documented": [], "protocol_served": [],
            }
            continue
        if event.originator_id not in by_id:
            continue  # not an activity's event (a definition, a target, an account)
        current = by_id[event.originator_id]
        kind = NAMES.get(name)
        if kind in ("held", "cancelled"):
            current["status"] = kind
        elif kind in ("published", "documented", "protocol_served"):
            current[kind].append(event.evidence_ref)
        elif kind == "withdrawn":
            withdrawn = event.withdrawn_kind
            if withdrawn in ("held", "cancelled"):
                current["status"] = "scheduled"
            elif withdrawn in current:
                current[withdrawn] = [r for r in current[withdrawn] if event.evidence_ref and r != event.evidence_ref]
    return {
        reference: {"status": s["status"], **{k: len(s[k]) for k in ("published", "documented", "protocol_served")}}
        for reference, s in state.items()
    }


def oracle_dates(events: list) -> dict[str, dict]:
    """Per activity reference, now: the WIB date of its planned start (the latest scheduled or rescheduled)
    and of its valid held, or None."""
    dates: dict = {}
    by_id: dict = {}
    for event in events:
        name = type(event).__name__
        if name != "Scheduled" and event.originator_id not in by_id:
            continue  # not an activity's event
        day = event.occurred_at.astimezone(JAKARTA).date().isoformat()
        if name == "Scheduled":
            by_id[event.originator_id] = dates[event.reference] = {"planned_date": day, "held_date": None}
        elif name == "Rescheduled":
            by_id[event.originator_id]["planned_date"] = day
        elif name == "Held":
            by_id[event.originator_id]["held_date"] = day
        elif name == "Withdrawn" and event.withdrawn_kind == "held":
            by_id[event.originator_id]["held_date"] = None
    return dates


def as_kinds(figures: dict[str, dict[str, int]]) -> dict[str, int]:
    """The seed indicators' figures as the activities held and each numerator (`{"held": n, "published": n, …}`):
    with no exclusion and every leader counted, the three share one denominator (asserted)."""
    denominators = {value["denominator"] for value in figures.values()}
    assert len(denominators) <= 1, figures
    return {"held": next(iter(denominators), 0), **{code: value["numerator"] for code, value in figures.items()}}
