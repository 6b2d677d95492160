"""Project target and institution-profile events: every setting of a target, with its recording time
(for as-of), and the current profile."""

from __future__ import annotations

from typing import Any

from domain.profile import InstitutionProfile
from domain.targets import IndicatorTarget
from domain.times import utc_text
from projections.readmodel import ProjectionError, Projector, handles

#: what profile events are about, in the audit log
PROFILE_SUBJECT = "profil"


def _insert(p: Projector, position: int, e: Any, year: int, code: str, kind: str = "awal",
            log_kind: str = "target_set", **columns: Any) -> None:
    p.db["targets"].insert({"position": position, "target_id": e.originator_id.hex, "year": year, "code": code,
                            "value": e.value, "reason": e.reason, "actor": e.actor,
                            "recorded_at": utc_text(e.timestamp), "kind": kind, "quarter": None,
                            "basis_number": None, "basis_date": None, **columns})
    # In the audit log: about "<year> <indicator>", the value (percent) in `title`, the reason in `note`
    # (a revision's decree in `evidence_ref`, a triwulan in `channel`).
    extra = {}
    if columns.get("basis_number"):
        extra["evidence_ref"] = f"{columns['basis_number']} ({columns['basis_date']})"
    if columns.get("quarter"):
        extra["channel"] = f"Q{columns['quarter']}"
    p.log_event(position, e, log_kind, f"{year} {code}", title=str(e.value), setting=code, note=e.reason, **extra)


def _target_of(p: Projector, e: Any) -> tuple[int, str]:
    row = p.db.execute("SELECT year, code FROM targets WHERE target_id = ? LIMIT 1", [e.originator_id.hex]).fetchone()
    if row is None:
        raise ProjectionError(f"target change for {e.originator_id} that the read model never saw set")
    return row[0], row[1]


@handles(IndicatorTarget.Set)
def on_set(p: Projector, position: int, e: IndicatorTarget.Set) -> None:
    _insert(p, position, e, e.year, e.code)


@handles(IndicatorTarget.Changed)
def on_changed(p: Projector, position: int, e: IndicatorTarget.Changed) -> None:
    _insert(p, position, e, *_target_of(p, e))


@handles(IndicatorTarget.Revised)
def on_revised(p: Projector, position: int, e: IndicatorTarget.Revised) -> None:
    _insert(p, position, e, *_target_of(p, e), kind="perubahan", log_kind="target_revised",
            basis_number=e.basis_number, basis_date=e.basis_date)


@handles(IndicatorTarget.QuarterSet)
def on_quarter_set(p: Projector, position: int, e: IndicatorTarget.QuarterSet) -> None:
    _insert(p, position, e, *_target_of(p, e), kind="triwulan", log_kind="target_quarter_set", quarter=e.quarter)


@handles(InstitutionProfile.Started)
def on_profile_started(p: Projector, position: int, e: InstitutionProfile.Started) -> None:
    """Nothing of the profile to show until a field is set; the audit log still holds the event."""
    p.log_event(position, e, "profile_started", PROFILE_SUBJECT, note="")


@handles(InstitutionProfile.Changed)
def on_profile_changed(p: Projector, position: int, e: InstitutionProfile.Changed) -> None:
    p.db["profile"].upsert({"key": e.key, "value": e.value, "changed_at": utc_text(e.timestamp),
                            "changed_by": e.actor}, pk="key")
    # In the audit log: the field in `setting`, its new value in `title`.
    p.log_event(position, e, "profile_changed", PROFILE_SUBJECT, setting=e.key, title=e.value, note="")
