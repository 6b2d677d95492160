"""Follow the event store's notification log into the read model, exactly once, from the stored position.

The SQLite recorder cannot be subscribed to, so the follower polls: on start, after every write, before
reads, and (in a server) from a background thread (`Following`) that picks up other nodes' events. Each
batch of events, its rows and the new tracking position commit in one transaction (`BEGIN IMMEDIATE`, so
two processes sharing a read model never apply the same event twice); within a process a lock keeps one
thread at a time on the writing connection, and readers use their own connection, so they only ever see
whole batches.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from domain.application import ActivityLog
from projections import chain, merkle
from projections.db import PROJECTED_TABLES
from projections.readmodel import ProjectionError, Projector
from projections.tree import StoredTree, TreeMismatchError

BATCH_SIZE = 2000
#: a long catch-up (a new node, after a bulk import) applies this many batches' worth per transaction: each
#: commit costs a WAL checkpoint's share, and a bigger transaction writes each index page fewer times
LONG_FACTOR = 5
#: told (positions done, positions in all) as a catch-up or rebuild goes
Progress = Callable[[int, int], None]
#: activity rows a rebuild remembers across batches (an activity's events lie weeks apart in the log)
REBUILD_KEEP = 20_000

logger = logging.getLogger(__name__)


class ChainMismatchError(ProjectionError):
    """The event store no longer matches the hash chain recorded when its events were first applied."""


@dataclass(frozen=True)
class CatchUp:
    """What one catch-up did."""

    applied: int
    position: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.applied / self.seconds if self.seconds > 0 else 0.0


class Follower:
    """Keeps one read model level with one activity log."""

    def __init__(self, log: ActivityLog, db: sqlite_utils.Database, batch_size: int = BATCH_SIZE,
                 reader: sqlite_utils.Database | None = None) -> None:
        self.log = log
        self.db = db  # the connection that writes (only while holding `_lock`)
        self.reader = reader or db  # where the position is read from outside a write
        self.batch_size = batch_size
        self.name = log.name
        self._lock = threading.RLock()
        self._tree_level = False  # the Merkle tree was seen to reach what the read model applied

    def position(self) -> int:
        """The last log position applied to the read model (0: nothing yet), as readers see it."""
        return self.position_in(self.reader)

    def position_in(self, db: sqlite_utils.Database) -> int:
        """The position as a given connection (and the snapshot it may hold) sees it."""
        row = db.execute(
            "SELECT notification_id FROM tracking WHERE application_name = ?", [self.name]
        ).fetchone()
        return row[0] if row else 0

    def head(self) -> int:
        """The last position in the event store."""
        return self.log.recorder.max_notification_id() or 0

    def lag(self) -> int:
        return max(self.head() - self.position(), 0)

    def catch_up(self, until: int | None = None, progress: Progress | None = None) -> CatchUp:
        """Apply every stored event after the read model's position (up to `until`, if given); `progress(done,
        total)` is told after each batch (`total`: the positions still to apply when it began)."""
        started = time.perf_counter()
        applied = 0
        if not self._tree_level:
            self._level_tree()
        position = self.position()
        end = until if until is not None else self.head()
        if position >= end:
            # Level already: answer without taking the write lock (this runs before every read).
            return CatchUp(0, position, time.perf_counter() - started)
        begun = position
        projector, left_at = None, None
        long = end - position > 2 * LONG_FACTOR * self.batch_size
        with self._lock, self._without_memory_map() if long else contextlib.nullcontext():
            while True:
                with self._write_transaction():
                    # Read the position inside the write lock: another process or thread may have moved it.
                    position = self.position_in(self.db)
                    if projector is None or position != left_at:
                        # The activity rows a projector remembers hold only while nobody else applies events
                        # between its batches: the position would have moved.
                        projector = Projector(self.db, keep=REBUILD_KEEP)
                    size = self.batch_size * (LONG_FACTOR if long else 1)
                    done, position = self._apply_batch(position, until, projector, size)
                left_at = position
                applied += done
                if progress is not None:
                    progress(min(position, end) - begun, end - begun)
                if done == 0 or (until is not None and position >= until):
                    break
        return CatchUp(applied, position, time.perf_counter() - started)

    def rebuild(self, progress: Progress | None = None) -> CatchUp:
        """Drop every projected row and replay the whole log, in one transaction (readers see the old
        read model until the new one is complete); `progress(done, total)` is told after each batch."""
        started = time.perf_counter()
        with self._lock, self._without_memory_map():
            applied, position = self._replay_all(progress)
        return CatchUp(applied, position, time.perf_counter() - started)

    @contextmanager
    def _without_memory_map(self) -> Iterator[None]:
        """A rebuild or a long catch-up writes most pages once: the memory map that speeds up reads only costs
        here, and every page it maps would count in the process's memory."""
        mmap_size = self.db.execute("PRAGMA mmap_size").fetchone()[0]
        self.db.execute("PRAGMA mmap_size=0")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA mmap_size={int(mmap_size)}")

    def _replay_all(self, progress: Progress | None = None) -> tuple[int, int]:
        applied = 0
        with self._write_transaction():
            for table in PROJECTED_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM tracking WHERE application_name = ?", [self.name])
            position = 0
            # One projector for the whole replay: nobody else writes meanwhile, so the activity rows it
            # wrote stay true and need not be read back batch after batch.
            projector = Projector(self.db, keep=REBUILD_KEEP)
            end = self.head()
            while True:
                done, position = self._apply_batch(position, None, projector)
                applied += done
                if progress is not None:
                    progress(min(position, end), end)
                if done == 0:
                    break
        return applied, position

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _apply_batch(self, start: int, until: int | None, projector: Projector | None = None,
                     size: int | None = None) -> tuple[int, int]:
        """Apply the next batch (of `size`, default the batch size) after `start` and advance tracking; the
        caller holds the transaction."""
        notifications = self.log.recorder.select_notifications(
            start, size or self.batch_size, stop=until, inclusive_of_start=False,
        )
        if not notifications:
            return 0, start
        projector = projector or Projector(self.db)
        events = []
        for notification in notifications:
            event = self.log.mapper.to_domain_event(notification)
            projector.apply(notification.id, event)
            events.append(event)
        projector.flush()
        self._chain(start, notifications, events)
        last = notifications[-1].id
        self._advance(start, last)
        return len(notifications), last

    def _chain(self, start: int, notifications: list, events: list) -> None:
        """Extend the hash chain over this batch; where it already exists (a rebuild), it must agree."""
        previous = self._digest_at(start)
        rows, leaves = [], []
        for notification, event in zip(notifications, events, strict=True):
            data = chain.canonical(notification, event.timestamp)  # the chain's link and the tree's leaf data
            previous = hashlib.sha256(previous + data).digest()
            rows.append((notification.id, previous.hex()))
            leaves.append((notification.id, merkle.leaf_hash(data)))
        existing = dict(self.db.execute(
            "SELECT position, digest FROM chain WHERE position > ? AND position <= ?", [start, rows[-1][0]]
        ).fetchall())
        for position, digest in rows:
            if existing.get(position, digest) != digest:
                raise ChainMismatchError(
                    f"the event at position {position} is not what was chained when it was first read "
                    f"(run `iku verify`); the read model is left as it was"
                )
        self.db.conn.executemany("INSERT INTO chain (position, digest) VALUES (?, ?)",
                                 [row for row in rows if row[0] not in existing])
        self._grow_tree(start, leaves)

    def _level_tree(self) -> None:
        """Once per process: a read model from before the tree (or whose tree was emptied) gets the tree of what
        it has applied, from the store, before anything reads a seal from it."""
        with self._lock:
            tree = StoredTree(self.db)
            if tree.size() != tree.size_at(tree.last_position()):
                raise TreeMismatchError("the Merkle tree's head does not count its stored leaves (run `iku verify`)")
            if tree.last_position() < self.position_in(self.db):
                with self._write_transaction():
                    position = self.position_in(self.db)
                    tree = StoredTree(self.db)
                    if tree.last_position() < position:
                        self._tree_existing(tree, position)
            self._tree_level = True

    def _grow_tree(self, start: int, leaves: list[tuple[int, bytes]]) -> None:
        """Add the batch's leaves to the Merkle tree (where it has them already, a rebuild, they must agree)."""
        tree = StoredTree(self.db)
        if tree.last_position() < start:
            # A read model from before the tree: give it the leaves of what was already applied, once.
            self._tree_existing(tree, start)
        tree.extend(tree.size_at(start), leaves)

    def _tree_existing(self, tree: StoredTree, until: int) -> None:
        after, page = tree.last_position(), []
        for notification, recorded_at in chain.stored_times(self.log, until):
            if notification.id > after:
                page.append((notification.id, merkle.leaf_hash(chain.canonical(notification, recorded_at))))
            if len(page) == chain.PAGE:
                tree.extend(tree.size(), page)
                page = []
        tree.extend(tree.size(), page)

    def _digest_at(self, position: int) -> bytes:
        if position == 0:
            return chain.GENESIS
        row = self.db.execute("SELECT digest FROM chain WHERE position = ?", [position]).fetchone()
        if row is None:
            # A read model from before the chain existed: chain what was already applied, once.
            self._chain_existing(position)
            row = self.db.execute("SELECT digest FROM chain WHERE position = ?", [position]).fetchone()
        return bytes.fromhex(row[0])

    def _chain_existing(self, until: int) -> None:
        head = chain.head(self.db)
        digest = bytes.fromhex(head.digest)
        rows = []
        for notification, recorded_at in chain.stored_times(self.log, until):
            if notification.id <= head.position:
                continue
            digest = chain.link(digest, notification, recorded_at)
            rows.append((notification.id, digest.hex()))
        self.db.conn.executemany("INSERT INTO chain (position, digest) VALUES (?, ?)", rows)

    def _advance(self, expected: int, new: int) -> None:
        """Move the tracking position from `expected` to `new`, or fail: never skip or repeat."""
        if expected == 0 and not self._has_tracking_row():
            self.db["tracking"].insert({"application_name": self.name, "notification_id": new})
            return
        cursor = self.db.execute(
            "UPDATE tracking SET notification_id = ? WHERE application_name = ? AND notification_id = ?",
            [new, self.name, expected],
        )
        if cursor.rowcount != 1:
            raise ProjectionError(f"tracking position moved under us (expected {expected})")

    def _has_tracking_row(self) -> bool:
        return bool(list(self.db.query("SELECT 1 FROM tracking WHERE application_name = ?", [self.name])))



class LoggedProgress:
    """A long catch-up's progress in the log, for a node catching up in the background (a new node's first
    catch-up of millions of events): events done of all, the rate and the time left, at most every `every`
    seconds, and only for a catch-up of at least `least` events."""

    #: the smallest catch-up worth telling about (events)
    LEAST = 10_000

    def __init__(self, every: float = 5.0, least: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.least, self.clock = every, self.LEAST if least is None else least, clock
        self._started: float | None = None
        self._said = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        first = self._started is None
        if first:
            self._started = now
        if total < self.least or (not first and now - self._said < self.every and done < total):
            return
        self._said = now
        share = f"{done:,} of {total:,} events ({100 * done / total:.0f}%)"
        if now <= self._started:  # no rate yet
            logger.info("catching up with the event store: %s", share)
            return
        rate = done / (now - self._started)
        logger.info("catching up with the event store: %s, %.0f events/s, about %.0f s left", share, rate,
                    (total - done) / rate if rate else 0.0)


class Following:
    """A background thread that keeps a read model level with the store: it catches up at once, then
    every `interval` seconds, so events stored by other processes or nodes show within about that delay;
    sooner when a `waker` (PostgreSQL's LISTEN, see `NotifyWaker`) says the store has new events.

    A failure (the store unreachable, a chain mismatch) is logged and kept in `error`; the thread goes on
    trying, so a store that comes back is followed again without a restart. A waker that fails is dropped:
    polling alone still follows.
    """

    def __init__(self, follower: Follower, interval: float = 0.5, waker: NotifyWaker | None = None) -> None:
        self.follower = follower
        self.interval = interval
        self.waker = waker
        self.head_seen = 0
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="iku-follower", daemon=True)

    def start(self) -> Following:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        waker = self.waker
        if waker is not None:
            waker.close()  # ends a wait for notifications at once
        self._thread.join(timeout)

    def behind(self) -> int:
        """How many positions the read model was behind the store at the last look (0: level)."""
        return max(self.head_seen - self.follower.position(), 0)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.head_seen = self.follower.head()
                self.follower.catch_up(progress=LoggedProgress())
                if self.error is not None:
                    logger.warning("following the event store again")
                self.error = None
            except Exception as error:  # keep following: the next round may succeed
                if type(error) is not type(self.error):
                    logger.error("cannot follow the event store: %s", error)
                self.error = error
            self._wait()

    def _wait(self) -> None:
        if self.waker is None or self._stop.is_set():
            self._stop.wait(self.interval)
            return
        try:
            self.waker.wait(self.interval)
        except Exception as error:  # the listening connection is gone: poll from now on
            if not self._stop.is_set():
                logger.warning("no more notifications from the event store (%s); polling every %s s", error,
                               self.interval)
            self.waker.close()
            self.waker = None


class NotifyWaker:
    """Listens on the PostgreSQL channel the eventsourcing recorder notifies on each insert."""

    def __init__(self, recorder: Any) -> None:
        """A connection of its own, made with the recorder's connection settings."""
        import psycopg
        from psycopg import sql

        settings = {k: v for k, v in recorder.datastore.pool.kwargs.items() if k != "row_factory"}
        self._conn = psycopg.connect(**settings, autocommit=True, connect_timeout=5)
        self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(recorder.channel_name)))

    def wait(self, timeout: float) -> None:
        """Until a notification arrives, or `timeout` seconds."""
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            pass

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()
