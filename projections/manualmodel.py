"""Project the Manual IKU's events: every recorded version of an indicator (for as-of), and its audit-log row."""

from __future__ import annotations

import json

from domain.indicators import IndicatorManual, version_for
from domain.times import utc_text
from projections.readmodel import ProjectionError, Projector, handles

#: what the Manual IKU's events are about, in the audit log
MANUAL_SUBJECT = "Manual IKU"


@handles(IndicatorManual.Opened)
def on_opened(p: Projector, position: int, e: IndicatorManual.Opened) -> None:
    p.log_event(position, e, "manual_opened", MANUAL_SUBJECT, note="")


def _version(p: Projector, position: int, e: object, fields: dict, log_kind: str) -> None:
    p.db["definitions"].insert({"position": position, "code": fields["code"],
                                "effective_from": fields["effective_from"], "active": int(fields["active"]),
                                "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
                                "reason": e.reason, "actor": e.actor, "recorded_at": utc_text(e.timestamp)})
    # In the audit log: about the indicator, its name in `title`, the year it is in force from in `channel`.
    p.log_event(position, e, log_kind, fields["code"], setting=fields["code"], title=fields["name"],
                channel=str(fields["effective_from"]), note=e.reason)


@handles(IndicatorManual.Defined)
def on_defined(p: Projector, position: int, e: IndicatorManual.Defined) -> None:
    _version(p, position, e, dict(e.fields), "indicator_defined")


@handles(IndicatorManual.Retired)
def on_retired(p: Projector, position: int, e: IndicatorManual.Retired) -> None:
    # The retired version repeats the one it ends (as the aggregate does), marked inactive.
    from projections.read.manual import recorded_versions

    current = version_for(recorded_versions(p.db), e.code, e.effective_from)
    if current is None:
        raise ProjectionError(f"retirement of {e.code} at {position}, an indicator the read model never saw")
    fields = {**current.fields(), "effective_from": e.effective_from, "active": False}
    _version(p, position, e, fields, "indicator_retired")
