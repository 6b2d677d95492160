"""Login, logout and who may do what: anonymous visitors see only the login page; auditors read;
operators and admins write; admins manage accounts."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response

from domain.accounts import WRITERS
from domain.profile import DEFAULTS
from projections import read
from projections.loginattempts import LoginAttempts, PostgresLoginAttempts
from services import accounts
from services.presentation import role_label
from webapp.i18n import current_lang
from webapp.wiring import read_model

bp = Blueprint("auth", __name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: endpoints anyone may reach (the login page itself, static files, the language switch, and the city's logo
#: that the login page shows)
OPEN_ENDPOINTS = {"auth.login", "static", "i18n.switch", "report.logo"}
#: posts any logged-in role may send, read-only roles too: they record no activity, and the only account
#: they change is the sender's own password
#: (a step of the quarter's cycle records an event, but the role it needs is the cycle's own: domain/closing.py)
NON_WRITING_POSTS = {"auth.logout", "i18n.switch", "integrity.verify_now", "accounts.change_password", "closing.step"}
#: how long a login waits for other attempts on the same account or address to be checked first (seconds)
BUSY_WAIT = 10.0


def attempts() -> LoginAttempts | PostgresLoginAttempts:
    return current_app.extensions["iku.login_attempts"]


def init_auth(app: Any) -> None:
    runtime = app.extensions["services.runtime"]
    if runtime.database_url:  # several nodes: count failures where every node sees them
        app.extensions["iku.login_attempts"] = PostgresLoginAttempts(runtime.log.recorder.datastore)
    else:
        app.extensions["iku.login_attempts"] = LoginAttempts(runtime.data_dir / "login_attempts.sqlite3")
    app.register_blueprint(bp)
    app.before_request(load_user_and_enforce_access)
    app.add_template_global(identity, "identity")


def identity() -> dict[str, str]:
    """The city's identity for the header and the login page (public: only the pemda's name and its logo)."""
    try:
        profile = read.targets.profile(read_model())
    except Exception:  # an error page (the store unreachable, say) still gets its header
        profile = DEFAULTS
    return {"pemda": profile.get("pemda") or "", "logo": profile.get("logo") or ""}


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def load_user_and_enforce_access() -> Any:
    """Runs before every request: find the logged-in account, then refuse what its role may not do."""
    g.user = None
    username = session.get("user")
    if username:
        account = _current_account(username)
        if account is None or account["disabled"]:
            _end_session()  # disabled, removed, or given a new password since login: the session ends now
        else:
            g.user = {key: value for key, value in account.items() if key != "password_hash"}
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_ENDPOINTS or endpoint.endswith(".static"):
        return None
    public = current_app.config.get("PUBLIC_ENDPOINTS", set())
    if g.user is None:
        if request.method in SAFE_METHODS and endpoint in public:
            return None
        return _to_login()
    if request.method not in SAFE_METHODS and endpoint not in NON_WRITING_POSTS and g.user["role"] not in WRITERS:
        return forbidden(_("Peran Anda (%(role)s) hanya dapat melihat, tidak mencatat.",
                           role=role_label(g.user["role"], current_lang())))
    return None


def _current_account(username: str) -> dict[str, Any] | None:
    """The session's account, if the session was opened with its current password."""
    account = read.accounts.account(read_model(), username)
    if account is not None and session.get("stamp") != accounts.session_stamp(account):
        # This node may not have applied a new password stored on another node yet: look once more, level.
        account = read.accounts.account(current_app.extensions["services.runtime"].fresh(), username)
        if account is not None and session.get("stamp") != accounts.session_stamp(account):
            return None
    return account


def _end_session() -> None:
    """Forget everything in the session but the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start_session(account: dict[str, Any]) -> None:
    """A new session for `account` (nothing from before survives, but the language), bound to its password."""
    _end_session()
    session["user"] = account["username"]
    session["stamp"] = account["stamp"]
    session.permanent = False


def keep_session() -> None:
    """Bind this session to its account's new password (the account's other sessions end)."""
    account = read.accounts.account(current_app.extensions["services.runtime"].fresh(), session["user"])
    if account is not None:
        session["stamp"] = accounts.session_stamp(account)


def check_password(username: str, password: str) -> tuple[dict[str, Any] | None, str | None]:
    """The account when `password` is its password, else None with why; failures count towards the same
    lock as failed logins, so no form answers more guesses than the login page does."""
    keys = (f"account:{username}", f"address:{request.remote_addr}")
    attempt = attempts().begin(*keys)  # pending, and counted, until the password is checked
    deadline = time.monotonic() + BUSY_WAIT
    while attempt.busy and time.monotonic() < deadline:  # others from here are being checked: take turns
        time.sleep(0.05)
        attempt = attempts().begin(*keys)
    if not attempt.allowed:
        minutes = max(1, (attempt.wait + 59) // 60)
        return None, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                       minutes=minutes)
    try:
        account = accounts.authenticate(current_app.extensions["services.runtime"].fresh(), username, password)
    except BaseException:
        attempts().failed_attempt(attempt.ticket)
        raise
    if account is None:
        attempts().failed_attempt(attempt.ticket)
        return None, None
    attempts().succeeded(keys[0], attempt.ticket)
    return account, None


def _to_login() -> Any:
    target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method in SAFE_METHODS else None)
    if _is_htmx():
        return htmx_response("", 401, redirect=target)
    return redirect(target, 303)


def forbidden(message: str) -> Any:
    """403: a page for a full request (with a way back), an inline message for htmx. The live region is only
    where the message lands when the page has no better place: the entry pages' script moves it into the
    form that was sent (static/entry.js)."""
    if _is_htmx():
        body = render_template("auth/_forbidden.html", message=message)
        return htmx_response(body, 403, retarget="#flash", reswap="innerHTML")
    from webapp.errors import back_link  # errors imports this module

    return render_template("auth/forbidden.html", message=message, back=back_link()), 403


def requires_role(*roles: str) -> Callable:
    """Limit a view to accounts with one of `roles` (on top of the write rule for every POST)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return _to_login()
            if g.user["role"] not in roles:
                return forbidden(_("Halaman ini hanya untuk peran: %(roles)s.",
                                   roles=", ".join(role_label(r, current_lang()) for r in roles)))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def actor() -> str:
    """Who is recording: the logged-in account."""
    if g.user is None:
        abort(401)
    return g.user["username"]


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Any:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.user is not None:
            return redirect(target or url_for(current_app.config.get("HOME_ENDPOINT", "auth.login")), 303)
        return render_template("auth/login.html", next=target, error=None, username="")
    username = (request.form.get("username") or "").strip().lower()
    account, locked = check_password(username, request.form.get("password") or "")
    if locked:
        return render_template("auth/login.html", next=target, error=locked, username=username), 429
    if account is None:
        error = _("Nama akun atau kata sandi salah, atau akun dinonaktifkan.")
        return render_template("auth/login.html", next=target, error=error, username=username), 401
    start_session(account)  # a new session at login (no fixation), keeping only the chosen language
    return redirect(target or url_for(current_app.config.get("HOME_ENDPOINT", "auth.login")), 303)


@bp.route("/keluar", methods=["POST"])
def logout() -> Any:
    _end_session()
    return redirect(url_for("auth.login"), 303)
