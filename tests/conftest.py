"""Shared fixtures: a Runtime on each event-store backend (SQLite file; PostgreSQL when present)."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from domain.times import UTC
from projections import chain
from projections.db import PROJECTED_TABLES
from services.runtime import Runtime

POSTGRES_DSN = os.environ.get("IKU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    """None when the test PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_DSN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # any failure means: not available here
        return f"PostgreSQL at {POSTGRES_DSN} is not available ({type(error).__name__}: {error})"
    return None


_POSTGRES_PROBLEM = _postgres_problem()


def require_postgres() -> None:
    """Skip when PostgreSQL is absent, unless IKU_REQUIRE_POSTGRES=1 (CI), where absence fails."""
    if _POSTGRES_PROBLEM is None:
        return
    if os.environ.get("IKU_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"IKU_REQUIRE_POSTGRES=1 but {_POSTGRES_PROBLEM}")
    pytest.skip(_POSTGRES_PROBLEM)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema for one test's event store, dropped afterwards; yields the database URL."""
    import psycopg

    schema = f"iku_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_DSN}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def wait_until(condition, seconds: float = 10.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (for what another thread or process does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def read_model_rows(db) -> dict[str, list[tuple]]:
    return {table: sorted(map(tuple, db.execute(f"SELECT * FROM {table}").fetchall())) for table in PROJECTED_TABLES}


def tree_rows(db) -> dict[str, list[tuple]]:
    return {table: sorted(map(tuple, db.execute(f"SELECT * FROM {table}").fetchall()))
            for table in ("chain", "merkle_leaves", "merkle_nodes", "merkle_head")}


def assert_data_dir_sound(runtime) -> None:
    """The log verifies against its chain and Merkle tree, and a rebuild gives exactly the read model that was
    followed (and keeps the chain and tree as they were)."""
    db = runtime.fresh()
    assert chain.verify(runtime.log, db).ok
    followed, tree = read_model_rows(db), tree_rows(db)
    runtime.rebuild()
    assert read_model_rows(runtime.db) == followed
    assert tree_rows(runtime.db) == tree


class SteppingClock:
    """A recording clock for tests: each reading is later than the last."""

    def __init__(self, start: datetime = datetime(2021, 1, 1, tzinfo=UTC), step: timedelta = timedelta(minutes=1)):
        self.current = start
        self.step = step

    def __call__(self) -> datetime:
        self.current += self.step
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@contextmanager
def open_runtime(backend: str, data_dir: Path, clock=None) -> Iterator[Runtime]:
    """A Runtime on `backend` ("sqlite" or "postgres") with its read model in `data_dir`."""
    if backend == "postgres":
        require_postgres()
        with postgres_schema() as url:
            runtime = Runtime(data_dir, database_url=url, clock=clock)
            try:
                yield runtime
            finally:
                runtime.close()
    else:
        runtime = Runtime(data_dir, database_url="", clock=clock)
        try:
            yield runtime
        finally:
            runtime.close()


@pytest.fixture
def two_nodes(tmp_path, monkeypatch) -> Iterator[list[Runtime]]:
    """Two nodes (data dirs, read models) on one PostgreSQL store, with one account each web test can use;
    password hashing made cheap."""
    from argon2 import PasswordHasher

    from services import accounts

    require_postgres()
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with postgres_schema() as url:
        nodes = [Runtime(tmp_path / name, database_url=url) for name in ("node-a", "node-b")]
        try:
            accounts.add_user(nodes[0], "operator", "operator", NODE_PASSWORD, actor="setup")
            yield nodes
        finally:
            for node in nodes:
                node.close()


NODE_PASSWORD = "kata-sandi-uji-panjang"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def runtime(backend, tmp_path, clock) -> Iterator[Runtime]:
    with open_runtime(backend, tmp_path / "data", clock=clock) as opened:
        yield opened


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's own data dir or database URL."""
    monkeypatch.delenv("IKU_DATABASE_URL", raising=False)
    monkeypatch.setenv("IKU_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.delenv("IKU_LANG", raising=False)
    monkeypatch.delenv("IKU_EVIDENCE_DIR", raising=False)
    monkeypatch.delenv("IKU_PROXY_HOPS", raising=False)
    monkeypatch.delenv("IKU_SECRET_KEY_FILE", raising=False)


@pytest.fixture
def full_disk(monkeypatch):
    """While on, the read model cannot apply anything new, as with a full disk; the store still commits."""
    from projections import catchup

    state = {"on": True}
    real = catchup.Follower.catch_up

    def catch_up(self, until=None, progress=None):
        if state["on"] and self.head() > self.position():
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, until, progress)

    monkeypatch.setattr(catchup.Follower, "catch_up", catch_up)
    return state
