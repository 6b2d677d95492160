"""Evidence files (photos, PDFs), stored content-addressed by SHA-256 in the data dir.

The media type is detected from the content (the `filetype` library), never from the name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import filetype

from domain.errors import EmptyFileError, FileTooLargeError, UnsupportedFileTypeError
from domain.profile import LOGO_TYPES, LogoTypeError

_DIGEST = re.compile(r"[0-9a-f]{64}")
MEDIA_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
DEFAULT_LIMIT_MB = 20


def limit_bytes() -> int:
    try:
        return int(float(os.environ.get("IKU_MAX_UPLOAD_MB") or DEFAULT_LIMIT_MB) * 1024 * 1024)
    except ValueError:
        return DEFAULT_LIMIT_MB * 1024 * 1024


class EvidenceStore:
    """The files under `IKU_EVIDENCE_DIR`, default `DATA_DIR/evidence` (several nodes share one directory on
    a network share: names are digests and files are only ever added, so concurrent writers cannot clash)."""

    def __init__(self, data_dir: Path, root: Path | None = None) -> None:
        self.root = Path(root or os.environ.get("IKU_EVIDENCE_DIR") or Path(data_dir) / "evidence").resolve()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def check(self, data: bytes, name: str) -> dict:
        """What the file is, or a named error (empty, too large, not an accepted type)."""
        name = Path(name or "berkas").name
        if not data:
            raise EmptyFileError(name=name)
        limit = limit_bytes()
        if len(data) > limit:
            raise FileTooLargeError(name=name, size_mb=round(len(data) / 1048576, 1), limit_mb=round(limit / 1048576))
        kind = filetype.guess(data)
        if kind is None or kind.mime not in MEDIA_TYPES:
            raise UnsupportedFileTypeError(name=name, detected=kind.mime if kind else "")
        return {"sha256": hashlib.sha256(data).hexdigest(), "name": name, "size": len(data), "media_type": kind.mime}

    def put_logo(self, data: bytes, name: str) -> str:
        """Keep the report's logo (PNG or JPEG only; a refused file is not kept); its SHA-256."""
        media_type = self.check(data, name)["media_type"]
        if media_type not in LOGO_TYPES:
            raise LogoTypeError(detected=media_type)
        return self.put(data, name)["sha256"]

    def put(self, data: bytes, name: str) -> dict:
        """Check and keep the file (idempotent for the same content); returns its description."""
        described = self.check(data, name)
        self._write(self.path(described["sha256"]), data)
        return described

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        """Write once, whole or not at all (a temporary renamed into place)."""
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)

    def put_archive(self, data: bytes) -> str:
        """Keep a publication's archived copy (a page or image a link check fetched, already bounded in size by
        the checker; its type is the one the server declared, kept in the event); its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        self._write(self.path(sha256), data)
        return sha256

    def files(self) -> list[Path]:
        """Every kept file (named `<sha[:2]>/<sha>`; a half-written temporary is not one), sorted."""
        if not self.root.is_dir():
            return []
        return sorted(path for path in self.root.glob("??/*")
                      if path.is_file() and _DIGEST.fullmatch(path.name) and path.parent.name == path.name[:2])

    def matches(self, sha256: str) -> str | None:
        """None when the file is there with that digest, else `missing` or `altered`."""
        path = self.path(sha256)
        if not path.exists():
            return "file_missing"
        return None if file_sha256(path) == sha256 else "file_altered"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def logo_file(sha256: str | None, logo_path: Callable[[str], Path] | None) -> Path | None:
    """The logo's file from its digest (`logo_path`: the evidence store's), None when there is none."""
    if not sha256 or logo_path is None:
        return None
    path = logo_path(sha256)
    return path if path.exists() else None
