"""An independent oracle: replay the raw stored events in plain Python and count the indicators.

It shares no logic with the read model or the aggregate: it resolves withdrawals itself from the
withdrawn kind and reference, and counts by the domain's statement of the counting rule (domain/counting.py),
so the property test compares that rule with the read model's SQL (projections/counting.py).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain import counting as rule

JAKARTA = ZoneInfo("Asia/Jakarta")

NAMES = {
    "Held": "held", "Cancelled": "cancelled", "Published": "published", "Documented": "documented",
    "ProtocolServed": "protocol_served", "Withdrawn": "withdrawn",
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


def oracle_counts(events: list, start: date, end: date, as_of: datetime) -> dict[str, int]:
    """The counts by the domain's counting rule (domain/counting.py) over facts this oracle resolves itself:
    each held or evidence fact with the recording time of the withdrawal that took it back, if any."""
    facts: dict = {}  # activity -> [[kind, reference, occurred_at, recorded_at, withdrawn_at]]
    for event in events:
        kind = NAMES.get(type(event).__name__)
        activity = event.originator_id
        if kind in ("held", "published", "documented", "protocol_served"):
            reference = getattr(event, "evidence_ref", "")
            facts.setdefault(activity, []).append([kind, reference, event.occurred_at, event.timestamp, None])
        elif kind == "withdrawn":
            for fact in facts.get(activity, []):
                if fact[4] is None and fact[0] == event.withdrawn_kind and (
                        event.withdrawn_kind == "held" or not event.evidence_ref or fact[1] == event.evidence_ref):
                    fact[4] = event.timestamp
    return rule.count([[rule.Fact.at(kind, occurred, recorded, withdrawn)
                        for kind, _, occurred, recorded, withdrawn in activity_facts]
                       for activity_facts in facts.values()], start, end, as_of)


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
            else:
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
