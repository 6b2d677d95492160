"""The SQL this project sends to the event store itself (the eventsourcing recorders' tables), beside the
read model's: a lock for creating tables on a shared PostgreSQL store, copying stored events inside one
transaction (for `iku migrate`), and whether an SQLite store file holds any event (for `iku restore`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

#: the PostgreSQL advisory lock under which nodes create this project's tables (any fixed 64-bit number)
SCHEMA_LOCK = 0x494B5548554D4153
PAGE = 5000


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
    """Insert with the recorder's own statements inside the open transaction; the positions it gave."""
    if is_postgres(recorder):  # locked, ordered, RETURNING the positions
        recorder._insert_stored_events(cursor, stored)
        return [row["notification_id"] for row in cursor.fetchall()]
    return list(recorder._insert_events(cursor, stored))


def read_back(recorder: Any, cursor: Any) -> Iterator[Notification]:
    """Every stored event as the open transaction sees it (its own uncommitted rows included), in order."""
    if is_postgres(recorder):
        from psycopg import sql

        query = sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
                        " ORDER BY notification_id").format(sql.Identifier(recorder.datastore.schema),
                                                            sql.Identifier(recorder.events_table_name))
        with cursor.connection.cursor(name="iku_read_back") as rows:
            rows.itersize = PAGE
            rows.execute(query)
            for row in rows:
                yield Notification(id=row["notification_id"], originator_id=row["originator_id"],
                                   originator_version=row["originator_version"], topic=row["topic"],
                                   state=bytes(row["state"]))
        return
    rows = cursor.sqlite_cursor
    rows.execute(f"SELECT rowid, originator_id, originator_version, topic, state FROM {recorder.events_table_name}"
                 " ORDER BY rowid")
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
