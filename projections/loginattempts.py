"""Failed login attempts, per account and per client address, shared by every web process of a data dir
(`login_attempts.sqlite3`), or by every node of a PostgreSQL store (a table beside the events).

Not events: a failed attempt is not a fact of the log, only a brake.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from projections.store import schema_lock

#: failures within WINDOW seconds before a key is locked, and for how long after the last failure
LIMIT = 5
WINDOW = 15 * 60


class LoginAttempts:
    def __init__(self, path: str | Path, limit: int = LIMIT, window: int = WINDOW) -> None:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        self.db = sqlite_utils.Database(conn)
        self.db["failures"].create({"key": str, "at": float}, if_not_exists=True)
        self.db["failures"].create_index(["key", "at"], if_not_exists=True)
        self.limit = limit
        self.window = window

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        longest = 0.0
        for key in keys:
            rows = [row[0] for row in self.db.execute(
                "SELECT at FROM failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?",
                [key, now - self.window, self.limit],
            ).fetchall()]
            if len(rows) >= self.limit:
                longest = max(longest, rows[0] + self.window - now)
        return int(longest) + (1 if longest else 0)

    def failed(self, *keys: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.db.atomic():
            self.db["failures"].insert_all([{"key": key, "at": now} for key in keys])
            self.db.execute("DELETE FROM failures WHERE at < ?", [now - 2 * self.window])

    def succeeded(self, key: str) -> None:
        """A good password clears the account's failures (not the address's)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM failures WHERE key = ?", [key])

    def close(self) -> None:
        self.db.close()


class PostgresLoginAttempts:
    """The same brake for several nodes on one PostgreSQL store: a table beside the events (not an event),
    so failures counted on one node lock the account on every node."""

    def __init__(self, datastore: Any, limit: int = LIMIT, window: int = WINDOW) -> None:
        from psycopg import sql  # only a PostgreSQL store needs it

        self.datastore = datastore
        self.limit = limit
        self.window = window
        table = sql.Identifier(datastore.schema, "iku_login_failures")
        with schema_lock(datastore) as conn, conn.transaction():  # nodes starting together take turns
            conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (key text NOT NULL, at double precision"
                                 " NOT NULL)").format(table))
            conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS iku_login_failures_key_at ON {} (key, at)")
                         .format(table))
        self._recent = sql.SQL("SELECT at FROM {} WHERE key = %s AND at > %s ORDER BY at DESC LIMIT %s").format(table)
        self._add = sql.SQL("INSERT INTO {} (key, at) VALUES (%s, %s)").format(table)
        self._forget_before = sql.SQL("DELETE FROM {} WHERE at < %s").format(table)
        self._forget_key = sql.SQL("DELETE FROM {} WHERE key = %s").format(table)

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        longest = 0.0
        with self.datastore.transaction(commit=False) as cursor:
            for key in keys:
                cursor.execute(self._recent, [key, now - self.window, self.limit])
                rows = cursor.fetchall()
                if len(rows) >= self.limit:
                    longest = max(longest, rows[0]["at"] + self.window - now)
        return int(longest) + (1 if longest else 0)

    def failed(self, *keys: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.datastore.transaction(commit=True) as cursor:
            for key in keys:
                cursor.execute(self._add, [key, now])
            cursor.execute(self._forget_before, [now - 2 * self.window])

    def succeeded(self, key: str) -> None:
        """A good password clears the account's failures (not the address's)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._forget_key, [key])

    def close(self) -> None:
        """Nothing to close: the connections belong to the event store's pool."""
