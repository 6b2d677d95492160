"""Two writers on one activity: the store refuses the later batch; it is run once more on fresh state."""

from __future__ import annotations

import pytest

from domain import errors
from domain.application import ActivityLog
from services.presentation import describe
from tests.domain.test_rules import T, schedule, stored_kinds


def stale_batches(runtime):
    """Two units of work prepared on the same state, as two nodes would."""
    return runtime.batch(), runtime.batch()


def test_a_command_still_valid_on_fresh_state_is_stored_after_the_conflict(runtime):
    schedule(runtime)
    first, second = stale_batches(runtime)
    first.record("rescheduled", "AG-2020-0001", occurred_at=T("2020-01-08T09:00"), actor="a")
    second.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:10"), actor="b")
    runtime.commit(first)
    recorded = runtime.commit(second)  # refused by the store, then run again on the rescheduled activity
    assert stored_kinds(runtime) == ["scheduled", "rescheduled", "held"]
    assert len(recorded.positions) == 1


def test_a_command_no_longer_valid_is_changed_by_someone_else(runtime):
    schedule(runtime)
    first, second = stale_batches(runtime)
    first.record("cancelled", "AG-2020-0001", occurred_at=T("2020-01-07T08:00"), reason="hujan", actor="a")
    second.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:10"), actor="b")
    runtime.commit(first)
    with pytest.raises(errors.ConcurrentChangeError) as raised:
        runtime.commit(second)
    assert "muat ulang" in describe(raised.value, "id") and "reload" in describe(raised.value, "en")
    assert stored_kinds(runtime) == ["scheduled", "cancelled"]


def test_the_same_submission_on_two_nodes_is_stored_once(runtime):
    schedule(runtime)
    first, second = stale_batches(runtime)
    for batch in (first, second):
        batch.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:10"), actor="b", submission_id="s-1")
    runtime.commit(first)
    recorded = runtime.commit(second)
    assert recorded.positions == () and recorded.repeated == 1
    assert stored_kinds(runtime) == ["scheduled", "held"]


def test_a_whole_batch_is_retried_together_or_not_at_all(runtime):
    schedule(runtime)
    schedule(runtime, "AG-2020-0002")
    first, second = stale_batches(runtime)
    first.record("cancelled", "AG-2020-0002", occurred_at=T("2020-01-07T08:00"), reason="hujan", actor="a")
    second.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:10"), actor="b")
    second.record("held", "AG-2020-0002", occurred_at=T("2020-01-07T09:10"), actor="b")
    runtime.commit(first)
    with pytest.raises(errors.ConcurrentChangeError) as raised:
        runtime.commit(second)
    assert "AG-2020-0002 baru saja diubah" in describe(raised.value, "id")  # the one that no longer fits
    assert stored_kinds(runtime) == ["scheduled"]
    assert stored_kinds(runtime, "AG-2020-0002") == ["scheduled", "cancelled"]


def test_a_refused_command_is_not_run_again_on_retry(runtime):
    schedule(runtime)
    schedule(runtime, "AG-2020-0002")
    first, second = stale_batches(runtime)
    first.record("rescheduled", "AG-2020-0001", occurred_at=T("2020-01-08T09:00"), actor="a")
    with pytest.raises(errors.DomainError):
        second.record("published", "AG-2020-0002", occurred_at=T("2020-01-07T12:00"), channel="website",
                      evidence_ref="https://example.go.id/1", actor="b")  # not held: refused at once
    second.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:10"), actor="b")
    runtime.commit(first)
    runtime.commit(second)
    assert stored_kinds(runtime) == ["scheduled", "rescheduled", "held"]
    assert stored_kinds(runtime, "AG-2020-0002") == ["scheduled"]


def other_node(runtime) -> ActivityLog:
    return ActivityLog(env=dict(runtime.log.env))


def test_single_aggregate_commands_retry_once_then_say_so(runtime, monkeypatch):
    runtime.log.set_target(2020, "published", 90, reason="RPJMD", actor="admin")
    other = other_node(runtime)
    original = ActivityLog.save
    interleaved = []

    def save_after_another_node(self, *aggregates, **kwargs):
        if self is runtime.log and len(interleaved) < conflicts:
            interleaved.append(1)
            other.set_target(2020, "published", 80 + len(interleaved), reason="revisi", actor="other")
        return original(self, *aggregates, **kwargs)

    monkeypatch.setattr(ActivityLog, "save", save_after_another_node)
    conflicts = 1
    runtime.log.set_target(2020, "published", 95, reason="perubahan", actor="admin")
    conflicts = 3
    with pytest.raises(errors.ConcurrentChangeError) as raised:
        runtime.log.set_target(2020, "published", 97, reason="perubahan", actor="admin")
    assert describe(raised.value, "id").startswith("target 2020 published baru saja diubah oleh orang lain")
    assert describe(raised.value, "en").startswith("target 2020 published was just changed by someone else")
    monkeypatch.undo()
    other.close()
    values = [row["value"] for row in runtime.fresh().query("SELECT value FROM targets ORDER BY position")]
    assert [float(v) for v in values] == [90, 81, 95, 82, 83]
