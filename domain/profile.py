"""The institution profile printed on official reports (pemerintah daerah, unit, signatory), as events."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError
from domain.text import check_plain

PROFILE_ID = uuid5(NAMESPACE_URL, "https://iku-humas/profile")
DEFAULTS: dict[str, str] = {
    "pemda": "Pemerintah Kota Mojokerto",
    "unit": "Bagian Humas dan Protokol Sekretariat Daerah",
    "alamat": "Jl. Gajah Mada No. 145, Kota Mojokerto",
    "tempat": "Mojokerto",
    "penandatangan_jabatan": "Kepala Bagian Humas dan Protokol",
    "penandatangan_nama": "",
    "penandatangan_nip": "",
    "logo": "",  # SHA-256 of an image kept in the evidence store (`iku profile logo FILE`)
}


class UnknownProfileKeyError(DomainError):
    field = "key"


class LogoTypeError(DomainError):
    field = "logo"


#: the profile fields a person types (the logo is a file)
TEXT_FIELDS = tuple(key for key in DEFAULTS if key != "logo")
LOGO_TYPES = ("image/png", "image/jpeg")


class InstitutionProfile(Aggregate):
    class Started(Aggregate.Created):
        actor: str

    class Changed(Aggregate.Event):
        key: str
        value: str
        actor: str

        def apply(self, profile: InstitutionProfile) -> None:
            profile.values[self.key] = self.value

    def __init__(self, actor: str) -> None:
        self.values: dict[str, str] = {}

    @classmethod
    def start(cls, *, actor: str, timestamp: datetime | None = None) -> InstitutionProfile:
        return cls._create(cls.Started, id=PROFILE_ID, actor=actor, timestamp=timestamp)

    def change(self, key: str, value: str, *, actor: str, timestamp: datetime | None = None) -> None:
        if key not in DEFAULTS:
            raise UnknownProfileKeyError(key=key, keys=", ".join(DEFAULTS))
        self.trigger_event(self.Changed, key=key, value=self.cleaned(value, key), actor=actor, timestamp=timestamp)

    def value(self, key: str) -> str:
        """The value in force: the last one set, else the default."""
        if key not in DEFAULTS:
            raise UnknownProfileKeyError(key=key, keys=", ".join(DEFAULTS))
        return self.values.get(key, DEFAULTS[key])

    @staticmethod
    def cleaned(value: str | None, key: str = "value") -> str:
        """The value as stored: trimmed, at most 300 characters, no control character."""
        return check_plain(key, value or "").strip()[:300]
