"""The one decoder of read-model rows: each column means one thing in every table, so a row is read the same
way whichever query selected it (times as aware datetimes, leaders and withdrawal targets as lists, an approval's figures as rows)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from domain.times import from_utc_text

#: the columns that hold a moment (UTC text in the read model)
MOMENTS = ("occurred_at", "recorded_at", "withdrawn_at", "planned_start", "held_at", "scheduled_at", "created_at",
           "changed_at", "as_of", "checked_at")


def decode(row: Mapping[str, Any], *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    """A row as the pages and commands read it; columns named in `leave_out` are dropped (a password hash)."""
    left_out = set(leave_out)
    item = {key: value for key, value in row.items() if key not in left_out}
    for key in MOMENTS:
        if item.get(key):
            item[key] = from_utc_text(item[key])
    if "leaders" in item:
        item["leaders"] = item["leaders"].split(";") if item["leaders"] else []
    if "targets" in item:
        item["targets"] = json.loads(item["targets"]) if item["targets"] else []
    if "figures" in item:  # an approval's report rows
        item["figures"] = json.loads(item["figures"]) if item["figures"] else None
    return item
