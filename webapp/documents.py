"""Daftar dokumen: the kinds of document every activity keeps (whose activities need each), with their history;
an admin adds or changes a kind, or retires one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, request, url_for
from flask_babel import gettext as _

from domain.documents import DocumentKind
from domain.errors import DomainError
from domain.indicators import LEADERS
from projections import read
from services.presentation import describe
from webapp.auth import actor, requires_role
from webapp.i18n import current_lang
from webapp.params import FieldErrors
from webapp.rendering import confirm, page
from webapp.wiring import read_model, runtime

bp = Blueprint("documents", __name__)

#: the inputs of each form; a refusal about any other field stands above the form
DEFINE_INPUTS = ("code", "label", "required_for", "reason")
RETIRE_INPUTS = ("code", "reason")
#: a domain error's field, named as the form's input it belongs beside
_INPUTS = {"leaders": "required_for", "document": "code", "note": "reason"}


def _form_values(kind: DocumentKind) -> dict[str, Any]:
    return {"code": kind.code, "label": kind.label, "required_for": list(kind.required_for), "reason": ""}


def _documents_page(errors: FieldErrors | None = None, status: int = 200, defining: dict[str, Any] | None = None,
                    retiring: dict[str, str] | None = None) -> Any:
    """Every kind and its history; for an admin the forms (`?ubah=code` fills the first with that kind), after a
    refusal (422) with the message beside its field and what was entered."""
    db = read_model()
    kinds = read.evidence.document_kinds(db)
    changing = next((kind for kind in kinds if kind.code == (request.args.get("ubah") or "").strip()), None)
    if defining is None and changing is not None and g.user is not None and g.user["role"] == "admin":
        defining = _form_values(changing)
    history = read.evidence.kind_history(db)
    for entry in history:
        entry["leaders_needing"] = [code for code in (entry["required_for"] or "").split(";") if code]
    return page("documents/index.html", "documents/_body.html", status, kinds=kinds, history=history,
                leaders=LEADERS, errors=errors or FieldErrors(), defining=defining or {}, retiring=retiring or {},
                changing=changing)


@bp.route("/daftar-dokumen")
def index() -> Any:
    return _documents_page()


def _refused(prefix: str, error: DomainError, inputs: tuple[str, ...]) -> FieldErrors:
    field = _INPUTS.get(error.input_field or "", error.input_field or "")
    refused = FieldErrors()
    refused.messages[f"{prefix}-{field if field in inputs else 'form'}"] = describe(error, current_lang())
    return refused


@bp.route("/daftar-dokumen/jenis", methods=["POST"])
@requires_role("admin")
def define() -> Any:
    """An admin adds a kind of document, or changes one's label or whose activities need it."""
    form = request.form
    entered = {"code": form.get("code", ""), "label": form.get("label", ""),
               "required_for": form.getlist("required_for"), "reason": form.get("reason", "")}
    try:
        recorded = runtime().log.define_document_kind(entered["code"], entered["label"], entered["required_for"],
                                                      reason=entered["reason"], actor=actor())
    except DomainError as error:
        return _documents_page(_refused("define", error, DEFINE_INPUTS), 422, defining=entered)
    runtime().applied(recorded)
    confirm(_("Tersimpan: jenis dokumen %(code)s", code=entered["code"].strip().lower()))
    return redirect(url_for("documents.index"), 303)


@bp.route("/daftar-dokumen/hentikan", methods=["POST"])
@requires_role("admin")
def retire() -> Any:
    """An admin stops keeping a kind of document (files attached before stay in each trail)."""
    form = request.form
    entered = {"code": form.get("code", ""), "reason": form.get("reason", "")}
    try:
        recorded = runtime().log.retire_document_kind(entered["code"], reason=entered["reason"], actor=actor())
    except DomainError as error:
        return _documents_page(_refused("retire", error, RETIRE_INPUTS), 422, retiring=entered)
    runtime().applied(recorded)
    confirm(_("Tersimpan: jenis dokumen %(code)s tidak dipakai lagi", code=entered["code"].strip().lower()))
    return redirect(url_for("documents.index"), 303)
