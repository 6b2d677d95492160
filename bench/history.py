"""Reproducible history for the benchmark: the demo model scaled to a number of events, as import CSV."""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path

from domain.times import UTC
from services.csvimport import COLUMNS
from services.demo import plan_history

CSV_KINDS = ("scheduled", "rescheduled", "held", "cancelled", "published", "documented", "protocol_served",
             "withdrawn")
EVENTS_PER_ACTIVITY = 4.4  # what the demo model produces on average
FIXED_END = datetime(2026, 1, 1, tzinfo=UTC)  # so the same seed gives the same file on any day
MAX_YEARS = 100


def write_csv(path: Path, events: int, seed: int) -> dict[str, int]:
    """Write about `events` rows of the import contract (whole activities, file order = recording order)."""
    activities = max(1, round(events / EVENTS_PER_ACTIVITY))
    # ~1,500 activities a year, over at most MAX_YEARS (a longer history would reach back before the years the
    # domain accepts, 1900–2999): a million events are a century of ~2,300 activities a year
    years = max(1, min(MAX_YEARS, math.ceil(activities / 1500)))
    steps = plan_history(seed=seed, activities_per_year=math.ceil(activities / years), years=years, end=FIXED_END)
    written = 0
    kinds: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for step in steps:
            if written >= events:
                break
            if step.kind not in CSV_KINDS:  # the demo's targets, profile and files: not rows of the import
                continue
            writer.writerow(_row(step.kind, step.reference, step.fields))
            written += 1
            kinds[step.kind] = kinds.get(step.kind, 0) + 1
    return {"rows": written, "activities": kinds.get("scheduled", 0), **kinds}


def _row(kind: str, reference: str, fields: dict) -> list[str]:
    occurred = fields["occurred_at"].isoformat()
    if kind == "scheduled":
        return [reference, kind, occurred, fields["title"], ";".join(fields["leaders"]), fields["location"], "", "",
                fields.get("note", "")]
    if kind == "rescheduled":
        return [reference, kind, occurred, "", "", "", "", "", fields.get("note", "")]
    if kind == "cancelled":
        return [reference, kind, occurred, "", "", "", "", "", fields["reason"]]
    if kind == "withdrawn":
        return [reference, kind, occurred, "", "", "", fields["withdrawn_kind"], fields.get("evidence_ref", ""),
                fields["reason"]]
    if kind == "held":
        return [reference, kind, occurred, "", "", "", "", "", ""]
    return [reference, kind, occurred, "", "", "", fields["channel"], fields.get("evidence_ref", ""), ""]
