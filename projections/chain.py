"""The hash chain over the event log: each stored event's digest covers the previous digest and the event.

digest(n) = SHA-256( digest(n-1) ‖ canonical(event n) ), digest(0) = 32 zero bytes, where canonical is the
compact JSON array [topic, aggregate id, version, recording time (UTC, fixed width), SHA-256 of the stored
state bytes]. A seal `position:digest` pins the whole log up to that position.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from domain.times import utc_text

GENESIS = bytes(32)
PAGE = 5000


def canonical(notification: Any, recorded_at: Any) -> bytes:
    topic = notification.topic
    if not _PLAIN.fullmatch(topic):  # anything JSON would escape: let json write it
        return _canonical_json(notification, recorded_at)
    # The same bytes as `_canonical_json` (every other field is made of characters JSON leaves alone),
    # without building and encoding a list for each of the log's events.
    return (f'["{topic}","{notification.originator_id}",{int(notification.originator_version)},'
            f'"{utc_text(recorded_at)}","{hashlib.sha256(notification.state).hexdigest()}"]').encode()


def _canonical_json(notification: Any, recorded_at: Any) -> bytes:
    return json.dumps(
        [notification.topic, str(notification.originator_id), notification.originator_version,
         utc_text(recorded_at), hashlib.sha256(notification.state).hexdigest()],
        separators=(",", ":"),
    ).encode()


#: topics made only of characters that JSON writes as they are
_PLAIN = re.compile(r"[A-Za-z0-9_.:]+")


def link(previous: bytes, notification: Any, recorded_at: Any) -> bytes:
    return hashlib.sha256(previous + canonical(notification, recorded_at)).digest()


@dataclass(frozen=True)
class Seal:
    position: int
    digest: str  # hex

    def __str__(self) -> str:
        return f"{self.position}:{self.digest}"

    @classmethod
    def parse(cls, text: str) -> Seal:
        position, _, digest = (text or "").strip().partition(":")
        if not position.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(text)
        return cls(int(position), digest)


def seal_over(stored: Iterable[tuple[Any, Any]]) -> tuple[int, Seal]:
    """How many events and the seal over them, recomputed from the genesis digest; `stored` gives
    (notification, recording time) in log order."""
    digest, count, position = GENESIS, 0, 0
    for notification, recorded_at in stored:
        digest = link(digest, notification, recorded_at)
        count, position = count + 1, notification.id
    return count, Seal(position, digest.hex())


def head(db: Any) -> Seal:
    """The seal of the read model's chain head (position 0 and the genesis digest when empty)."""
    row = db.execute("SELECT position, digest FROM chain ORDER BY position DESC LIMIT 1").fetchone()
    return Seal(row[0], row[1]) if row else Seal(0, GENESIS.hex())


def stored_events(log: Any, until: int | None = None) -> Iterator[tuple[Any, Any]]:
    """(notification, decoded event) for every stored event in log order, page by page."""
    start = 0
    while True:
        page = log.recorder.select_notifications(start, PAGE, stop=until, inclusive_of_start=False)
        if not page:
            return
        for notification in page:
            yield notification, log.mapper.to_domain_event(notification)
        start = page[-1].id


@dataclass(frozen=True)
class Finding:
    """The first place where the store and the chain disagree (or None when they agree)."""

    position: int
    problem: str  # changed | deleted | inserted | out_of_order | seal_mismatch | seal_beyond_log
    detail: str = ""


@dataclass(frozen=True)
class Verification:
    checked: int
    head: Seal
    unchained: int  # events stored after the chain's head (recorded since the last catch-up)
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def verify(log: Any, db: Any, seal: Seal | None = None) -> Verification:
    """Recompute the chain from the event store and compare it, position by position, with the read
    model's chain (and with a seal); events stored after the chain's head are only checked for order."""
    chained = iter(db.execute("SELECT position, digest FROM chain ORDER BY position"))
    expected = next(chained, None)
    digest, checked, unchained, last_time = GENESIS, 0, 0, None

    def found(position: int, problem: str, detail: str = "") -> Verification:
        return Verification(checked, head(db), unchained, Finding(position, problem, detail))

    for notification, event in stored_events(log):
        position = notification.id
        if last_time is not None and (last_time - event.timestamp).total_seconds() > 60:
            return found(position, "out_of_order", "recorded more than a minute before the event before it")
        last_time = event.timestamp
        if expected is None:
            unchained += 1  # stored since the read model last caught up
            continue
        checked += 1
        if expected[0] < position:
            return found(expected[0], "deleted")
        if expected[0] > position:
            return found(position, "inserted")
        digest = link(digest, notification, event.timestamp)
        if expected[1] != digest.hex():
            return found(position, "changed")
        if seal is not None and position == seal.position and digest.hex() != seal.digest:
            return found(position, "seal_mismatch")
        expected = next(chained, None)
    if expected is not None:
        return found(expected[0], "deleted")
    if seal is not None and seal.position > head(db).position:
        return found(seal.position, "seal_beyond_log")
    return Verification(checked, head(db), unchained, None)


IMMUTABLE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS stored_events_never_updated BEFORE UPDATE ON stored_events"
    " BEGIN SELECT RAISE(ABORT, 'stored events are immutable: record a withdrawal instead'); END",
    "CREATE TRIGGER IF NOT EXISTS stored_events_never_deleted BEFORE DELETE ON stored_events"
    " BEGIN SELECT RAISE(ABORT, 'stored events are immutable: record a withdrawal instead'); END",
)


def protect_sqlite_store(log: Any) -> None:
    """Make the SQLite event store itself refuse UPDATE and DELETE of stored events."""
    with log.recorder.datastore.transaction(commit=True) as cursor:
        for statement in IMMUTABLE_TRIGGERS:
            cursor.execute(statement)


def protect_postgres_store(log: Any) -> None:
    """Make the PostgreSQL event store refuse UPDATE, DELETE and TRUNCATE of stored events (a trigger on
    the recorder's table; the owner can still drop it, and `iku verify` would then find any change)."""
    from psycopg import sql

    recorder = log.recorder
    schema = sql.Identifier(recorder.datastore.schema)
    table = sql.Identifier(recorder.events_table_name)
    statements = (
        "CREATE OR REPLACE FUNCTION {schema}.iku_stored_events_are_immutable() RETURNS trigger"
        " LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION 'stored events are immutable: record a withdrawal instead'; END $$",
        "CREATE OR REPLACE TRIGGER stored_events_never_changed BEFORE UPDATE OR DELETE ON {schema}.{table}"
        " FOR EACH ROW EXECUTE FUNCTION {schema}.iku_stored_events_are_immutable()",
        "CREATE OR REPLACE TRIGGER stored_events_never_truncated BEFORE TRUNCATE ON {schema}.{table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION {schema}.iku_stored_events_are_immutable()",
    )
    with recorder.datastore.transaction(commit=True) as cursor:
        for statement in statements:
            cursor.execute(sql.SQL(statement).format(schema=schema, table=table))
