"""The SQL this project sends to the event store itself (the eventsourcing recorders' tables), beside the
read model's: a lock for creating tables on a shared PostgreSQL store, copying stored events inside one
transaction (for `iku migrate`), and whether an SQLite store file holds any event (for `iku restore`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

from projections import recorders

#: the PostgreSQL advisory lock under which nodes create this project's tables (any fixed 64-bit number)
SCHEMA_LOCK = 0x494B5548554D4153
PAGE = 5000
#: ids asked about in one query (SQLite allows 999 parameters in older builds)
ASKED = 500


@contextmanager
def schema_lock(datastore: Any) -> Iterator[Any]:
    """Hold the schema lock on one of the store's connections: nodes starting together would otherwise race
    creating the same tables and functions ("tuple concurrently updated"). Yields that connection."""
    with datastore.get_connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [SCHEMA_LOCK])
        try:
            yield conn
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [SCHEMA_LOCK])


#: the PostgreSQL advisory lock every node's writers take turns under (see `write_lock`)
WRITE_LOCK = 0x494B552D57524954


@contextmanager
def write_lock(datastore: Any) -> Iterator[None]:
    """Hold the store's write lock on one of its connections: a write that a closed period may refuse checks
    and stores under it, so no other node's write comes in between."""
    with datastore.get_connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (made when absent): the write lock of an SQLite store, shared by every
    process and thread writing to it (each holder opens the file itself, so threads exclude each other too)."""
    import fcntl

    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_postgres(recorder: Any) -> bool:
    return hasattr(recorder, "_insert_stored_events")


def insert(recorder: Any, cursor: Any, stored: list[StoredEvent]) -> list[int]:
    """Insert with the recorder's own statements inside the open transaction; the positions it gave (the bulk
    path of this project's recorders, projections/recorders.py, when the store was opened with one)."""
    if hasattr(recorder, "insert_bulk"):
        return list(recorder.insert_bulk(cursor, stored))
    if is_postgres(recorder):  # locked, ordered, RETURNING the positions
        recorder._insert_stored_events(cursor, stored)
        return [row["notification_id"] for row in cursor.fetchall()]
    return list(recorder._insert_events(cursor, stored))


def existing(recorder: Any, ids: Sequence[UUID]) -> set[UUID]:
    """Which of `ids` the store holds any event under: one indexed query per few hundred ids."""
    found: set[UUID] = set()
    for start in range(0, len(ids), ASKED):
        part = list(ids[start:start + ASKED])
        with recorder.datastore.transaction(commit=False) as cursor:
            if is_postgres(recorder):
                from psycopg import sql

                cursor.execute(sql.SQL("SELECT DISTINCT originator_id FROM {}.{} WHERE originator_id = ANY(%s)").format(
                    sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name)), [part])
                found.update(row["originator_id"] for row in cursor.fetchall())
            else:
                cursor.execute(f"SELECT DISTINCT originator_id FROM {recorder.events_table_name} WHERE originator_id"
                               f" IN ({','.join('?' * len(part))})", [aid.hex for aid in part])
                found.update(UUID(row[0]) for row in cursor.fetchall())
    return found


def read_back(recorder: Any, cursor: Any, after: int = 0) -> Iterator[Notification]:
    """Every stored event after position `after` as the open transaction sees it (its own uncommitted rows
    included), in order."""
    if is_postgres(recorder):
        from psycopg import sql

        # COPY's text rows, split here: the driver's row loader (pure Python where its C part is not installed)
        # took longer than the copy itself.
        query = sql.SQL("COPY (SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
                        " WHERE notification_id > {} ORDER BY notification_id) TO STDOUT").format(
            sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name),
            sql.Literal(int(after)))
        with cursor.copy(query) as copy:
            yield from recorders.copied_rows(copy)
        return
    rows = cursor.sqlite_cursor
    rows.execute(f"SELECT rowid, originator_id, originator_version, topic, state FROM {recorder.events_table_name}"
                 " WHERE rowid > ? ORDER BY rowid", [int(after)])
    for page in iter(lambda: rows.fetchmany(PAGE), []):
        for notification_id, originator_id, version, topic, state in page:
            yield Notification(id=notification_id, originator_id=UUID(originator_id), originator_version=version,
                               topic=topic, state=bytes(state))


def sqlite_holds_events(store: Path) -> bool:
    """Whether an SQLite event store file holds any event (or anything else that must not be replaced)."""
    if not store.exists():
        return False
    try:
        with closing(sqlite3.connect(str(store))) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "stored_events" not in tables:
                return bool(tables)
            return conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:
        return True  # not an SQLite file: not ours to replace
