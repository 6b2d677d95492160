"""Akun: the accounts and their append-only record (auditors read it; admins change accounts), and every
account's own password (/akun/sandi)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, request, url_for
from flask_babel import gettext as _

from domain.accounts import ROLES
from domain.errors import DomainError
from domain.times import now
from projections import read
from services import accounts
from services.presentation import describe, format_moment
from webapp.auth import actor, check_password, keep_session, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page
from webapp.wiring import read_model, runtime

bp = Blueprint("accounts", __name__)


def _page(errors: FieldErrors | None = None, entered: dict[str, str] | None = None, status: int = 200) -> Any:
    db = read_model()
    return page("accounts/index.html", "accounts/_body.html", status, accounts=read.accounts.accounts(db),
                record=list(reversed(read.accounts.account_log(db))), roles=ROLES, errors=errors or FieldErrors(),
                entered=entered or {})


@bp.route("/akun")
@requires_role("auditor", "admin")
def index() -> Any:
    return _page()


def _saved(what: str) -> None:
    confirm(_("Tersimpan: %(what)s, %(when)s", what=what, when=format_moment(now(), current_lang())))


def _change(apply, what: str, target: str = "") -> Any:
    try:
        recorded = apply()
    except DomainError as error:
        errors = FieldErrors()
        field = error.input_field or "form"
        if target and field != "reason":  # a refused change of one row is said in that row
            field = "row"
        errors.messages[field] = describe(error, current_lang())
        entered = {key: request.form.get(key, "") for key in ("username", "role", "reason")}
        return _page(errors, {**entered, "target": target}, 422)
    runtime().applied(recorded)
    _saved(what)
    return redirect(url_for("accounts.index"), 303)


@bp.route("/akun", methods=["POST"])
@requires_role("admin")
def add() -> Any:
    form = request.form
    name = form.get("username", "").strip().lower()
    return _change(lambda: accounts.add_user(runtime(), form.get("username", ""), form.get("role", ""),
                                             form.get("password", ""), actor()),
                   _("akun %(username)s dibuat", username=name))


@bp.route("/akun/<username>/peran", methods=["POST"])
@requires_role("admin")
def set_role(username: str) -> Any:
    return _change(lambda: accounts.change_role(runtime(), username, request.form.get("role", ""), actor()),
                   _("peran akun %(username)s diubah", username=username), username)


@bp.route("/akun/<username>/nonaktif", methods=["POST"])
@requires_role("admin")
def disable(username: str) -> Any:
    return _change(lambda: accounts.disable(runtime(), username, actor=actor(), reason=request.form.get("reason", "")),
                   _("akun %(username)s dinonaktifkan", username=username), username)


@bp.route("/akun/<username>/aktif", methods=["POST"])
@requires_role("admin")
def enable(username: str) -> Any:
    return _change(lambda: runtime().log.enable_account(username, actor=actor()),
                   _("akun %(username)s diaktifkan kembali", username=username), username)


def _password_page(errors: FieldErrors | None = None, entered: dict[str, str] | None = None,
                   status: int = 200) -> Any:
    others = ([a["username"] for a in read.accounts.accounts(read_model()) if a["username"] != g.user["username"]]
              if g.user["role"] == "admin" else [])
    return page("accounts/password.html", "accounts/_password.html", status, errors=errors or FieldErrors(),
                entered=entered or {"username": request.args.get("akun", "")}, others=others,
                min_length=accounts.MIN_PASSWORD_LENGTH)


def _new_password(errors: FieldErrors) -> str:
    """The new password typed twice; a mismatch is a message beside the second field."""
    new = request.form.get("new_password", "")
    if new != request.form.get("new_password_again", ""):
        errors.messages["new_password_again"] = _("Kedua isian kata sandi baru tidak sama.")
    return new


@bp.route("/akun/sandi")
def password() -> Any:
    """Every logged-in account (auditors too) changes its own password here; an admin also resets others'."""
    return _password_page()


@bp.route("/akun/sandi", methods=["POST"])
def change_password() -> Any:
    errors = FieldErrors()
    account, locked = check_password(actor(), request.form.get("current_password", ""))
    if locked or account is None:
        errors.messages["current_password"] = locked or _("Kata sandi saat ini salah.")
        return _password_page(errors, status=429 if locked else 422)
    new = _new_password(errors)
    if not errors:
        try:
            accounts.set_password(runtime(), actor(), new, actor())
        except DomainError as error:
            errors.messages["new_password"] = describe(error, current_lang())
    if errors:
        return _password_page(errors, status=422)
    keep_session()
    _saved(_("kata sandi Anda diganti"))
    return redirect(url_for("accounts.password"), 303)


@bp.route("/akun/sandi/reset", methods=["POST"])
@requires_role("admin")
def reset_password() -> Any:
    form = request.form
    username = form.get("username", "").strip().lower()
    errors = FieldErrors()
    new = _new_password(errors)
    if not errors:
        try:
            accounts.reset_password(runtime(), username, new, actor(), form.get("reason", ""))
        except DomainError as error:
            field = {"password": "new_password"}.get(error.input_field or "", error.input_field or "form")
            errors.messages[f"reset_{field}"] = describe(error, current_lang())
    else:
        errors.messages = {f"reset_{key}": message for key, message in errors.messages.items()}
    if errors:
        return _password_page(errors, {"username": username, "reason": form.get("reason", "")}, 422)
    _saved(_("kata sandi akun %(username)s direset", username=username))
    return redirect(url_for("accounts.password"), 303)
