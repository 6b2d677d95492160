"""The read side of accounts: the current accounts and the append-only record of changes to them."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from projections.rows import decode


def account(db: sqlite_utils.Database, username: str) -> dict[str, Any] | None:
    """One account with its role, whether it is disabled, its password hash (for login only), and how many
    times its password was changed or reset (`password_version`: a session is bound to it)."""
    sql = ("SELECT a.*, (SELECT COUNT(*) FROM account_events e WHERE e.username = a.username"
           " AND e.kind IN ('password_changed', 'password_reset')) AS password_version"
           " FROM accounts a WHERE a.username = ?")
    rows = list(db.query(sql, [(username or "").strip().lower()]))
    return dict(rows[0]) if rows else None


def accounts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every account, without password hashes; `created_at` and `changed_at` as aware datetimes."""
    return [decode(row, leave_out=["password_hash"]) for row in db.query("SELECT * FROM accounts ORDER BY username")]


def account_log(db: sqlite_utils.Database, username: str | None = None) -> list[dict[str, Any]]:
    """The append-only record of account changes (created, role changed, disabled, …), oldest first."""
    sql = "SELECT * FROM account_events WHERE :username IS NULL OR username = :username ORDER BY position"
    return [decode(row) for row in db.query(sql, {"username": username.strip().lower() if username else None})]
