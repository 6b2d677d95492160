"""The read side of the evidence that lasts: the document checklist (kinds, each activity's state, completeness
per period) and the publication links (each one's last check, since when it is dead, its archived copy).

Every question about the past takes `as_of`; none reads the clock."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.documents import DocumentKind, kinds_in_use
from domain.indicators import percent
from domain.periods import Period
from domain.times import utc_text
from projections.counting import HELD_IN_PERIOD, VALID
from projections.rows import decode

#: the checklist facts of an activity (a document's file, a not-applicable mark)
CHECKLIST_EVENTS = "('document_attached', 'not_applicable')"


def recorded_kinds(db: sqlite_utils.Database, as_of: datetime | None = None) -> list[DocumentKind]:
    """Every version of a document kind recorded by `as_of` (None: all), in recording order."""
    sql, params = "SELECT * FROM document_kinds", {}
    if as_of is not None:
        sql, params = sql + " WHERE recorded_at <= :as_of", {"as_of": utc_text(as_of)}
    return [DocumentKind(row["code"], row["label"], tuple(filter(None, row["required_for"].split(";"))),
                         bool(row["active"])) for row in db.query(sql + " ORDER BY position", params)]


def document_kinds(db: sqlite_utils.Database, as_of: datetime | None = None) -> tuple[DocumentKind, ...]:
    """Every kind as known at `as_of` (retired ones too, `active` False), defaults first."""
    return kinds_in_use(recorded_kinds(db, as_of))


def kind_history(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every recorded version of a kind, newest first, with who recorded it, when and why."""
    return [decode(dict(row)) for row in db.query(
        "SELECT code, label, required_for, active, reason, actor, recorded_at FROM document_kinds"
        " ORDER BY position DESC")]


def checklist(db: sqlite_utils.Database, activity_id: str, leaders: str | list[str],
              kinds: tuple[DocumentKind, ...]) -> list[dict[str, Any]]:
    """Each kind for one activity (as of now): `state` is `attached` (its valid `files`), `not_applicable`
    (the mark's reason, who and when), `missing` (required and neither) or `optional` (neither, not
    required). A retired kind is listed only when the activity has a valid fact of it."""
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(
        "SELECT e.kind, e.document, e.note, e.actor, e.recorded_at, e.position, a.sha256, a.name, a.size,"
        " a.media_type FROM events e LEFT JOIN attachments a ON a.position = e.position"
        f" WHERE e.activity_id = ? AND e.kind IN {CHECKLIST_EVENTS} AND e.withdrawn_position IS NULL"
        " ORDER BY e.position", [activity_id],
    ):
        facts[row["document"]].append(decode(dict(row)))
    items = []
    for kind in kinds:
        found = facts.get(kind.code, [])
        if not kind.active and not found:
            continue
        files = [fact for fact in found if fact["kind"] == "document_attached"]
        marks = [fact for fact in found if fact["kind"] == "not_applicable"]
        required = kind.required(leaders)
        state = ("attached" if files else "not_applicable" if marks else "missing" if required else "optional")
        items.append({"kind": kind, "required": required, "state": state, "files": files,
                      "mark": marks[-1] if marks else None})
    return items


def completeness(db: sqlite_utils.Database, period: Period, as_of: datetime) -> dict[str, Any]:
    """How complete the period's held activities' documents are, as known at `as_of`: of the (activity,
    required kind) pairs, how many have a valid file or a valid not-applicable mark (`complete` ÷ `required`,
    `percent`, None when nothing is required); and how many activities have every required kind
    (`complete_activities` of `activities`)."""
    kinds = tuple(kind for kind in document_kinds(db, as_of) if kind.active)
    params = {"start": period.start.isoformat(), "end": period.end.isoformat(), "as_of": utc_text(as_of)}
    held = {row["activity_id"]: row["held_leaders"] or "" for row in db.query(HELD_IN_PERIOD, params)}
    kept: dict[str, set[str]] = defaultdict(set)
    for row in db.query(
        f"SELECT c.activity_id, c.document FROM ({HELD_IN_PERIOD}) d JOIN events c INDEXED BY events_checklist"
        f" ON c.activity_id = d.activity_id AND c.kind IN {CHECKLIST_EVENTS} AND {VALID.format(t='c')}", params,
    ):
        kept[row["activity_id"]].add(row["document"])
    required = complete = complete_activities = 0
    for activity_id, leaders in held.items():
        needed = {kind.code for kind in kinds if kind.required(leaders)}
        done = len(needed & kept[activity_id])
        required += len(needed)
        complete += done
        complete_activities += done == len(needed)
    figure: Decimal | None = percent(complete, required)
    return {"required": required, "complete": complete, "percent": figure, "activities": len(held),
            "complete_activities": complete_activities}


def missing_counts(db: sqlite_utils.Database, activity_ids: list[str], kinds: tuple[DocumentKind, ...]
                   ) -> dict[str, int]:
    """Of these activities, the held ones still missing a required document (as of now), with how many kinds
    each misses."""
    if not activity_ids:
        return {}
    marks = ",".join("?" for _ in activity_ids)
    rows = db.execute(
        f"SELECT a.activity_id, a.leaders, group_concat(c.document, ';') FROM activities a LEFT JOIN events c"
        f" ON c.activity_id = a.activity_id AND c.kind IN {CHECKLIST_EVENTS} AND c.withdrawn_position IS NULL"
        f" WHERE a.status = 'held' AND a.activity_id IN ({marks}) GROUP BY a.activity_id", activity_ids,
    ).fetchall()
    counts = {activity_id: len({kind.code for kind in kinds if kind.required(leaders or "")}
                               - set((kept or "").split(";"))) for activity_id, leaders, kept in rows}
    return {activity_id: count for activity_id, count in counts.items() if count}


def incomplete_ids(db: sqlite_utils.Database, activity_ids: list[str], kinds: tuple[DocumentKind, ...]) -> set[str]:
    """Of these activities, the held ones still missing a required document (as of now)."""
    return set(missing_counts(db, activity_ids, kinds))


def missing_documents(kinds: tuple[DocumentKind, ...], table: str = "activities") -> tuple[str, dict[str, str]]:
    """An SQL condition on a row of `table` (an activity row, aliased as the table's name): held, and missing one
    of these kinds it requires (no valid file or mark as of now); with its parameter."""
    required = [{"code": kind.code, "leaders": list(kind.required_for)} for kind in kinds if kind.active]
    condition = (
        f"{table}.status = 'held' AND EXISTS (SELECT 1 FROM json_each(:missing_kinds) k"
        f" WHERE EXISTS (SELECT 1 FROM json_each(k.value, '$.leaders') l"
        f" WHERE (';' || {table}.leaders || ';') LIKE '%;' || l.value || ';%')"
        f" AND NOT EXISTS (SELECT 1 FROM events c WHERE c.activity_id = {table}.activity_id"
        f" AND c.kind IN {CHECKLIST_EVENTS} AND c.withdrawn_position IS NULL"
        f" AND c.document = json_extract(k.value, '$.code')))")
    return condition, {"missing_kinds": json.dumps(required)}


def archive(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    """A publication's archived copy with this digest: its name and the type its server declared (None: no
    link check kept one)."""
    rows = list(db.query("SELECT * FROM attachments WHERE sha256 = ? AND kind = 'archive' ORDER BY position LIMIT 1",
                         [sha256]))
    return dict(rows[0]) if rows else None


# Publication links.

def _is_live(status: int, error: str) -> bool:
    return 200 <= status < 300 and error in ("", "too_large")


def link_states(db: sqlite_utils.Database, activity_ids: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """For each checked (activity, URL): `live`, the `last` check, `dead_since` (the first failed check after
    the last live one; None when live), `checks` (how many), `changed` (a check found a different page) and the
    `archive` kept (digest, size, type; None when none was kept)."""
    where, params = "", []
    if activity_ids is not None:
        if not activity_ids:
            return {}
        where, params = f" WHERE activity_id IN ({','.join('?' for _ in activity_ids)})", activity_ids
    states: dict[tuple[str, str], dict] = {}
    for row in db.query(f"SELECT * FROM link_checks{where} ORDER BY position", params):
        check = decode(dict(row))
        state = states.setdefault((row["activity_id"], row["url"]),
                                  {"checks": 0, "dead_since": None, "archive": None, "changed": False})
        live = _is_live(check["status"], check["error"])
        state.update(last=check, live=live, checks=state["checks"] + 1, changed=state["changed"] or bool(check["changed"]))
        state["dead_since"] = None if live else (state["dead_since"] or check["checked_at"])
        if check["archive_sha256"] and state["archive"] is None:
            state["archive"] = {"sha256": check["archive_sha256"], "size": check["archive_size"],
                                "media_type": check["content_type"]}
    return states


def links_to_check(db: sqlite_utils.Database, period: Period | None, checked_before: datetime | None
                   ) -> list[dict[str, Any]]:
    """The valid publications whose reference is a link (http/https), of activities held in `period` (None:
    any), whose link was last checked before `checked_before` or never (None: whatever their last check):
    `reference`, `activity_id`, `url`, in log order, each (activity, URL) once."""
    where, params = ["p.kind = 'published'", "p.withdrawn_position IS NULL",
                     "(lower(p.evidence_ref) LIKE 'http://%' OR lower(p.evidence_ref) LIKE 'https://%')",
                     "a.status = 'held'"], {}
    if period is not None:
        where.append("a.held_date BETWEEN :start AND :end")
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    if checked_before is not None:
        where.append("COALESCE((SELECT MAX(k.recorded_at) FROM link_checks k WHERE k.activity_id = p.activity_id"
                     " AND k.url = p.evidence_ref), '') < :before")
        params["before"] = utc_text(checked_before)
    rows = db.query(
        "SELECT a.reference, p.activity_id, p.evidence_ref AS url, MIN(p.position) AS first FROM events p"
        f" JOIN activities a ON a.activity_id = p.activity_id WHERE {' AND '.join(where)}"
        " GROUP BY p.activity_id, p.evidence_ref ORDER BY first", params)
    return [{"reference": row["reference"], "activity_id": row["activity_id"], "url": row["url"]} for row in rows]


def link_counts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Per year the activity was held (WIB): how many of its valid publications' links are live, dead and
    never checked (each activity's URL once), oldest year first."""
    per_year: dict[int, dict[str, int]] = {}
    states = link_states(db)
    for row in db.query(
        "SELECT DISTINCT a.held_date, p.activity_id, p.evidence_ref FROM events p JOIN activities a"
        " ON a.activity_id = p.activity_id WHERE p.kind = 'published' AND p.withdrawn_position IS NULL"
        " AND a.status = 'held' AND (lower(p.evidence_ref) LIKE 'http://%' OR lower(p.evidence_ref) LIKE 'https://%')"
    ):
        year = int(row["held_date"][:4])
        counts = per_year.setdefault(year, {"live": 0, "dead": 0, "unchecked": 0})
        state = states.get((row["activity_id"], row["evidence_ref"]))
        counts["unchecked" if state is None else "live" if state["live"] else "dead"] += 1
    return [{"year": year, **counts} for year, counts in sorted(per_year.items())]


def checks_at(db: sqlite_utils.Database, positions: list[int]) -> list[dict[str, Any]]:
    """The link checks recorded at these log positions, in log order, each with `archive_name`: the name its
    archived copy was kept under ("" when that check kept none)."""
    return [dict(row) for row in db.query(
        "SELECT k.*, COALESCE(a.name, '') AS archive_name FROM link_checks k"
        " LEFT JOIN attachments a ON a.position = k.position AND a.kind = 'archive'"
        " WHERE k.position IN (SELECT value FROM json_each(?)) ORDER BY k.position", [json.dumps(sorted(positions))])]
