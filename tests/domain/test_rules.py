"""Every domain rule, accepted and rejected, on each event-store backend."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain import errors
from domain.activity import activity_id
from domain.times import UTC, parse_instant
from projections.read.activities import activity, trail
from services.presentation import describe

T = parse_instant


def schedule(runtime, reference="AG-2020-0001", **overrides):
    fields = dict(title="Rapat koordinasi OPD", leaders=["sekda"], location="Ruang Sabha",
                  occurred_at=T("2020-01-07T09:00"), actor="siti")
    fields.update(overrides)
    return runtime.record("scheduled", reference, **fields)


def hold(runtime, reference="AG-2020-0001", when="2020-01-07T09:15", **extra):
    return runtime.record("held", reference, occurred_at=T(when), actor="siti", **extra)


def publish(runtime, reference="AG-2020-0001", url="https://example.go.id/berita/1", **extra):
    return runtime.record("published", reference, occurred_at=T("2020-01-07T12:00"), channel="website",
                          evidence_ref=url, actor="budi", **extra)


def withdraw(runtime, kind, reference="AG-2020-0001", evidence_ref="", reason="keliru"):
    return runtime.record("withdrawn", reference, withdrawn_kind=kind, evidence_ref=evidence_ref,
                          reason=reason, occurred_at=T("2020-01-08T10:00"), actor="auditor")


def stored_kinds(runtime, reference="AG-2020-0001"):
    found = trail(runtime.fresh(), reference)
    return [event["kind"] for event in found["events"]] if found else []


def test_schedule_hold_and_evidence_are_accepted(runtime):
    schedule(runtime)
    hold(runtime)
    publish(runtime)
    runtime.record("documented", "AG-2020-0001", occurred_at=T("2020-01-07T09:30"), channel="foto",
                   evidence_ref="ARSIP/2020/01/0002", actor="budi")
    runtime.record("protocol_served", "AG-2020-0001", occurred_at=T("2020-01-07T09:00"),
                   channel="Subbag Protokol", evidence_ref="", actor="budi")
    assert stored_kinds(runtime) == ["scheduled", "held", "published", "documented", "protocol_served"]


def test_reference_always_maps_to_the_same_activity():
    assert activity_id("AG-2020-0001") == activity_id(" AG-2020-0001 ")
    assert activity_id("AG-2020-0001") != activity_id("AG-2020-0002")


def test_second_scheduled_is_rejected(runtime):
    schedule(runtime)
    with pytest.raises(errors.AlreadyScheduledError):
        schedule(runtime, title="Lain")
    assert stored_kinds(runtime) == ["scheduled"]


@pytest.mark.parametrize("leaders", [["bupati"], ["walikota", "camat"]])
def test_unknown_leader_is_rejected(runtime, leaders):
    with pytest.raises(errors.UnknownLeaderError):
        schedule(runtime, leaders=leaders)
    assert stored_kinds(runtime) == []


@pytest.mark.parametrize("field,value,error", [
    ("title", "  ", errors.MissingFieldError),
    ("leaders", [], errors.MissingFieldError),
    ("title", "x" * 301, errors.TextTooLongError),
])
def test_schedule_without_required_fields_is_rejected(runtime, field, value, error):
    with pytest.raises(error):
        schedule(runtime, **{field: value})


@pytest.mark.parametrize("reference", ["", "AG 2020", "x" * 65, "AG\t1"])
def test_invalid_reference_is_rejected(runtime, reference):
    with pytest.raises(errors.InvalidReferenceError):
        schedule(runtime, reference=reference)


def test_event_for_unscheduled_activity_is_rejected(runtime):
    with pytest.raises(errors.NotScheduledError):
        hold(runtime, reference="AG-2020-9999")


def test_publish_before_held_is_rejected(runtime):
    schedule(runtime)
    with pytest.raises(errors.NotHeldError):
        publish(runtime)
    assert stored_kinds(runtime) == ["scheduled"]


@pytest.mark.parametrize("kind,fields", [
    ("documented", {"channel": "foto", "evidence_ref": "ARSIP/1"}),
    ("protocol_served", {"channel": "Subbag Protokol", "evidence_ref": ""}),
])
def test_other_evidence_before_held_is_rejected(runtime, kind, fields):
    schedule(runtime)
    with pytest.raises(errors.NotHeldError):
        runtime.record(kind, "AG-2020-0001", occurred_at=T("2020-01-07"), actor="budi", **fields)


def test_held_twice_is_rejected(runtime):
    schedule(runtime)
    hold(runtime)
    with pytest.raises(errors.AlreadyHeldError):
        hold(runtime)
    assert stored_kinds(runtime) == ["scheduled", "held"]


def test_cancel_after_held_is_rejected(runtime):
    schedule(runtime)
    hold(runtime)
    with pytest.raises(errors.HeldActivityError):
        runtime.record("cancelled", "AG-2020-0001", occurred_at=T("2020-01-07T10:00"), reason="hujan", actor="siti")


def test_cancel_needs_a_reason(runtime):
    schedule(runtime)
    with pytest.raises(errors.MissingFieldError) as caught:
        runtime.record("cancelled", "AG-2020-0001", occurred_at=T("2020-01-07"), reason=" ", actor="siti")
    assert caught.value.input_field == "reason"


def test_held_after_cancelled_is_rejected_until_the_cancellation_is_withdrawn(runtime):
    schedule(runtime)
    runtime.record("cancelled", "AG-2020-0001", occurred_at=T("2020-01-06"), reason="berhalangan", actor="siti")
    with pytest.raises(errors.ActivityCancelledError):
        hold(runtime)
    withdraw(runtime, "cancelled")
    hold(runtime)
    assert stored_kinds(runtime) == ["scheduled", "cancelled", "withdrawn", "held"]


def test_reschedule_after_held_is_rejected(runtime):
    schedule(runtime)
    hold(runtime)
    with pytest.raises(errors.HeldActivityError):
        runtime.record("rescheduled", "AG-2020-0001", occurred_at=T("2020-01-09"), actor="siti")


def test_reschedule_changes_plan_and_keeps_unchanged_fields(runtime):
    schedule(runtime)
    runtime.record("rescheduled", "AG-2020-0001", occurred_at=T("2020-01-09T10:00"), location="Pendopo",
                   actor="siti", note="mundur")
    state = activity(runtime.fresh(), "AG-2020-0001")
    assert state["location"] == "Pendopo"
    assert state["title"] == "Rapat koordinasi OPD"
    assert state["planned_start"] == T("2020-01-09T10:00")


def test_withdraw_without_reason_is_rejected(runtime):
    schedule(runtime)
    hold(runtime)
    with pytest.raises(errors.MissingFieldError):
        withdraw(runtime, "held", reason="")
    assert stored_kinds(runtime) == ["scheduled", "held"]


@pytest.mark.parametrize("kind", ["scheduled", "withdrawn", "rescheduled", "bogus"])
def test_withdraw_of_a_kind_that_cannot_be_withdrawn_is_rejected(runtime, kind):
    schedule(runtime)
    with pytest.raises(errors.NotWithdrawableError):
        withdraw(runtime, kind)


def test_withdraw_with_nothing_valid_is_rejected(runtime):
    schedule(runtime)
    hold(runtime)
    publish(runtime, url="https://a")
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(runtime, "published", evidence_ref="https://other")
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(runtime, "documented")
    withdraw(runtime, "published", evidence_ref="https://a")
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(runtime, "published")


def test_withdraw_without_reference_takes_back_every_valid_fact_of_that_kind(runtime):
    schedule(runtime)
    hold(runtime)
    publish(runtime, url="https://a")
    publish(runtime, url="https://b")
    withdraw(runtime, "published")
    events = trail(runtime.fresh(), "AG-2020-0001")["events"]
    assert [e["withdrawn"] for e in events if e["kind"] == "published"] == [True, True]
    assert events[-1]["target_positions"] == [e["position"] for e in events if e["kind"] == "published"]


def test_re_held_after_a_withdrawn_held_is_accepted(runtime):
    schedule(runtime)
    hold(runtime, when="2020-01-07T09:15")
    withdraw(runtime, "held")
    with pytest.raises(errors.NotHeldError):
        publish(runtime)
    hold(runtime, when="2020-01-08T09:15")
    publish(runtime)
    assert stored_kinds(runtime) == ["scheduled", "held", "withdrawn", "held", "published"]


def test_future_occurrence_is_rejected(runtime, clock):
    schedule(runtime)
    later = clock.current + timedelta(days=1)
    with pytest.raises(errors.FutureOccurrenceError):
        runtime.record("held", "AG-2020-0001", occurred_at=later, actor="siti")


def test_a_future_time_is_named_in_each_languages_own_format():
    error = errors.FutureOccurrenceError(kind="held", occurred_at=datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    assert describe(error, "id") == ("waktu kejadian 28 November 2026 pukul 09.00 WIB masih di masa depan; "
                                   "terlaksana hanya untuk yang sudah terjadi")
    assert "28 November 2026 at 09:00 WIB is in the future" in describe(error, "en")


def test_every_event_records_its_actor_and_recording_time(runtime, clock):
    schedule(runtime)
    hold(runtime)
    events = trail(runtime.fresh(), "AG-2020-0001")["events"]
    assert [e["actor"] for e in events] == ["siti", "siti"]
    assert events[0]["recorded_at"] < events[1]["recorded_at"] <= clock.current


def test_a_repeated_form_submission_records_once(runtime):
    schedule(runtime, submission_id="form-1")
    again = schedule(runtime, submission_id="form-1")
    assert again.repeated == 1 and again.positions == ()
    hold(runtime, submission_id="form-2")
    assert hold(runtime, submission_id="form-2").repeated == 1
    assert stored_kinds(runtime) == ["scheduled", "held"]


def test_a_failed_batch_stores_nothing(runtime):
    batch = runtime.batch()
    batch.record("scheduled", "AG-1", title="A", leaders=["walikota"], location="", occurred_at=T("2020-01-01"),
                 actor="siti")
    batch.record("held", "AG-1", occurred_at=T("2020-01-01T09:00"), actor="siti")
    with pytest.raises(errors.AlreadyHeldError):
        batch.record("held", "AG-1", occurred_at=T("2020-01-01T09:00"), actor="siti")
    assert runtime.log.recorder.max_notification_id() in (None, 0)


def test_concurrent_writers_on_one_activity_lose_nothing(runtime):
    schedule(runtime)
    first, second = runtime.batch(), runtime.batch()
    first.record("held", "AG-2020-0001", occurred_at=T("2020-01-07T09:00"), actor="a")
    second.record("cancelled", "AG-2020-0001", occurred_at=T("2020-01-07T08:00"), reason="x", actor="b")
    runtime.commit(first)
    with pytest.raises(errors.ConcurrentChangeError):
        runtime.commit(second)
    assert stored_kinds(runtime) == ["scheduled", "held"]


def test_messages_exist_in_indonesian_and_english():
    error = errors.NotHeldError(reference="AG-1", kind="published")
    assert "belum terlaksana" in describe(error, "id")
    assert "has not been held" in describe(error, "en")
    assert describe(error, "id") == "kegiatan AG-1 belum terlaksana, jadi belum bisa dipublikasikan"
    assert describe(error, "en") == "activity AG-1 has not been held, so it cannot be published yet"
    assert str(error) == "NotHeldError(reference='AG-1', kind='published')"  # the domain knows no language


def test_naive_datetimes_are_refused_inside_the_domain(runtime):
    with pytest.raises(TypeError):
        schedule(runtime, occurred_at=datetime(2020, 1, 1, 9, 0))
