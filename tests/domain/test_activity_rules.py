"""The Activity aggregate's rules, each at its edge, checked on the aggregate itself (no store, no read model)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

import pytest

from domain import errors
from domain.activity import (
    Activity,
    activity_id,
    check_leaders,
    check_moment,
    check_reference,
    check_text,
    event_kind,
    next_steps,
    withdrawable_now,
)
from domain.times import UTC, WIB
from services.presentation import leader_label

#: when the office's clock recorded each event below (09:00 WIB)
RECORDED = datetime(2020, 1, 7, 2, 0, tzinfo=UTC)
PLANNED = datetime(2020, 1, 7, 9, 0, tzinfo=WIB)
EARLIER = datetime(2020, 1, 7, 8, 0, tzinfo=WIB)


def scheduled(**overrides) -> Activity:
    fields = dict(reference="AG-2020-0001", title="Rapat koordinasi OPD", leaders=["sekda"], location="Ruang Sabha",
                  occurred_at=PLANNED, actor="siti", timestamp=RECORDED)
    fields.update(overrides)
    return Activity.schedule(**fields)


def held(**overrides) -> Activity:
    activity = scheduled()
    activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED, **overrides)
    return activity


def evidence(activity: Activity, kind: str, ref: str = "https://example.go.id/1", **overrides) -> None:
    fields = dict(occurred_at=EARLIER, channel="website", evidence_ref=ref, actor="budi", timestamp=RECORDED)
    fields.update(overrides)
    activity.record_evidence(kind, **fields)


def last_event(activity: Activity):
    return activity.pending_events[-1]


def replayed(activity: Activity) -> Activity:
    """The activity as the store rebuilds it: every event applied again from nothing."""
    rebuilt = None
    for event in activity.pending_events:
        rebuilt = event.mutate(rebuilt)
    return rebuilt


def state(activity: Activity) -> dict:
    return dict(reference=activity.reference, held=activity.is_held, cancelled=activity.is_cancelled,
                evidence=dict(activity.evidence))


# --- leaders -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code,lang,label", [
    ("walikota", "id", "Walikota"), ("wakil_walikota", "id", "Wakil Walikota"), ("sekda", "id", "Sekretaris Daerah"),
    ("walikota", "en", "Mayor"), ("wakil_walikota", "en", "Deputy Mayor"), ("sekda", "en", "Regional Secretary"),
    ("bupati", "id", "bupati"), ("bupati", "en", "bupati"),
])
def test_a_leader_is_named_in_each_language_and_an_unknown_code_by_itself(code, lang, label):
    assert leader_label(code, lang) == label


def test_a_leader_is_named_in_indonesian_by_default():
    assert leader_label("sekda") == "Sekretaris Daerah"


def test_leaders_are_trimmed_lowercased_deduplicated_and_put_in_rank_order():
    assert check_leaders(["", " Sekda ", "WALIKOTA", "sekda", "  "]) == ["walikota", "sekda"]
    assert check_leaders(("sekda", "wakil_walikota", "walikota")) == ["walikota", "wakil_walikota", "sekda"]


def test_an_unknown_leader_is_named_as_entered_without_its_spaces():
    with pytest.raises(errors.UnknownLeaderError) as caught:
        check_leaders(["sekda", " Bupati "])
    assert caught.value.params == {"leader": "Bupati"}


@pytest.mark.parametrize("leaders", [[], [""], [" ", "  "]])
def test_no_leader_is_a_missing_field(leaders):
    with pytest.raises(errors.MissingFieldError) as caught:
        check_leaders(leaders)
    assert caught.value.params == {"field": "leaders"}


# --- reference -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entered,kept", [
    (" AG-2020-0001  ", "AG-2020-0001"),
    ("X" * 64, "X" * 64),
    (" " + "X" * 64 + " ", "X" * 64),
    ("X", "X"),
    ("X-1", "X-1"),
    ("AG/2020/é", "AG/2020/é"),
])
def test_a_reference_keeps_its_visible_characters_and_loses_only_outer_spaces(entered, kept):
    assert check_reference(entered) == kept
    assert activity_id(entered) == activity_id(kept)


@pytest.mark.parametrize("entered", [
    None, "", "   ", "X" * 65, "AG 2020", "AG  1", "\tAG-1", "AG-1\t", "AG\x001", "AG-1\n", "AG\x7f1", "AG\x851",
])
def test_a_reference_too_long_empty_with_inner_space_or_control_character_is_refused(entered):
    with pytest.raises(errors.InvalidReferenceError) as caught:
        check_reference(entered)
    assert caught.value.params == {"reference": entered}


# --- text fields ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field,limit", [
    ("title", 300), ("location", 200), ("channel", 120), ("evidence_ref", 500), ("note", 1000), ("actor", 120),
])
def test_a_text_field_may_hold_its_limit_and_not_one_character_more(field, limit):
    assert check_text(field, " " + "x" * limit + " ", required=True) == "x" * limit
    with pytest.raises(errors.TextTooLongError) as caught:
        check_text(field, "x" * (limit + 1), required=False)
    assert caught.value.params == {"field": field, "limit": limit}


@pytest.mark.parametrize("field", ["title", "location", "channel", "evidence_ref", "note", "actor"])
def test_a_control_character_in_a_text_is_refused_naming_its_field(field):
    with pytest.raises(errors.ControlCharacterError) as caught:
        check_text(field, "a\x00b")
    assert caught.value.params == {"field": field}


@pytest.mark.parametrize("field,named", [("title", "title"), ("actor", "actor"), ("note", "reason")])
def test_a_required_text_left_empty_is_named_and_a_required_note_is_the_reason(field, named):
    for value in (None, "", "  "):
        with pytest.raises(errors.MissingFieldError) as caught:
            check_text(field, value, required=True)
        assert caught.value.params == {"field": named}
        assert check_text(field, value, required=False) == check_text(field, value) == ""


# --- moments -------------------------------------------------------------------------------------------------

class NoOffset(tzinfo):
    def utcoffset(self, moment):
        return None


@pytest.mark.parametrize("moment", [
    datetime(2020, 1, 7, 9, 0), datetime(2020, 1, 7, 9, 0, tzinfo=NoOffset()), date(2020, 1, 7), "2020-01-07",
])
def test_a_moment_without_an_offset_is_refused_inside_the_domain(moment):
    with pytest.raises(TypeError) as caught:
        check_moment(moment)
    assert str(caught.value) == "occurred_at must be a timezone-aware datetime"


def test_a_moment_outside_the_accepted_years_is_refused():
    assert check_moment(datetime(1900, 1, 1, tzinfo=WIB)) == datetime(1900, 1, 1, tzinfo=WIB)
    with pytest.raises(errors.OutOfRangeError):
        check_moment(datetime(1899, 12, 31, 23, 59, tzinfo=WIB))


# --- schedule and reschedule ---------------------------------------------------------------------------------

def test_schedule_records_the_checked_fields():
    activity = scheduled(reference=" AG-2020-0001 ", title=" Rapat ", leaders=["Sekda", "walikota"],
                         location=" Pendopo ", actor=" siti ", note=" awal ", submission_id="form-1")
    event = last_event(activity)
    assert event_kind(event) == "scheduled"
    assert activity.id == activity_id("AG-2020-0001")
    assert (event.reference, event.title, event.leaders, event.location, event.occurred_at, event.actor, event.note,
            event.submission_id, event.timestamp) == (
        "AG-2020-0001", "Rapat", ["walikota", "sekda"], "Pendopo", PLANNED, "siti", "awal", "form-1", RECORDED)
    assert state(activity) == state(replayed(activity)) == dict(
        reference="AG-2020-0001", held=False, cancelled=False, evidence={})


def test_schedule_may_leave_location_and_note_empty_but_not_title_leaders_or_actor():
    event = last_event(scheduled(location="", note=""))
    assert (event.location, event.note, event.submission_id) == ("", "", "")
    for field, value in (("title", " "), ("leaders", [" "]), ("actor", "")):
        with pytest.raises(errors.MissingFieldError) as caught:
            scheduled(**{field: value})
        assert caught.value.params == {"field": field}


def test_schedule_refuses_a_bad_reference_and_a_naive_or_far_moment():
    with pytest.raises(errors.InvalidReferenceError):
        scheduled(reference="AG 1")
    with pytest.raises(TypeError):
        scheduled(occurred_at=datetime(2020, 1, 7, 9, 0))
    with pytest.raises(errors.OutOfRangeError):
        scheduled(occurred_at=datetime(3000, 1, 1, tzinfo=WIB))


def test_a_plan_may_lie_in_the_future():
    far = RECORDED + timedelta(days=400)
    activity = scheduled(occurred_at=far)
    activity.reschedule(occurred_at=far + timedelta(days=1), actor="siti", timestamp=RECORDED)
    assert last_event(activity).occurred_at == far + timedelta(days=1)


def test_reschedule_records_only_what_it_changes():
    activity = scheduled()
    later = PLANNED + timedelta(days=90)
    activity.reschedule(occurred_at=later, actor=" siti ", location=" Pendopo ", note=" mundur ",
                        submission_id="form-2", timestamp=RECORDED)
    event = last_event(activity)
    assert event_kind(event) == "rescheduled"
    assert (event.occurred_at, event.title, event.leaders, event.location, event.actor, event.note,
            event.submission_id) == (later, "", [], "Pendopo", "siti", "mundur", "form-2")
    assert state(activity) == state(replayed(activity)) == dict(
        reference="AG-2020-0001", held=False, cancelled=False, evidence={})
    assert activity.has_recorded("form-2") and replayed(activity).has_recorded("form-2")

    activity.reschedule(occurred_at=PLANNED, actor="siti", title=" Rapat pleno ", leaders=["Walikota", " "],
                        timestamp=RECORDED)
    event = last_event(activity)
    assert (event.occurred_at, event.title, event.leaders, event.location, event.note, event.submission_id) == (
        PLANNED, "Rapat pleno", ["walikota"], "", "", "")


@pytest.mark.parametrize("leaders", [None, [], ["", "  "]])
def test_reschedule_without_leaders_records_none(leaders):
    activity = scheduled(leaders=["walikota", "sekda"])
    activity.reschedule(occurred_at=PLANNED, actor="siti", leaders=leaders, timestamp=RECORDED)
    assert last_event(activity).leaders == []


def test_reschedule_refuses_an_unknown_leader_and_a_missing_actor():
    with pytest.raises(errors.UnknownLeaderError):
        scheduled().reschedule(occurred_at=PLANNED, actor="siti", leaders=["bupati"], timestamp=RECORDED)
    with pytest.raises(errors.MissingFieldError) as caught:
        scheduled().reschedule(occurred_at=PLANNED, actor=" ", timestamp=RECORDED)
    assert caught.value.params == {"field": "actor"}
    with pytest.raises(TypeError):
        scheduled().reschedule(occurred_at=datetime(2020, 1, 9), actor="siti", timestamp=RECORDED)


@pytest.mark.parametrize("close,error,kind", [
    ("held", errors.HeldActivityError, "rescheduled"),
    ("cancelled", errors.ActivityCancelledError, "rescheduled"),
])
def test_reschedule_needs_an_open_activity(close, error, kind):
    activity = scheduled()
    if close == "held":
        activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    else:
        activity.cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    with pytest.raises(error) as caught:
        activity.reschedule(occurred_at=PLANNED, actor="siti", timestamp=RECORDED)
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": kind}


# --- held and cancelled --------------------------------------------------------------------------------------

def test_hold_records_who_when_and_a_note():
    activity = held(note=" tepat waktu ", submission_id="form-3")
    event = last_event(activity)
    assert event_kind(event) == "held"
    assert (event.occurred_at, event.actor, event.note, event.submission_id, event.timestamp) == (
        EARLIER, "siti", "tepat waktu", "form-3", RECORDED)
    assert activity.is_held and replayed(activity).is_held and not activity.is_cancelled
    assert activity.held_version == replayed(activity).held_version == event.originator_version == 2
    assert activity.has_recorded("form-3")


def test_hold_refuses_a_second_held_and_a_cancelled_activity():
    activity = held()
    with pytest.raises(errors.AlreadyHeldError) as caught:
        activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    assert caught.value.params == {"reference": "AG-2020-0001"}
    cancelled = scheduled()
    cancelled.cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    with pytest.raises(errors.ActivityCancelledError) as caught:
        cancelled.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": "held"}


def test_hold_and_cancel_need_an_actor_and_cancel_a_reason():
    with pytest.raises(errors.MissingFieldError) as caught:
        scheduled().hold(occurred_at=EARLIER, actor=" ", timestamp=RECORDED)
    assert caught.value.params == {"field": "actor"}
    with pytest.raises(errors.MissingFieldError) as caught:
        scheduled().cancel(occurred_at=EARLIER, actor=" ", reason="hujan", timestamp=RECORDED)
    assert caught.value.params == {"field": "actor"}
    with pytest.raises(errors.MissingFieldError) as caught:
        scheduled().cancel(occurred_at=EARLIER, actor="siti", reason=" ", timestamp=RECORDED)
    assert caught.value.params == {"field": "reason"}
    with pytest.raises(errors.TextTooLongError):
        scheduled().hold(occurred_at=EARLIER, actor="siti", note="x" * 1001, timestamp=RECORDED)


def test_cancel_records_the_reason_and_closes_the_activity():
    activity = scheduled()
    activity.cancel(occurred_at=EARLIER, actor=" siti ", reason=" hujan ", submission_id="form-4", timestamp=RECORDED)
    event = last_event(activity)
    assert event_kind(event) == "cancelled"
    assert (event.occurred_at, event.actor, event.note, event.submission_id, event.timestamp) == (
        EARLIER, "siti", "hujan", "form-4", RECORDED)
    assert activity.is_cancelled and replayed(activity).is_cancelled and not activity.is_held
    assert activity.cancelled_version == replayed(activity).cancelled_version == 2
    with pytest.raises(errors.ActivityCancelledError) as caught:
        activity.cancel(occurred_at=EARLIER, actor="siti", reason="lagi", timestamp=RECORDED)
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": "cancelled"}


def test_cancel_after_held_is_refused():
    with pytest.raises(errors.HeldActivityError) as caught:
        held().cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": "cancelled"}


# --- the recording clock's tolerance -------------------------------------------------------------------------

def occur(kind: str, occurred_at: datetime, timestamp: datetime | None = RECORDED) -> Activity:
    """Record one fact of `kind` that happened at `occurred_at`, recorded at `timestamp`."""
    activity = scheduled() if kind in ("held", "cancelled") else held()
    if kind == "held":
        activity.hold(occurred_at=occurred_at, actor="siti", timestamp=timestamp)
    elif kind == "cancelled":
        activity.cancel(occurred_at=occurred_at, actor="siti", reason="hujan", timestamp=timestamp)
    else:
        evidence(activity, kind, occurred_at=occurred_at, timestamp=timestamp)
    return activity


#: the tolerance spelled out, not read from the code, so a change to it fails here
TEN_MINUTES = timedelta(minutes=10)
PAST_KINDS = ["held", "cancelled", "published", "documented", "protocol_served"]


@pytest.mark.parametrize("kind", PAST_KINDS)
def test_a_fact_up_to_ten_minutes_past_the_recording_clock_is_accepted(kind):
    for ahead in (timedelta(0), timedelta(minutes=9, seconds=59), timedelta(minutes=10)):
        activity = occur(kind, RECORDED + ahead)
        assert event_kind(last_event(activity)) == kind
        assert last_event(activity).occurred_at == RECORDED + ahead


@pytest.mark.parametrize("kind", PAST_KINDS)
@pytest.mark.parametrize("ahead", [timedelta(minutes=10, microseconds=1), timedelta(minutes=10, seconds=1),
                                   timedelta(minutes=11), timedelta(days=1)],
                         ids=["10min+1us", "10min+1s", "11min", "1day"])
def test_a_fact_more_than_ten_minutes_past_the_recording_clock_is_refused(kind, ahead):
    with pytest.raises(errors.FutureOccurrenceError) as caught:
        occur(kind, RECORDED + ahead)
    assert caught.value.params == {"kind": kind, "occurred_at": RECORDED + ahead}


@pytest.mark.parametrize("kind", PAST_KINDS)
def test_the_tolerance_holds_in_any_offset(kind):
    recorded_in_wib = RECORDED.astimezone(WIB)
    offset = timezone(timedelta(hours=-5))
    assert event_kind(last_event(occur(kind, (RECORDED + TEN_MINUTES).astimezone(offset),
                                       recorded_in_wib))) == kind
    with pytest.raises(errors.FutureOccurrenceError):
        occur(kind, (RECORDED + TEN_MINUTES + timedelta(microseconds=1)).astimezone(offset), recorded_in_wib)


@pytest.mark.parametrize("kind", PAST_KINDS)
def test_without_a_recording_time_the_tolerance_counts_from_now(kind):
    now = datetime.now(tz=UTC)
    assert event_kind(last_event(occur(kind, now + timedelta(minutes=9), timestamp=None))) == kind
    with pytest.raises(errors.FutureOccurrenceError):
        occur(kind, now + timedelta(minutes=11), timestamp=None)


@pytest.mark.parametrize("kind", PAST_KINDS)
def test_a_past_fact_with_a_naive_moment_is_refused(kind):
    with pytest.raises(TypeError):
        occur(kind, datetime(2020, 1, 7, 8, 0))


def test_withdrawals_and_attachments_are_not_bound_by_the_recording_clock():
    activity = held()
    evidence(activity, "published")
    later = RECORDED + timedelta(days=1)
    activity.attach("published", sha256="ab" * 32, name="foto.jpg", size=10, media_type="image/jpeg",
                    occurred_at=later, actor="budi", timestamp=RECORDED)
    activity.withdraw(withdrawn_kind="published", reason="keliru", occurred_at=later, actor="budi",
                      timestamp=RECORDED)
    assert [event_kind(e) for e in activity.pending_events][-2:] == ["attached", "withdrawn"]


# --- evidence ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_evidence_records_channel_reference_and_note(kind):
    activity = held()
    evidence(activity, kind, ref=" ARSIP/1 ", channel=" foto ", actor=" budi ", note=" ok ", submission_id="f-5")
    event = last_event(activity)
    assert event_kind(event) == kind
    assert (event.occurred_at, event.channel, event.evidence_ref, event.actor, event.note, event.submission_id,
            event.timestamp) == (EARLIER, "foto", "ARSIP/1", "budi", "ok", "f-5", RECORDED)
    assert activity.evidence == replayed(activity).evidence == {3: (kind, "ARSIP/1")}
    assert activity.has_recorded("f-5")


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_evidence_needs_a_validly_held_activity(kind):
    with pytest.raises(errors.NotHeldError) as caught:
        evidence(scheduled(), kind)
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": kind}


@pytest.mark.parametrize("kind", ["published", "documented"])
def test_published_and_documented_need_a_reference(kind):
    with pytest.raises(errors.MissingFieldError) as caught:
        evidence(held(), kind, ref=" ")
    assert caught.value.params == {"field": "evidence_ref"}


def test_protocol_served_may_leave_its_reference_empty():
    activity = held()
    evidence(activity, "protocol_served", ref="")
    assert activity.evidence == {3: ("protocol_served", "")}


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
@pytest.mark.parametrize("field,value", [("channel", " "), ("actor", "")])
def test_evidence_needs_a_channel_and_an_actor(kind, field, value):
    with pytest.raises(errors.MissingFieldError) as caught:
        evidence(held(), kind, **{field: value})
    assert caught.value.params == {"field": field}


def test_evidence_note_and_reference_have_limits():
    with pytest.raises(errors.TextTooLongError):
        evidence(held(), "published", note="x" * 1001)
    with pytest.raises(errors.TextTooLongError):
        evidence(held(), "published", ref="x" * 501)


# --- withdrawals ---------------------------------------------------------------------------------------------

def withdraw(activity: Activity, kind: str, ref: str = "", **overrides) -> None:
    fields = dict(withdrawn_kind=kind, evidence_ref=ref, reason="keliru", occurred_at=EARLIER, actor="auditor",
                  timestamp=RECORDED)
    fields.update(overrides)
    activity.withdraw(**fields)


def test_withdrawing_held_reopens_the_activity_for_a_new_held():
    activity = held()
    withdraw(activity, " held ", reason=" salah tanggal ", actor=" auditor ", submission_id="f-6")
    event = last_event(activity)
    assert event_kind(event) == "withdrawn"
    assert (event.withdrawn_kind, event.evidence_ref, event.targets, event.note, event.actor, event.occurred_at,
            event.submission_id) == ("held", "", [2], "salah tanggal", "auditor", EARLIER, "f-6")
    assert not activity.is_held and not replayed(activity).is_held
    assert activity.held_version is None
    activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    assert activity.held_version == replayed(activity).held_version == 4


def test_withdrawing_cancelled_reopens_the_activity():
    activity = scheduled()
    activity.cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    withdraw(activity, "cancelled")
    assert last_event(activity).targets == [2]
    assert not activity.is_cancelled and not replayed(activity).is_cancelled
    activity.reschedule(occurred_at=PLANNED, actor="siti", timestamp=RECORDED)
    activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    assert activity.is_held and not activity.is_cancelled


def test_withdrawing_held_keeps_a_cancellation_and_the_reverse():
    activity = scheduled()
    activity.cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(activity, "held")
    assert activity.is_cancelled
    other = held()
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(other, "cancelled")
    assert other.is_held


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_withdrawing_evidence_by_reference_takes_back_only_that_fact(kind):
    activity = held()
    evidence(activity, kind, ref="A")
    evidence(activity, kind, ref="B")
    other = next(k for k in ("published", "documented") if k != kind)
    evidence(activity, other, ref="A")
    withdraw(activity, kind, ref=" A ")
    event = last_event(activity)
    assert (event.withdrawn_kind, event.evidence_ref, event.targets) == (kind, "A", [3])
    assert activity.evidence == replayed(activity).evidence == {4: (kind, "B"), 5: (other, "A")}
    assert activity.is_held


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_withdrawing_evidence_without_reference_takes_back_every_valid_fact_of_that_kind(kind):
    activity = held()
    evidence(activity, kind, ref="A")
    evidence(activity, "documented" if kind != "documented" else "published", ref="C")
    evidence(activity, kind, ref="B")
    withdraw(activity, kind)
    assert last_event(activity).targets == [3, 5]
    assert list(activity.evidence.values()) == list(replayed(activity).evidence.values()) == [
        ("documented" if kind != "documented" else "published", "C")]
    with pytest.raises(errors.NothingToWithdrawError) as caught:
        withdraw(activity, kind)
    assert caught.value.params["kind"] == kind


def test_withdrawing_with_nothing_valid_names_what_was_sought():
    activity = held()
    evidence(activity, "published", ref="A")
    with pytest.raises(errors.NothingToWithdrawError) as caught:
        withdraw(activity, "published", ref=" B ")
    assert (caught.value.params["reference"], caught.value.params["kind"]) == ("AG-2020-0001", "published")
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": "published", "evidence_ref": "B"}
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(scheduled(), "held")
    with pytest.raises(errors.NothingToWithdrawError):
        withdraw(scheduled(), "cancelled")


@pytest.mark.parametrize("kind", [None, "", "  "])
def test_a_withdrawal_must_name_a_kind(kind):
    with pytest.raises(errors.MissingFieldError) as caught:
        withdraw(held(), kind)
    assert caught.value.params == {"field": "kind"}


@pytest.mark.parametrize("kind", ["scheduled", "rescheduled", "withdrawn", "attached", "Held", "bogus"])
def test_a_withdrawal_of_a_kind_that_cannot_be_withdrawn_is_refused(kind):
    with pytest.raises(errors.NotWithdrawableError) as caught:
        withdraw(held(), f" {kind} ")
    assert caught.value.params == {"kind": kind}


def test_a_withdrawal_needs_a_reason_and_an_actor_and_an_aware_moment():
    with pytest.raises(errors.MissingFieldError) as caught:
        withdraw(held(), "held", reason=" ")
    assert caught.value.params == {"field": "reason"}
    with pytest.raises(errors.MissingFieldError) as caught:
        withdraw(held(), "held", actor=" ")
    assert caught.value.params == {"field": "actor"}
    with pytest.raises(TypeError):
        withdraw(held(), "held", occurred_at=datetime(2020, 1, 7))


def test_the_reason_is_checked_before_what_to_withdraw():
    with pytest.raises(errors.MissingFieldError):
        withdraw(scheduled(), "held", reason="")


# --- attachments ---------------------------------------------------------------------------------------------

def attach(activity: Activity, kind: str, **overrides) -> None:
    fields = dict(sha256="ab" * 32, name="foto.jpg", size=2048, media_type="image/jpeg", occurred_at=EARLIER,
                  actor="budi", timestamp=RECORDED)
    fields.update(overrides)
    activity.attach(kind, **fields)


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_a_file_attaches_to_the_latest_valid_fact_of_its_kind(kind):
    activity = held()
    evidence(activity, kind, ref="A")
    evidence(activity, kind, ref="B")
    evidence(activity, "published" if kind != "published" else "documented", ref="C")
    attach(activity, kind, actor=" budi ", note=" foto ", submission_id="f-7")
    event = last_event(activity)
    assert event_kind(event) == "attached"
    assert (event.kind, event.target, event.sha256, event.name, event.size, event.media_type, event.occurred_at,
            event.actor, event.note, event.submission_id) == (
        kind, 4, "ab" * 32, "foto.jpg", 2048, "image/jpeg", EARLIER, "budi", "foto", "f-7")
    assert activity.has_recorded("f-7") and replayed(activity).has_recorded("f-7")
    assert state(activity) == state(replayed(activity))


@pytest.mark.parametrize("name,kept", [("", "berkas"), (None, "berkas"), ("x" * 200, "x" * 200),
                                       ("y" + "x" * 200, "x" * 200)])
def test_an_attached_file_name_is_kept_to_its_last_200_characters(name, kept):
    activity = held()
    evidence(activity, "published")
    attach(activity, "published", name=name)
    assert last_event(activity).name == kept


@pytest.mark.parametrize("kind", ["held", "cancelled", "scheduled", "bogus"])
def test_a_file_attaches_only_to_evidence(kind):
    with pytest.raises(errors.NotAttachableError) as caught:
        attach(held(), kind)
    assert caught.value.params == {"kind": kind}


def test_a_file_needs_a_valid_fact_of_its_kind():
    activity = held()
    evidence(activity, "published")
    withdraw(activity, "published")
    with pytest.raises(errors.NothingToAttachError) as caught:
        attach(activity, "published")
    assert caught.value.params == {"reference": "AG-2020-0001", "kind": "published"}
    with pytest.raises(errors.NothingToAttachError):
        attach(activity, "documented")


def test_an_attachment_needs_an_actor_and_an_aware_moment():
    activity = held()
    evidence(activity, "published")
    with pytest.raises(errors.MissingFieldError) as caught:
        attach(activity, "published", actor="")
    assert caught.value.params == {"field": "actor"}
    with pytest.raises(TypeError):
        attach(activity, "published", occurred_at=datetime(2020, 1, 7))
    with pytest.raises(errors.TextTooLongError):
        attach(activity, "published", note="x" * 1001)


# --- repeated submissions ------------------------------------------------------------------------------------

def test_a_submission_is_known_only_once_recorded_and_the_empty_id_never():
    activity = scheduled(submission_id="form-1")
    assert activity.has_recorded("form-1") and replayed(activity).has_recorded("form-1")
    assert not activity.has_recorded("form-2")
    assert not activity.has_recorded("")
    assert not scheduled().has_recorded("")


# --- what comes next -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("status,kinds", [
    ("scheduled", ["held", "rescheduled", "cancelled"]),
    ("held", ["published", "documented", "protocol_served", "withdrawn"]),
    ("cancelled", ["withdrawn"]),
])
def test_the_next_steps_follow_the_status(status, kinds):
    assert next_steps(status, {}) == kinds


@pytest.mark.parametrize("status,counts,kinds", [
    ("scheduled", {}, []),
    ("held", {}, ["held"]),
    ("held", {"published": 2, "documented": 0, "protocol_served": 1}, ["held", "published", "protocol_served"]),
    ("held", {"documented": 1}, ["held", "documented"]),
    ("cancelled", {}, ["cancelled"]),
    ("cancelled", {"published": 1, "documented": 1}, ["cancelled", "published", "documented"]),
    ("scheduled", {"published": 1}, ["published"]),
    ("held", {"excluded": 1, "published": 1}, ["held", "published", "excluded"]),
])
def test_what_can_be_withdrawn_is_the_status_and_each_kind_with_a_valid_fact(status, counts, kinds):
    assert withdrawable_now(status, counts) == kinds


# --- what every fact records ---------------------------------------------------------------------------------

def record_minimal(kind: str) -> Activity:
    """Record one fact of `kind` with only the fields it needs."""
    if kind == "scheduled":
        return Activity.schedule(reference="AG-1", title="Rapat", leaders=["sekda"], location="",
                                 occurred_at=PLANNED, actor="siti", timestamp=RECORDED)
    activity = scheduled() if kind in ("rescheduled", "held", "cancelled") else held()
    if kind == "rescheduled":
        activity.reschedule(occurred_at=PLANNED, actor="siti", timestamp=RECORDED)
    elif kind == "held":
        activity.hold(occurred_at=EARLIER, actor="siti", timestamp=RECORDED)
    elif kind == "cancelled":
        activity.cancel(occurred_at=EARLIER, actor="siti", reason="hujan", timestamp=RECORDED)
    elif kind == "withdrawn":
        activity.withdraw(withdrawn_kind="held", reason="keliru", occurred_at=EARLIER, actor="auditor",
                          timestamp=RECORDED)
    elif kind == "attached":
        evidence(activity, "published")
        activity.attach("published", sha256="ab" * 32, name="foto.jpg", size=1, media_type="image/jpeg",
                        occurred_at=EARLIER, actor="budi", timestamp=RECORDED)
    else:
        activity.record_evidence(kind, occurred_at=EARLIER, channel="website", evidence_ref="ARSIP/1",
                                 actor="budi", timestamp=RECORDED)
    return activity


@pytest.mark.parametrize("kind", ["scheduled", "rescheduled", "held", "cancelled", "published", "documented",
                                  "protocol_served", "withdrawn", "attached"])
def test_every_fact_carries_its_recording_time_and_no_submission_unless_given(kind):
    activity = record_minimal(kind)
    event = last_event(activity)
    assert event_kind(event) == kind
    assert (event.timestamp, event.submission_id) == (RECORDED, "")
    assert event.note == {"cancelled": "hujan", "withdrawn": "keliru"}.get(kind, "")
    assert not activity.has_recorded("") and not activity.has_recorded("XXXX")
    if kind == "rescheduled":
        assert (event.title, event.leaders, event.location) == ("", [], "")
    if kind == "withdrawn":
        assert (event.withdrawn_kind, event.evidence_ref, event.targets) == ("held", "", [2])


def test_an_activity_stored_before_submissions_were_recorded_knows_none():
    event = Activity.schedule(reference="AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=PLANNED,
                              actor="siti", timestamp=RECORDED).pending_events[0]
    del event.__dict__["submission_id"]  # as decoded from a history stored before the field existed
    rebuilt = event.mutate(None)
    assert rebuilt.submissions == {""}
    assert not rebuilt.has_recorded("")
