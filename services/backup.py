"""Backup and restore of a data dir on the SQLite event store: one ZIP holding a consistent snapshot of
`events.sqlite3`, every evidence file, and `manifest.json` (event count, the seal recomputed from the
snapshot, the SHA-256 of every file), which is checked in full before anything is restored.

The read model is not in the backup: a restore rebuilds it from the events.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from eventsourcing.domain import EventSourcingError

from domain.application import ActivityLog
from domain.times import now
from projections import chain
from projections.store import sqlite_holds_events
from services import bundle
from services.bundle import FILE_PROBLEMS
from services.catalogue import marked
from services.evidence import EvidenceStore, file_sha256
from services.runtime import Runtime, store_env

FORMAT = "iku-backup"
VERSION = 1
STORE = "events.sqlite3"
MANIFEST = "manifest.json"
#: evidence is kept content-addressed, evidence/<sha[:2]>/<sha>: no other name is taken or restored
EVIDENCE_NAME = re.compile(r"evidence/([0-9a-f]{2})/\1[0-9a-f]{62}")
#: files a restore replaces besides the store: what SQLite or an empty read model left behind
STALE = (f"{STORE}-wal", f"{STORE}-shm", "readmodel.sqlite3", "readmodel.sqlite3-wal", "readmodel.sqlite3-shm")
BLOCK = 1 << 20

PROBLEMS = {
    **FILE_PROBLEMS,
    "exists": marked("sudah ada; pakai --force untuk menimpa"),
    "no_store": marked("tidak ada penyimpanan peristiwa di sini"),
    "postgres": marked("penyimpanan PostgreSQL tidak dicadangkan oleh iku backup"),
    "unreadable": marked("bukan berkas cadangan iku: manifest.json tidak terbaca"),
    "version": marked("versi cadangan ini tidak dikenal"),
    "foreign": marked("nama berkas yang tidak pernah ada dalam cadangan"),
    "unopenable": marked("bukan penyimpanan peristiwa yang terbaca"),
    "count": marked("jumlah peristiwa berbeda dari manifes"),
    "seal": marked("segel yang dihitung ulang berbeda dari manifes"),
    "not_empty": marked("sudah berisi peristiwa; pulihkan hanya ke direktori data yang kosong"),
    "chain": marked("rantai hasil pemulihan tidak cocok dengan segel manifes"),
}

Problem = tuple[str, str]  # (what: a file, a path or a position; a code of PROBLEMS)


class BackupRefused(Exception):
    """A backup or restore that was not done (for `chain`: done but not proven); `problems` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(describe(problem, "en") for problem in problems))
        self.problems = problems


def describe(problem: Problem, lang: str = "id") -> str:
    """`what: what is wrong`, in the given language."""
    return bundle.describe(problem, lang, PROBLEMS)


def create(runtime: Runtime, path: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Write the backup of `runtime`'s data dir to `path` (verified before it appears there, atomically)
    and return its manifest."""
    path = Path(path)
    store = runtime.data_dir / STORE
    if runtime.database_url:
        raise BackupRefused([("IKU_DATABASE_URL", "postgres")])
    if not store.exists():
        raise BackupRefused([(str(runtime.data_dir), "no_store")])
    if path.exists() and not force:
        raise BackupRefused([(str(path), "exists")])
    handle, part = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    try:
        with tempfile.TemporaryDirectory(prefix="iku-backup-") as work:
            manifest = _write(store, evidence_files(runtime.data_dir), Path(work), Path(part))
        problems, _ = check(part)
        if problems:
            raise BackupRefused(problems)
        os.replace(part, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(part)
    return manifest


def evidence_files(data_dir: Path) -> list[tuple[str, Path]]:
    """(name in the ZIP, file) for every kept evidence file (IKU_EVIDENCE_DIR when nodes share one)."""
    store = EvidenceStore(data_dir)
    return [("evidence/" + file.relative_to(store.root).as_posix(), file) for file in store.files()]


def _write(store: Path, evidence: list[tuple[str, Path]], work: Path, target: Path) -> dict[str, Any]:
    snapshot = work / STORE
    # Events first, then files: `iku attach` keeps a file before its event, so every event in the
    # snapshot finds its file (a file attached meanwhile is carried along, harmlessly).
    with closing(sqlite3.connect(str(store))) as source, closing(sqlite3.connect(str(snapshot))) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    files: dict[str, str] = {}
    with zipfile.ZipFile(target, "w") as archive:
        archive.write(snapshot, STORE, compress_type=zipfile.ZIP_DEFLATED)
        files[STORE] = file_sha256(snapshot)
        for name, file in evidence:
            archive.write(file, name, compress_type=zipfile.ZIP_STORED)  # JPEG, PNG, PDF: compressed already
            files[name] = file_sha256(file)
        events, seal = recount(work)  # the snapshot is in the ZIP already: opening it may touch it
        manifest = {"format": FORMAT, "version": VERSION, "created_at": now().isoformat(timespec="seconds"),
                    "events": events, "seal": str(seal), "files": files}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2), compress_type=zipfile.ZIP_DEFLATED)
    with open(target, "rb") as written:
        os.fsync(written.fileno())
    return manifest


def recount(directory: Path) -> tuple[int, chain.Seal]:
    """The number of events in the store `directory/events.sqlite3` and its seal, recomputed from the
    genesis digest."""
    log = ActivityLog(env=store_env(directory, None))
    try:
        return chain.seal_over(chain.stored_times(log))
    finally:
        log.close()


def check(path: str | Path) -> tuple[list[Problem], dict[str, Any]]:
    """Problems found in a backup (none: every file matches the manifest, and the events recounted from
    the snapshot match its count and seal), and its manifest."""
    with tempfile.TemporaryDirectory(prefix="iku-check-") as work:
        return _inspect(Path(path), Path(work), extract_all=False)


def _inspect(path: Path, work: Path, extract_all: bool) -> tuple[list[Problem], dict[str, Any]]:
    """`check`, extracting the store (with `extract_all`, every evidence file too) into `work`."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise ValueError(manifest.get("format"))
            if manifest.get("version") != VERSION:
                return [(f"{MANIFEST} (version {manifest.get('version')})", "version")], manifest
            seal, events = chain.Seal.parse(manifest["seal"]), int(manifest["events"])
            problems = _check_files(archive, dict(manifest["files"]), work, extract_all)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, AttributeError):
        return [(MANIFEST, "unreadable")], {}
    if problems:
        return problems, manifest
    try:
        counted, recounted = recount(work)
    except (EventSourcingError, sqlite3.Error, ValueError):
        return [(STORE, "unopenable")], manifest
    if counted != events:
        problems.append((f"{STORE} ({counted} ≠ {events})", "count"))
    if not seal.matches(recounted):
        problems.append((f"{STORE} ({recounted})", "seal"))
    return problems, manifest


def _check_files(archive: zipfile.ZipFile, expected: dict[str, str], work: Path, extract_all: bool) -> list[Problem]:
    problems: list[Problem] = [] if STORE in expected else [(STORE, "missing")]
    names = set(archive.namelist()) - {MANIFEST}
    for name, digest in sorted(expected.items()):
        if name != STORE and not EVIDENCE_NAME.fullmatch(name):
            problems.append((name, "foreign"))  # so nothing is ever written outside the data dir
        elif name not in names:
            problems.append((name, "missing"))
        elif _member_sha256(archive, name, work / name if extract_all or name == STORE else None) != digest:
            problems.append((name, "altered"))
    problems += [(name, "unlisted") for name in sorted(names - set(expected))]
    return problems


def _member_sha256(archive: zipfile.ZipFile, name: str, out: Path | None) -> str | None:
    """SHA-256 of a file in the ZIP, copied to `out` on the way; None when the ZIP's own CRC or
    compression finds it damaged."""
    digest = hashlib.sha256()
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(name) as member, open(out or os.devnull, "wb") as copy:
            for block in iter(lambda: member.read(BLOCK), b""):
                digest.update(block)
                if out is not None:
                    copy.write(block)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None
    return digest.hexdigest()


def restore(path: str | Path, data_dir: str | Path) -> dict[str, Any]:
    """Restore a backup into `data_dir`, whose event store must hold no event (stop any server on it
    first): the store and evidence files only once all of them are verified, then the read model rebuilt
    and its chain proven against the manifest's seal. Returns the manifest."""
    data_dir = Path(data_dir)
    store = data_dir / STORE
    if sqlite_holds_events(store):
        raise BackupRefused([(str(store), "not_empty")])
    created = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".iku-restore-", dir=data_dir))  # same file system: replace is atomic
    try:
        problems, manifest = _inspect(Path(path), work, extract_all=True)
        if problems:
            raise BackupRefused(problems)
        evidence = EvidenceStore(data_dir)
        for name in manifest["files"]:
            if name != STORE:
                target = evidence.path(name.rsplit("/", 1)[1])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / name, target)  # a rename, unless IKU_EVIDENCE_DIR is another file system
        for stale in STALE:
            with suppress(FileNotFoundError):
                (data_dir / stale).unlink()
        os.replace(work / STORE, store)
    except BackupRefused:
        if created:
            shutil.rmtree(work, ignore_errors=True)
            with suppress(OSError):
                data_dir.rmdir()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seal = chain.Seal.parse(manifest["seal"])
    runtime = Runtime(data_dir, database_url="", catch_up=False)
    try:
        runtime.rebuild()
        result = chain.verify(runtime.log, runtime.db, seal)
    finally:
        runtime.close()
    if not result.ok or not seal.matches(result.head):
        raise BackupRefused([(f"#{result.finding.position if result.finding else result.head}", "chain")])
    return manifest
