"""Targets per indicator and year, as events: the target in force at any moment, who set it and why.

Capaian (achievement) follows the Indonesian performance-reporting convention:
higher is better: realisasi ÷ target × 100%; lower is better: (2 − realisasi ÷ target) × 100%;
reported as is above 100%; n/a when there is no realisasi (empty denominator) or the target is 0
(a ratio to zero is undefined).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError
from domain.indicators import SEED, Indicator, UnknownIndicatorError
from domain.times import FIRST_YEAR, LAST_YEAR

_NAMESPACE = uuid5(NAMESPACE_URL, "https://iku-humas/target")
_HUNDREDTH = Decimal("0.01")

#: (lowest capaian %, predikat) from the top; a pemda with other bands replaces this table
PREDIKAT_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("90"), "Sangat Baik"),
    (Decimal("75"), "Baik"),
    (Decimal("65"), "Cukup"),
    (Decimal("50"), "Kurang"),
    (Decimal("0"), "Sangat Kurang"),
)


class InvalidTargetError(DomainError):
    field = "value"


class InvalidYearError(DomainError):
    field = "year"


def target_id(year: int, code: str) -> UUID:
    return uuid5(_NAMESPACE, f"{year}:{code}")


def check_target(value: str | int | float | Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidTargetError(value=str(value)) from None
    if not number.is_finite() or number < 0 or number > 1000:
        raise InvalidTargetError(value=str(value))
    # abs: "-0" is a target of zero, stored and shown without a sign ("0.00", not "-0.00")
    return abs(number).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


class IndicatorTarget(Aggregate):
    """The target of one indicator for one year; every change is kept.

    It holds no state: the values live in its events, which the read model keeps (`targets`); the aggregate
    is there for its id and version, so that two writers setting one target at once collide."""

    class Set(Aggregate.Created):
        year: int
        code: str
        value: str  # percent, as a decimal string
        reason: str
        actor: str

    class Changed(Aggregate.Event):
        value: str
        reason: str
        actor: str

    class Revised(Aggregate.Event):
        """PK perubahan: the annual target revised by a decree (`basis_number`, `basis_date` ISO); the
        original (target awal) stays beside it."""

        value: str
        basis_number: str
        basis_date: str
        reason: str
        actor: str

    class QuarterSet(Aggregate.Event):
        """Rencana aksi: the target for one triwulan (1–4) of the year."""

        quarter: int
        value: str
        reason: str
        actor: str

    def __init__(self, year: int, code: str, value: str, reason: str, actor: str) -> None:
        """Takes the fields of `Set`, as the event sourcing library requires; keeps none of them."""

    @classmethod
    def set(cls, *, year: int, code: str, value: Decimal, reason: str, actor: str,
            timestamp: datetime | None = None) -> IndicatorTarget:
        return cls._create(cls.Set, id=target_id(year, code), year=year, code=code, value=str(value),
                           reason=reason, actor=actor, timestamp=timestamp)

    def change(self, value: Decimal, *, reason: str, actor: str, timestamp: datetime | None = None) -> None:
        self.trigger_event(self.Changed, value=str(value), reason=reason, actor=actor, timestamp=timestamp)

    def revise(self, value: Decimal, *, basis_number: str, basis_date: str, reason: str, actor: str,
               timestamp: datetime | None = None) -> None:
        self.trigger_event(self.Revised, value=str(value), basis_number=basis_number, basis_date=basis_date,
                           reason=reason, actor=actor, timestamp=timestamp)

    def set_quarter(self, quarter: int, value: Decimal, *, reason: str, actor: str,
                    timestamp: datetime | None = None) -> None:
        self.trigger_event(self.QuarterSet, quarter=quarter, value=str(value), reason=reason, actor=actor,
                           timestamp=timestamp)


def check_indicator(code: str, indicators: tuple[Indicator, ...] = SEED) -> Indicator:
    """The indicator of `code` among `indicators` (those in force for the year in question)."""
    wanted = str(code).strip()
    for indicator in indicators:
        if indicator.code == wanted:
            return indicator
    raise UnknownIndicatorError(code=code, choices=", ".join(indicator.code for indicator in indicators) or "-")


class NoOriginalTargetError(DomainError):
    """A revision or a triwulan target needs the year's original (PK) target first."""

    field = "code"


class InvalidBasisDateError(DomainError):
    field = "basis_date"


def check_basis_date(value: str | date) -> date:
    """The date of the decree a revision rests on (ISO `YYYY-MM-DD`), within the years the domain accepts."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidBasisDateError(value=str(value)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidBasisDateError(value=str(value))
    return day


class InvalidQuarterError(DomainError):
    field = "quarter"


def check_quarter(value: int | str) -> int:
    text = str(value).strip().upper().removeprefix("Q")
    if text not in ("1", "2", "3", "4"):
        raise InvalidQuarterError(value=str(value))
    return int(text)


def check_year(value: int | str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InvalidYearError(value=str(value)) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidYearError(value=str(value))
    return year


def capaian(indicator: Indicator, realisasi: Decimal | float | None, target: Decimal | None) -> Decimal | None:
    """Achievement in percent, rounded half-up to 2 decimals; None (n/a) without realisasi or with target 0."""
    if realisasi is None or target is None or target == 0:
        return None
    ratio = Decimal(str(realisasi)) / target
    value = ratio * 100 if indicator.higher_is_better else (2 - ratio) * 100
    return value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def predikat(value: Decimal | None, bands: tuple[tuple[Decimal, str], ...] = PREDIKAT_BANDS) -> str | None:
    if value is None:
        return None
    for lowest, name in bands:
        if value >= lowest:
            return name
    return bands[-1][1]
