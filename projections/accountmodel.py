"""Project Account events: the current accounts and the append-only record of changes to them."""

from __future__ import annotations

from typing import Any

from domain.accounts import Account
from domain.times import utc_text
from projections.readmodel import ProjectionError, Projector, handles


def _username(p: Projector, event: Any) -> str:
    row = p.db.execute("SELECT username FROM accounts WHERE account_id = ?", [event.originator_id.hex]).fetchone()
    if row is None:
        raise ProjectionError(f"account event for {event.originator_id} that the read model never saw created")
    return row[0]


def _change(p: Projector, position: int, event: Any, kind: str, **columns: Any) -> None:
    username = _username(p, event)
    recorded_at = utc_text(event.timestamp)
    p.log_event(position, event, f"account_{kind}", username, title=columns.get("role") or "",
                note=columns.get("reason") or "")
    p.db["account_events"].insert({
        "position": position, "username": username, "kind": kind, "actor": event.actor,
        "recorded_at": recorded_at, **columns,
    })
    p.db["accounts"].update(username, {"changed_at": recorded_at, "changed_by": event.actor,
                                       "last_position": position})


@handles(Account.Created)
def on_created(p: Projector, position: int, e: Account.Created) -> None:
    recorded_at = utc_text(e.timestamp)
    p.db["accounts"].insert({
        "username": e.username, "account_id": e.originator_id.hex, "role": e.role, "disabled": 0,
        "password_hash": e.password_hash, "created_at": recorded_at, "created_by": e.actor,
        "changed_at": recorded_at, "changed_by": e.actor, "last_position": position,
    })
    p.db["account_events"].insert({
        "position": position, "username": e.username, "kind": "created", "role": e.role, "actor": e.actor,
        "recorded_at": recorded_at,
    })
    p.log_event(position, e, "account_created", e.username, title=e.role, note="")


@handles(Account.RoleChanged)
def on_role_changed(p: Projector, position: int, e: Account.RoleChanged) -> None:
    _change(p, position, e, "role_changed", role=e.role, previous_role=e.previous_role)
    p.db["accounts"].update(_username(p, e), {"role": e.role})


@handles(Account.Disabled)
def on_disabled(p: Projector, position: int, e: Account.Disabled) -> None:
    _change(p, position, e, "disabled", reason=e.reason)
    p.db["accounts"].update(_username(p, e), {"disabled": 1})


@handles(Account.Enabled)
def on_enabled(p: Projector, position: int, e: Account.Enabled) -> None:
    _change(p, position, e, "enabled")
    p.db["accounts"].update(_username(p, e), {"disabled": 0})


@handles(Account.PasswordChanged)
def on_password_changed(p: Projector, position: int, e: Account.PasswordChanged) -> None:
    _change(p, position, e, "password_changed")
    p.db["accounts"].update(_username(p, e), {"password_hash": e.password_hash})


@handles(Account.PasswordReset)
def on_password_reset(p: Projector, position: int, e: Account.PasswordReset) -> None:
    _change(p, position, e, "password_reset", reason=e.reason)
    p.db["accounts"].update(_username(p, e), {"password_hash": e.password_hash})
