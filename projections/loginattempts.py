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


#: the PostgreSQL advisory lock under which a node creates the failures table (any fixed 64-bit number)
TABLE_LOCK = 0x494B554C4F47494E


class PostgresLoginAttempts:
    """The same brake for several nodes on one PostgreSQL store: a table beside the events (not an event),
    so failures counted on one node lock the account on every node."""

    def __init__(self, datastore: Any, limit: int = LIMIT, window: int = WINDOW) -> None:
        from psycopg import sql

        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, "iku_login_failures")
        self.limit = limit
        self.window = window
        with datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [TABLE_LOCK])  # nodes starting together take turns
            try:
                with conn.transaction():
                    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (key text NOT NULL, at double precision"
                                         " NOT NULL)").format(self.table))
                    conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS iku_login_failures_key_at ON {} (key, at)")
                                 .format(self.table))
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [TABLE_LOCK])

    def _run(self, statement: str, params: list[Any]) -> list[Any]:
        from psycopg import sql

        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql.SQL(statement).format(table=self.table), params)
            return cursor.fetchall() if cursor.description else []

    def locked_for(self, *keys: str, now: float | None = None) -> int:
        """Seconds until the first of `keys` may try again (0: not locked)."""
        now = time.time() if now is None else now
        longest = 0.0
        for key in keys:
            rows = self._run("SELECT at FROM {table} WHERE key = %s AND at > %s ORDER BY at DESC LIMIT %s",
                             [key, now - self.window, self.limit])
            if len(rows) >= self.limit:
                longest = max(longest, rows[0]["at"] + self.window - now)
        return int(longest) + (1 if longest else 0)

    def failed(self, *keys: str, now: float | None = None) -> None:
        from psycopg import sql

        now = time.time() if now is None else now
        with self.datastore.transaction(commit=True) as cursor:
            for key in keys:
                cursor.execute(sql.SQL("INSERT INTO {} (key, at) VALUES (%s, %s)").format(self.table), [key, now])
            cursor.execute(sql.SQL("DELETE FROM {} WHERE at < %s").format(self.table), [now - 2 * self.window])

    def succeeded(self, key: str) -> None:
        """A good password clears the account's failures (not the address's)."""
        self._run("DELETE FROM {table} WHERE key = %s", [key])

    def close(self) -> None:
        """Nothing to close: the connections belong to the event store's pool."""
