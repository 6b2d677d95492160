"""The rows the projector writes, column by column: each activity's current state (status, planned WIB date,
evidence counts) and each event's row with its withdrawal marks, after every kind of event and correction."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.times import UTC, parse_instant, utc_text
from projections import read
from projections.catchup import Follower
from projections.db import open_readmodel
from projections.readmodel import ProjectionError, Projector
from tests.projections.oracle import stored_events

T = parse_instant


def schedule(runtime, reference="AG-1", at="2020-03-31T10:00", **fields):
    fields = {"title": "Rapat", "leaders": ["walikota", "sekda"], "location": "Balai", **fields}
    runtime.record("scheduled", reference, occurred_at=T(at), actor="siti", **fields)


def activity_row(runtime, reference="AG-1") -> dict:
    [row] = runtime.fresh().query("SELECT * FROM activities WHERE reference = ?", [reference])
    return row


def event_rows(runtime) -> list[dict]:
    return list(runtime.fresh().query("SELECT * FROM events ORDER BY position"))


def recorded(runtime) -> list[str]:
    """The store's recording time of each event, in log order, as the read model writes it."""
    return [utc_text(event.timestamp) for event in stored_events(runtime.log)]


def planned_on(runtime, day: str, status=None) -> list[str]:
    """The agenda for one WIB day: the references of the activities planned on it."""
    on = date.fromisoformat(day)
    return [row["reference"] for row in read.activities.agenda(runtime.fresh(), start=on, end=on, status=status)["rows"]]


def test_scheduling_writes_the_whole_activity_row(runtime):
    schedule(runtime, at="2020-06-30T17:30Z")
    assert activity_row(runtime) == {
        "activity_id": stored_events(runtime.log)[0].originator_id.hex,
        "reference": "AG-1",
        "title": "Rapat",
        "leaders": "walikota;sekda",
        "location": "Balai",
        "planned_start": "2020-06-30T17:30:00.000000Z",
        "planned_date": "2020-07-01",  # 00:30 WIB
        "status": "scheduled",
        "held_at": None,
        "held_date": None,
        "cancel_reason": None,
        "scheduled_by": "siti",
        "scheduled_at": recorded(runtime)[0],
        "n_published": 0,
        "n_documented": 0,
        "n_protocol_served": 0,
    }


@pytest.mark.parametrize(("planned", "wib_day"), [
    ("2020-06-30T17:30Z", "2020-07-01"),            # 00:30 WIB on 1 July, 30 June in UTC
    ("2020-06-30T16:59Z", "2020-06-30"),            # 23:59 WIB on 30 June
    ("2020-07-01T01:59+09:00", "2020-06-30"),       # 23:59 WIB on 30 June, 1 July in WIT
    ("2020-06-30T12:30-05:00", "2020-07-01"),       # 00:30 WIB on 1 July, 30 June in the offset's own zone
    ("2020-07-01T00:00+07:00", "2020-07-01"),       # WIB midnight itself
    ("2020-06-30T23:59+07:00", "2020-06-30"),
])
def test_the_agenda_finds_an_activity_on_the_wib_date_of_its_planned_start(runtime, planned, wib_day):
    schedule(runtime, at=planned)
    assert activity_row(runtime)["planned_date"] == wib_day
    other_day = "2020-06-30" if wib_day == "2020-07-01" else "2020-07-01"
    assert (planned_on(runtime, wib_day), planned_on(runtime, other_day)) == (["AG-1"], [])


def test_a_reschedule_moves_the_planned_date_across_a_quarter_and_keeps_what_it_leaves_empty(runtime):
    schedule(runtime, at="2020-03-31T10:00")
    runtime.record("rescheduled", "AG-1", occurred_at=T("2020-03-31T17:30Z"), actor="budi")  # 00:30 WIB 1 April
    row = activity_row(runtime)
    assert (row["planned_start"], row["planned_date"]) == ("2020-03-31T17:30:00.000000Z", "2020-04-01")
    assert (row["title"], row["leaders"], row["location"]) == ("Rapat", "walikota;sekda", "Balai")
    assert (row["scheduled_by"], row["scheduled_at"]) == ("siti", recorded(runtime)[0])
    assert (planned_on(runtime, "2020-03-31"), planned_on(runtime, "2020-04-01")) == ([], ["AG-1"])


def test_a_reschedule_replaces_the_title_leaders_and_location_it_names(runtime):
    schedule(runtime, at="2020-03-31T10:00")
    runtime.record("rescheduled", "AG-1", occurred_at=T("2020-03-31T23:59+08:00"), title="Rapat pleno",
                   leaders=["wakil_walikota", "sekda"], location="Aula", actor="budi")  # 22:59 WIB, same day
    row = activity_row(runtime)
    assert (row["planned_start"], row["planned_date"]) == ("2020-03-31T15:59:00.000000Z", "2020-03-31")
    assert (row["title"], row["leaders"], row["location"]) == ("Rapat pleno", "wakil_walikota;sekda", "Aula")
    rescheduled = event_rows(runtime)[1]
    assert {k: rescheduled[k] for k in ("kind", "title", "leaders", "location", "occurred_at", "occurred_date",
                                        "actor", "reference", "version")} == {
        "kind": "rescheduled", "title": "Rapat pleno", "leaders": "wakil_walikota;sekda", "location": "Aula",
        "occurred_at": "2020-03-31T15:59:00.000000Z", "occurred_date": "2020-03-31", "actor": "budi",
        "reference": "AG-1", "version": 2,
    }


def test_cancelling_marks_the_activity_cancelled_with_its_reason(runtime):
    schedule(runtime)
    runtime.record("cancelled", "AG-1", occurred_at=T("2020-03-30T08:00"), reason="hujan", actor="siti")
    row = activity_row(runtime)
    assert (row["status"], row["cancel_reason"], row["planned_date"]) == ("cancelled", "hujan", "2020-03-31")
    assert (planned_on(runtime, "2020-03-31", "cancelled"), planned_on(runtime, "2020-03-31", "scheduled")) == \
        (["AG-1"], [])


def test_withdrawing_a_cancellation_makes_the_activity_scheduled_again(runtime):
    schedule(runtime)
    runtime.record("cancelled", "AG-1", occurred_at=T("2020-03-30T08:00"), reason="hujan", actor="siti")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="cancelled", reason="keliru", occurred_at=T("2020-03-30T09:00"),
                   actor="auditor")
    row = activity_row(runtime)
    assert (row["status"], row["cancel_reason"]) == ("scheduled", None)
    assert (planned_on(runtime, "2020-03-31", "scheduled"), planned_on(runtime, "2020-03-31", "cancelled")) == \
        (["AG-1"], [])
    cancelled, withdrawal = event_rows(runtime)[1:]
    assert (cancelled["withdrawn_position"], cancelled["withdrawn_by"], cancelled["withdrawn_reason"]) == \
        (withdrawal["position"], "auditor", "keliru")
    assert (withdrawal["kind"], withdrawal["fact_kind"], withdrawal["channel"], withdrawal["targets"]) == \
        ("withdrawn", "cancelled", None, "[2]")


def test_withdrawing_a_held_makes_the_activity_scheduled_with_no_held_time(runtime):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T23:30"), actor="siti")
    row = activity_row(runtime)
    assert (row["status"], row["held_at"], row["held_date"]) == ("held", "2020-03-31T16:30:00.000000Z", "2020-03-31")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="held", reason="keliru", occurred_at=T("2020-04-01T09:00"),
                   actor="auditor")
    row = activity_row(runtime)
    assert (row["status"], row["held_at"], row["held_date"], row["cancel_reason"]) == ("scheduled", None, None, None)


def test_evidence_counts_rise_with_each_fact_and_fall_with_each_one_withdrawn(runtime):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    for ref in ("https://a", "https://b", "https://c"):
        runtime.record("published", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="web", evidence_ref=ref,
                       actor="budi")
    runtime.record("documented", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="foto", evidence_ref="ARSIP/1",
                   actor="budi")
    for officer in ("protokol", "ajudan"):
        runtime.record("protocol_served", "AG-1", occurred_at=T("2020-03-31T12:00"), channel=officer,
                       evidence_ref="", actor="budi")
    counts = ("n_published", "n_documented", "n_protocol_served")
    assert tuple(activity_row(runtime)[k] for k in counts) == (3, 1, 2)
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref="https://b", reason="salah",
                   occurred_at=T("2020-04-01"), actor="auditor")
    assert tuple(activity_row(runtime)[k] for k in counts) == (2, 1, 2)
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="semua salah", occurred_at=T("2020-04-01"),
                   actor="auditor")  # every valid one: two at once
    assert tuple(activity_row(runtime)[k] for k in counts) == (0, 1, 2)
    assert event_rows(runtime)[-1]["targets"] == "[3, 5]"


def test_each_event_row_holds_its_own_columns_and_its_withdrawal(runtime):
    schedule(runtime, at="2020-03-31T10:00", note="undangan")
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T17:00Z"), actor="siti", note="tepat waktu")
    runtime.record("published", "AG-1", occurred_at=T("2020-04-01T08:00"), channel="web", evidence_ref="https://a",
                   actor="budi")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref="https://a", reason="tautan salah",
                   occurred_at=T("2020-04-02T08:00"), actor="auditor")
    runtime.record("excluded", "AG-1", indicator="published", exclusion_reason="tertutup", note="rapat tertutup",
                   occurred_at=T("2020-04-02T09:00"), actor="siti")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="excluded", evidence_ref="published", reason="ternyata terbuka",
                   occurred_at=T("2020-04-02T10:00"), actor="auditor")
    at = recorded(runtime)
    aid = stored_events(runtime.log)[0].originator_id.hex
    common = {"activity_id": aid, "reference": "AG-1", "title": None, "leaders": None, "location": None,
              "channel": None, "evidence_ref": None, "fact_kind": None, "sha256": None, "setting": None, "note": "",
              "targets": None, "withdrawn_position": None, "withdrawn_at": None, "withdrawn_by": None,
              "withdrawn_reason": None, "indicator": None, "exclusion_reason": None, "held_leaders": None,
              "document": None}
    assert event_rows(runtime) == [
        {**common, "position": 1, "version": 1, "kind": "scheduled", "occurred_at": "2020-03-31T03:00:00.000000Z",
         "occurred_date": "2020-03-31", "recorded_at": at[0], "actor": "siti", "title": "Rapat",
         "leaders": "walikota;sekda", "location": "Balai", "note": "undangan"},
        {**common, "position": 2, "version": 2, "kind": "held", "occurred_at": "2020-03-31T17:00:00.000000Z",
         "occurred_date": "2020-04-01", "recorded_at": at[1], "actor": "siti", "note": "tepat waktu",
         "held_leaders": "walikota;sekda"},
        {**common, "position": 3, "version": 3, "kind": "published", "occurred_at": "2020-04-01T01:00:00.000000Z",
         "occurred_date": "2020-04-01", "recorded_at": at[2], "actor": "budi", "channel": "web",
         "evidence_ref": "https://a", "withdrawn_position": 4, "withdrawn_at": at[3], "withdrawn_by": "auditor",
         "withdrawn_reason": "tautan salah"},
        {**common, "position": 4, "version": 4, "kind": "withdrawn", "occurred_at": "2020-04-02T01:00:00.000000Z",
         "occurred_date": "2020-04-02", "recorded_at": at[3], "actor": "auditor", "fact_kind": "published",
         "evidence_ref": "https://a", "note": "tautan salah", "targets": "[3]"},
        {**common, "position": 5, "version": 5, "kind": "excluded", "occurred_at": "2020-04-02T02:00:00.000000Z",
         "occurred_date": "2020-04-02", "recorded_at": at[4], "actor": "siti", "indicator": "published",
         "exclusion_reason": "tertutup", "note": "rapat tertutup",
         "withdrawn_position": 6, "withdrawn_at": at[5], "withdrawn_by": "auditor",
         "withdrawn_reason": "ternyata terbuka"},
        {**common, "position": 6, "version": 6, "kind": "withdrawn", "occurred_at": "2020-04-02T03:00:00.000000Z",
         "occurred_date": "2020-04-02", "recorded_at": at[5], "actor": "auditor", "fact_kind": "excluded",
         "evidence_ref": "published", "note": "ternyata terbuka", "targets": "[5]"},
    ]


def test_a_rebuild_in_one_batch_writes_the_same_rows_as_following_event_by_event(runtime):
    schedule(runtime)
    runtime.record("cancelled", "AG-1", occurred_at=T("2020-03-30T08:00"), reason="hujan", actor="siti")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="cancelled", reason="keliru", occurred_at=T("2020-03-30T09:00"),
                   actor="auditor")
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="web", evidence_ref="https://a",
                   actor="budi")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="salah", occurred_at=T("2020-04-01"),
                   actor="auditor")
    followed = (event_rows(runtime), activity_row(runtime))
    assert followed[0][1]["withdrawn_position"] == 3 and followed[0][4]["withdrawn_position"] == 6
    assert (followed[1]["status"], followed[1]["n_published"]) == ("held", 0)
    runtime.rebuild()  # every event in one batch: withdrawals mark rows not yet written
    assert (event_rows(runtime), activity_row(runtime)) == followed


def test_an_attachment_is_a_row_of_its_own_beside_its_event(runtime):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("documented", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="foto", evidence_ref="ARSIP/1",
                   actor="budi")
    batch = runtime.batch()
    batch.attach("AG-1", "documented", occurred_at=T("2020-04-01T09:00"), actor="budi", sha256="ab" * 32,
                 name="foto.png", size=1234, media_type="image/png")
    runtime.commit(batch)
    db = runtime.fresh()
    at = recorded(runtime)
    aid = stored_events(runtime.log)[0].originator_id.hex
    assert list(db.query("SELECT * FROM attachments")) == [{
        "position": 4, "activity_id": aid, "target_version": 3, "kind": "documented", "sha256": "ab" * 32,
        "name": "foto.png", "size": 1234, "media_type": "image/png", "recorded_at": at[3], "actor": "budi",
        "document": None,
    }]
    attached = event_rows(runtime)[3]
    assert (attached["kind"], attached["fact_kind"], attached["sha256"], attached["targets"]) == \
        ("attached", "documented", "ab" * 32, "[3]")
    assert (attached["channel"], attached["evidence_ref"]) == (None, None)


def test_checklist_and_link_check_events_have_rows_of_their_own(runtime):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="web", evidence_ref="https://a",
                   actor="budi")
    batch = runtime.batch()
    batch.attach_document("AG-1", "undangan", occurred_at=T("2020-04-01T09:00"), actor="budi", sha256="cd" * 32,
                          name="undangan.pdf", size=99, media_type="application/pdf", note="dari ajudan")
    batch.mark_not_applicable("AG-1", "naskah_sambutan", reason="tanpa sambutan", occurred_at=T("2020-04-01T09:30"),
                              actor="budi")
    batch.record_link_check("AG-1", url="https://a", checked_at=T("2020-04-02T10:00"), status=200, error="",
                            final_url="https://a/", content_type="text/html", sha256="ef" * 32,
                            archive_sha256="ef" * 32, archive_size=2048, actor="pemeriksa-tautan")
    batch.record_link_check("AG-1", url="https://a", checked_at=T("2020-04-03T10:00"), status=0, error="timeout",
                            final_url="", content_type="", sha256="", archive_sha256="ef" * 32, archive_size=2048,
                            actor="pemeriksa-tautan")
    runtime.commit(batch)
    runtime.record("withdrawn", "AG-1", withdrawn_kind="document", evidence_ref="undangan", reason="salah berkas",
                   occurred_at=T("2020-04-04T08:00"), actor="auditor")
    at = recorded(runtime)
    rows = event_rows(runtime)
    assert {key: rows[3][key] for key in ("kind", "document", "sha256", "evidence_ref", "note", "withdrawn_position",
                                          "withdrawn_reason", "occurred_date")} == {
        "kind": "document_attached", "document": "undangan", "sha256": "cd" * 32, "evidence_ref": f"undangan:{'cd' * 32}",
        "note": "dari ajudan", "withdrawn_position": 8, "withdrawn_reason": "salah berkas", "occurred_date": "2020-04-01"}
    assert {key: rows[4][key] for key in ("kind", "document", "evidence_ref", "note", "sha256")} == {
        "kind": "not_applicable", "document": "naskah_sambutan", "evidence_ref": "naskah_sambutan",
        "note": "tanpa sambutan", "sha256": None}
    assert {key: rows[5][key] for key in ("kind", "fact_kind", "evidence_ref", "sha256", "targets", "note",
                                          "occurred_at")} == {
        "kind": "link_checked", "fact_kind": "published", "evidence_ref": "https://a", "sha256": "ef" * 32,
        "targets": "[3]", "note": "", "occurred_at": "2020-04-02T03:00:00.000000Z"}
    assert (rows[7]["kind"], rows[7]["fact_kind"], rows[7]["evidence_ref"], rows[7]["targets"]) == (
        "withdrawn", "document", "undangan", "[4]")
    db = runtime.fresh()
    aid = rows[0]["activity_id"]
    assert list(db.query("SELECT * FROM link_checks ORDER BY position")) == [
        {"position": 6, "activity_id": aid, "target_version": 3, "url": "https://a",
         "checked_at": "2020-04-02T03:00:00.000000Z", "status": 200, "error": "", "final_url": "https://a/",
         "content_type": "text/html", "sha256": "ef" * 32, "changed": 0, "archive_sha256": "ef" * 32,
         "archive_size": 2048, "recorded_at": at[5], "actor": "pemeriksa-tautan"},
        {"position": 7, "activity_id": aid, "target_version": 3, "url": "https://a",
         "checked_at": "2020-04-03T03:00:00.000000Z", "status": 0, "error": "timeout", "final_url": "",
         "content_type": "", "sha256": "", "changed": 0, "archive_sha256": "",  # the first copy stays the one
         "archive_size": 0, "recorded_at": at[6], "actor": "pemeriksa-tautan"}]
    assert list(db.query("SELECT * FROM attachments ORDER BY position")) == [
        {"position": 4, "activity_id": aid, "target_version": 4, "kind": "document", "sha256": "cd" * 32,
         "name": "undangan.pdf", "size": 99, "media_type": "application/pdf", "recorded_at": at[3], "actor": "budi",
         "document": "undangan"},
        {"position": 6, "activity_id": aid, "target_version": 3, "kind": "archive", "sha256": "ef" * 32,
         "name": "a.html", "size": 2048, "media_type": "text/html", "recorded_at": at[5],
         "actor": "pemeriksa-tautan", "document": None}]


def test_an_event_of_an_activity_never_scheduled_stops_the_projection(runtime, tmp_path):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    events = stored_events(runtime.log)
    projector = Projector(open_readmodel(tmp_path / "other.sqlite3"))
    with pytest.raises(ProjectionError, match="never saw scheduled"):
        projector.apply(2, events[1])


def test_a_withdrawal_of_a_version_the_read_model_never_saw_stops_the_projection(runtime, tmp_path):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="held", reason="keliru", occurred_at=T("2020-04-01"),
                   actor="auditor")
    scheduled, _, withdrawn = stored_events(runtime.log)
    db = open_readmodel(tmp_path / "other.sqlite3")
    projector = Projector(db)
    projector.apply(1, scheduled)
    projector.flush()
    with pytest.raises(ProjectionError, match="names unknown version 2"):
        projector.apply(3, withdrawn)


def test_a_projector_remembers_the_activities_touched_last_up_to_its_keep(runtime, tmp_path):
    for reference in ("AG-1", "AG-2", "AG-3"):
        schedule(runtime, reference)
    events = stored_events(runtime.log)
    projector = Projector(open_readmodel(tmp_path / "other.sqlite3"), keep=2)
    for position, event in enumerate(events, start=1):
        projector.apply(position, event)
        projector.flush()
    assert list(projector._kept) == [events[1].originator_id.hex, events[2].originator_id.hex]
    by_default = Projector(open_readmodel(tmp_path / "third.sqlite3"))
    by_default.apply(1, events[0])
    by_default.flush()
    assert list(by_default._kept) == []  # by default nothing is remembered between batches


def test_a_remembered_activity_row_is_not_read_again(runtime, tmp_path):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    scheduled, held = stored_events(runtime.log)
    db = open_readmodel(tmp_path / "other.sqlite3")
    projector = Projector(db, keep=1)
    projector.apply(1, scheduled)
    projector.flush()
    db.execute("DELETE FROM activities")  # only the projector's memory still has it
    projector.apply(2, held)
    projector.flush()
    assert [(row["reference"], row["status"]) for row in db.query("SELECT * FROM activities")] == [("AG-1", "held")]


def test_each_event_class_has_its_handler_and_an_unknown_one_is_named(runtime, tmp_path):
    from domain.activity import Activity
    from projections import readmodel

    assert readmodel.HANDLERS[Activity.Held] is readmodel.on_held
    assert readmodel.HANDLERS[Activity.ProtocolServed] is readmodel.on_evidence
    schedule(runtime)
    [scheduled] = stored_events(runtime.log)
    projector = Projector(open_readmodel(tmp_path / "other.sqlite3"))
    with pytest.raises(ProjectionError, match="^no read-model handler for str at position 7$"):
        projector.apply(7, "not an event")
    projector.apply(1, scheduled)  # a known one applies


def test_an_event_that_is_no_activity_s_is_logged_on_the_wib_date_it_was_recorded(runtime, clock):
    clock.current = datetime(2021, 1, 1, 16, 59, 30, tzinfo=UTC)  # the next reading is 17:00:30 UTC, 00:00:30 WIB
    runtime.log.set_target(2020, "published", "87.5", reason="Perjanjian Kinerja", actor="kabag")
    [row] = event_rows(runtime)
    [event] = stored_events(runtime.log)
    assert row == {
        "position": 1, "activity_id": event.originator_id.hex, "reference": "2020 published",
        "version": event.originator_version, "kind": "target_set", "occurred_at": "2021-01-01T17:00:30.000000Z",
        "occurred_date": "2021-01-02", "recorded_at": "2021-01-01T17:00:30.000000Z", "actor": "kabag",
        "title": "87.50", "leaders": None, "location": None, "channel": None, "evidence_ref": None,
        "fact_kind": None, "sha256": None, "setting": "published", "note": "Perjanjian Kinerja", "targets": None, "withdrawn_position": None, "withdrawn_at": None,
        "withdrawn_by": None, "withdrawn_reason": None, "indicator": None, "exclusion_reason": None,
        "held_leaders": None, "document": None,
    }


def test_every_row_keeps_the_log_position_it_was_applied_at(runtime, tmp_path):
    schedule(runtime)
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="web", evidence_ref="https://a",
                   actor="budi")
    runtime.log.set_target(2020, "published", "87.5", reason="Perjanjian Kinerja", actor="kabag")
    db = open_readmodel(tmp_path / "other.sqlite3")
    projector = Projector(db)
    for position, event in zip((10, 20, 30, 40), stored_events(runtime.log), strict=True):
        projector.apply(position, event)  # positions with gaps: no row may take the next free one instead
    projector.flush()
    assert [(row["position"], row["kind"]) for row in db.query("SELECT * FROM events ORDER BY position")] == \
        [(10, "scheduled"), (20, "held"), (30, "published"), (40, "target_set")]


def test_a_later_step_of_a_period_finds_its_period_in_this_batch_or_in_the_rows_written(runtime):
    from domain.closing import PeriodClose
    from projections import closemodel

    runtime.log.add_account("siti", role="operator", password_hash="x", actor="setup")
    runtime.log.add_account("kasubbag", role="verifier", password_hash="x", actor="setup")
    runtime.log.take_step("2020-Q1", "submit", actor="siti")
    runtime.log.take_step("2020-Q1", "verify", actor="kasubbag")
    expected = [("2020-Q1", "submit"), ("2020-Q1", "verify")]
    one_batch = Follower(runtime.log, open_readmodel(":memory:"), batch_size=100)  # the first step in the batch
    one_batch.catch_up()
    by_one = Follower(runtime.log, open_readmodel(":memory:"), batch_size=1)  # the first step already written
    by_one.catch_up()
    for follower in (one_batch, by_one):
        assert [(r["code"], r["step"]) for r in follower.db.query("SELECT * FROM period_steps ORDER BY position")] \
            == expected
    [first, verified] = [e for e in stored_events(runtime.log) if type(e).__module__ == PeriodClose.__module__]
    alone = Projector(open_readmodel(":memory:"))
    with pytest.raises(ProjectionError, match="never saw submitted"):
        closemodel.on_step(alone, 99, verified)
    assert alone.event_row(first.originator_id.hex, 1) is None
