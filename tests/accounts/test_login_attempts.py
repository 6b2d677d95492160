"""Login throttling: per account and per client address, shared through the data dir."""

from projections.loginattempts import LoginAttempts


def test_five_failures_lock_the_key_for_the_window(tmp_path):
    attempts = LoginAttempts(tmp_path / "a.sqlite3", limit=5, window=900)
    for second in range(4):
        attempts.failed("account:siti", now=1000.0 + second)
    assert attempts.locked_for("account:siti", now=1010.0) == 0
    attempts.failed("account:siti", now=1010.0)
    assert 880 <= attempts.locked_for("account:siti", now=1020.0) <= 891
    assert attempts.locked_for("account:budi", now=1020.0) == 0
    assert attempts.locked_for("account:siti", now=1010.0 + 901) == 0


def test_any_locked_key_locks_the_attempt(tmp_path):
    attempts = LoginAttempts(tmp_path / "a.sqlite3", limit=2, window=60)
    attempts.failed("account:a", "address:10.0.0.9", now=100.0)
    attempts.failed("account:b", "address:10.0.0.9", now=101.0)
    assert attempts.locked_for("account:c", "address:10.0.0.9", now=102.0) > 0
    assert attempts.locked_for("account:c", "address:10.0.0.8", now=102.0) == 0


def test_success_clears_the_account_but_not_the_address(tmp_path):
    attempts = LoginAttempts(tmp_path / "a.sqlite3", limit=2, window=60)
    attempts.failed("account:a", "address:x", now=100.0)
    attempts.failed("account:a", "address:x", now=101.0)
    attempts.succeeded("account:a")
    assert attempts.locked_for("account:a", now=102.0) == 0
    assert attempts.locked_for("address:x", now=102.0) > 0


def test_attempts_are_shared_between_processes(tmp_path):
    first = LoginAttempts(tmp_path / "a.sqlite3", limit=1, window=60)
    second = LoginAttempts(tmp_path / "a.sqlite3", limit=1, window=60)
    first.failed("account:a", now=100.0)
    assert second.locked_for("account:a", now=101.0) > 0
