"""Project Activity events into read-model rows: one handler per event class.

A `Projector` applies a batch of events in memory (rows keyed by position and activity) and writes them
with sqlite-utils in the caller's transaction, so rows and the tracking position commit together.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import sqlite_utils

from domain.activity import EVIDENCE_KINDS, Activity
from domain.times import utc_text, wib_date

Row = dict[str, Any]
HANDLERS: dict[type, Callable[[Projector, int, Any], None]] = {}


class ProjectionError(RuntimeError):
    """The read model cannot apply an event: the follower stops loudly rather than skip it."""


def handles(event_class: type) -> Callable:
    """Register `handler(projector, position, event)` as the read model's handler for `event_class`."""

    def register(handler: Callable[[Projector, int, Any], None]) -> Callable:
        HANDLERS[event_class] = handler
        return handler

    return register


class Projector:
    """Applies events to the read model; `flush()` writes what a batch changed."""

    def __init__(self, db: sqlite_utils.Database, keep: int = 0) -> None:
        """`keep`: how many activity rows to remember from one flush to the next (only for a caller that
        alone writes the read model for its whole run, such as a rebuild in one transaction)."""
        self.db = db
        self._new_events: dict[tuple[str, int], Row] = {}
        self._withdrawn_updates: list[Row] = []
        self._activities: dict[str, Row] = {}  # touched by this batch: written at flush
        self._kept: OrderedDict[str, Row] = OrderedDict()  # written already, remembered for later batches
        self._keep = keep

    def apply(self, position: int, event: Any) -> None:
        handler = HANDLERS.get(type(event))
        if handler is None:
            raise ProjectionError(f"no read-model handler for {type(event).__qualname__} at position {position}")
        handler(self, position, event)

    def activity_event(self, position: int, event: Any, **columns: Any) -> Row:
        """Add the `events` row of an Activity event (common columns + `columns`) and touch its activity."""
        aid = event.originator_id.hex
        row: Row = {
            "position": position,
            "activity_id": aid,
            "version": event.originator_version,
            "occurred_at": utc_text(event.occurred_at),
            "occurred_date": wib_date(event.occurred_at).isoformat(),
            "recorded_at": utc_text(event.timestamp),
            "actor": event.actor,
            "note": event.note,
            **columns,
        }
        row["reference"] = self.activity(aid)["reference"]
        self._new_events[(aid, row["version"])] = row
        return row

    def log_event(self, position: int, event: Any, kind: str, subject: str, **columns: Any) -> Row:
        """Add the `events` row of an event that is not an activity's (an account, a target, the profile), so
        the audit log holds every event of the store: `subject` names what it is about, its time is when it
        was recorded (such events have no business time of their own)."""
        recorded_at = utc_text(event.timestamp)
        row: Row = {
            "position": position,
            "activity_id": event.originator_id.hex,
            "reference": subject,
            "version": event.originator_version,
            "kind": kind,
            "occurred_at": recorded_at,
            "occurred_date": wib_date(event.timestamp).isoformat(),
            "recorded_at": recorded_at,
            "actor": event.actor,
            **columns,
        }
        self._new_events[(row["activity_id"], row["version"])] = row
        return row

    def activity(self, aid: str) -> Row:
        row = self._activities.get(aid)
        if row is None:
            row = self._kept.pop(aid, None)
            if row is None:
                found = list(self.db.query("SELECT * FROM activities WHERE activity_id = ?", [aid]))
                if not found:
                    raise ProjectionError(f"event for activity {aid} that the read model never saw scheduled")
                row = found[0]
            self._activities[aid] = row
        return row

    def event_row(self, aid: str, version: int) -> Row | None:
        """An event's row, from this batch or as written already (None: never seen)."""
        pending = self._new_events.get((aid, version))
        if pending is not None:
            return pending
        found = list(self.db.query("SELECT * FROM events WHERE activity_id = ? AND version = ?", [aid, version]))
        return found[0] if found else None

    def withdraw(self, aid: str, version: int, withdrawal: Row) -> None:
        """Mark the fact at `version` withdrawn, in this batch's row of it or in the row written already."""
        marks = {
            "withdrawn_position": withdrawal["position"],
            "withdrawn_at": withdrawal["recorded_at"],
            "withdrawn_by": withdrawal["actor"],
            "withdrawn_reason": withdrawal["note"],
        }
        pending = self._new_events.get((aid, version))
        if pending is not None:
            pending.update(marks)
            return
        found = list(self.db.query("SELECT position FROM events WHERE activity_id = ? AND version = ?", [aid, version]))
        if not found:
            raise ProjectionError(f"withdrawal at {withdrawal['position']} names unknown version {version}")
        self._withdrawn_updates.append({"position": found[0]["position"], **marks})

    def flush(self) -> None:
        """Write the batch's rows."""
        if self._new_events:
            self._append_events(list(self._new_events.values()))
        for update in self._withdrawn_updates:
            position = update.pop("position")
            self.db["events"].update(position, update)
        if self._activities:
            self._write_activities(list(self._activities.values()))
            if self._keep:
                self._kept.update(self._activities)
                while len(self._kept) > self._keep:
                    self._kept.popitem(last=False)  # the longest untouched
        self._new_events, self._withdrawn_updates, self._activities = {}, [], {}

    def _write_activities(self, rows: list[Row]) -> None:
        # Whole rows (handlers start from the stored row), so INSERT OR REPLACE is an upsert here.
        self._write_rows("INSERT OR REPLACE INTO", "activities", rows)

    def _append_events(self, rows: list[Row]) -> None:
        self._write_rows("INSERT INTO", "events", rows)

    def _write_rows(self, verb: str, table: str, rows: list[Row]) -> None:
        # The hot path of catch-up and rebuild: one prepared statement through executemany. sqlite-utils'
        # insert_all and upsert_all spent half of a rebuild re-checking every value's type (profiled).
        columns = [column.name for column in self.db[table].columns]
        placeholders = ", ".join("?" for _ in columns)
        self.db.conn.executemany(
            f"{verb} {table} ({', '.join(columns)}) VALUES ({placeholders})",
            [tuple(map(row.get, columns)) for row in rows],
        )


@handles(Activity.Scheduled)
def on_scheduled(p: Projector, position: int, e: Activity.Scheduled) -> None:
    aid = e.originator_id.hex
    occurred_at, recorded_at = utc_text(e.occurred_at), utc_text(e.timestamp)
    activity: Row = {
        "activity_id": aid,
        "reference": e.reference,
        "title": e.title,
        "leaders": ";".join(e.leaders),
        "location": e.location,
        "planned_start": occurred_at,
        "planned_date": wib_date(e.occurred_at).isoformat(),
        "status": "scheduled",
        "held_at": None,
        "held_date": None,
        "cancel_reason": None,
        "scheduled_by": e.actor,
        "scheduled_at": recorded_at,
    }
    activity.update({f"n_{kind}": 0 for kind in EVIDENCE_KINDS})
    p._activities[aid] = activity
    p.activity_event(position, e, kind="scheduled", title=e.title, leaders=";".join(e.leaders), location=e.location)


@handles(Activity.Rescheduled)
def on_rescheduled(p: Projector, position: int, e: Activity.Rescheduled) -> None:
    row = p.activity_event(position, e, kind="rescheduled", title=e.title, leaders=";".join(e.leaders),
                           location=e.location)
    activity = p.activity(row["activity_id"])
    activity.update(planned_start=row["occurred_at"], planned_date=row["occurred_date"])
    if e.title:
        activity["title"] = e.title
    if e.leaders:
        activity["leaders"] = ";".join(e.leaders)
    if e.location:
        activity["location"] = e.location


@handles(Activity.Held)
def on_held(p: Projector, position: int, e: Activity.Held) -> None:
    row = p.activity_event(position, e, kind="held")
    row["held_leaders"] = p.activity(row["activity_id"])["leaders"]
    p.activity(row["activity_id"]).update(
        status="held", held_at=row["occurred_at"], held_date=row["occurred_date"],
    )


@handles(Activity.Cancelled)
def on_cancelled(p: Projector, position: int, e: Activity.Cancelled) -> None:
    row = p.activity_event(position, e, kind="cancelled")
    p.activity(row["activity_id"]).update(status="cancelled", cancel_reason=e.note)


def on_evidence(p: Projector, position: int, e: Activity.EvidenceRecorded) -> None:
    row = p.activity_event(position, e, kind=e.kind, channel=e.channel, evidence_ref=e.evidence_ref)
    p.activity(row["activity_id"])[f"n_{e.kind}"] += 1


for _evidence_class in (Activity.Published, Activity.Documented, Activity.ProtocolServed):
    handles(_evidence_class)(on_evidence)


@handles(Activity.Excluded)
def on_excluded(p: Projector, position: int, e: Activity.Excluded) -> None:
    p.activity_event(position, e, kind="excluded", indicator=e.indicator, exclusion_reason=e.exclusion_reason)


@handles(Activity.Withdrawn)
def on_withdrawn(p: Projector, position: int, e: Activity.Withdrawn) -> None:
    row = p.activity_event(position, e, kind="withdrawn", fact_kind=e.withdrawn_kind, evidence_ref=e.evidence_ref,
                           targets=json.dumps(e.targets))
    aid = row["activity_id"]
    activity = p.activity(aid)
    for version in e.targets:
        p.withdraw(aid, version, row)
    kind = e.withdrawn_kind
    if kind in EVIDENCE_KINDS:
        activity[f"n_{kind}"] -= len(e.targets)
    elif kind == "held":
        activity.update(status="scheduled", held_at=None, held_date=None)
    elif kind == "cancelled":
        activity.update(status="scheduled", cancel_reason=None)


@handles(Activity.EvidenceAttached)
def on_attached(p: Projector, position: int, e: Activity.EvidenceAttached) -> None:
    row = p.activity_event(position, e, kind="attached", fact_kind=e.kind, sha256=e.sha256,
                           targets=json.dumps([e.target]))
    p.db["attachments"].insert({
        "position": position, "activity_id": row["activity_id"], "target_version": e.target, "kind": e.kind,
        "sha256": e.sha256, "name": e.name, "size": e.size, "media_type": e.media_type,
        "recorded_at": row["recorded_at"], "actor": e.actor,
    })
