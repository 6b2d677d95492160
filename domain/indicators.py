"""The IKU indicators as versioned data (the *Manual IKU*): each indicator's definition, effective from a year,
with its counting rule as data (the numerator's fact kind, optionally only some channels, the leaders whose
activities form the denominator, and the reasons for which an activity may be excluded from it).

The three seed indicators of the division's IKU 2020 (`SEED`) are in force from the first year the domain
accepts, before anything is recorded. An admin records a new version of an indicator, or a new indicator,
effective from a year (`IndicatorManual`); a year is counted with the versions in force for it as known at
the report's as-of (`in_force`), so a version effective from 2021 leaves every 2020 figure as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, MissingFieldError, TextTooLongError
from domain.text import check_plain
from domain.times import FIRST_YEAR

LEADERS: tuple[str, ...] = ("walikota", "wakil_walikota", "sekda")
#: the kinds of fact an indicator may count (its numerator)
NUMERATOR_KINDS: tuple[str, ...] = ("published", "documented", "protocol_served")
#: why an activity may leave an indicator's denominator (a definition allows some of them)
EXCLUSION_REASONS: tuple[str, ...] = ("tertutup", "diwakilkan", "bukan_kegiatan_pimpinan")
FREQUENCIES: tuple[str, ...] = ("bulanan", "triwulanan", "semesteran", "tahunan")
SASARAN = "Meningkatnya Pelayanan Kehumasan, Dokumentasi dan Keprotokolan bagi Pimpinan Daerah"
SOURCE = "Bagian Humas dan Protokol Sekretariat Daerah"
#: counts summed over the period, then divided (Σ numerators ÷ Σ denominators): never an average of percentages
CONSOLIDATION = "Σ pembilang ÷ Σ penyebut"

_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")
_LIMITS = {"name": 300, "definition": 2000, "formula": 500, "unit": 20, "data_source": 300, "responsible": 300,
           "sasaran": 300, "channel": 120, "reason": 1000, "actor": 120}


class UnknownIndicatorError(DomainError):
    field = "code"


class InvalidIndicatorCodeError(DomainError):
    field = "code"


class InvalidDefinitionError(DomainError):
    """A field of a definition outside what the counting rule understands (`field` names it)."""

    field = "definition"


class ExclusionNotAllowedError(DomainError):
    """The indicator's definition does not allow this reason (or any exclusion)."""

    field = "reason"


@dataclass(frozen=True)
class Indicator:
    """One version of an indicator's definition (the Manual IKU sheet), in force from `effective_from`."""

    code: str
    numerator_kind: str  # the kind of valid fact that makes a held activity count
    higher_is_better: bool = True
    name: str = ""
    definition: str = ""  # definisi operasional
    formula: str = ""
    unit: str = "%"
    data_source: str = SOURCE
    responsible: str = SOURCE
    frequency: str = "triwulanan"
    sasaran: str = SASARAN
    channels: tuple[str, ...] = ()  # only facts on these channels count (empty: any channel)
    leaders: tuple[str, ...] = LEADERS  # the activities of these leaders form the denominator
    exclusion_reasons: tuple[str, ...] = ()  # the reasons an exclusion from the denominator may give
    renstra_target: str = ""  # the Renstra's end target (percent as a decimal string; empty: not recorded)
    effective_from: int = FIRST_YEAR
    active: bool = True  # False: the indicator is no longer in the IKU from `effective_from`

    @property
    def consolidation(self) -> str:
        return CONSOLIDATION

    def counts_channel(self, channel: str) -> bool:
        """Whether a fact on `channel` counts (channels compare trimmed, ASCII letters in any case)."""
        return not self.channels or channel_key(channel) in self.channels

    def counts_leaders(self, leaders: Iterable[str]) -> bool:
        """Whether an activity of these leaders is in the denominator (one of them is enough)."""
        return any(leader in self.leaders for leader in leaders)

    def fields(self) -> dict[str, Any]:
        """The version as the event stores it (tuples as lists)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_fields(cls, values: dict[str, Any]) -> Indicator:
        known = {key: values[key] for key in cls.__dataclass_fields__ if key in values}
        for key in ("channels", "leaders", "exclusion_reasons"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def channel_key(channel: str) -> str:
    """A channel as the counting rule compares it: trimmed, ASCII letters lower-cased (SQLite's `lower`)."""
    return (channel or "").strip().translate(_ASCII_LOWER)


SEED: tuple[Indicator, ...] = (
    Indicator(
        code="published", numerator_kind="published",
        name="Prosentase kegiatan pimpinan daerah yang dipublikasikan",
        definition="Kegiatan pimpinan daerah (Walikota, Wakil Walikota, Sekretaris Daerah) yang terlaksana dan"
                   " dipublikasikan melalui media (website, media daring, media sosial, media cetak, radio,"
                   " televisi).",
        formula="Jumlah kegiatan yang dipublikasikan / jumlah kegiatan yang terlaksana × 100%",
        exclusion_reasons=EXCLUSION_REASONS,
    ),
    Indicator(
        code="documented", numerator_kind="documented",
        name="Prosentase kegiatan pimpinan daerah yang didokumentasikan",
        definition="Kegiatan pimpinan daerah yang terlaksana dan didokumentasikan (foto, video, audio) serta"
                   " tersimpan di arsip dokumentasi.",
        formula="Jumlah kegiatan yang didokumentasikan / jumlah kegiatan yang terlaksana × 100%",
        exclusion_reasons=("diwakilkan", "bukan_kegiatan_pimpinan"),
    ),
    Indicator(
        code="protocol_served", numerator_kind="protocol_served",
        name="Prosentase Pelayanan Keprotokolan",
        definition="Kegiatan pimpinan daerah yang terlaksana dan difasilitasi oleh petugas protokol.",
        formula="Jumlah kegiatan yang difasilitasi protokol / jumlah kegiatan yang terlaksana × 100%",
        exclusion_reasons=("diwakilkan", "bukan_kegiatan_pimpinan"),
    ),
)
SEED_CODES = tuple(indicator.code for indicator in SEED)

#: the seed indicators, in force for every year until a version says otherwise (a stand-in for code that
#: needs an indicator without a year: prefer `in_force`)
INDICATORS = SEED
BY_CODE = {indicator.code: indicator for indicator in SEED}


def version_for(versions: Iterable[Indicator], code: str, year: int) -> Indicator | None:
    """The version of `code` for `year`, retired or not: the one with the latest `effective_from` ≤ `year`
    (of two with the same year, the later recorded: `versions` in recording order, after the seed)."""
    found = None
    for version in (*SEED, *versions):
        if version.code == code and version.effective_from <= year and (
                found is None or version.effective_from >= found.effective_from):
            found = version
    return found


def in_force(versions: Iterable[Indicator], year: int) -> tuple[Indicator, ...]:
    """The active indicators for `year` (`version_for` each code): seed indicators first, in their order; then
    the others in the order they were first recorded."""
    versions = list(versions)
    codes = dict.fromkeys(version.code for version in (*SEED, *versions))
    chosen = (version_for(versions, code, year) for code in codes)
    return tuple(version for version in chosen if version is not None and version.active)


def check_code(code: str) -> str:
    text = (code or "").strip()
    if not _CODE.fullmatch(text):
        raise InvalidIndicatorCodeError(code=code)
    return text


def check_year(value: int | str) -> int:
    from domain.targets import check_year as check

    return check(value)


def _text(name: str, value: Any, *, required: bool = False) -> str:
    text = check_plain(name, str(value or "")).strip()
    if required and not text:
        raise MissingFieldError(field=name)
    if len(text) > _LIMITS[name]:
        raise TextTooLongError(field=name, limit=_LIMITS[name])
    return text


def _choice(name: str, values: Iterable[str] | str, allowed: tuple[str, ...], *, required: bool) -> tuple[str, ...]:
    if isinstance(values, str):
        values = re.split(r"[;,]", values)
    chosen = []
    for value in values:
        item = str(value).strip().lower()
        if not item:
            continue
        if item not in allowed:
            raise InvalidDefinitionError(field=name, value=item)
        if item not in chosen:
            chosen.append(item)
    if required and not chosen:
        raise MissingFieldError(field=name)
    return tuple(sorted(chosen, key=allowed.index))


def _channels(values: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = re.split(r"[;,]", values)
    chosen: list[str] = []
    for value in values:
        key = channel_key(_text("channel", value))
        if key and key not in chosen:
            chosen.append(key)
    return tuple(chosen)


def check_definition(values: dict[str, Any]) -> Indicator:
    """A definition from what a person entered (a form, the CLI): every field checked, nothing assumed."""
    kind = str(values.get("numerator_kind") or "").strip()
    if not kind:
        raise MissingFieldError(field="numerator_kind")
    if kind not in NUMERATOR_KINDS:
        raise InvalidDefinitionError(field="numerator_kind", value=kind)
    frequency = str(values.get("frequency") or "triwulanan").strip().lower()
    if frequency not in FREQUENCIES:
        raise InvalidDefinitionError(field="frequency", value=frequency)
    polarity = values.get("higher_is_better", True)
    if isinstance(polarity, str):
        if polarity.strip().lower() not in ("1", "0", "true", "false", "naik", "turun"):
            raise InvalidDefinitionError(field="higher_is_better", value=polarity)
        polarity = polarity.strip().lower() in ("1", "true", "naik")
    renstra = str(values.get("renstra_target") or "").strip()
    if renstra:
        from domain.targets import check_target

        renstra = str(check_target(renstra))
    return Indicator(
        code=check_code(str(values.get("code") or "")),
        numerator_kind=kind,
        higher_is_better=bool(polarity),
        name=_text("name", values.get("name"), required=True),
        definition=_text("definition", values.get("definition"), required=True),
        formula=_text("formula", values.get("formula"), required=True),
        unit=_text("unit", values.get("unit") or "%"),
        data_source=_text("data_source", values.get("data_source") or SOURCE),
        responsible=_text("responsible", values.get("responsible") or SOURCE),
        frequency=frequency,
        sasaran=_text("sasaran", values.get("sasaran") or SASARAN),
        channels=_channels(values.get("channels") or ()),
        leaders=_choice("leaders", values.get("leaders") or (), LEADERS, required=True),
        exclusion_reasons=_choice("exclusion_reasons", values.get("exclusion_reasons") or (), EXCLUSION_REASONS,
                                  required=False),
        renstra_target=renstra,
        effective_from=check_year(values.get("effective_from") or ""),
    )


MANUAL_ID = uuid5(NAMESPACE_URL, "https://iku-humas/indicator-manual")


class IndicatorManual(Aggregate):
    """Every recorded version of every indicator (one aggregate: two admins editing at once collide)."""

    class Opened(Aggregate.Created):
        actor: str

    class Defined(Aggregate.Event):
        """A version of an indicator, effective from its year (`fields`: `Indicator.fields`)."""

        fields: dict
        reason: str
        actor: str

        def apply(self, manual: IndicatorManual) -> None:
            manual.versions.append(Indicator.from_fields(self.fields))

    class Retired(Aggregate.Event):
        """The indicator leaves the IKU from `effective_from` (earlier years keep it)."""

        code: str
        effective_from: int
        reason: str
        actor: str

        def apply(self, manual: IndicatorManual) -> None:
            current = manual.current(self.code, self.effective_from)
            manual.versions.append(replace(current, effective_from=self.effective_from, active=False))

    def __init__(self, actor: str) -> None:
        self.versions: list[Indicator] = []

    @classmethod
    def open(cls, *, actor: str, timestamp: datetime | None = None) -> IndicatorManual:
        return cls._create(cls.Opened, id=MANUAL_ID, actor=actor, timestamp=timestamp)

    def current(self, code: str, year: int) -> Indicator:
        """The version of `code` for `year` (retired or not)."""
        found = version_for(self.versions, code, year)
        if found is None:
            raise UnknownIndicatorError(code=code, choices=", ".join(i.code for i in in_force(self.versions, year)))
        return found

    def define(self, indicator: Indicator, *, reason: str, actor: str, timestamp: datetime | None = None) -> None:
        self.trigger_event(self.Defined, fields=indicator.fields(), reason=_text("reason", reason, required=True),
                           actor=_text("actor", actor, required=True), timestamp=timestamp)

    def retire(self, code: str, effective_from: int, *, reason: str, actor: str,
               timestamp: datetime | None = None) -> None:
        current = self.current(code, effective_from)
        if not current.active:
            raise UnknownIndicatorError(code=code, choices=", ".join(
                i.code for i in in_force(self.versions, effective_from)))
        self.trigger_event(self.Retired, code=code, effective_from=effective_from,
                           reason=_text("reason", reason, required=True), actor=_text("actor", actor, required=True),
                           timestamp=timestamp)


_HUNDREDTH = Decimal("0.01")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """100 × numerator / denominator, rounded half-up to 2 decimals; None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)

