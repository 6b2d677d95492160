"""Copy the event store to an empty store (PostgreSQL, or SQLite in a data dir), in log order, all or
nothing, and prove the copy before it commits.

The stored events travel as they are (topic, aggregate id, version and the stored bytes), so their
digests, the hash chain and every printed seal stay valid: each event keeps its log position, or the
copy is refused.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Notification, StoredEvent

from domain.application import ActivityLog
from domain.errors import DomainError
from projections import chain, store
from services.evidence import EvidenceStore, file_sha256
from services.runtime import Runtime, is_postgres_url, open_log, store_env


class MigrationError(DomainError):
    """The copy cannot be made or does not prove equal; the target is left as it was."""


class TargetNotEmptyError(MigrationError):
    """Refused: the target store already holds {count} events; migrate only into an empty store."""


class SameStoreError(MigrationError):
    """Refused: the migration target is the store in use."""


class UnknownTargetError(MigrationError):
    """Refused: the migration target must be postgresql://… or a data directory (got {url})."""


class SourceNotIntactError(MigrationError):
    """Refused: the source store is not intact at position {position} ({problem}); run `iku verify`."""


class PositionsDifferError(MigrationError):
    """Refused: the target store gave position {got} to the event at position {expected}; create a new …"""


class SourceMovedError(MigrationError):
    """Refused: {count} events were recorded in the source during the migration; stop every server and …"""


class CopyDiffersError(MigrationError):
    """Refused: the copy differs from the source: {detail}."""


class EvidenceAlteredError(MigrationError):
    """Refused: the evidence file {name} does not match its digest (altered?); run `iku verify` (nothing was copied)."""


@dataclass(frozen=True)
class Migrated:
    events: int
    seal: chain.Seal  # of the source and of the copy: the same
    files: int  # evidence files copied into the target data dir (a data dir target)
    evidence_root: Path  # where the source's evidence files are


def copy_evidence(source_dir: Path, target_dir: Path) -> int:
    """Copy the evidence files the target lacks, each checked against its digest first; how many were
    copied. Files are named by digest, so a copy already there is the same file. The target data dir gets
    them in its own `evidence/` (IKU_EVIDENCE_DIR names where this node's files are, not the target's)."""
    files = EvidenceStore(source_dir).files()
    for path in files:
        if file_sha256(path) != path.name:
            raise EvidenceAlteredError(name=path.name)
    target, copied = EvidenceStore(target_dir, root=Path(target_dir) / "evidence"), 0
    for path in files:
        destination = target.path(path.name)
        if destination.resolve() == path.resolve() or destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".part")
        shutil.copyfile(path, partial)
        os.replace(partial, destination)
        copied += 1
    return copied


def open_target(target: str) -> ActivityLog:
    """The store at `target`: a PostgreSQL address, or a data dir whose SQLite store is used (made)."""
    if is_postgres_url(target):
        return open_log(store_env(Path("."), target))
    if "://" in target or not target.strip():
        raise UnknownTargetError(url=target)
    data_dir = Path(target)
    data_dir.mkdir(parents=True, exist_ok=True)
    return open_log(store_env(data_dir, None))


def migrate(runtime: Runtime, target_name: str,
            progress: Callable[[int, int], None] | None = None) -> Migrated:
    """Copy every event of `runtime`'s store into the empty store `target_name` (postgresql://… or a data
    dir), and prove the copy before it commits: the same count and the same chain (seal), recomputed from
    what the target holds."""
    same = (runtime.database_url == target_name if is_postgres_url(target_name) else
            not runtime.database_url and Path(target_name).resolve() == runtime.data_dir.resolve())
    if same:
        raise SameStoreError()
    db = runtime.fresh()
    seal = chain.head(db)
    target = open_target(target_name)
    try:
        already = target.recorder.max_notification_id() or 0
        if already:
            raise TargetNotEmptyError(count=already)
        # Files first (content-addressed, so a failed run leaves nothing that could mislead), then events.
        files = 0 if is_postgres_url(target_name) else copy_evidence(runtime.data_dir, Path(target_name))
        count = _copy(runtime.log, target, chain.Verifier(db), seal, progress)
        return Migrated(count, seal, files, EvidenceStore(runtime.data_dir).root)
    finally:
        target.close()


def _copy(source: ActivityLog, target: ActivityLog, checker: chain.Verifier, seal: chain.Seal,
          progress: Callable[[int, int], None] | None) -> int:
    """One transaction of the target that commits only a proven copy (how many events): a failure anywhere
    leaves it empty.

    The source is read once. Each of its events goes through `checker` (the source's chain and tree
    recomputed from its store and compared with what its read model recorded: `iku verify`), then into the
    target. Each page is read back inside the transaction right after it is written and must equal the
    source's events field by field (position, aggregate, version, topic and the stored bytes). At the end the
    source must have proven whole up to the seal, with nothing stored after it, and the target must hold
    exactly as many events ending at the seal's position. Equal bytes in the same positions hash to the same
    chain and tree, so the copy's seal is the source's."""
    recorder = target.recorder
    count = seal.size if seal.names_tree else seal.position  # for the progress bar: the events to copy
    done, start = 0, 0
    with recorder.datastore.transaction(commit=True) as cursor:
        while True:
            page = source.recorder.select_notifications(start, store.PAGE, stop=seal.position, inclusive_of_start=False)
            if not page:
                break
            for notification in page:
                finding = checker.add(notification, chain.recording_time(source, notification))
                if finding is not None:
                    raise SourceNotIntactError(position=finding.finding.position, problem=finding.finding.problem)
            stored = [StoredEvent(originator_id=n.originator_id, originator_version=n.originator_version,
                                  topic=n.topic, state=n.state) for n in page]
            positions = store.insert(recorder, cursor, stored)
            for notification, position in zip(page, positions, strict=True):
                if notification.id != position:
                    raise PositionsDifferError(expected=notification.id, got=position)
            copied = list(store.read_back(recorder, cursor, after=start))
            if len(copied) != len(page):
                raise CopyDiffersError(detail=f"{len(page)} events written after position {start}, {len(copied)} read back")
            for written, back in zip(page, copied, strict=True):
                if _fields(written) != _fields(back):
                    raise CopyDiffersError(detail=f"the event at position {written.id} reads back differently")
            done += len(page)
            start = page[-1].id
            if progress:
                progress(done, count)
        moved = (source.recorder.max_notification_id() or 0) - seal.position
        if moved:
            raise SourceMovedError(count=moved)
        proven = checker.result()
        if not proven.ok:
            raise SourceNotIntactError(position=proven.finding.position, problem=proven.finding.problem)
        held = recorder.largest_in(cursor) if hasattr(recorder, "largest_in") else None
        if done != proven.checked or (held is not None and held != seal.position):
            raise CopyDiffersError(detail=f"{proven.checked} → {done} events, the last at {held}")
    return done


def _fields(notification: Notification) -> tuple[Any, ...]:
    """What must read back equal (both recorders give the aggregate id as a UUID)."""
    return (notification.id, notification.originator_id, notification.originator_version, notification.topic,
            bytes(notification.state))
