"""Passwords at the edge: argon2 hashes for the domain's accounts, and checking a login."""

from __future__ import annotations

import secrets
from typing import Any

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.application import Recorded
from domain.errors import DomainError
from projections import queries

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class WeakPasswordError(DomainError):
    message_id = "kata sandi terlalu pendek (minimal {minimum} karakter)"
    message_en = "the password is too short (at least {minimum} characters)"
    field = "password"


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(minimum=MIN_PASSWORD_LENGTH)
    return _HASHER.hash(password)


def generate_password() -> str:
    """A random password for a new account (about 96 bits)."""
    return secrets.token_urlsafe(12)


def add_user(runtime, username: str, role: str, password: str, actor: str) -> Recorded:
    recorded = runtime.log.add_account(username, role=role, password_hash=hash_password(password), actor=actor)
    runtime.follower.catch_up()
    return recorded


def set_password(runtime, username: str, password: str, actor: str) -> Recorded:
    recorded = runtime.log.change_password(username, hash_password(password), actor=actor)
    runtime.follower.catch_up()
    return recorded


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> dict[str, Any] | None:
    """The account (without its hash) when the name and password match an active account, else None."""
    account = queries.account(db, username)
    stored = account["password_hash"] if account else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account["disabled"]:
        return None
    return {key: value for key, value in account.items() if key != "password_hash"}
