"""Failed login attempts, per account and per client address, shared by every web process of a data dir
(`login_attempts.sqlite3`), or by every node of a PostgreSQL store (a table beside the events).

Not events: a failed attempt is not a fact of the log, only a brake. An attempt is counted as a failure
*before* its password is checked, in the same transaction as the check of the lock (`begin`), so however
many requests arrive together, no more than LIMIT of them are ever evaluated; a right password then takes
its own count back (`succeeded`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projections.store import schema_lock

#: failures within WINDOW seconds before a key is locked, and for how long after the last failure
LIMIT = 5
WINDOW = 15 * 60


@dataclass(frozen=True)
class Attempt:
    """What `begin` decided: `wait` seconds when a key is locked (nothing counted), else the `ticket` under
    which this attempt was counted as a failure in advance."""

    wait: int
    ticket: str | None = None

    @property
    def allowed(self) -> bool:
        return self.ticket is not None


def _wait(latest_failures: list[list[float]], limit: int, window: int, now: float) -> int:
    """Seconds until every key may try again, given each key's most recent failure times (newest first)."""
    longest = 0.0
    for times in latest_failures:
        if len(times) >= limit:
            longest = max(longest, times[0] + window - now)
    return int(longest) + (1 if longest > 0 else 0)


class LoginAttempts:
    """The brake of one data dir, in an SQLite file: safe for a server's threads (one lock around the one
    connection) and for several processes (each decision in a BEGIN IMMEDIATE transaction)."""

    def __init__(self, path: str | Path, limit: int = LIMIT, window: int = WINDOW) -> None:
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT, at FLOAT)")
        if "ticket" not in {row[1] for row in self.conn.execute("PRAGMA table_info(failures)")}:
            self.conn.execute("ALTER TABLE failures ADD COLUMN ticket TEXT")
        self.conn.execute("CREATE INDEX IF NOT EXISTS idx_failures_key_at ON failures (key, at)")
        self.conn.execute("CREATE INDEX IF NOT EXISTS idx_failures_ticket ON failures (ticket)")
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        return [row[0] for row in self.conn.execute(
            "SELECT at FROM failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?",
            [key, now - self.window, self.limit])]

    def _write(self, statements: list[tuple[str, list[Any]]]) -> None:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self.conn.execute(sql, params)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        with self._lock:
            return _wait([self._recent(key, now) for key in keys], self.limit, self.window, now)

    def begin(self, *keys: str, now: float | None = None) -> Attempt:
        """Check the lock and, when no key is locked, count this attempt as a failure: one transaction."""
        now = time.time() if now is None else now
        ticket = uuid.uuid4().hex
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                wait = _wait([self._recent(key, now) for key in keys], self.limit, self.window, now)
                if not wait:
                    self.conn.executemany("INSERT INTO failures (key, at, ticket) VALUES (?, ?, ?)",
                                          [(key, now, ticket) for key in keys])
                    self.conn.execute("DELETE FROM failures WHERE at < ?", [now - 2 * self.window])
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        return Attempt(wait) if wait else Attempt(0, ticket)

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count a failure for each key (an attempt that was not begun here)."""
        now = time.time() if now is None else now
        self._write([("INSERT INTO failures (key, at) VALUES (?, ?)", [key, now]) for key in keys]
                    + [("DELETE FROM failures WHERE at < ?", [now - 2 * self.window])])

    def succeeded(self, key: str, ticket: str | None = None) -> None:
        """A good password: the attempt's own count is taken back and the account's failures cleared (not
        the address's)."""
        self._write([("DELETE FROM failures WHERE key = ? OR ticket = ?", [key, ticket or ""])])

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
            conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS iku_login_failures_key_at ON {} (key, at)")
                         .format(table))
        self._recent = sql.SQL("SELECT at FROM {} WHERE key = %s AND at > %s ORDER BY at DESC LIMIT %s").format(table)
        self._add = sql.SQL("INSERT INTO {} (key, at, ticket) VALUES (%s, %s, %s)").format(table)
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

    def _latest(self, cursor: Any, keys: tuple[str, ...], now: float) -> list[list[float]]:
        found = []
        for key in keys:
            cursor.execute(self._recent, [key, now - self.window, self.limit])
            found.append([row["at"] for row in cursor.fetchall()])
        return found

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        return self._transaction(lambda cursor: _wait(self._latest(cursor, keys, now), self.limit, self.window, now),
                                 commit=False)

    def begin(self, *keys: str, now: float | None = None) -> Attempt:
        """Check the lock and, when no key is locked, count this attempt as a failure: one transaction."""
        now = time.time() if now is None else now
        ticket = uuid.uuid4().hex

        def decide(cursor: Any) -> int:
            for key in sorted(keys):  # one order everywhere: two nodes never wait on each other in a circle
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"iku-login:{key}"])
            wait = _wait(self._latest(cursor, keys, now), self.limit, self.window, now)
            if not wait:
                for key in keys:
                    cursor.execute(self._add, [key, now, ticket])
                cursor.execute(self._forget_before, [now - 2 * self.window])
            return wait

        wait = self._transaction(decide, commit=True)
        return Attempt(wait) if wait else Attempt(0, ticket)

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count a failure for each key (an attempt that was not begun here)."""
        now = time.time() if now is None else now

        def count(cursor: Any) -> None:
            for key in keys:
                cursor.execute(self._add, [key, now, None])
            cursor.execute(self._forget_before, [now - 2 * self.window])

        self._transaction(count, commit=True)

    def succeeded(self, key: str, ticket: str | None = None) -> None:
        """A good password: the attempt's own count is taken back and the account's failures cleared (not
        the address's)."""
        self._transaction(lambda cursor: cursor.execute(self._forget, [key, ticket or ""]), commit=True)

    def close(self) -> None:
        """Nothing to close: the connections belong to the event store's pool."""
