"""Login throttling: per account and per client address, shared through the data dir (SQLite) or through
the PostgreSQL store by every node."""

from __future__ import annotations

import threading

import pytest

from projections.loginattempts import PENDING_FOR, LoginAttempts, PostgresLoginAttempts
from services.runtime import Runtime
from tests.conftest import NODE_PASSWORD, postgres_schema, require_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def opened(request, tmp_path):
    """`opened(limit, window)`: a new handle on one shared store of failures, as another process would."""
    if request.param == "sqlite":
        yield lambda limit, window: LoginAttempts(tmp_path / "a.sqlite3", limit=limit, window=window)
        return
    require_postgres()
    with postgres_schema() as url:
        runtimes = []

        def make(limit, window):
            runtimes.append(Runtime(tmp_path / f"node-{len(runtimes)}", database_url=url))
            return PostgresLoginAttempts(runtimes[-1].log.recorder.datastore, limit=limit, window=window)

        yield make
        for runtime in runtimes:
            runtime.close()


def test_five_failures_lock_the_key_for_the_window(opened):
    attempts = opened(5, 900)
    for second in range(4):
        attempts.failed("account:siti", now=1000.0 + second)
    assert attempts.locked_for("account:siti", now=1010.0) == 0
    attempts.failed("account:siti", now=1010.0)
    assert 880 <= attempts.locked_for("account:siti", now=1020.0) <= 891
    assert attempts.locked_for("account:budi", now=1020.0) == 0
    assert attempts.locked_for("account:siti", now=1010.0 + 901) == 0


def test_any_locked_key_locks_the_attempt(opened):
    attempts = opened(2, 60)
    attempts.failed("account:a", "address:10.0.0.9", now=100.0)
    attempts.failed("account:b", "address:10.0.0.9", now=101.0)
    assert attempts.locked_for("account:c", "address:10.0.0.9", now=102.0) > 0
    assert attempts.locked_for("account:c", "address:10.0.0.8", now=102.0) == 0


def test_success_clears_the_account_but_not_the_address(opened):
    attempts = opened(2, 60)
    attempts.failed("account:a", "address:x", now=100.0)
    attempts.failed("account:a", "address:x", now=101.0)
    attempts.succeeded("account:a")
    assert attempts.locked_for("account:a", now=102.0) == 0
    assert attempts.locked_for("address:x", now=102.0) > 0


def test_a_begun_attempt_is_pending_until_its_password_is_checked(opened):
    attempts = opened(2, 60)
    first = attempts.begin("account:a", "address:x", now=100.0)
    second = attempts.begin("account:b", "address:x", now=101.0)
    assert first.allowed and second.allowed
    assert attempts.begin("account:c", "address:x", now=101.5).busy  # two are being checked: wait a moment
    assert attempts.locked_for("address:x", now=101.5) == 0  # … but nothing has failed yet
    attempts.succeeded("account:b", second.ticket)  # a right password takes its own row back
    attempts.failed_attempt(first.ticket)  # a wrong one is a failure
    assert attempts.locked_for("address:x", now=102.0) == 0
    third = attempts.begin("account:a", "address:x", now=103.0)
    attempts.failed_attempt(third.ticket)
    assert attempts.locked_for("address:x", now=104.0) > 0
    assert not attempts.begin("account:z", "address:x", now=104.0).allowed


def test_a_pending_attempt_whose_process_died_counts_as_failed(opened):
    attempts = opened(2, 900)
    attempts.begin("account:a", now=100.0)
    attempts.begin("account:a", now=101.0)
    assert attempts.begin("account:a", now=102.0).busy
    assert attempts.locked_for("account:a", now=101.0 + PENDING_FOR + 1) > 0


def test_simultaneous_attempts_are_evaluated_at_most_limit_times(opened):
    attempts = opened(5, 900)
    barrier = threading.Barrier(8)
    allowed: list[bool] = []

    def guess() -> None:
        barrier.wait()
        attempt = attempts.begin("account:siti", "address:10.0.0.9")
        allowed.append(attempt.allowed)
        if attempt.allowed:
            attempts.failed_attempt(attempt.ticket)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(allowed) == [False] * 3 + [True] * 5


def test_threads_count_every_failure_exactly_once(opened):
    attempts = opened(2400, 900)
    errors: list[BaseException] = []

    def fail_many() -> None:
        try:
            for n in range(300):
                attempts.failed("account:siti", now=1000.0 + n / 1000)
        except BaseException as error:  # any exception is a lost failure record
            errors.append(error)

    threads = [threading.Thread(target=fail_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert attempts.locked_for("account:siti", now=1001.0) > 0  # all 2,400 are there …
    assert opened(2401, 900).locked_for("account:siti", now=1001.0) == 0  # … and not one more


def test_attempts_are_shared_between_processes_and_nodes(opened):
    first, second = opened(1, 60), opened(1, 60)
    first.failed("account:a", now=100.0)
    assert second.locked_for("account:a", now=101.0) > 0


@pytest.mark.postgres
def test_web_nodes_on_one_store_throttle_together(two_nodes):
    from webapp import create_app

    apps = [create_app({"RUNTIME": node, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
            for node in two_nodes]
    for n in range(5):  # guesses spread over both nodes
        apps[n % 2].post("/masuk", data={"username": "operator", "password": "salah-salah-salah"})
    refused = apps[1].post("/masuk", data={"username": "operator", "password": NODE_PASSWORD})
    assert refused.status_code == 429


@pytest.mark.postgres
def test_a_connection_the_server_terminated_is_replaced_not_reported(tmp_path):
    import psycopg

    require_postgres()
    with postgres_schema() as url:
        runtime = Runtime(tmp_path / "node", database_url=url)
        try:
            datastore = runtime.log.recorder.datastore
            attempts = PostgresLoginAttempts(datastore)
            pooled = [conn.info.backend_pid for conn in list(datastore.pool._pool)]  # every idle connection
            assert pooled
            with psycopg.connect(url.split("?")[0], autocommit=True) as admin:
                for pid in pooled:
                    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert attempts.begin("account:siti", "address:x").allowed
            assert attempts.locked_for("account:siti") == 0
        finally:
            runtime.close()
