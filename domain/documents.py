"""The document checklist (daftar dokumen data dukung): the kinds of document every leadership activity keeps,
and which of them an activity must have.

Kinds are data. Six defaults are built in and never recorded; an admin adds kinds, renames them, changes whose
activities need them, or retires them, each as a recorded version (one aggregate, so two admins editing at
once collide). A kind is *required* for an activity when the activity belongs to one of the leaders the kind
names; a kind that names no leader is optional (kept when there is one, never missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain.activity import check_leaders
from domain.errors import (
    InvalidDocumentKindCodeError,
    MissingFieldError,
    TextTooLongError,
    UnknownDocumentKindError,
)
from domain.indicators import LEADERS
from domain.text import check_plain

CHECKLIST_ID = uuid5(NAMESPACE_URL, "https://iku-humas/document-checklist")
_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")
LABEL_LIMIT = 120
REASON_LIMIT = 1000


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str
    #: the leaders whose activities must have it (empty: optional for every activity)
    required_for: tuple[str, ...] = ()
    active: bool = True

    def required(self, leaders: tuple[str, ...] | list[str] | str) -> bool:
        """Whether an activity of these leaders (a list, or `;`-separated as stored) must have this kind."""
        held_by = leaders.split(";") if isinstance(leaders, str) else leaders
        return self.active and any(leader in self.required_for for leader in held_by)

    def fields(self) -> dict:
        return {"code": self.code, "label": self.label, "required_for": list(self.required_for),
                "active": self.active}

    @classmethod
    def from_fields(cls, fields: dict) -> DocumentKind:
        return cls(code=fields["code"], label=fields["label"], required_for=tuple(fields["required_for"]),
                   active=bool(fields["active"]))


#: the defaults every office starts with (never recorded; a recorded version of the same code replaces one)
DEFAULT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("undangan", "Undangan", LEADERS),
    DocumentKind("surat_tugas", "Surat tugas", LEADERS),
    DocumentKind("naskah_sambutan", "Naskah sambutan", ("walikota", "wakil_walikota")),
    DocumentKind("foto", "Foto", LEADERS),
    DocumentKind("video", "Video"),
    DocumentKind("laporan", "Laporan", LEADERS),
)


def kinds_in_use(recorded: list[DocumentKind] | tuple[DocumentKind, ...]) -> tuple[DocumentKind, ...]:
    """Every kind, defaults first then new codes in the order first recorded, each as its latest version
    (retired ones included, `active` False)."""
    latest: dict[str, DocumentKind] = {kind.code: kind for kind in DEFAULT_KINDS}
    for kind in recorded:
        latest[kind.code] = kind
    return tuple(latest.values())


def active_kinds(recorded: list[DocumentKind] | tuple[DocumentKind, ...]) -> tuple[DocumentKind, ...]:
    return tuple(kind for kind in kinds_in_use(recorded) if kind.active)


def allowed_facts(kind: DocumentKind, *, marked: bool, attached: bool) -> tuple[bool, bool]:
    """Which checklist facts an activity may take next for `kind`: (a file, a not-applicable mark). The rules
    the domain enforces, stated for the front doors that offer the forms: only a kind in use takes either
    (`check_document_kind`); a kind marked not needed takes no file until the mark is withdrawn, and a kind with
    a valid file, or already marked, takes no mark (`Activity.attach_document`, `Activity.mark_not_applicable`)."""
    return kind.active and not marked, kind.active and not marked and not attached


def check_document_kind(code: str, kinds: tuple[DocumentKind, ...]) -> DocumentKind:
    """The active kind `code` names (trimmed, lower-case), or UnknownDocumentKindError naming the choices."""
    wanted = (code or "").strip().lower()
    for kind in kinds:
        if kind.code == wanted and kind.active:
            return kind
    raise UnknownDocumentKindError(code=(code or "").strip(),
                                   choices=", ".join(kind.code for kind in kinds if kind.active))


def check_kind(code: str, label: str, required_for: list[str] | tuple[str, ...] | str) -> DocumentKind:
    """A new version of a kind from a form or the command line (required_for: codes, or `;`/`,`-separated)."""
    code = (code or "").strip().lower()
    if not _CODE.fullmatch(code):
        raise InvalidDocumentKindCodeError(code=code)
    label = check_plain("label", label or "").strip()
    if not label:
        raise MissingFieldError(field="label")
    if len(label) > LABEL_LIMIT:
        raise TextTooLongError(field="label", limit=LABEL_LIMIT)
    if isinstance(required_for, str):
        required_for = re.split(r"[;,]", required_for)
    leaders = tuple(check_leaders(list(required_for))) if any(x.strip() for x in required_for) else ()
    return DocumentKind(code=code, label=label, required_for=leaders)


def _text(field: str, value: str, limit: int) -> str:
    text = check_plain(field, value or "").strip()
    if not text:
        raise MissingFieldError(field=field)
    if len(text) > limit:
        raise TextTooLongError(field=field, limit=limit)
    return text


class DocumentChecklist(Aggregate):
    """Every recorded version of every document kind."""

    class Opened(Aggregate.Created):
        actor: str

    class KindDefined(Aggregate.Event):
        """A version of a kind (`fields`: `DocumentKind.fields`), in use from when it is recorded."""

        fields: dict
        reason: str
        actor: str

        def apply(self, checklist: DocumentChecklist) -> None:
            checklist.versions.append(DocumentKind.from_fields(self.fields))

    def __init__(self, actor: str) -> None:
        self.versions: list[DocumentKind] = []

    @classmethod
    def open(cls, *, actor: str, timestamp: datetime | None = None) -> DocumentChecklist:
        return cls._create(cls.Opened, id=CHECKLIST_ID, actor=actor, timestamp=timestamp)

    def define(self, kind: DocumentKind, *, reason: str, actor: str, timestamp: datetime | None = None) -> None:
        """Add a kind or record a new version of one (a retired kind comes back by being defined again)."""
        self.trigger_event(self.KindDefined, fields=kind.fields(), reason=_text("reason", reason, REASON_LIMIT),
                           actor=_text("actor", actor, LABEL_LIMIT), timestamp=timestamp)

    def retire(self, code: str, *, reason: str, actor: str, timestamp: datetime | None = None) -> None:
        """The kind is no longer kept from now on (what was attached stays in the trail)."""
        current = check_document_kind(code, active_kinds(self.versions))
        retired = DocumentKind(current.code, current.label, current.required_for, active=False)
        self.define(retired, reason=reason, actor=actor, timestamp=timestamp)
