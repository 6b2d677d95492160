"""An independent oracle: replay the raw stored events in plain Python and count the indicators.

It shares no logic with the read model or the aggregate: it resolves withdrawals itself from the
withdrawn kind and reference, and filters by each event's recording timestamp.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
    held: dict = {}  # activity -> WIB date of its valid held
    facts: dict = {}  # activity -> list of [kind, reference] still valid
    for event in events:
        if event.timestamp > as_of:
            continue
        kind = NAMES.get(type(event).__name__)
        activity = event.originator_id
        if kind == "held":
            held[activity] = event.occurred_at.astimezone(JAKARTA).date()
        elif kind in ("published", "documented", "protocol_served"):
            facts.setdefault(activity, []).append((kind, event.evidence_ref))
        elif kind == "withdrawn":
            if event.withdrawn_kind == "held":
                held.pop(activity, None)
            else:
                facts[activity] = [
                    (k, ref) for k, ref in facts.get(activity, [])
                    if not (k == event.withdrawn_kind and (not event.evidence_ref or ref == event.evidence_ref))
                ]
    denominator = [a for a, day in held.items() if start <= day <= end]
    counts = {"held": len(denominator)}
    for kind in ("published", "documented", "protocol_served"):
        counts[kind] = sum(1 for a in denominator if any(k == kind for k, _ in facts.get(a, [])))
    return counts


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
