"""Akun: the accounts and their append-only record (auditors read it; admins change accounts)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for

from domain.accounts import ROLES
from domain.errors import DomainError
from iku import accounts
from projections import queries
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import page
from webapp.runtime import read_model, runtime

bp = Blueprint("accounts", __name__)


def _page(errors: FieldErrors | None = None, entered: dict[str, str] | None = None, status: int = 200) -> Any:
    db = read_model()
    return page("accounts/index.html", "accounts/_body.html", status, accounts=queries.accounts(db),
                record=list(reversed(queries.account_log(db))), roles=ROLES, errors=errors or FieldErrors(),
                entered=entered or {})


@bp.route("/akun")
@requires_role("auditor", "admin")
def index() -> Any:
    return _page()


def _change(apply) -> Any:
    try:
        apply()
    except DomainError as error:
        errors = FieldErrors()
        errors.messages[error.input_field or "form"] = error.message(current_lang())
        entered = {key: request.form.get(key, "") for key in ("username", "role")}
        return _page(errors, entered, 422)
    runtime().follower.catch_up()
    return redirect(url_for("accounts.index"), 303)


@bp.route("/akun", methods=["POST"])
@requires_role("admin")
def add() -> Any:
    form = request.form
    return _change(lambda: accounts.add_user(runtime(), form.get("username", ""), form.get("role", ""),
                                             form.get("password", ""), actor()))


@bp.route("/akun/<username>/peran", methods=["POST"])
@requires_role("admin")
def set_role(username: str) -> Any:
    return _change(lambda: runtime().log.change_role(username, request.form.get("role", ""), actor=actor()))


@bp.route("/akun/<username>/nonaktif", methods=["POST"])
@requires_role("admin")
def disable(username: str) -> Any:
    return _change(lambda: runtime().log.disable_account(username, actor=actor(),
                                                         reason=request.form.get("reason", "")))


@bp.route("/akun/<username>/aktif", methods=["POST"])
@requires_role("admin")
def enable(username: str) -> Any:
    return _change(lambda: runtime().log.enable_account(username, actor=actor()))
