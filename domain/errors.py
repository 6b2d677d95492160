"""Domain errors: one class per broken rule, each with an Indonesian and an English message."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

KIND_LABELS: dict[str, tuple[str, str]] = {
    "scheduled": ("dijadwalkan", "scheduled"),
    "rescheduled": ("dijadwal ulang", "rescheduled"),
    "held": ("terlaksana", "held"),
    "cancelled": ("dibatalkan", "cancelled"),
    "published": ("dipublikasikan", "published"),
    "documented": ("didokumentasikan", "documented"),
    "protocol_served": ("dilayani protokol", "served by protocol"),
    "withdrawn": ("ditarik", "withdrawn"),
    "attached": ("berkas dilampirkan", "file attached"),
    # The store's other events, so the audit log names every one of them.
    "account_created": ("akun dibuat", "account created"),
    "account_role_changed": ("peran akun diubah", "account role changed"),
    "account_disabled": ("akun dinonaktifkan", "account disabled"),
    "account_enabled": ("akun diaktifkan kembali", "account enabled again"),
    "account_password_changed": ("kata sandi diganti", "password changed"),
    "account_password_reset": ("kata sandi direset", "password reset"),
    "target_set": ("target ditetapkan", "target set"),
    "profile_started": ("profil instansi dimulai", "institution profile started"),
    "profile_changed": ("profil instansi diubah", "institution profile changed"),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "reference": ("nomor kegiatan", "activity reference"),
    "title": ("judul", "title"),
    "leaders": ("pimpinan", "leaders"),
    "location": ("lokasi", "location"),
    "occurred_at": ("waktu kejadian", "occurred at"),
    "channel": ("kanal/jenis/petugas", "channel/kind/officer"),
    "evidence_ref": ("referensi bukti", "evidence reference"),
    "note": ("catatan", "note"),
    "reason": ("alasan", "reason"),
    "actor": ("pencatat", "recorded by"),
    "kind": ("jenis", "kind"),
}


def kind_label(kind: str, lang: str = "id") -> str:
    """The human name of an event kind in the given language."""
    labels = KIND_LABELS.get(kind)
    if labels is None:
        return kind
    return labels[1] if lang == "en" else labels[0]


def field_label(field: str, lang: str = "id") -> str:
    """The human name of an input field in the given language."""
    labels = FIELD_LABELS.get(field, (field, field))
    return labels[1] if lang == "en" else labels[0]


class DomainError(Exception):
    """A broken domain rule; nothing was stored."""

    message_id: ClassVar[str] = "aturan dilanggar"
    message_en: ClassVar[str] = "rule violated"
    #: the input field the error is about, so a form can show it beside that field
    field: ClassVar[str | None] = None

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("id"))

    def message(self, lang: str = "id") -> str:
        """The message in Indonesian (`id`, default) or English (`en`)."""
        template = self.message_en if lang == "en" else self.message_id
        values = dict(self.params)
        for key, value in values.items():
            if isinstance(value, date):  # a person reads it: WIB in the language's own format
                from domain.periods import format_date, format_moment

                values[key] = format_moment(value, lang) if isinstance(value, datetime) else format_date(value, lang)
        if "kind" in values:
            values["kind_label"] = kind_label(values["kind"], lang)
        if "field" in values:
            values["field_label"] = field_label(values["field"], lang)
        return template.format(**values)

    @property
    def code(self) -> str:
        return type(self).__name__

    @property
    def input_field(self) -> str | None:
        """The form field this error belongs beside, if any."""
        return self.params.get("field") or type(self).field


class InvalidReferenceError(DomainError):
    message_id = "nomor kegiatan tidak sah: {reference!r} (1–64 karakter, tanpa spasi di tengah atau karakter kendali)"
    message_en = "invalid activity reference: {reference!r} (1–64 characters, no inner spaces or control characters)"
    field = "reference"


class MissingFieldError(DomainError):
    message_id = "{field_label} wajib diisi"
    message_en = "{field_label} is required"


class ControlCharacterError(DomainError):
    message_id = "{field_label} berisi karakter kendali (tak terlihat, mis. NUL) yang tidak diizinkan"
    message_en = "{field_label} contains a control character (invisible, e.g. NUL), which is not allowed"


class TextTooLongError(DomainError):
    message_id = "{field_label} terlalu panjang (maksimal {limit} karakter)"
    message_en = "{field_label} is too long (at most {limit} characters)"


class UnknownLeaderError(DomainError):
    message_id = "pimpinan tidak dikenal: {leader!r} (pilih walikota, wakil_walikota, sekda)"
    message_en = "unknown leader: {leader!r} (choose walikota, wakil_walikota, sekda)"
    field = "leaders"


class UnknownEventKindError(DomainError):
    message_id = "jenis peristiwa tidak dikenal: {kind!r}"
    message_en = "unknown event kind: {kind!r}"
    field = "kind"


class InvalidDateTimeError(DomainError):
    message_id = "tanggal/waktu tidak sah: {value!r} (contoh 2020-03-31 atau 2020-03-31T23:30)"
    message_en = "invalid date/time: {value!r} (e.g. 2020-03-31 or 2020-03-31T23:30)"
    field = "occurred_at"


class OutOfRangeError(DomainError):
    message_id = "tanggal/waktu {value} di luar rentang yang diterima (tahun {first}–{last}, WIB)"
    message_en = "date/time {value} is outside the accepted range (years {first}–{last}, WIB)"
    field = "occurred_at"


class FutureOccurrenceError(DomainError):
    message_id = "waktu kejadian {occurred_at} masih di masa depan; {kind_label} hanya untuk yang sudah terjadi"
    message_en = "occurred at {occurred_at} is in the future; only what has happened can be {kind_label}"
    field = "occurred_at"


class AlreadyScheduledError(DomainError):
    message_id = "kegiatan {reference} sudah dijadwalkan sebelumnya"
    message_en = "activity {reference} is already scheduled"
    field = "reference"


class NotScheduledError(DomainError):
    message_id = "kegiatan {reference} belum dijadwalkan"
    message_en = "activity {reference} has not been scheduled"
    field = "reference"


class NotHeldError(DomainError):
    message_id = "kegiatan {reference} belum terlaksana, jadi belum bisa {kind_label}"
    message_en = "activity {reference} has not been held, so it cannot be {kind_label} yet"


class AlreadyHeldError(DomainError):
    message_id = "kegiatan {reference} sudah tercatat terlaksana"
    message_en = "activity {reference} is already recorded as held"


class HeldActivityError(DomainError):
    message_id = "kegiatan {reference} sudah terlaksana, jadi tidak bisa {kind_label}"
    message_en = "activity {reference} has been held, so it cannot be {kind_label}"


class ActivityCancelledError(DomainError):
    message_id = "kegiatan {reference} sudah dibatalkan, jadi tidak bisa {kind_label}"
    message_en = "activity {reference} is cancelled, so it cannot be {kind_label}"


class NotWithdrawableError(DomainError):
    message_id = "jenis {kind!r} tidak bisa ditarik (yang bisa: held, cancelled, published, documented, protocol_served)"
    message_en = "kind {kind!r} cannot be withdrawn (allowed: held, cancelled, published, documented, protocol_served)"
    field = "channel"


class NothingToWithdrawError(DomainError):
    message_id = "tidak ada catatan {kind_label} yang berlaku{ref_text_id} pada kegiatan {reference} untuk ditarik"
    message_en = "no valid {kind_label} record{ref_text_en} on activity {reference} to withdraw"
    field = "evidence_ref"

    def __init__(self, *, reference: str, kind: str, evidence_ref: str = "") -> None:
        super().__init__(
            reference=reference,
            kind=kind,
            evidence_ref=evidence_ref,
            ref_text_id=f" dengan referensi {evidence_ref!r}" if evidence_ref else "",
            ref_text_en=f" with reference {evidence_ref!r}" if evidence_ref else "",
        )


class NotAttachableError(DomainError):
    message_id = "berkas hanya dapat dilampirkan pada published, documented, protocol_served (bukan {kind!r})"
    message_en = "files attach only to published, documented, protocol_served (not {kind!r})"
    field = "kind"


class NothingToAttachError(DomainError):
    message_id = "kegiatan {reference} belum punya catatan {kind_label} yang berlaku untuk dilampiri berkas"
    message_en = "activity {reference} has no valid {kind_label} record to attach a file to"
    field = "kind"


class EvidenceFileError(DomainError):
    """A file that cannot be kept as evidence; nothing is stored."""

    field = "berkas"


class EmptyFileError(EvidenceFileError):
    message_id = "berkas {name!r} kosong"
    message_en = "the file {name!r} is empty"


class FileTooLargeError(EvidenceFileError):
    message_id = "berkas {name!r} terlalu besar ({size_mb} MB; batas {limit_mb} MB)"
    message_en = "the file {name!r} is too large ({size_mb} MB; the limit is {limit_mb} MB)"

    def message(self, lang: str = "id") -> str:
        def decimal(value: Any) -> str:  # `2,5` in Indonesian, `2.5` in English
            text = f"{value:g}" if isinstance(value, float) else str(value)
            return text if lang == "en" else text.replace(".", ",")

        template = self.message_en if lang == "en" else self.message_id
        return template.format(name=self.params.get("name", ""), size_mb=decimal(self.params.get("size_mb", "")),
                               limit_mb=decimal(self.params.get("limit_mb", "")))


class UnsupportedFileTypeError(EvidenceFileError):
    """`detected` is the media type found in the content, or empty when none was recognised."""

    message_id = "berkas {name!r} bukan JPEG, PNG, WebP atau PDF (isinya: {detected})"
    message_en = "the file {name!r} is not JPEG, PNG, WebP or PDF (its content: {detected})"

    def message(self, lang: str = "id") -> str:
        unknown = "unknown" if lang == "en" else "tidak dikenal"
        template = self.message_en if lang == "en" else self.message_id
        return template.format(name=self.params.get("name", ""), detected=self.params.get("detected") or unknown)


class ConcurrentChangeError(DomainError):
    """Another writer changed it first and the command no longer fits (or was refused twice)."""

    message_id = "{subject_id} baru saja diubah oleh orang lain; muat ulang lalu coba lagi"
    message_en = "{subject_en} was just changed by someone else; reload and try again"
    #: what was changed, by kind of record: (Indonesian, English)
    THINGS = {"activity": ("kegiatan", "activity"), "account": ("akun", "account"),
              "target": ("target", "target"), "profile": ("profil instansi", "institution profile")}

    def __init__(self, reference: str, thing: str = "activity") -> None:
        thing_id, thing_en = self.THINGS[thing]
        super().__init__(reference=reference, thing=thing, subject_id=f"{thing_id} {reference}".strip(),
                         subject_en=f"{thing_en} {reference}".strip())
