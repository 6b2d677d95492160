"""The publications' links as the pages show them: for each publication whose reference is a link, never checked,
live (with its last check), or dead since a day, and the archived copy the first successful check kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from domain.times import from_utc_text, now
from projections import read

LINK_PREFIXES = ("http://", "https://")


def is_link(reference: str | None) -> bool:
    return (reference or "").lower().startswith(LINK_PREFIXES)


def _moment(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return from_utc_text(value)


def link_view(url: str, state: dict[str, Any] | None) -> dict[str, Any]:
    """One link as a template shows it: `checked` (False: never), `live`, `checked_at` (the last check),
    `dead_since`, `last` (the last check's row, for `link_answer`) and `archive` (the copy's digest or None)."""
    if state is None:
        return {"url": url, "checked": False, "live": False, "checked_at": None, "dead_since": None, "last": None,
                "archive": None}
    last = state["last"]
    return {"url": url, "checked": True, "live": state["live"], "checked_at": _moment(last["checked_at"]),
            "dead_since": _moment(state["dead_since"]), "last": last,
            "archive": state["archive"]["sha256"] if state["archive"] else None}


def links_of_activity(db: sqlite_utils.Database, activity_id: str, events: list[dict[str, Any]]
                      ) -> dict[str, dict[str, Any]]:
    """Each link a publication of this activity names (valid or withdrawn), by URL."""
    states = read.evidence.link_states(db, [activity_id])
    return {event["evidence_ref"]: link_view(event["evidence_ref"], states.get((activity_id, event["evidence_ref"])))
            for event in events if event["kind"] == "published" and is_link(event.get("evidence_ref"))}


def dead_links(db: sqlite_utils.Database, activity_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For these activities, the links of their valid publications that could not be opened at their last check,
    by activity id (an activity with none is left out)."""
    states = read.evidence.link_states(db, activity_ids)
    dead = {key: state for key, state in states.items() if not state["live"]}
    if not dead:
        return {}
    valid = {(row["activity_id"], row["evidence_ref"])
             for row in read.activities.events_of(db, sorted({key[0] for key in dead}), now())
             if row["kind"] == "published" and row["withdrawn_position"] is None}
    found: dict[str, list[dict[str, Any]]] = {}
    for (activity_id, url), state in dead.items():
        if (activity_id, url) in valid:
            found.setdefault(activity_id, []).append(link_view(url, state))
    return found
