"""Open the read model (an SQLite file written with sqlite-utils) and keep its schema current."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from domain.activity import EVIDENCE_KINDS

migrations = Migrations("iku-readmodel")

#: tables that hold projected rows; `iku rebuild` empties them and replays the log
PROJECTED_TABLES = ("events", "activities", "accounts", "account_events", "attachments", "targets", "profile",
                    "period_steps", "narratives", "definitions", "link_checks", "document_kinds")


@migrations()
def m001_events_and_activities(db: sqlite_utils.Database) -> None:
    db["tracking"].create(
        {"application_name": str, "notification_id": int}, pk="application_name", if_not_exists=True,
    )
    db["events"].create(
        {
            "position": int,  # the event's place in the store's notification log
            "activity_id": str,
            "reference": str,
            "version": int,
            "kind": str,
            "occurred_at": str,  # UTC, fixed width (sorts like time)
            "occurred_date": str,  # WIB calendar date, YYYY-MM-DD
            "recorded_at": str,  # UTC, the store's timestamp
            "actor": str,
            "title": str,
            "leaders": str,  # `walikota;sekda`
            "location": str,
            "channel": str,  # an evidence fact's channel, media kind or officer
            "evidence_ref": str,  # an evidence fact's reference, or the one a withdrawal takes back
            "note": str,
            "targets": str,  # withdrawn: JSON list of the versions taken back
            "withdrawn_position": int,
            "withdrawn_at": str,
            "withdrawn_by": str,
            "withdrawn_reason": str,
        },
        pk="position",
        not_null={"activity_id", "reference", "version", "kind", "occurred_at", "recorded_at"},
    )
    db["events"].create_index(["activity_id", "version"], unique=True)
    db["events"].create_index(["activity_id", "kind"])
    db["events"].create_index(["recorded_at"])
    db["events"].create_index(["actor", "position"])
    db["events"].create_index(["kind", "position"])
    # The denominator of every indicator: valid `held` facts by WIB date, without touching other events.
    db.execute(
        "CREATE INDEX events_held_by_date ON events (occurred_date, recorded_at, activity_id)"
        " WHERE kind = 'held'"
    )
    columns: dict[str, type] = {
        "activity_id": str,
        "reference": str,
        "title": str,
        "leaders": str,
        "location": str,
        "planned_start": str,
        "planned_date": str,
        "status": str,  # scheduled | held | cancelled (now)
        "held_at": str,
        "held_date": str,
        "held_position": int,
        "cancelled_position": int,
        "cancel_reason": str,
        "scheduled_by": str,
        "scheduled_at": str,
        "last_position": int,
        "last_recorded_at": str,
        "event_count": int,
    }
    columns.update({f"n_{kind}": int for kind in EVIDENCE_KINDS})
    db["activities"].create(columns, pk="activity_id", not_null={"reference"})
    db["activities"].create_index(["reference"], unique=True)
    db["activities"].create_index(["planned_date"])
    db["activities"].create_index(["held_date"])
    db["activities"].create_index(["status", "planned_date"])


@migrations()
def m002_accounts(db: sqlite_utils.Database) -> None:
    db["accounts"].create(
        {
            "username": str,
            "account_id": str,
            "role": str,
            "disabled": int,
            "password_hash": str,
            "created_at": str,
            "created_by": str,
            "changed_at": str,
            "changed_by": str,
            "last_position": int,
        },
        pk="username",
    )
    db["accounts"].create_index(["account_id"], unique=True)
    # The append-only record of who created, disabled or changed an account, and when.
    db["account_events"].create(
        {
            "position": int,
            "username": str,
            "kind": str,  # created | role_changed | disabled | enabled | password_changed
            "role": str,
            "previous_role": str,
            "reason": str,
            "actor": str,
            "recorded_at": str,
        },
        pk="position",
    )
    db["account_events"].create_index(["username", "position"])


@migrations()
def m003_covering_fact_indexes(db: sqlite_utils.Database) -> None:
    # Indicator queries read only these columns: with them in the indexes, no table row is fetched.
    db.execute("DROP INDEX IF EXISTS events_held_by_date")
    db.execute(
        "CREATE INDEX events_held_by_date ON events"
        " (occurred_date, recorded_at, withdrawn_at, activity_id, occurred_at, position) WHERE kind = 'held'"
    )
    db.execute("DROP INDEX IF EXISTS idx_events_activity_id_kind")
    db.execute("CREATE INDEX events_facts ON events (activity_id, kind, recorded_at, withdrawn_at)")


@migrations()
def m004_hash_chain(db: sqlite_utils.Database) -> None:
    # Not a projected table: `iku rebuild` keeps it and checks the replayed log against it.
    db["chain"].create({"position": int, "digest": str}, pk="position")


@migrations()
def m005_attachments(db: sqlite_utils.Database) -> None:
    db["attachments"].create(
        {"position": int, "activity_id": str, "target_version": int, "kind": str, "sha256": str, "name": str,
         "size": int, "media_type": str, "recorded_at": str, "actor": str},
        pk="position",
    )
    db["attachments"].create_index(["activity_id", "target_version"])
    db["attachments"].create_index(["sha256"])


@migrations()
def m006_targets(db: sqlite_utils.Database) -> None:
    # One row per setting, so the target in force at any moment is the latest row recorded by then.
    db["targets"].create(
        {"position": int, "target_id": str, "year": int, "code": str, "value": str, "reason": str, "actor": str,
         "recorded_at": str},
        pk="position",
    )
    db["targets"].create_index(["year", "code", "recorded_at"])
    db["targets"].create_index(["target_id"])


@migrations()
def m007_profile(db: sqlite_utils.Database) -> None:
    db["profile"].create({"key": str, "value": str, "changed_at": str, "changed_by": str}, pk="key")


@migrations()
def m008_every_event_in_the_log(db: sqlite_utils.Database) -> None:
    # The audit log is every event of the store: account, target and profile events get `events` rows too.
    # A read model made before holds none of them, so it is emptied here and the next catch-up replays the
    # whole log (the hash chain is kept and checked, as in a rebuild).
    for table in ("events", "activities", "accounts", "account_events", "attachments", "targets", "profile"):
        db.execute(f"DELETE FROM {table}")  # the projected tables there were then
    db.execute("DELETE FROM tracking")


@migrations()
def m009_drop_unread_activity_columns(db: sqlite_utils.Database) -> None:
    # Written on every event and read by no query, page or command: the positions of an activity's held and
    # cancelled facts (the indicator queries take `held_position` from the `held` event itself), its last
    # position and recording time, and its event count. The other columns keep their values: no replay.
    db["activities"].transform(
        drop={"held_position", "cancelled_position", "last_position", "last_recorded_at", "event_count"}
    )


@migrations()
def m010_one_meaning_per_event_column(db: sqlite_utils.Database) -> None:
    # `channel` held an evidence fact's channel, but also the kind a withdrawal takes back, the kind of evidence
    # a file is attached to, a target's indicator and a profile field; `evidence_ref` held an evidence
    # reference, and a file's digest on attachments. Each meaning gets its column; the values move, no replay.
    db["events"].add_column("fact_kind", str)  # the kind of fact a withdrawal takes back or a file supports
    db["events"].add_column("sha256", str)  # an attached file's digest
    db["events"].add_column("setting", str)  # what a target or profile event sets: an indicator, a field
    db.execute("UPDATE events SET fact_kind = channel, channel = NULL WHERE kind = 'withdrawn'")
    db.execute("UPDATE events SET fact_kind = channel, sha256 = evidence_ref, channel = NULL, evidence_ref = NULL"
               " WHERE kind = 'attached'")
    db.execute("UPDATE events SET setting = channel, channel = NULL WHERE kind IN ('target_set', 'profile_changed')")


@migrations()
def m011_period_steps(db: sqlite_utils.Database) -> None:
    # The quarter's accountability cycle: one row per step; an approval keeps its revision, seal, the moment
    # its figures are as known at, and the figures (JSON). A read model made before holds no such event.
    db["period_steps"].create(
        {"position": int, "code": str, "step": str, "actor": str, "reason": str, "recorded_at": str,
         "revision": int, "seal": str, "as_of": str, "figures": str},
        pk="position",
    )
    db["period_steps"].create_index(["code", "position"])
    # The operator's narrative of each indicator in each triwulan: every writing kept, the latest in force.
    db["narratives"].create(
        {"position": int, "code": str, "indicator": str, "analysis": str, "obstacles": str, "follow_up": str,
         "actor": str, "recorded_at": str},
        pk="position",
    )
    db["narratives"].create_index(["code", "indicator", "position"])


@migrations()
def m012_manual_exclusions_and_pk(db: sqlite_utils.Database) -> None:
    # Exclusions (an activity outside one indicator's denominator, and why) and the leaders a `held` was held
    # with (an indicator may count only some leaders' activities; leaders cannot change while a held is valid).
    db["events"].add_column("indicator", str)
    db["events"].add_column("exclusion_reason", str)
    db["events"].add_column("held_leaders", str)
    db.execute(
        "UPDATE events SET held_leaders = (SELECT s.leaders FROM events s WHERE s.activity_id = events.activity_id"
        " AND s.kind IN ('scheduled', 'rescheduled') AND COALESCE(s.leaders, '') != ''"
        " AND s.position < events.position ORDER BY s.position DESC LIMIT 1) WHERE kind = 'held'")
    db.execute("DROP INDEX IF EXISTS events_held_by_date")
    db.execute(
        "CREATE INDEX events_held_by_date ON events"
        " (occurred_date, recorded_at, withdrawn_at, activity_id, occurred_at, position, held_leaders)"
        " WHERE kind = 'held'"
    )
    # Targets as the PK knows them: the original (awal), a revision by decree (perubahan), a triwulan's.
    db["targets"].add_column("kind", str)
    db["targets"].add_column("quarter", int)
    db["targets"].add_column("basis_number", str)
    db["targets"].add_column("basis_date", str)
    db.execute("UPDATE targets SET kind = 'awal'")
    # The Manual IKU: every recorded version of every indicator (the seed is not recorded).
    db["definitions"].create(
        {"position": int, "code": str, "effective_from": int, "active": int, "fields": str, "reason": str,
         "actor": str, "recorded_at": str},
        pk="position",
    )
    db["definitions"].create_index(["code", "position"])


@migrations()
def m013_link_checks_and_document_checklist(db: sqlite_utils.Database) -> None:
    # Each fetch of a publication's URL (the activity's `link_checked` events), with what answered.
    db["link_checks"].create(
        {"position": int, "activity_id": str, "target_version": int, "url": str, "checked_at": str,
         "status": int, "error": str, "final_url": str, "content_type": str, "sha256": str, "changed": int,
         "archive_sha256": str, "archive_size": int, "recorded_at": str, "actor": str},
        pk="position",
    )
    db["link_checks"].create_index(["activity_id", "url", "position"])
    db["link_checks"].create_index(["archive_sha256"])
    # The document checklist: every recorded version of a kind (the defaults are not recorded), and the kind a
    # checklist event or file is about.
    db["document_kinds"].create(
        {"position": int, "code": str, "label": str, "required_for": str, "active": int, "reason": str,
         "actor": str, "recorded_at": str},
        pk="position",
    )
    db["document_kinds"].create_index(["code", "position"])
    db["events"].add_column("document", str)
    db["attachments"].add_column("document", str)
    # An activity's valid checklist facts by kind (completeness per period reads only these).
    db.execute("CREATE INDEX events_checklist ON events (activity_id, document, recorded_at, withdrawn_at)"
               " WHERE kind IN ('document_attached', 'not_applicable')")



@migrations()
def m014_merkle_tree(db: sqlite_utils.Database) -> None:
    # The Merkle tree over the log (projections/tree.py). Like the chain, not projected tables: a rebuild keeps
    # and checks them. A read model from before is given its tree by the next catch-up, from the store.
    db.execute("CREATE TABLE merkle_leaves (leaf INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE,"
               " hash BLOB NOT NULL)")
    db.execute("CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
               " PRIMARY KEY (level, idx)) WITHOUT ROWID")
    db.execute("CREATE TABLE merkle_head (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL,"
               " frontier TEXT NOT NULL)")

def open_readmodel(path: str | Path, cache_mib: int = 32, memory_map: bool = True) -> sqlite_utils.Database:
    """Open (and create or migrate) the read model at `path`; `:memory:` for a throw-away one."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")  # a period's index ranges stay in memory
    # Reads through a memory map skip a system call per page; only the pages a query touches count in RSS.
    # (Off for a server's per-thread readers: each map would count its pages in the process's memory again.)
    conn.execute(f"PRAGMA mmap_size={268435456 if memory_map else 0}")
    db = sqlite_utils.Database(conn)
    if migrations.pending(db):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if migrations.pending(db):
                migrations.apply(db)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return db
