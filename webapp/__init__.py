"""The browser front end: a Flask application factory; nothing is opened at import time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_htmx import HTMX

from services import evidence
from services.runtime import Runtime

htmx = HTMX()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app for one data dir (`DATA_DIR`, default IKU_DATA_DIR or ./iku-data)."""
    app = Flask(__name__)
    app.config.from_mapping(
        DATA_DIR=os.environ.get("IKU_DATA_DIR") or "./iku-data",
        DATABASE_URL=os.environ.get("IKU_DATABASE_URL") or None,
        PUBLIC_INDICATORS=os.environ.get("IKU_PUBLIC_INDICATORS") == "1",
        HOME_ENDPOINT="indicators.index",
        # Well above the evidence file limit, so a file somewhat over it still reaches the form, which says so
        # beside the field and keeps what was typed; only a far larger body is refused unread (the 413 page).
        MAX_CONTENT_LENGTH=4 * evidence.limit_bytes() + 1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    runtime = app.config.get("RUNTIME") or Runtime(Path(app.config["DATA_DIR"]), app.config["DATABASE_URL"])
    app.extensions["services.runtime"] = runtime
    if app.config["PUBLIC_INDICATORS"]:
        app.config["PUBLIC_ENDPOINTS"] = {"indicators.index", "i18n.switch"}

    from webapp import (
        accounts,
        activity,
        agenda,
        audit,
        auth,
        checklist,
        closing,
        compare,
        documents,
        errors,
        i18n,
        importing,
        indicators,
        integrity,
        manual,
        pack,
        report,
        security,
    )

    security.init_security(app, runtime.data_dir)
    htmx.init_app(app)
    i18n.init_i18n(app)
    auth.init_auth(app)
    for blueprint in (indicators.bp, agenda.bp, activity.bp, audit.bp, compare.bp, accounts.bp, integrity.bp,
                      report.bp, importing.bp, closing.bp, pack.bp, manual.bp, checklist.bp, documents.bp):
        app.register_blueprint(blueprint)
    errors.init_errors(app)
    from webapp.wiring import init_runtime

    init_runtime(app)
    return app
