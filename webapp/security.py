"""Web security that every page shares: the secret key, cookies, CSRF, and response headers."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
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
    """The secret key that signs sessions, made on first run and kept readable by its owner only (0600):
    `IKU_SECRET_KEY_FILE`, default `DATA_DIR/secret_key`. Nodes behind one proxy point at one file (on the
    share that holds the evidence files) so a session is valid whichever node answers."""
    path = Path(os.environ.get("IKU_SECRET_KEY_FILE") or data_dir / "secret_key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then linked into place: a node starting at the same moment
        # finds either no key or the whole key, never half of one.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):  # another node made it first: use theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ValueError(f"{path}: kunci rahasia terlalu pendek / the secret key is too short")
    return key


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
