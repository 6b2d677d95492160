"""Kelengkapan dokumen: an activity's document checklist (each kind's files or not-applicable mark), the form that
attaches a file, marks a kind not applicable or withdraws either; and the archived copies of publications."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, make_response, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from domain.documents import DEFAULT_KINDS, DocumentKind, allowed_facts
from domain.errors import DomainError
from domain.times import now
from projections import read
from services.catalogue import marked_in, translate_in
from services.evidence import EvidenceStore
from services.linkcheck import ARCHIVED_TYPES
from services.presentation import describe
from webapp import errors
from webapp.auth import actor
from webapp.forms import new_submission_id
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.publications import links_of_activity
from webapp.rendering import confirm, wants_fragment
from webapp.wiring import read_model, runtime

bp = Blueprint("checklist", __name__)

#: what a checklist form asks (`aksi`): attach a file, mark a kind not applicable, withdraw a file or a mark
ACTIONS = ("lampirkan", "tidak-diperlukan", "tarik")
#: what a withdrawal takes back (`tarik`): a file, or a not-applicable mark
WITHDRAWN = {"berkas": "document", "tanda": "not_applicable"}
#: the inputs a refusal may stand beside (any other: the form as a whole)
INPUTS = ("berkas", "reason")
_DIGEST = re.compile(r"[0-9a-f]{64}")
#: an archived page must never run a script or load anything from this origin
ARCHIVE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

#: the built-in kinds' labels, said in the reader's language while an admin has not renamed them
DEFAULT_LABELS = {
    "undangan": marked_in("document kind", "Undangan"),
    "surat_tugas": marked_in("document kind", "Surat tugas"),
    "naskah_sambutan": marked_in("document kind", "Naskah sambutan"),
    "foto": marked_in("document kind", "Foto"),
    "video": marked_in("document kind", "Video"),
    "laporan": marked_in("document kind", "Laporan"),
}
_DEFAULTS = {kind.code: kind.label for kind in DEFAULT_KINDS}


@bp.app_template_filter("document_label")
def document_label(kind: DocumentKind) -> str:
    """A kind's label: a built-in one in the reader's language, one an admin named as named."""
    if _DEFAULTS.get(kind.code) == kind.label and kind.code in DEFAULT_LABELS:
        return translate_in(current_lang(), "document kind", DEFAULT_LABELS[kind.code])
    return kind.label


def offers(entry: dict[str, Any]) -> dict[str, bool]:
    """The forms a kind's entry offers a writer: the facts the domain allows next (`allowed_facts`)."""
    attach, mark = allowed_facts(entry["kind"], marked=entry["mark"] is not None, attached=bool(entry["files"]))
    return {"attach": attach, "mark": mark}


def checklist_context(trail: dict[str, Any], failure: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the checklist section needs: each kind's entry and the forms it offers, the kinds by code (to name
    one in the trail), the state of each publication's link, and a refused form's errors (`failure`: its
    `aksi`, `document`, `sha256`, `tarik`, `errors`, `entered`), placed beside the form that was sent when the
    page shows it, else above the list."""
    db = read_model()
    item = trail["activity"]
    kinds = read.evidence.document_kinds(db)
    entries = read.evidence.checklist(db, item["activity_id"], item["leaders"], kinds)
    for entry in entries:
        entry["offers"] = offers(entry)
    failure = failure or {}
    placed = False
    if failure:
        entry = next((e for e in entries if e["kind"].code == failure["document"]), None)
        if entry is not None:
            action = failure["aksi"]
            placed = (action == "lampirkan" and entry["offers"]["attach"]
                      or action == "tidak-diperlukan" and entry["offers"]["mark"]
                      or action == "tarik" and failure["tarik"] == "tanda" and entry["mark"] is not None
                      or action == "tarik" and failure["tarik"] == "berkas"
                      and any(f["sha256"] == failure["sha256"] for f in entry["files"]))
    return {"checklist": entries, "document_kinds": {kind.code: kind for kind in kinds},
            "missing_documents": sum(entry["state"] == "missing" for entry in entries),
            "links": links_of_activity(db, item["activity_id"], trail["events"]),
            "doc_failure": {**failure, "placed": placed}, "doc_submission": new_submission_id()}


def _reworded(error: DomainError) -> DomainError:
    """The domain calls a mark's or a withdrawal's reason its note; the form calls it a reason."""
    if error.params.get("field") == "note":
        return type(error)(**{**error.params, "field": "reason"})
    return error


def _label(code: str) -> str:
    kind = next((k for k in read.evidence.document_kinds(read_model()) if k.code == code.strip().lower()), None)
    return document_label(kind) if kind is not None else code


@bp.route("/kegiatan/<path:reference>/dokumen", methods=["POST"])
def record(reference: str) -> Any:
    """Attach a file as a document of a kind, mark a kind not applicable, or withdraw a file or a mark."""
    from webapp import activity  # activity imports this module

    db = read_model()
    if read.activities.activity(db, reference) is None:
        abort(404)
    form = request.form
    action, what = form.get("aksi", ""), form.get("tarik", "")
    if action not in ACTIONS or (action == "tarik" and what not in WITHDRAWN):
        abort(400)
    code, sha256 = form.get("document", "").strip()[:100], form.get("sha256", "").strip()[:64]
    reason = form.get("reason", "")
    fields: dict[str, Any] = {"occurred_at": now(), "actor": actor()}
    submission = (form.get("submission_id") or "").strip()[:64]
    if submission:
        fields["submission_id"] = submission
    refused = FieldErrors()
    try:
        batch = runtime().batch()
        if action == "lampirkan":
            upload = request.files.get("berkas")
            if upload is None or not upload.filename:
                refused.messages["berkas"] = _("Pilih berkas yang akan dilampirkan.")
            else:
                store, data = EvidenceStore(runtime().data_dir), upload.read()
                described = store.check(data, upload.filename)
                batch.attach_document(reference, code, **described, **fields)
                store.put(data, upload.filename)  # kept only once the command is accepted
                saved = _("Tersimpan: %(file)s sebagai %(document)s", file=described["name"], document=_label(code))
        elif action == "tidak-diperlukan":
            batch.mark_not_applicable(reference, code, reason=reason, **fields)
            saved = _("Tersimpan: %(document)s tidak diperlukan", document=_label(code))
        else:
            target = f"{code}:{sha256}" if what == "berkas" else code
            batch.withdraw(reference, withdrawn_kind=WITHDRAWN[what], evidence_ref=target, reason=reason, **fields)
            saved = (_("Tersimpan: berkas %(document)s ditarik", document=_label(code)) if what == "berkas"
                     else _("Tersimpan: tanda tidak diperlukan untuk %(document)s ditarik", document=_label(code)))
        if not refused:
            runtime().commit(batch)
    except DomainError as error:
        error = _reworded(error)
        field = error.input_field if error.input_field in INPUTS else "form"
        refused.messages[field] = describe(error, current_lang())
    trail = read.activities.trail(read_model(), reference)
    if refused:
        failure = {"aksi": action, "tarik": what, "document": code, "sha256": sha256, "errors": refused,
                   "entered": {"reason": reason}}
        return activity.activity_page(trail, 422, documents=failure)
    confirm(saved)
    if wants_fragment():
        return activity.activity_page(trail)
    return make_response(activity.redirect_to(reference, "dokumen"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large_submission(error: RequestEntityTooLarge) -> Any:
    """A file sent with a body over the request cap: the 413 page, with the way back to the activity."""
    reference = (request.view_args or {}).get("reference")
    return errors.too_large(url_for("activity.show", reference=reference) if reference else None)


@bp.route("/arsip/<sha256>")
def archive(sha256: str) -> Any:
    """A publication's archived copy, as its server sent it; a page is sandboxed: no script, nothing loaded."""
    if not _DIGEST.fullmatch(sha256):
        abort(404)
    found = read.evidence.archive(read_model(), sha256)
    path = EvidenceStore(runtime().data_dir).path(sha256)
    if found is None or not path.exists():
        abort(404)
    media_type = found["media_type"]
    response = send_file(path, download_name=found["name"], max_age=86400)
    # the type as its server declared it, without a charset of ours (an old page names its own)
    response.headers["Content-Type"] = media_type if media_type in ARCHIVED_TYPES else "application/octet-stream"
    response.headers["Content-Security-Policy"] = ARCHIVE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
