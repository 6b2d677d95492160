"""Copy the event store to an empty PostgreSQL store, in log order, all or nothing, and prove the copy.

The stored events travel as they are (topic, aggregate id, version and the stored bytes), so their
digests, the hash chain and every printed seal stay valid: each event keeps its log position, or the
copy is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from domain.application import ActivityLog
from domain.errors import DomainError
from iku.runtime import Runtime, open_log, store_env
from projections import chain

PAGE = 5000


class MigrationError(DomainError):
    """The copy cannot be made or does not prove equal; the target is left as it was."""


class TargetNotEmptyError(MigrationError):
    message_id = "penyimpanan tujuan sudah berisi {count} peristiwa; migrasi hanya ke penyimpanan kosong"
    message_en = "the target store already holds {count} events; migrate only into an empty store"


class SameStoreError(MigrationError):
    message_id = "tujuan migrasi adalah penyimpanan yang sedang dipakai"
    message_en = "the migration target is the store in use"


class NotPostgresError(MigrationError):
    message_id = "tujuan migrasi harus postgresql://… (didapat {url!r})"
    message_en = "the migration target must be postgresql://… (got {url!r})"


class SourceNotIntactError(MigrationError):
    message_id = "penyimpanan sumber tidak utuh di posisi {position} ({problem}); jalankan `iku verify`"
    message_en = "the source store is not intact at position {position} ({problem}); run `iku verify`"


class PositionsDifferError(MigrationError):
    message_id = ("penyimpanan tujuan memberi posisi {got} untuk peristiwa di posisi {expected}; "
                  "buat skema/basis data baru lalu ulangi")
    message_en = ("the target store gave position {got} to the event at position {expected}; "
                  "create a new schema/database and try again")


class SourceMovedError(MigrationError):
    message_id = ("{count} peristiwa dicatat di sumber selama migrasi; hentikan semua server lalu ulangi "
                  "(tujuan tidak diubah)")
    message_en = ("{count} events were recorded in the source during the migration; stop every server and "
                  "try again (the target is unchanged)")


class CopyDiffersError(MigrationError):
    message_id = "salinan tidak sama dengan sumber: {detail}"
    message_en = "the copy differs from the source: {detail}"


@dataclass(frozen=True)
class Migrated:
    events: int
    seal: chain.Seal  # of the source and of the copy: the same


def chain_of(log: ActivityLog) -> tuple[int, chain.Seal]:
    """Count the stored events and recompute the hash chain over them, from the store alone."""
    digest, count, position = chain.GENESIS, 0, 0
    for notification, event in chain.stored_events(log):
        digest = chain.link(digest, notification, event.timestamp)
        count, position = count + 1, notification.id
    return count, chain.Seal(position, digest.hex())


def open_target(url: str, data_dir: Path) -> ActivityLog:
    if not url.startswith(("postgresql://", "postgres://")):
        raise NotPostgresError(url=url)
    return open_log(store_env(data_dir, url))


def migrate(runtime: Runtime, url: str, progress: Callable[[int, int], None] | None = None) -> Migrated:
    """Copy every event of `runtime`'s store into the empty PostgreSQL store at `url`, then prove the copy:
    the same count and the same chain (seal) recomputed from each store."""
    if runtime.database_url and runtime.database_url == url:
        raise SameStoreError()
    source = runtime.log
    checked = chain.verify(source, runtime.fresh())
    if not checked.ok:
        raise SourceNotIntactError(position=checked.finding.position, problem=checked.finding.problem)
    target = open_target(url, runtime.data_dir)
    try:
        already = target.recorder.max_notification_id() or 0
        if already:
            raise TargetNotEmptyError(count=already)
        head = source.recorder.max_notification_id() or 0
        _copy(source, target, head, progress)
        count, seal = chain_of(source)
        copied, copied_seal = chain_of(target)
        if (copied, copied_seal) != (count, seal):
            raise CopyDiffersError(detail=f"{count} → {copied}, {seal} → {copied_seal}")
        return Migrated(count, seal)
    finally:
        target.close()


def _copy(source: ActivityLog, target: ActivityLog, head: int,
          progress: Callable[[int, int], None] | None) -> None:
    """One PostgreSQL transaction: a failure anywhere leaves the target empty."""
    recorder = target.recorder
    done, start = 0, 0
    with recorder.datastore.transaction(commit=True) as cursor:
        while True:
            page = source.recorder.select_notifications(start, PAGE, stop=head, inclusive_of_start=False)
            if not page:
                break
            stored = [StoredEvent(originator_id=n.originator_id, originator_version=n.originator_version,
                                  topic=n.topic, state=n.state) for n in page]
            recorder._insert_stored_events(cursor, stored)  # the recorder's own locked, ordered insert
            positions = [row["notification_id"] for row in cursor.fetchall()]
            for notification, position in zip(page, positions, strict=True):
                if notification.id != position:
                    raise PositionsDifferError(expected=notification.id, got=position)
            done += len(page)
            start = page[-1].id
            if progress:
                progress(done, head)
        moved = (source.recorder.max_notification_id() or 0) - head
        if moved:
            raise SourceMovedError(count=moved)
