"""Failed login attempts, per account and per client address, shared by every web process of a data dir
(`login_attempts.sqlite3`), or by every node of a PostgreSQL store (a table beside the events).

Not events: a failed attempt is not a fact of the log, only a brake. An attempt is written down *before*
its password is checked, as pending, in the same transaction as the check of the lock (`begin`); pending
attempts count towards the limit, so however many requests arrive together, no more than LIMIT of them are
ever evaluated. An attempt that would go over the limit only because others are still being evaluated is
told to wait a moment (`busy`) rather than refused: a right password takes its own row back
(`succeeded`), a wrong one turns it into a failure (`failed_attempt`). A pending row whose process died is
a failure after PENDING_FOR seconds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projections.store import schema_lock

#: failures within WINDOW seconds before a key is locked, and for how long after the last failure
LIMIT = 5
WINDOW = 15 * 60
#: how long an attempt may stay pending before it counts as failed (its process died mid-check)
PENDING_FOR = 60.0


@dataclass(frozen=True)
class Attempt:
    """What `begin` decided: locked for `wait` seconds; `busy` (others are being checked: try again in a
    moment); or allowed, with the `ticket` under which it is pending."""

    wait: int = 0
    ticket: str | None = None
    busy: bool = False

    @property
    def allowed(self) -> bool:
        return self.ticket is not None


def _decide(rows_by_key: Iterable[list[tuple[float, bool]]], limit: int, window: int, now: float) -> Attempt:
    """The decision for one attempt, given each key's rows in the window (time, pending), newest first."""
    longest, busy = 0.0, False
    for rows in rows_by_key:
        failed = [at for at, pending in rows if not pending or at < now - PENDING_FOR]
        if len(failed) >= limit:
            longest = max(longest, failed[0] + window - now)
        elif len(rows) >= limit:
            busy = True
    if longest > 0:
        return Attempt(wait=int(longest) + 1)
    return Attempt(busy=True) if busy else Attempt(ticket=uuid.uuid4().hex)


class LoginAttempts:
    """The brake of one data dir, in an SQLite file: safe for a server's threads (one lock around the one
    connection) and for several processes (each decision in a BEGIN IMMEDIATE transaction)."""

    def __init__(self, path: str | Path, limit: int = LIMIT, window: int = WINDOW) -> None:
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT, at FLOAT)")
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(failures)")}
        if "ticket" not in columns:
            self.conn.execute("ALTER TABLE failures ADD COLUMN ticket TEXT")
        if "pending" not in columns:
            self.conn.execute("ALTER TABLE failures ADD COLUMN pending INTEGER NOT NULL DEFAULT 0")
        self.conn.execute("CREATE INDEX IF NOT EXISTS idx_failures_key_at ON failures (key, at)")
        self.conn.execute("CREATE INDEX IF NOT EXISTS idx_failures_ticket ON failures (ticket)")
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()

    def _rows(self, keys: Iterable[str], now: float) -> list[list[tuple[float, bool]]]:
        return [[(at, bool(pending)) for at, pending in self.conn.execute(
            "SELECT at, pending FROM failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?",
            [key, now - self.window, 4 * self.limit])] for key in keys]

    def _write(self, work: Any) -> Any:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return result

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        with self._lock:
            return _decide(self._rows(keys, now), self.limit, self.window, now).wait

    def begin(self, *keys: str, now: float | None = None) -> Attempt:
        """Check the lock and, when the attempt may go ahead, write it down as pending: one transaction."""
        now = time.time() if now is None else now

        def decide() -> Attempt:
            attempt = _decide(self._rows(keys, now), self.limit, self.window, now)
            if attempt.allowed:
                self.conn.executemany("INSERT INTO failures (key, at, ticket, pending) VALUES (?, ?, ?, 1)",
                                      [(key, now, attempt.ticket) for key in keys])
                self.conn.execute("DELETE FROM failures WHERE at < ?", [now - 2 * self.window])
            return attempt

        return self._write(decide)

    def failed_attempt(self, ticket: str) -> None:
        """The password was wrong: the pending attempt is a failure."""
        self._write(lambda: self.conn.execute("UPDATE failures SET pending = 0 WHERE ticket = ?", [ticket]))

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count a failure for each key (an attempt that was not begun here)."""
        now = time.time() if now is None else now

        def count() -> None:
            self.conn.executemany("INSERT INTO failures (key, at) VALUES (?, ?)", [(key, now) for key in keys])
            self.conn.execute("DELETE FROM failures WHERE at < ?", [now - 2 * self.window])

        self._write(count)

    def succeeded(self, key: str, ticket: str | None = None) -> None:
        """A good password: the attempt's own row is taken back and the account's failures cleared (not the
        address's)."""
        self._write(lambda: self.conn.execute("DELETE FROM failures WHERE key = ? OR ticket = ?",
                                              [key, ticket or ""]))

    def close(self) -> None:
        with self._lock:
            self.conn.close()


class PostgresLoginAttempts:
    """The same brake for several nodes on one PostgreSQL store: a table beside the events (not an event),
    so failures counted on one node lock the account on every node. Decisions on the same keys take turns
    under transaction-scoped advisory locks."""

    def __init__(self, datastore: Any, limit: int = LIMIT, window: int = WINDOW) -> None:
        from psycopg import sql  # only a PostgreSQL store needs it

        self.datastore = datastore
        self.limit = limit
        self.window = window
        table = sql.Identifier(datastore.schema, "iku_login_failures")
        with schema_lock(datastore) as conn, conn.transaction():  # nodes starting together take turns
            conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (key text NOT NULL, at double precision"
                                 " NOT NULL)").format(table))
            conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS ticket text").format(table))
            conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS pending boolean NOT NULL DEFAULT false")
                         .format(table))
            conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS iku_login_failures_key_at ON {} (key, at)")
                         .format(table))
        self._recent = sql.SQL("SELECT at, pending FROM {} WHERE key = %s AND at > %s ORDER BY at DESC LIMIT %s"
                               ).format(table)
        self._add = sql.SQL("INSERT INTO {} (key, at, ticket, pending) VALUES (%s, %s, %s, %s)").format(table)
        self._settle = sql.SQL("UPDATE {} SET pending = false WHERE ticket = %s").format(table)
        self._forget_before = sql.SQL("DELETE FROM {} WHERE at < %s").format(table)
        self._forget = sql.SQL("DELETE FROM {} WHERE key = %s OR ticket = %s").format(table)

    def _transaction(self, work: Any, commit: bool) -> Any:
        """Run `work(cursor)` in a transaction; when the server dropped pooled connections (a restart,
        pg_terminate_backend), have the pool replace every broken one and run it once more."""
        from eventsourcing.persistence import InterfaceError, OperationalError

        try:
            with self.datastore.transaction(commit=commit) as cursor:
                return work(cursor)
        except (OperationalError, InterfaceError):
            self.datastore.pool.check()
        with self.datastore.transaction(commit=commit) as cursor:
            return work(cursor)

    def _rows(self, cursor: Any, keys: Iterable[str], now: float) -> list[list[tuple[float, bool]]]:
        found = []
        for key in keys:
            cursor.execute(self._recent, [key, now - self.window, 4 * self.limit])
            found.append([(row["at"], row["pending"]) for row in cursor.fetchall()])
        return found

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        return self._transaction(
            lambda cursor: _decide(self._rows(cursor, keys, now), self.limit, self.window, now).wait, commit=False)

    def begin(self, *keys: str, now: float | None = None) -> Attempt:
        """Check the lock and, when the attempt may go ahead, write it down as pending: one transaction."""
        now = time.time() if now is None else now

        def decide(cursor: Any) -> Attempt:
            for key in sorted(keys):  # one order everywhere: two nodes never wait on each other in a circle
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"iku-login:{key}"])
            attempt = _decide(self._rows(cursor, keys, now), self.limit, self.window, now)
            if attempt.allowed:
                for key in keys:
                    cursor.execute(self._add, [key, now, attempt.ticket, True])
                cursor.execute(self._forget_before, [now - 2 * self.window])
            return attempt

        return self._transaction(decide, commit=True)

    def failed_attempt(self, ticket: str) -> None:
        """The password was wrong: the pending attempt is a failure."""
        self._transaction(lambda cursor: cursor.execute(self._settle, [ticket]), commit=True)

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count a failure for each key (an attempt that was not begun here)."""
        now = time.time() if now is None else now

        def count(cursor: Any) -> None:
            for key in keys:
                cursor.execute(self._add, [key, now, None, False])
            cursor.execute(self._forget_before, [now - 2 * self.window])

        self._transaction(count, commit=True)

    def succeeded(self, key: str, ticket: str | None = None) -> None:
        """A good password: the attempt's own row is taken back and the account's failures cleared (not the
        address's)."""
        self._transaction(lambda cursor: cursor.execute(self._forget, [key, ticket or ""]), commit=True)

    def close(self) -> None:
        """Nothing to close: the connections belong to the event store's pool."""
