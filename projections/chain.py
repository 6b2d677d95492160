"""The hash chain over the event log: each stored event's digest covers the previous digest and the event.

digest(n) = SHA-256( digest(n-1) ‖ canonical(event n) ), digest(0) = 32 zero bytes, where canonical is the
compact JSON array [topic, aggregate id, version, recording time (UTC, fixed width), SHA-256 of the stored
state bytes]. A chain seal `POSITION:DIGEST` pins the whole log up to that position (seals now name the Merkle tree
head, see `Seal`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.times import utc_text
from projections.merkle import Frontier, leaf_hash
from projections.tree import StoredTree, TreeCheck

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
    """What a report prints to pin the log it was read from.

    A seal names the Merkle tree head (`size` events, `root`), written `mth:SIZE:ROOT`; the log position and
    chain digest of its last event are kept beside it where known. Seals printed before the tree existed name
    only the chain, `POSITION:DIGEST`, and still verify (`iku verify --seal`)."""

    position: int | None
    digest: str | None  # hex
    size: int | None = None
    root: str | None = None  # hex

    @property
    def names_tree(self) -> bool:
        return self.root is not None

    @property
    def chain(self) -> Seal:
        """The chain part alone (`POSITION:DIGEST`)."""
        return Seal(self.position, self.digest)

    def chain_text(self) -> str:
        return f"{self.position}:{self.digest}"

    def matches(self, other: Seal) -> bool:
        """Whether `other` (a log's full seal) is the log this seal names: the same chain where this one names
        a chain, the same tree head where it names a tree."""
        same_chain = self.position is None or (self.position, self.digest) == (other.position, other.digest)
        same_tree = not self.names_tree or (self.size, self.root) == (other.size, other.root)
        return same_chain and same_tree

    def __str__(self) -> str:
        return f"{TREE_PREFIX}{self.size}:{self.root}" if self.names_tree else self.chain_text()

    @classmethod
    def parse(cls, text: str) -> Seal:
        """A seal from its printed form, either kind (surrounding space and letter case ignored); ValueError if
        it is neither."""
        cleaned = (text or "").strip().lower()
        tree = cleaned.startswith(TREE_PREFIX)
        number, _, digest = cleaned.removeprefix(TREE_PREFIX).partition(":")
        if not (number.isascii() and number.isdigit() and len(number) <= 20) or not _is_hex64(digest):
            raise ValueError(text)
        if tree:
            if int(number) == 0:
                raise ValueError(text)  # no report reads an empty log
            return cls(None, None, int(number), digest)
        return cls(int(number), digest)


TREE_PREFIX = "mth:"
#: the longest seal text a front door looks at (a tree seal is 4 + 20 + 1 + 64 characters)
MAX_SEAL_TEXT = 120


def _is_hex64(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def seal_over(stored: Iterable[tuple[Any, Any]]) -> tuple[int, Seal]:
    """How many events and the seal over them (chain and tree), recomputed from the genesis digest and the empty
    tree; `stored` gives (notification, recording time) in log order."""
    digest, count, position, tree = GENESIS, 0, 0, Frontier()
    for notification, recorded_at in stored:
        data = canonical(notification, recorded_at)
        digest = hashlib.sha256(digest + data).digest()
        tree.append(leaf_hash(data))
        count, position = count + 1, notification.id
    if not count:
        return 0, Seal(0, digest.hex())
    return count, Seal(position, digest.hex(), count, tree.root().hex())


def head(db: Any) -> Seal:
    """The seal of the read model's head: its tree head and chain head (position 0 and the genesis digest
    when empty; the chain alone while the tree is behind it, before a catch-up gave an old read model its tree)."""
    row = db.execute("SELECT position, digest FROM chain ORDER BY position DESC LIMIT 1").fetchone()
    if not row:
        return Seal(0, GENESIS.hex())
    tree = StoredTree(db)
    if tree.last_position() != row[0]:
        return Seal(row[0], row[1])
    tree_head = tree.head()
    return Seal(row[0], row[1], tree_head.size, tree_head.root.hex())


def stored(log: Any, until: int | None = None) -> Iterator[Any]:
    """Every stored event's notification in log order (up to position `until`), read page by page."""
    start = 0
    while True:
        page = log.recorder.select_notifications(start, PAGE, stop=until, inclusive_of_start=False)
        if not page:
            return
        yield from page
        start = page[-1].id


def stored_events(log: Any, until: int | None = None) -> Iterator[tuple[Any, Any]]:
    """(notification, decoded event) for every stored event in log order, page by page."""
    for notification in stored(log, until):
        yield notification, log.mapper.to_domain_event(notification)


_STAMP = b'{"timestamp":{"_type_":"datetime_iso","_data_":"'


def recording_time(log: Any, notification: Any) -> datetime:
    """When the event was recorded, read from its stored bytes: what the library's mapper decodes it to,
    without decoding the whole event (the mapper itself when the state is compressed, enciphered or not in
    the usual form)."""
    mapper = log.mapper
    if mapper.cipher is None and mapper.compressor is None:
        state = bytes(notification.state)
        # The library writes the recording time first. Where no other key anywhere is named "timestamp" (those
        # bytes cannot occur inside a JSON string), that first one is the one the mapper decodes.
        if state.startswith(_STAMP) and state.count(b'"timestamp":') == 1:
            end = state.find(b'"', len(_STAMP))
            text = state[len(_STAMP):end]
            if end > 0 and b"\\" not in text:
                with suppress(ValueError):
                    return datetime.fromisoformat(text.decode())
        with suppress(ValueError, KeyError, TypeError, AttributeError):
            stamp = json.loads(state)["timestamp"]
            if stamp["_type_"] == "datetime_iso":
                return datetime.fromisoformat(stamp["_data_"])
    return mapper.to_domain_event(notification).timestamp


def stored_times(log: Any, until: int | None = None) -> Iterator[tuple[Any, datetime]]:
    """(notification, recording time) for every stored event in log order, page by page: what the chain and
    the tree are computed from."""
    for notification in stored(log, until):
        yield notification, recording_time(log, notification)


def notifications_at(log: Any, positions: Iterable[int]) -> Iterator[tuple[Any, Any]]:
    """(notification, decoded event) of the stored events at these positions (ascending), one read each."""
    for position in positions:
        page = log.recorder.select_notifications(position, 1)
        if not page or page[0].id != position:
            raise LookupError(f"no stored event at position {position}")
        yield page[0], log.mapper.to_domain_event(page[0])


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
    """Recompute the chain and the Merkle tree from the event store and compare them, position by position,
    with the read model's chain and stored tree (and with a seal: a chain seal's digest at its position, a tree
    seal's root at its size, both recomputed from the stored events); events stored after the chain's head are
    only checked for order (and against a tree seal that reaches them)."""
    checker = Verifier(db, seal)
    for notification, recorded_at in stored_times(log):
        finding = checker.add(notification, recorded_at)
        if finding is not None:
            return finding
    return checker.result()


class Verifier:
    """`verify`, one stored event at a time: `add` each (notification, recording time) in log order, which
    answers the Verification of the first problem (None while all holds), then `result()` once the log ends.
    A migration feeds it the events it copies, so the source is read once."""

    def __init__(self, db: Any, seal: Seal | None = None) -> None:
        self._db, self._seal = db, seal
        self._chained = iter(db.execute("SELECT position, digest FROM chain ORDER BY position"))
        self._expected = next(self._chained, None)
        self._digest, self.checked, self.unchained, self._last_time = GENESIS, 0, 0, None
        self._tree = TreeCheck(db)
        self._sealed = seal is None

    def _found(self, position: int, problem: str, detail: str = "") -> Verification:
        return Verification(self.checked, head(self._db), self.unchained, Finding(position, problem, detail))

    def add(self, notification: Any, recorded_at: datetime) -> Verification | None:
        position, seal, tree = notification.id, self._seal, self._tree
        if self._last_time is not None and (self._last_time - recorded_at).total_seconds() > 60:
            return self._found(position, "out_of_order", "recorded more than a minute before the event before it")
        self._last_time = recorded_at
        data = canonical(notification, recorded_at)
        problem = tree.add(position, data)
        if seal is not None and seal.names_tree and tree.frontier.size == seal.size:
            if tree.frontier.root().hex() != seal.root:
                return self._found(position, "seal_mismatch")
            self._sealed = True
        expected = self._expected
        if expected is None:
            self.unchained += 1  # stored since the read model last caught up
            return None
        self.checked += 1
        if expected[0] < position:
            return self._found(expected[0], "deleted")
        if expected[0] > position:
            return self._found(position, "inserted")
        self._digest = hashlib.sha256(self._digest + data).digest()
        if expected[1] != self._digest.hex():
            return self._found(position, "changed")
        if problem:
            return self._found(position, problem)
        if seal is not None and not seal.names_tree and position == seal.position:
            if self._digest.hex() != seal.digest:
                return self._found(position, "seal_mismatch")
            self._sealed = True
        self._expected = next(self._chained, None)
        return None

    def result(self) -> Verification:
        """What the whole log showed, once every stored event was added."""
        seal, db = self._seal, self._db
        if self._expected is not None:
            return self._found(self._expected[0], "deleted")
        problem = self._tree.finish()
        if problem:
            return self._found(head(db).position, problem)
        if not self._sealed:
            assert seal is not None
            beyond = seal.size > self._tree.frontier.size if seal.names_tree else seal.position > head(db).position
            return self._found(seal.size if seal.names_tree else seal.position,
                               "seal_beyond_log" if beyond else "seal_mismatch")
        return Verification(self.checked, head(db), self.unchained, None)


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
