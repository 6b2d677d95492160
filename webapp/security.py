"""Web security that every page shares: the secret key, cookies, CSRF, and response headers."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def load_secret_key(data_dir: Path) -> str:
    """The data dir's secret key, made on first run and kept readable by its owner only (0600)."""
    path = data_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_security(app: Flask, data_dir: Path) -> None:
    """Secret key from the data dir (unless configured), hardened session cookie, CSRF on every write."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(data_dir)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Behind HTTPS (a reverse proxy terminating TLS), set IKU_HTTPS=1 so the cookie is never sent in clear.
    app.config["SESSION_COOKIE_SECURE"] = os.environ.get("IKU_HTTPS") == "1"
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session: operators keep forms open
    csrf.init_app(app)
    app.after_request(add_security_headers)
    trust_proxies(app)


def trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies (IKU_PROXY_HOPS=N), take the client's address, scheme and host from the
    X-Forwarded-* headers they set; otherwise ignore those headers, which any client could forge. Login
    throttling per address needs the real client address, not the proxy's."""
    text = os.environ.get("IKU_PROXY_HOPS") or "0"
    if not text.isdigit():
        raise ValueError(f"IKU_PROXY_HOPS harus bilangan bulat / must be a whole number (got {text!r})")
    hops = int(text)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
