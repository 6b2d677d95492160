"""A real server (waitress on 127.0.0.1) and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from services.runtime import Runtime
from tests.webapp.conftest import PASSWORD, ROLES, seed
from webapp import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


def _require_browser() -> None:
    if shutil.which(CHROMIUM) is None or not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI (.ci/run installs the Debian package chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by waitress on a free port of 127.0.0.1; yields its base URL."""
    from waitress.server import create_server

    from services import accounts

    runtime = Runtime(tmp_path_factory.mktemp("e2e") / "data", database_url="")
    for role in ROLES:
        accounts.add_user(runtime, role, role, PASSWORD, actor="setup")
    seed(runtime)
    runtime.follow()  # as `iku serve` runs: reads from the background-followed read model, in snapshots
    app = create_app({"RUNTIME": runtime})
    httpd = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}", runtime
    httpd.close()
    runtime.close()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def log_in_as(page, base: str, role: str) -> None:
    """Log `page` in through the login form as the account named after `role` (password PASSWORD)."""
    page.goto(f"{base}/masuk")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")
