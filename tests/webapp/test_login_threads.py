"""Logins arriving together on a real threaded server: none fails, every failure counts once, no more
guesses are evaluated than the limit allows, and at most a few argon2 checks run at once."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

import pytest

from projections.loginattempts import LIMIT
from services import accounts
from tests.webapp.conftest import PASSWORD
from webapp import create_app


@pytest.fixture
def server(runtime):
    """The app on a threaded server of 127.0.0.1 (a thread per request, as waitress's pool gives), shut down
    cleanly after each test (closing waitress under open connections races its loop)."""
    from werkzeug.serving import make_server

    app = create_app({"RUNTIME": runtime, "WTF_CSRF_ENABLED": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(5)
    httpd.server_close()


def post_login(port: int, username: str, password: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/masuk", urlencode({"username": username, "password": password}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        return connection.getresponse().status
    finally:
        connection.close()


def together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def run() -> None:
        barrier.wait()
        results.append(work())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_eight_simultaneous_correct_logins_all_succeed(server):
    assert together(8, lambda: post_login(server, "operator", PASSWORD)) == [303] * 8


def test_simultaneous_wrong_passwords_are_evaluated_at_most_the_limit(server, monkeypatch):
    checked = []
    real = accounts.authenticate
    monkeypatch.setattr(accounts, "authenticate", lambda *args: checked.append(1) or real(*args))
    statuses = together(8, lambda: post_login(server, "operator", "salah-salah-salah"))
    assert len(checked) == LIMIT
    assert sorted(statuses) == [401] * LIMIT + [429] * (8 - LIMIT)
    assert post_login(server, "operator", PASSWORD) == 429  # the account is locked: even the right one waits


def test_at_most_a_few_password_checks_run_at_once(server, monkeypatch):
    running, most = [0], [0]
    lock = threading.Lock()
    hasher = accounts._HASHER

    class Counting:
        def verify(self, *args):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                threading.Event().wait(0.05)  # long enough for the others to pile up
                return hasher.verify(*args)
            finally:
                with lock:
                    running[0] -= 1

        def hash(self, *args):
            return hasher.hash(*args)

    monkeypatch.setattr(accounts, "_HASHER", Counting())
    assert together(8, lambda: post_login(server, "admin", PASSWORD)) == [303] * 8
    assert most[0] == accounts.CONCURRENT_CHECKS
