"""Staff accounts as events: who may record, who may only look, and who changed that, when.

The domain keeps only a password *hash* (made at the edge); it never sees a password.
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, MissingFieldError, TextTooLongError

ROLES: tuple[str, ...] = ("operator", "auditor", "admin", "verifier", "approver")
#: what each role may do; admin is also an operator
WRITERS = frozenset({"operator", "admin"})
_NAMESPACE = uuid5(NAMESPACE_URL, "https://iku-humas/account")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class InvalidUsernameError(DomainError):
    field = "username"


class UnknownRoleError(DomainError):
    field = "role"


class AccountExistsError(DomainError):
    field = "username"


class UnknownAccountError(DomainError):
    field = "username"


class AccountDisabledError(DomainError):
    field = "username"


class AccountEnabledError(DomainError):
    field = "username"


class SameRoleError(DomainError):
    field = "role"


class OwnPasswordResetError(DomainError):
    field = "username"


class LastAdminError(DomainError):
    field = "row"


def check_an_admin_remains(active_admins: set[str], username: str) -> None:
    """Refuse a change that takes `username` out of the active admins when no other admin would be left."""
    name = check_username(username)
    if name in active_admins and not active_admins - {name}:
        raise LastAdminError(username=name)


def check_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise MissingFieldError(field="reason")
    if len(text) > 500:
        raise TextTooLongError(field="reason", limit=500)
    return text


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.match(name):
        raise InvalidUsernameError(username=username)
    return name


def check_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in ROLES:
        raise UnknownRoleError(role=role)
    return value


def account_id(username: str) -> UUID:
    return uuid5(_NAMESPACE, check_username(username))


class Account(Aggregate):
    """One staff member's access to the log."""

    class Created(Aggregate.Created):
        username: str
        role: str
        password_hash: str
        actor: str

    class RoleChanged(Aggregate.Event):
        role: str
        previous_role: str
        actor: str

        def apply(self, account: Account) -> None:
            account.role = self.role

    class Disabled(Aggregate.Event):
        actor: str
        reason: str

        def apply(self, account: Account) -> None:
            account.disabled = True

    class Enabled(Aggregate.Event):
        actor: str

        def apply(self, account: Account) -> None:
            account.disabled = False

    class PasswordChanged(Aggregate.Event):
        password_hash: str
        actor: str

        def apply(self, account: Account) -> None:
            account.password_hash = self.password_hash

    class PasswordReset(Aggregate.Event):
        """An admin set another account's password (it forgot it, or it may be known to someone else)."""

        password_hash: str
        actor: str
        reason: str

        def apply(self, account: Account) -> None:
            account.password_hash = self.password_hash

    def __init__(self, username: str, role: str, password_hash: str, actor: str) -> None:
        self.username = username
        self.role = role
        self.password_hash = password_hash
        self.disabled = False

    @classmethod
    def create(cls, *, username: str, role: str, password_hash: str, actor: str,
               timestamp: datetime | None = None) -> Account:
        name = check_username(username)
        return cls._create(cls.Created, id=account_id(name), username=name, role=check_role(role),
                           password_hash=password_hash, actor=actor, timestamp=timestamp)

    def change_role(self, role: str, *, actor: str, timestamp: datetime | None = None) -> None:
        role = check_role(role)
        if role == self.role:
            raise SameRoleError(username=self.username, role=role)
        self.trigger_event(self.RoleChanged, role=role, previous_role=self.role, actor=actor, timestamp=timestamp)

    def disable(self, *, actor: str, reason: str, timestamp: datetime | None = None) -> None:
        if self.disabled:
            raise AccountDisabledError(username=self.username)
        self.trigger_event(self.Disabled, actor=actor, reason=check_reason(reason), timestamp=timestamp)

    def enable(self, *, actor: str, timestamp: datetime | None = None) -> None:
        if not self.disabled:
            raise AccountEnabledError(username=self.username)
        self.trigger_event(self.Enabled, actor=actor, timestamp=timestamp)

    def change_password(self, password_hash: str, *, actor: str, timestamp: datetime | None = None) -> None:
        self.trigger_event(self.PasswordChanged, password_hash=password_hash, actor=actor, timestamp=timestamp)

    def reset_password(self, password_hash: str, *, actor: str, reason: str,
                       timestamp: datetime | None = None) -> None:
        if actor == self.username:  # one's own password needs the current one (see `change_password`'s callers)
            raise OwnPasswordResetError(username=self.username)
        self.trigger_event(self.PasswordReset, password_hash=password_hash, actor=actor, reason=check_reason(reason),
                           timestamp=timestamp)
