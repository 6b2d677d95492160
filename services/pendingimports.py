"""Import files uploaded in the browser, kept between their preview and their confirmation.

Each lives in `DATA_DIR/imports/<sha256>/` (the file's own SHA-256): the bytes as uploaded, and what the upload
was (name, who, when, its one-time submission id). Storing it replaces the bytes with a note of what was
stored, so a repeated confirmation finds that note instead of storing again; a day later the folder goes.
What is previewed and what is stored are always these bytes, never a second upload.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.application import Recorded
from domain.times import UTC, now
from services import csvimport
from services.errors import StoredButBehindError
from services.runtime import Runtime

KEEP_FOR = timedelta(days=1)
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Pending:
    """One uploaded file: its digest, name, uploader, time and submission id; stored = what was stored."""

    sha256: str
    name: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    submission: str
    stored: dict[str, Any] | None


class PendingImports:
    """The uploads under one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "imports"

    def keep(self, data: bytes, name: str, uploaded_by: str) -> str:
        """Keep an uploaded file (the same bytes again keep their folder and submission id); its SHA-256."""
        self.purge()
        digest = hashlib.sha256(data).hexdigest()
        folder = self.root / digest
        found = self.get(digest)
        if found is not None and (found.stored is not None or (folder / "upload").exists()):
            return digest
        shutil.rmtree(folder, ignore_errors=True)  # an expired or half-written one starts afresh
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "upload", data)
        meta = {"name": Path(name or "berkas").name[:200], "size": len(data), "uploaded_by": uploaded_by,
                "uploaded_at": now().isoformat(), "submission": secrets.token_hex(16)}
        _write(folder / "meta.json", json.dumps(meta).encode())
        return digest

    def get(self, sha256: str) -> Pending | None:
        if not _DIGEST.fullmatch(sha256 or ""):
            return None
        folder = self.root / sha256
        try:
            meta = json.loads((folder / "meta.json").read_text())
            stored_path = folder / "stored.json"
            stored = json.loads(stored_path.read_text()) if stored_path.exists() else None
            uploaded_at = datetime.fromisoformat(meta["uploaded_at"])
        except (OSError, ValueError, KeyError):
            return None
        if uploaded_at < now() - KEEP_FOR:
            return None
        return Pending(sha256, meta["name"], meta["size"], meta["uploaded_by"], uploaded_at, meta["submission"],
                       stored)

    def data(self, pending: Pending) -> bytes | None:
        """The bytes as uploaded (None once stored or cleaned away)."""
        try:
            return (self.root / pending.sha256 / "upload").read_bytes()
        except OSError:
            return None

    def mark_stored(self, pending: Pending, summary: dict[str, Any]) -> None:
        folder = self.root / pending.sha256
        if (folder / "stored.json").exists():  # a repeated confirmation: the first one's note stays
            return
        _write(folder / "stored.json", json.dumps(summary).encode())
        (folder / "upload").unlink(missing_ok=True)

    def purge(self) -> None:
        """Remove what was uploaded more than a day ago (stored or not)."""
        if not self.root.is_dir():
            return
        limit = (now() - KEEP_FOR).timestamp()
        for folder in self.root.iterdir():
            try:
                if folder.is_dir() and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all (a reader never sees half a file)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def preview(runtime: Runtime, store: PendingImports, pending: Pending, actor: str, encoding: str | None,
            choose: str) -> csvimport.ImportResult | None:
    """What storing the upload would record, with every error by line; nothing is stored."""
    data = store.data(pending)
    if data is None:
        return None
    # The batch checks each row against the event store itself (not the read model), so it is never behind.
    return csvimport.read_into(runtime.batch(), data, actor, encoding=encoding, submission=pending.submission,
                               max_errors=None, choose=choose)


def store_all(runtime: Runtime, store: PendingImports, pending: Pending, actor: str, encoding: str | None,
              choose: str) -> tuple[csvimport.ImportResult | None, dict[str, Any] | None]:
    """Store every row of the upload or nothing: (the result when it has errors, the summary when stored).

    Both are None when the bytes are gone (stored by a request a moment earlier, or cleaned away).
    """
    data = store.data(pending)
    if data is None:
        return None, None
    result, recorded = csvimport.store_file(runtime, data, actor, encoding=encoding, submission=pending.submission,
                                            max_errors=None, choose=choose)
    if recorded is None:
        return result, None
    try:
        recorded = runtime.applied(recorded)
    except StoredButBehindError as error:  # stored all the same: a retry must find it stored
        store.mark_stored(pending, _summary(pending, result, error.recorded, actor))
        raise
    summary = _summary(pending, result, recorded, actor)
    store.mark_stored(pending, summary)
    return None, summary


def _summary(pending: Pending, result: csvimport.ImportResult, recorded: Recorded, actor: str) -> dict[str, Any]:
    return {"name": pending.name, "events": result.events, "new": len(recorded.positions),
            "activities": result.activities, "by_kind": dict(result.by_kind),
            "first": result.first.isoformat() if result.first else None,
            "last": result.last.isoformat() if result.last else None,
            "stored_by": actor, "stored_at": datetime.now(UTC).isoformat()}
