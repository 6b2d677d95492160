"""Building a history of checklist documents and link checks with the application's commands (no SQL)."""

from __future__ import annotations

from domain.times import parse_instant
from services.evidence import EvidenceStore
from services.runtime import Runtime

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
PDF = b"%PDF-1.4 undangan rapat"
PAGE = b"<!doctype html><title>Berita</title><script>alert(1)</script><p>Apel pagi di Balai Kota</p>"


def attach(runtime: Runtime, reference: str, code: str, data: bytes = PDF, name: str = "berkas.pdf",
           actor: str = "siti") -> str:
    """Attach `data` as the activity's document of kind `code`; its SHA-256."""
    described = EvidenceStore(runtime.data_dir).put(data, name)
    batch = runtime.batch()
    batch.attach_document(reference, code, occurred_at=parse_instant("2020-04-02T09:00"), actor=actor, **described)
    runtime.commit(batch)
    return described["sha256"]


def not_applicable(runtime: Runtime, reference: str, code: str, reason: str = "tanpa sambutan") -> None:
    batch = runtime.batch()
    batch.mark_not_applicable(reference, code, reason=reason, occurred_at=parse_instant("2020-04-02T09:00"),
                              actor="siti")
    runtime.commit(batch)


def check_link(runtime: Runtime, reference: str, url: str, when: str, status: int = 200, error: str = "",
               page: bytes | None = None, content_type: str = "text/html") -> str:
    """Record one check of a publication's link at `when` (WIB); with `page`, keep it as the archived copy (its
    SHA-256 is returned)."""
    archive = EvidenceStore(runtime.data_dir).put_archive(page) if page is not None else ""
    batch = runtime.batch()
    batch.record_link_check(reference, url=url, checked_at=parse_instant(when), status=status, error=error,
                            final_url=url, content_type=content_type, sha256=archive, archive_sha256=archive,
                            archive_size=len(page or b""), actor="pemeriksa-tautan")
    runtime.commit(batch)
    return archive
