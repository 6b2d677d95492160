"""The event store's recorders: the eventsourcing library's own, each extended by subclassing (named to the
library by `APPLICATION_RECORDER_TOPIC`, its documented way to choose a recorder) with one bulk path.

A bulk import or a migration stores tens of thousands of events inside one transaction the caller holds.
The library's insert takes one `execute` per event on SQLite (to learn each rowid) and, on PostgreSQL, sends
the events as an array of a composite type, which the driver spells out value by value in Python. The bulk
paths write the same four columns into the same table, after the same table lock and notification on
PostgreSQL, and return the log positions the store gave, checked to be one per event and in order.
Everything else, the single writes included, is the library's code unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import retry

#: what COPY's text format would have to escape in a topic (a module path never holds any)
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
#: COPY's text-format escapes (backslash and a letter; a backslash and 1–3 octal digits is a byte)
_COPY_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
_COPY_ESCAPE = re.compile(rb"\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)", re.DOTALL)


def _copy_field(field: bytes) -> bytes:
    """One field of a COPY text row, its escapes undone."""
    if b"\\" not in field:
        return field

    def undo(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1] in b"01234567":  # a backslash and 1–3 octal digits: that byte (other digits stand for themselves)
            return bytes([int(code, 8) & 0xFF])
        if code[:1] == b"x" and len(code) > 1:
            return bytes([int(code[1:], 16)])
        return _COPY_ESCAPES.get(code, code)

    return _COPY_ESCAPE.sub(undo, field)


def _copied_row(line: bytes) -> Notification:
    position, originator_id, version, topic, state = line.split(b"\t")
    # bytea's text form is \x and hex digits, its backslash doubled by COPY; hex digits need no unescaping
    if not state.startswith(b"\\\\x"):
        raise ValueError("a stored state in an unexpected form")
    return Notification(id=int(position), originator_id=UUID(originator_id.decode()), originator_version=int(version),
                        topic=_copy_field(topic).decode(), state=bytes.fromhex(state[3:].decode()))


def copied_rows(copy: Any) -> Iterator[Notification]:
    """The stored events of a `COPY (SELECT notification_id, originator_id, originator_version, topic, state
    …) TO STDOUT`, split here: the driver's row loader (pure Python where its C part is not installed) took
    longer than the copy itself."""
    pending = b""
    for block in copy:
        lines = (pending + bytes(block)).split(b"\n")
        pending = lines.pop()
        for line in lines:
            yield _copied_row(line)
    if pending:
        yield _copied_row(pending)


SQLITE_TOPIC = "projections.recorders:BulkSQLiteRecorder"
POSTGRES_TOPIC = "projections.recorders:BulkPostgresRecorder"


def _counted(positions: Sequence[int], stored: Sequence[StoredEvent]) -> Sequence[int]:
    if len(positions) != len(stored):
        raise ProgrammingError(f"the store gave {len(positions)} positions to {len(stored)} events")
    return positions


class BulkSQLiteRecorder(SQLiteApplicationRecorder):
    def insert_bulk(self, cursor: Any, stored: Sequence[StoredEvent]) -> Sequence[int]:
        """Insert with the recorder's own statement in one `executemany`, inside the caller's write transaction.
        Rows are never deleted (a trigger refuses it), so SQLite gives each new row the largest rowid plus
        one: the positions are the range after the largest before, which the largest after confirms."""
        if not stored:
            return []
        before = self.largest_in(cursor)
        cursor.executemany(self.insert_events_statement, [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id, s.originator_version,
             s.topic, s.state) for s in stored])
        return _counted(range(before + 1, self.largest_in(cursor) + 1), stored)

    def largest_in(self, cursor: Any) -> int:
        """The last position as the caller's transaction sees it (0: empty)."""
        cursor.execute(self.select_max_notification_id_statement)
        return cursor.fetchone()[0] or 0


class BulkPostgresRecorder(PostgresApplicationRecorder):
    def insert_bulk(self, cursor: Any, stored: Sequence[StoredEvent]) -> Sequence[int]:
        """Insert with `COPY` inside the caller's transaction, after the library's own table lock and
        notification; the positions are read back (the lock keeps every other insert out meanwhile)."""
        if not stored:
            return []
        from psycopg import sql

        self._lock_table(cursor)
        self._notify_channel(cursor)
        table = sql.SQL("{}.{}").format(sql.Identifier(self.datastore.schema), sql.Identifier(self.events_table_name))
        before = self.largest_in(cursor)
        with cursor.copy(sql.SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN")
                         .format(table)) as copy:
            if any(_COPY_SPECIAL.search(s.topic) for s in stored):
                for s in stored:
                    copy.write_row((s.originator_id, s.originator_version, s.topic, s.state))
            else:  # COPY's text rows written here, at C speed: nothing in them needs escaping
                copy.write("".join([f"{s.originator_id}\t{int(s.originator_version)}\t{s.topic}\t\\\\x{s.state.hex()}\n"
                                    for s in stored]).encode())
        cursor.execute(sql.SQL("SELECT notification_id FROM {} WHERE notification_id > %s ORDER BY notification_id")
                       .format(table), [before])
        return _counted([row["notification_id"] for row in cursor.fetchall()], stored)

    def largest_in(self, cursor: Any) -> int:
        """The last position as the caller's transaction sees it (0: empty)."""
        cursor.execute(self.max_notification_id_statement)
        return cursor.fetchone()["max"] or 0

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *, inclusive_of_start: bool = True) -> Sequence[Notification]:
        """The library's page of the log, read through `COPY … TO STDOUT` (a new node reads the whole log this
        way): the same rows, in the same order, as its own query gives."""
        if topics:
            return super().select_notifications(start, limit, stop, topics, inclusive_of_start=inclusive_of_start)
        from psycopg import sql

        conditions = []
        if start is not None:
            conditions.append(sql.SQL("notification_id >= {}" if inclusive_of_start else "notification_id > {}")
                              .format(sql.Literal(int(start))))
        if stop is not None:
            conditions.append(sql.SQL("notification_id <= {}").format(sql.Literal(int(stop))))
        where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
        query = sql.SQL("COPY (SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}{}"
                        " ORDER BY notification_id LIMIT {}) TO STDOUT").format(
            sql.Identifier(self.datastore.schema), sql.Identifier(self.events_table_name), where,
            sql.Literal(int(limit)))
        with self.datastore.get_connection() as conn, conn.cursor() as cursor, cursor.copy(query) as copy:
            return list(copied_rows(copy))
