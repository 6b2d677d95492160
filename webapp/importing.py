"""Impor: upload a CSV or XLSX file of events, preview it with every error by line, then store all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from domain.activity import EVENT_KINDS
from domain.errors import DomainError
from domain.times import wib_date
from services import evidence, importrows, pendingimports
from services.catalogue import marked
from services.csvimport import ImportResult
from services.pendingimports import Pending, PendingImports
from services.presentation import describe, format_decimal, format_number
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page
from webapp.wiring import runtime

bp = Blueprint("importing", __name__)
IMPORTERS = ("operator", "admin")
#: offered in the page's select; the empty choice reads UTF-8 (a byte-order mark decides by itself)
ENCODING_CHOICES = ("", *(code for code in importrows.ENCODINGS if code != "utf-8"))
#: how the page lets a person pick an encoding, in the messages that suggest one
CHOOSE_ON_PAGE = marked("pilih pengodean %(label)s di bawah")


def store() -> PendingImports:
    return PendingImports(runtime().data_dir)


def chosen_encoding(values: Any) -> str:
    value = (values.get("pengodean") or "").strip()
    return value if value in ENCODING_CHOICES else ""


def megabytes(size: int) -> str:
    return format_decimal(round(size / 1048576, 1), current_lang())


def upload_page(errors: FieldErrors, status: int = 200, encoding: str = "") -> Any:
    return page("import/index.html", "import/_upload.html", status, errors=errors, encoding=encoding,
                encodings=ENCODING_CHOICES, encoding_labels=encoding_labels(),
                limit_mb=megabytes(evidence.limit_bytes()))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> Any:
    # The body was refused before it was read, so the form's other fields are not known here.
    errors = FieldErrors({"berkas": _("Berkas melebihi batas %(limit)s MB; tidak ada yang tersimpan.",
                                      limit=megabytes(evidence.limit_bytes()))})
    return upload_page(errors, 413)


@bp.route("/impor")
@requires_role(*IMPORTERS)
def index() -> Any:
    return upload_page(FieldErrors())


@bp.route("/impor", methods=["POST"])
@requires_role(*IMPORTERS)
def upload() -> Any:
    encoding = chosen_encoding(request.form)
    upload = request.files.get("berkas")
    limit = evidence.limit_bytes()
    data = upload.read(limit + 1) if upload is not None and upload.filename else b""
    errors = FieldErrors()
    if upload is None or not upload.filename:
        errors.messages["berkas"] = _("Pilih berkas CSV atau XLSX.")
    elif not data:
        errors.messages["berkas"] = _("Berkas %(name)s kosong.", name=upload.filename)
    elif len(data) > limit:
        errors.messages["berkas"] = _("Berkas %(name)s melebihi batas %(limit)s MB; tidak ada yang tersimpan.",
                                      name=upload.filename, limit=megabytes(limit))
    if errors:
        return upload_page(errors, 422, encoding)
    sha256 = store().keep(data, upload.filename, actor())
    return redirect(url_for(".preview", sha256=sha256, pengodean=encoding or None), 303)


def gone() -> Any:
    errors = FieldErrors({"form": _("Unggahan ini tidak ada lagi (diunggah lebih dari sehari yang lalu, atau alamatnya salah). Unggah berkasnya lagi.")})  # noqa: E501
    return upload_page(errors, 404)


def kinds(by_kind: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per event kind, in the order an activity goes through them."""
    return [(kind, by_kind[kind]) for kind in EVENT_KINDS if by_kind.get(kind)]


def day(moment: str | datetime | None) -> date | None:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return wib_date(moment) if moment is not None else None


def read_as(result: ImportResult) -> str:
    """How the file was read, as a person says it."""
    if result.kind == "xlsx":
        return _("XLSX, lembar pertama: %(sheet)s", sheet=result.sheet)
    if result.kind == "csv":
        separators = {",": _("koma"), ";": _("titik koma"), "\t": _("tab")}
        return _("CSV, pemisah %(separator)s, pengodean %(encoding)s",
                 separator=separators.get(result.delimiter, result.delimiter),
                 encoding=importrows.encoding_label(result.encoding, current_lang()))
    return _("jenis berkas tidak dikenali")


def encoding_labels() -> dict[str, str]:
    return {code: importrows.encoding_label(code, current_lang()) for code in importrows.ENCODINGS}


def done_page(pending: Pending) -> Any:
    summary = pending.stored or {}
    return page("import/done.html", "import/_done.html", pending=pending, summary=summary,
                kinds=kinds(summary.get("by_kind", {})), first=day(summary.get("first")),
                last=day(summary.get("last")), stored_at=datetime.fromisoformat(summary["stored_at"]))


def preview_page(pending: Pending, result: ImportResult, encoding: str, errors: FieldErrors | None = None,
                 status: int = 200) -> Any:
    return page("import/preview.html", "import/_preview.html", status, pending=pending, result=result,
                encoding=encoding, encodings=ENCODING_CHOICES, encoding_labels=encoding_labels(),
                errors=errors or FieldErrors(), lang=current_lang(), kinds=kinds(result.by_kind),
                first=day(result.first), last=day(result.last), read_as=read_as(result),
                size=_("%(size)s MB", size=megabytes(pending.size)) if pending.size >= 100_000
                else _("%(size)s kB", size=format_decimal(max(0.1, round(pending.size / 1024, 1)), current_lang())))


@bp.route("/impor/<sha256>")
@requires_role(*IMPORTERS)
def preview(sha256: str) -> Any:
    pending = store().get(sha256)
    if pending is None:
        return gone()
    if pending.stored is not None:
        return done_page(pending)
    encoding = chosen_encoding(request.args)
    result = pendingimports.preview(runtime(), store(), pending, actor(), encoding or None, CHOOSE_ON_PAGE)
    if result is None:
        return gone()
    return preview_page(pending, result, encoding)


def stored_message(summary: dict[str, Any]) -> str:
    return _("Tersimpan: %(count)s peristiwa dari %(name)s", count=format_number(summary["events"], current_lang()),
             name=summary["name"])


@bp.route("/impor/<sha256>", methods=["POST"])
@requires_role(*IMPORTERS)
def store_all(sha256: str) -> Any:
    kept = store()
    pending = kept.get(sha256)
    if pending is None:
        return gone()
    target = url_for(".preview", sha256=sha256)
    if pending.stored is not None:  # a second click or a retry: stored once, said again
        confirm(stored_message(pending.stored))
        return redirect(target, 303)
    encoding = chosen_encoding(request.form)
    if request.form.get("submission_id") != pending.submission:
        return refused(pending, encoding, _("Formulir ini bukan untuk unggahan ini. Periksa pratinjau lalu simpan lagi."))
    try:
        result, summary = pendingimports.store_all(runtime(), kept, pending, actor(), encoding or None, CHOOSE_ON_PAGE)
    except DomainError as error:  # another writer changed these activities meanwhile
        return refused(pending, encoding, describe(error, current_lang()))
    if result is not None:
        return preview_page(pending, result, encoding, status=422)
    if summary is None:  # stored by a request a moment earlier
        summary = (kept.get(sha256) or pending).stored
        if summary is None:
            return gone()
    confirm(stored_message(summary))
    return redirect(target, 303)


def refused(pending: Pending, encoding: str, message: str) -> Any:
    """The preview again, with why nothing was stored above it (409)."""
    result = pendingimports.preview(runtime(), store(), pending, actor(), encoding or None, CHOOSE_ON_PAGE)
    if result is None:
        return gone()
    return preview_page(pending, result, encoding, FieldErrors({"form": message}), 409)
