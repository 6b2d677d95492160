"""A data dir holding an instant beyond datetime's limits (as an older version could store) keeps working on
the web: the activity's page shows the event, and its held can be withdrawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from domain.activity import Activity, activity_id
from projections import read
from tests.webapp.conftest import soup


def test_an_activity_with_an_ancient_plan_and_a_far_future_held_opens_and_is_corrected(operator, runtime):
    activity = Activity._create(Activity.Scheduled, id=activity_id("AG-KUNO"), reference="AG-KUNO", title="Kuno",
                                leaders=["walikota"], location="", actor="lama", note="",
                                occurred_at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
    activity.trigger_event(Activity.Held, occurred_at=datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
                           actor="lama", note="")
    runtime.log.save(activity)
    page = operator.get("/kegiatan/AG-KUNO")
    assert page.status_code == 200
    assert [li["class"][1] for li in soup(page).select("ol.timeline li.event")] == ["kind-scheduled", "kind-held"]
    for url in ("/", "/agenda", "/jejak-audit", "/jejak-audit.csv", "/jejak-audit.xlsx", "/laporan"):
        with operator.get(url) as response:
            assert response.status_code == 200, url
    withdrawn = operator.post("/kegiatan/AG-KUNO/catat", data={
        "kind": "withdrawn", "withdrawn_kind": "held", "reason": "Tanggal salah catat",
        "occurred_at": datetime.now(tz=UTC).astimezone(timezone(timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M")})
    assert withdrawn.status_code == 303
    assert read.activities.activity(runtime.fresh(), "AG-KUNO")["status"] == "scheduled"
