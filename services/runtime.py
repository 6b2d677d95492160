"""Open one data dir: the event store (SQLite file or PostgreSQL), the read model, and its follower."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import sqlite_utils

from domain.application import ActivityLog, Batch, Recorded
from domain.errors import ConcurrentChangeError
from projections import recorders, store
from projections.catchup import BATCH_SIZE, CatchUp, Follower, Following, NotifyWaker, Progress
from projections.chain import protect_postgres_store, protect_sqlite_store
from projections.db import open_readmodel
from projections.store import file_lock, schema_lock, write_lock
from services.errors import ConfigurationError, StoredButBehindError

DEFAULT_DATA_DIR = "./iku-data"


def data_dir_from(value: str | Path | None = None) -> Path:
    """The data dir: `value` (--data-dir), else IKU_DATA_DIR, else ./iku-data."""
    return Path(value or os.environ.get("IKU_DATA_DIR") or DEFAULT_DATA_DIR)


def is_postgres_url(url: str) -> bool:
    return urlparse(url).scheme in ("postgresql", "postgres")


def store_label(data_dir: Path, database_url: str | None) -> str:
    """Where the events are, without any password: `SQLite …/events.sqlite3` or `PostgreSQL host:port/db`."""
    if not database_url:
        return f"SQLite {Path(data_dir).resolve() / 'events.sqlite3'}"
    env = store_env(Path(data_dir), database_url)
    schema = f" ({env['POSTGRES_SCHEMA']})" if env["POSTGRES_SCHEMA"] else ""
    return f"PostgreSQL {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}{schema}"


def store_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The eventsourcing settings for the SQLite file in `data_dir`, or for `IKU_DATABASE_URL`."""
    if not database_url:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(data_dir / "events.sqlite3"),
            "SQLITE_LOCK_TIMEOUT": "30",
            "APPLICATION_RECORDER_TOPIC": recorders.SQLITE_TOPIC,
        }
    url = urlparse(database_url)
    if not is_postgres_url(database_url):
        got = url.scheme or database_url
        raise ConfigurationError("IKU_DATABASE_URL harus postgresql://… (bukan %(got)s)", got=repr(got))
    query = parse_qs(url.query)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(url.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "") or "postgres",
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": query.get("schema", [""])[0],
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "APPLICATION_RECORDER_TOPIC": recorders.POSTGRES_TOPIC,
    }


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        raise ConfigurationError("%(name)s harus angka", name=name) from None
    if value <= 0:
        raise ConfigurationError("%(name)s harus lebih dari 0", name=name)
    return value


def check_postgres(env: dict[str, str]) -> None:
    """Connect once, directly, so a wrong setting is named (the library's pool says only that it "couldn't
    get a connection"): the server refusing or not answering, an unknown database, or the login refused."""
    import psycopg

    where = f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}"
    database, user = env["POSTGRES_DBNAME"], env["POSTGRES_USER"]
    try:
        psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], dbname=database, user=user,
                        password=env["POSTGRES_PASSWORD"] or None,
                        connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5)).close()
    except psycopg.OperationalError as error:
        text = str(error)
        if "does not exist" in text and "database" in text:
            raise ConfigurationError("PostgreSQL di %(where)s tidak punya basis data %(database)s (periksa "
                                     "IKU_DATABASE_URL)", where=where, database=repr(database)) from None
        if "authentication" in text or "role" in text or "pg_hba" in text or "password" in text:
            raise ConfigurationError("PostgreSQL di %(where)s menolak masuk sebagai %(user)s (pengguna atau kata "
                                     "sandi salah, atau tidak diizinkan)", where=where, user=repr(user)) from None
        if "refused" in text:
            raise ConfigurationError("PostgreSQL di %(where)s menolak sambungan (server mati atau port salah?)",
                                     where=where) from None
        if "timeout" in text or "timed out" in text:
            raise ConfigurationError("PostgreSQL di %(where)s tidak menjawab", where=where) from None
        first = text.splitlines()[0] if text else type(error).__name__
        raise ConfigurationError("PostgreSQL di %(where)s tidak dapat dihubungi: %(first)s", where=where,
                                 first=first) from None


def open_log(env: dict[str, str], clock: Callable[[], datetime] | None = None) -> ActivityLog:
    """The activity log on the configured store, whose stored events refuse to be changed. Nodes starting
    together on one PostgreSQL store would race creating its table, functions and triggers ("tuple
    concurrently updated"): they take turns under a lock."""
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        log = ActivityLog(env=env, clock=clock)
        protect_sqlite_store(log)
        return log
    check_postgres(env)
    log = ActivityLog(env={**env, "CREATE_TABLE": "no"}, clock=clock)
    with schema_lock(log.recorder.datastore):
        log.recorder.create_table()
        protect_postgres_store(log)
    return log


class Runtime:
    """The activity log and its read model for one data dir; writes catch the read model up at once.

    `catch_up=False` opens without catching up (a server does that in the background, see `follow`).
    Readers use `db`; the follower writes through a connection of its own, so a reader never sees half a
    batch.
    """

    def __init__(
        self, data_dir: str | Path | None = None, database_url: str | None = None,
        clock: Callable[[], datetime] | None = None, catch_up: bool = True,
    ) -> None:
        # Absolute once, at start: a relative dir (the default ./iku-data) would otherwise be resolved later
        # against whatever a library takes as its base (Flask's send_file: the package).
        self.data_dir = data_dir_from(data_dir).resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if database_url is None:
            database_url = os.environ.get("IKU_DATABASE_URL") or None
        self.database_url = database_url
        self.log = open_log(store_env(self.data_dir, database_url), clock)
        self.log.write_lock = self._write_lock
        self.db: sqlite_utils.Database = open_readmodel(self.data_dir / "readmodel.sqlite3")
        self._writer = open_readmodel(self.data_dir / "readmodel.sqlite3")
        self.follower = Follower(self.log, self._writer, max(1, int(_number("IKU_CATCHUP_BATCH", BATCH_SIZE))),
                                 reader=self.db)
        self.following: Following | None = None
        self._local = threading.local()
        self._readers: list[sqlite_utils.Database] = []
        self._readers_lock = threading.Lock()
        if catch_up:
            self.follower.catch_up()

    def store_label(self) -> str:
        return store_label(self.data_dir, self.database_url)

    def _write_lock(self) -> AbstractContextManager[None]:
        """The lock every writer to this store takes turns under (see ActivityLog.write_lock): PostgreSQL's
        advisory lock for nodes sharing a database, a lock file beside an SQLite store."""
        if self.database_url:
            return write_lock(self.log.recorder.datastore)
        return file_lock(self.data_dir / "write.lock")

    def follow(self, interval: float | None = None) -> Following:
        """Keep the read model level from a background thread (catching up at once, then every
        `interval` seconds, default IKU_FOLLOW_INTERVAL or 0.5)."""
        if self.following is None:
            every = interval if interval is not None else _number("IKU_FOLLOW_INTERVAL", 0.5)
            self.following = Following(self.follower, every, self._waker()).start()
        return self.following

    def _waker(self) -> NotifyWaker | None:
        """On PostgreSQL, a listener woken by the recorder's NOTIFY on each insert (None: poll only)."""
        if not self.database_url:
            return None
        try:
            return NotifyWaker(self.log.recorder)
        except Exception:  # no listening connection: the poll still follows
            return None

    def batch(self) -> Batch:
        return self.log.batch()

    @contextmanager
    def bulk(self) -> Iterator[Callable[[Sequence[Any]], list[int]]]:
        """One transaction of the event store, held under the write lock, for a long run of events stored in
        chunks (a bulk import): `put(events)` stores a chunk with the recorder's own insert statements and
        gives their log positions. An exception leaves the store as it was. Other writers wait until it
        ends; readers do not (they see the store as it was before)."""
        log = self.log
        with self._write_lock(), log.recorder.datastore.transaction(commit=True) as cursor:
            def put(events: Sequence[Any]) -> list[int]:
                return store.insert(log.recorder, cursor, [log.mapper.to_stored_event(event) for event in events])

            yield put

    def stored_ids(self, ids: Sequence[Any]) -> set[Any]:
        """Which of the aggregate ids the event store holds anything under (an import asks once, not per row)."""
        return store.existing(self.log.recorder, ids)

    def commit(self, batch: Batch, progress: Progress | None = None) -> Recorded:
        """Store a batch and bring the read model up to (at least) what it stored; when another writer got
        there first, up to what they stored, so whoever is told shows their change beside the message.
        `progress` is told how the read model's catch-up goes (a large import)."""
        try:
            recorded = batch.commit()
        except ConcurrentChangeError:
            self.follower.catch_up()
            raise
        return self.applied(recorded, progress)

    def applied(self, recorded: Recorded, progress: Progress | None = None) -> Recorded:
        """Bring the read model up to what was just stored; when it cannot, say the write is stored all the
        same (`StoredButBehindError`), never that nothing was."""
        try:
            self.follower.catch_up(progress=progress)
        except Exception as error:
            raise StoredButBehindError(recorded, error) from error
        return recorded

    def record(self, kind: str, reference: str, /, **fields: object) -> Recorded:
        batch = self.batch()
        batch.record(kind, reference, **fields)
        return self.commit(batch)

    def fresh(self) -> sqlite_utils.Database:
        """The read model, caught up with whatever other processes stored meanwhile."""
        self.follower.catch_up()
        return self.db

    def reader(self) -> sqlite_utils.Database:
        """This thread's own connection to the read model: a server's threads read in parallel, each in a
        snapshot of its own, with a small page cache and no memory map (the system's file cache is shared)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_readmodel(self.data_dir / "readmodel.sqlite3", cache_mib=8, memory_map=False)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def rebuild(self, progress: Progress | None = None) -> CatchUp:
        return self.follower.rebuild(progress)

    def close(self) -> None:
        if self.following is not None:
            self.following.stop()
            self.following = None
        self.db.close()
        self._writer.close()
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        self.log.close()
