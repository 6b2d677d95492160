"""Project the quarter's accountability cycle (domain/closing.py): every step of every triwulan and year, with
the seal and figures of each approval, and a row in the audit log."""

from __future__ import annotations

import json
from typing import Any

from domain.closing import STEPPED, Narrative, PeriodClose
from domain.times import utc_text
from projections.readmodel import ProjectionError, Projector, handles


def _step(p: Projector, position: int, e: Any, code: str, step: str, **columns: Any) -> None:
    reason = getattr(e, "reason", "")
    p.db["period_steps"].insert({"position": position, "code": code, "step": step, "actor": e.actor,
                                 "reason": reason, "recorded_at": utc_text(e.timestamp), **columns})
    # In the audit log: about the period's code; a return's or reopen's reason in `note`, an approval's
    # revision number in `title`.
    p.log_event(position, e, f"period_{STEPPED[step]}", code, title=str(columns.get("revision") or ""),
                note=reason)


@handles(PeriodClose.Submitted)
def on_first_submission(p: Projector, position: int, e: PeriodClose.Submitted) -> None:
    _step(p, position, e, e.code, "submit")


@handles(PeriodClose.Stepped)
def on_step(p: Projector, position: int, e: PeriodClose.Stepped) -> None:
    _step(p, position, e, _code(p, e), e.step)


@handles(PeriodClose.Approved)
def on_approved(p: Projector, position: int, e: PeriodClose.Approved) -> None:
    _step(p, position, e, _code(p, e), "approve", revision=e.revision, seal=e.seal, as_of=utc_text(e.as_of),
          figures=json.dumps(e.figures))


def _code(p: Projector, e: Any) -> str:
    """The period of a later event: the one its first submission named (an earlier row, or in this batch)."""
    first = p.event_row(e.originator_id.hex, 1)
    if first is None:
        raise ProjectionError(f"period event for {e.originator_id} that the read model never saw submitted")
    return first["reference"]


def _narrative(p: Projector, position: int, e: Any, code: str, indicator: str) -> None:
    p.db["narratives"].insert({"position": position, "code": code, "indicator": indicator, "analysis": e.analysis,
                               "obstacles": e.obstacles, "follow_up": e.follow_up, "actor": e.actor,
                               "recorded_at": utc_text(e.timestamp)})
    # In the audit log: about "<period> <indicator>", the indicator in `setting`, the analysis in `note`.
    p.log_event(position, e, "narrative_written", f"{code} {indicator}", setting=indicator, note=e.analysis)


@handles(Narrative.Written)
def on_narrative(p: Projector, position: int, e: Narrative.Written) -> None:
    _narrative(p, position, e, e.code, e.indicator)


@handles(Narrative.Rewritten)
def on_narrative_rewritten(p: Projector, position: int, e: Narrative.Rewritten) -> None:
    first = p.event_row(e.originator_id.hex, 1)
    if first is None:
        raise ProjectionError(f"narrative event for {e.originator_id} that the read model never saw written")
    _narrative(p, position, e, *first["reference"].split(" ", 1))
