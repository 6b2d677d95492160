"""Project the evidence that lasts: each check of a publication's link (with the copy the first successful one
kept), the document checklist's kinds, and each activity's checklist documents and not-applicable marks.

Archived copies and document files go in `attachments` beside the evidence files, so `iku verify`, the bundles
and the file route find every kept file in one place (`kind` says which it is)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from domain.activity import Activity
from domain.documents import DocumentChecklist
from domain.times import utc_text
from projections.readmodel import Projector, handles

#: what the checklist's own events are about, in the audit log
CHECKLIST_SUBJECT = "Daftar dokumen"


@handles(Activity.LinkChecked)
def on_link_checked(p: Projector, position: int, e: Activity.LinkChecked) -> None:
    row = p.activity_event(position, e, kind="link_checked", fact_kind="published", evidence_ref=e.url,
                           sha256=e.sha256, targets=json.dumps([e.target]))
    p.db["link_checks"].insert({
        "position": position, "activity_id": row["activity_id"], "target_version": e.target, "url": e.url,
        "checked_at": row["occurred_at"], "status": e.status, "error": e.error, "final_url": e.final_url,
        "content_type": e.content_type, "sha256": e.sha256, "changed": int(e.changed),
        "archive_sha256": e.archive_sha256, "archive_size": e.archive_size, "recorded_at": row["recorded_at"],
        "actor": e.actor,
    })
    if e.archive_sha256:
        p.db["attachments"].insert({
            "position": position, "activity_id": row["activity_id"], "target_version": e.target, "kind": "archive",
            "sha256": e.archive_sha256, "name": archive_name(e.url, e.content_type), "size": e.archive_size,
            "media_type": e.content_type, "recorded_at": row["recorded_at"], "actor": e.actor,
        })


def archive_name(url: str, content_type: str) -> str:
    """A file name for a page's archived copy: its host and path, with the extension of its type."""
    parts = urlsplit(url)
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{parts.hostname or 'tautan'}{parts.path}")
    extension = {"text/html": "html", "application/xhtml+xml": "html", "image/jpeg": "jpg", "image/png": "png",
                 "image/webp": "webp", "image/gif": "gif"}.get(content_type, "bin")
    return f"{stem.strip('_.')[:120] or 'tautan'}.{extension}"


@handles(Activity.DocumentAttached)
def on_document_attached(p: Projector, position: int, e: Activity.DocumentAttached) -> None:
    row = p.activity_event(position, e, kind="document_attached", document=e.document, sha256=e.sha256,
                           evidence_ref=f"{e.document}:{e.sha256}")
    p.db["attachments"].insert({
        "position": position, "activity_id": row["activity_id"], "target_version": e.originator_version,
        "kind": "document", "document": e.document, "sha256": e.sha256, "name": e.name, "size": e.size,
        "media_type": e.media_type, "recorded_at": row["recorded_at"], "actor": e.actor,
    })


@handles(Activity.DocumentNotApplicable)
def on_not_applicable(p: Projector, position: int, e: Activity.DocumentNotApplicable) -> None:
    p.activity_event(position, e, kind="not_applicable", document=e.document, evidence_ref=e.document)


@handles(DocumentChecklist.Opened)
def on_checklist_opened(p: Projector, position: int, e: DocumentChecklist.Opened) -> None:
    p.log_event(position, e, "checklist_opened", CHECKLIST_SUBJECT, note="")


@handles(DocumentChecklist.KindDefined)
def on_kind_defined(p: Projector, position: int, e: DocumentChecklist.KindDefined) -> None:
    fields = e.fields
    p.db["document_kinds"].insert({
        "position": position, "code": fields["code"], "label": fields["label"],
        "required_for": ";".join(fields["required_for"]), "active": int(fields["active"]), "reason": e.reason,
        "actor": e.actor, "recorded_at": utc_text(e.timestamp),
    })
    # In the audit log: about the kind, its label in `title`, whose activities need it in `leaders`.
    p.log_event(position, e, "document_kind_defined" if fields["active"] else "document_kind_retired",
                fields["code"], setting=fields["code"], title=fields["label"],
                leaders=";".join(fields["required_for"]), note=e.reason)
