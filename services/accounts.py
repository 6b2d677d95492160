"""Passwords at the edge: argon2 hashes for the domain's accounts, and checking a login."""

from __future__ import annotations

import secrets
import threading
from typing import Any

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.accounts import check_an_admin_remains, check_role
from domain.application import Recorded
from domain.errors import DomainError
from projections import read
from services.presentation import change_label, format_moment, role_label

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so a wrong name costs as long as a wrong password;
# made on first use (an argon2 hash costs a command's whole start-up otherwise).
_DUMMY_HASH: str | None = None
#: argon2 checks running at once: each takes the hasher's memory (64 MiB), so a burst of logins waits in
#: line instead of exhausting the server's memory
CONCURRENT_CHECKS = 2
_CHECKS = threading.BoundedSemaphore(CONCURRENT_CHECKS)


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hashed(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _hashed(password: str) -> str:
    with _CHECKS:
        return _HASHER.hash(password)


class WeakPasswordError(DomainError):
    field = "password"


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(minimum=MIN_PASSWORD_LENGTH)
    return _hashed(password)


def generate_password() -> str:
    """A random password for a new account (about 96 bits)."""
    return secrets.token_urlsafe(12)


def add_user(runtime, username: str, role: str, password: str, actor: str) -> Recorded:
    recorded = runtime.log.add_account(username, role=role, password_hash=hash_password(password), actor=actor)
    runtime.applied(recorded)
    return recorded


def _active_admins(runtime) -> set[str]:
    return {row["username"] for row in read.accounts.accounts(runtime.fresh())
            if row["role"] == "admin" and not row["disabled"]}


def change_role(runtime, username: str, role: str, actor: str) -> Recorded:
    """Change an account's role; taking the role from the last active admin is refused."""
    if check_role(role) != "admin":
        check_an_admin_remains(_active_admins(runtime), username)
    return runtime.applied(runtime.log.change_role(username, role, actor=actor))


def disable(runtime, username: str, actor: str, reason: str) -> Recorded:
    """Disable an account; disabling the last active admin is refused."""
    check_an_admin_remains(_active_admins(runtime), username)
    return runtime.applied(runtime.log.disable_account(username, actor=actor, reason=reason))


def set_password(runtime, username: str, password: str, actor: str) -> Recorded:
    recorded = runtime.log.change_password(username, hash_password(password), actor=actor)
    runtime.applied(recorded)
    return recorded


def reset_password(runtime, username: str, password: str, actor: str, reason: str) -> Recorded:
    """An admin sets another account's password, with the reason kept in the account record."""
    recorded = runtime.log.reset_password(username, hash_password(password), actor=actor, reason=reason)
    runtime.applied(recorded)
    return recorded


def session_stamp(account: dict[str, Any]) -> str:
    """What a session keeps of its account's password (how many times it was changed), so that a new password
    ends the sessions opened with an older one."""
    return f"v{account['password_version']}"


# The account record as sentences: (Indonesian, English) per kind of change.
_SENTENCES = {
    "created": ("dibuat sebagai {role} oleh {actor}, {when}", "created as {role} by {actor}, {when}"),
    "role_changed": ("peran diubah: {previous_role} → {role}, oleh {actor}, {when}",
                     "role changed: {previous_role} → {role}, by {actor}, {when}"),
    "disabled": ("dinonaktifkan oleh {actor}, {when}", "disabled by {actor}, {when}"),
    "enabled": ("diaktifkan kembali oleh {actor}, {when}", "enabled again by {actor}, {when}"),
    "password_changed": ("kata sandi diganti oleh {actor}, {when}", "password changed by {actor}, {when}"),
    "password_reset": ("kata sandi direset oleh {actor}, {when}", "password reset by {actor}, {when}"),
}


def describe_change(row: dict[str, Any], lang: str = "id", role_labels: bool = True) -> str:
    """One row of the account record as a sentence: `dibuat sebagai Operator oleh admin, 27 November 2026 pukul
    09.10 WIB`, with the reason when there is one; `role_labels=False` keeps the role codes (for the CLI)."""
    def role(code: str | None) -> str:
        return (role_label(code, lang) if role_labels else code) if code else "–"

    english = lang == "en"
    sentences = _SENTENCES.get(row["kind"])
    if sentences is None:
        text = f"{change_label(row['kind'], lang)}, {row['actor']}, {format_moment(row['recorded_at'], lang)}"
    else:
        text = sentences[english].format(role=role(row.get("role")), previous_role=role(row.get("previous_role")),
                                         actor=row["actor"], when=format_moment(row["recorded_at"], lang))
    if row.get("reason"):
        text += f" ({'reason' if english else 'alasan'}: {row['reason']})"
    return text


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> dict[str, Any] | None:
    """The account (without its hash, with its `session_stamp`) when the name and password match an active
    account, else None."""
    account = read.accounts.account(db, username)
    stored = account["password_hash"] if account else _dummy_hash()
    try:
        with _CHECKS:
            _HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account["disabled"]:
        return None
    found = {key: value for key, value in account.items() if key != "password_hash"}
    return {**found, "stamp": session_stamp(account)}
