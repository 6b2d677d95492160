"""The other read questions: the drill-down's pages, one activity and its trail, a bundle's events and files
as of an instant, accounts, and the institution profile."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from domain.indicators import BY_CODE
from domain.periods import parse_period
from domain.profile import DEFAULTS
from domain.times import UTC, now, parse_instant
from projections import read
from services import accounts
from tests.conftest import SteppingClock, open_runtime

T = parse_instant
MICROSECOND = timedelta(microseconds=1)
PASSWORD = "kata-sandi-uji-panjang"


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC))


@pytest.fixture
def runtime(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as opened:
        yield opened


def held(runtime, reference, held_at, evidence=(), leaders=("walikota",)):
    runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=list(leaders), location="Balai",
                   occurred_at=T(held_at), actor="siti")
    runtime.record("held", reference, occurred_at=T(held_at), actor="siti")
    for kind in evidence:
        runtime.record(kind, reference, occurred_at=T(held_at), channel="web", evidence_ref=f"{reference}/{kind}",
                       actor="budi")


def attach(runtime, reference, kind, sha256, name, at="2020-02-10T09:00"):
    batch = runtime.batch()
    batch.attach(reference, kind, sha256=sha256, name=name, size=10, media_type="image/jpeg", occurred_at=T(at),
                 actor="budi")
    runtime.commit(batch)


@pytest.fixture
def four_held(runtime):
    """Q1 2020: AG-1 published, AG-2 to AG-4 not yet, held in the order AG-3, AG-2, AG-4 (AG-4 by two leaders)."""
    held(runtime, "AG-1", "2020-01-05T09:00", ["published"])
    held(runtime, "AG-2", "2020-02-05T09:00")
    held(runtime, "AG-3", "2020-01-20T09:00")
    held(runtime, "AG-4", "2020-03-31T23:59", leaders=("walikota", "sekda"))
    held(runtime, "AG-5", "2020-04-01T00:00")
    return runtime.fresh()


def drilldown(db, code="published", **pages):
    return read.indicators.drilldown(db, parse_period("2020-Q1"), BY_CODE[code], now(), **{"missing_page": 1, "counted_page": 1,
                                                                          "page_size": 2, **pages})


def refs(items):
    return [item["reference"] for item in items]


@pytest.mark.parametrize(("missing_page", "shown", "rows"), [
    (1, 1, ["AG-3", "AG-2"]),
    (2, 2, ["AG-4"]),
    (3, 2, ["AG-4"]),  # beyond the last page: the last
    (0, 1, ["AG-3", "AG-2"]),  # before the first: the first
    (-4, 1, ["AG-3", "AG-2"]),
])
def test_drilldown_pages_the_to_do_list_in_held_order(four_held, missing_page, shown, rows):
    result = drilldown(four_held, missing_page=missing_page)
    assert refs(result["missing"]) == rows
    assert (result["missing_total"], result["missing_page"], result["missing_pages"]) == (3, shown, 2)
    assert (refs(result["counted"]), result["counted_total"], result["counted_page"], result["counted_pages"]) == (
        ["AG-1"], 1, 1, 1)
    assert result["page_size"] == 2 and result["indicator"] is BY_CODE["published"]


def test_drilldown_pages_the_counted_list_and_an_empty_one_has_one_page(four_held):
    nothing = drilldown(four_held, code="documented", page_size=3, counted_page=2)
    assert (nothing["counted"], nothing["counted_total"], nothing["counted_page"], nothing["counted_pages"]) == (
        [], 0, 1, 1)
    assert (refs(nothing["missing"]), nothing["missing_pages"]) == (["AG-1", "AG-3", "AG-2"], 2)
    exact = drilldown(four_held, code="documented", page_size=4)
    assert (refs(exact["missing"]), exact["missing_pages"]) == (["AG-1", "AG-3", "AG-2", "AG-4"], 1)


def test_drilldown_items_carry_what_the_list_shows(four_held):
    last = drilldown(four_held, missing_page=2)["missing"]
    assert last == [{"reference": "AG-4", "title": "Kegiatan AG-4", "leaders": ["walikota", "sekda"],
                     "location": "Balai", "held_at": T("2020-03-31T23:59")}]


def test_activity_is_found_by_its_reference_with_times_decoded(runtime, clock):
    runtime.record("scheduled", "AG-7", title="Rapat", leaders=["sekda"], location="",
                   occurred_at=T("2021-02-01T09:00"), actor="siti")
    scheduled = clock.current
    found = read.activities.activity(runtime.fresh(), "  AG-7 ")
    assert (found["reference"], found["leaders"], found["status"]) == ("AG-7", ["sekda"], "scheduled")
    assert (found["planned_start"], found["scheduled_at"], found["held_at"]) == (
        T("2021-02-01T09:00"), scheduled, None)
    assert "last_recorded_at" not in found  # written by nothing any more (read-model migration m009)
    assert read.activities.activity(runtime.db, "AG-8") is None


def test_trail_links_withdrawals_and_files_to_the_facts_they_concern(runtime):
    held(runtime, "AG-1", "2020-02-01T09:00", ["published", "documented"])
    held(runtime, "AG-2", "2020-02-01T09:00", ["documented"])
    attach(runtime, "AG-1", "documented", "ab" * 32, "foto.jpg")
    attach(runtime, "AG-2", "documented", "cd" * 32, "lain.jpg")
    attach(runtime, "AG-1", "documented", "ef" * 32, "foto-2.jpg")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2020-02-03"), actor="auditor")
    trail = read.activities.trail(runtime.fresh(), " AG-1 ")
    assert trail["activity"]["reference"] == "AG-1"
    events = {event["kind"]: event for event in trail["events"]}
    assert [e["kind"] for e in trail["events"]] == ["scheduled", "held", "published", "documented", "attached",
                                                    "attached", "withdrawn"]
    assert [a["name"] for a in events["documented"]["attachments"]] == ["foto.jpg", "foto-2.jpg"]
    assert [e["attachments"] for e in trail["events"] if e["kind"] != "documented"] == [[]] * 6
    assert events["withdrawn"]["target_positions"] == [events["published"]["position"]]
    assert events["attached"]["target_positions"] == [events["documented"]["position"]]
    assert events["held"]["target_positions"] == []
    assert read.activities.trail(runtime.db, "AG-404") is None


def test_events_of_leave_out_what_was_recorded_after_as_of(runtime, clock):
    held(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    held(runtime, "AG-2", "2020-02-01T09:00")
    held(runtime, "AG-3", "2020-02-01T09:00")
    runtime.record("documented", "AG-1", occurred_at=T("2020-02-02"), channel="foto", evidence_ref="F",
                   actor="budi")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2020-02-03"), actor="auditor")
    withdrawn = clock.current
    db = runtime.fresh()
    ids = [read.activities.activity(db, ref)["activity_id"] for ref in ("AG-2", "AG-1")]

    def seen(as_of):
        return [(e["reference"], e["kind"], e["withdrawn_position"], e["withdrawn_by"])
                for e in read.activities.events_of(db, ids, (as_of or now()))]

    assert seen(withdrawn) == [
        ("AG-1", "scheduled", None, None), ("AG-1", "held", None, None), ("AG-1", "published", 9, "auditor"),
        ("AG-2", "scheduled", None, None), ("AG-2", "held", None, None),
        ("AG-1", "documented", None, None), ("AG-1", "withdrawn", None, None)]
    assert seen(None) == seen(withdrawn)
    before = [e for e in read.activities.events_of(db, ids, withdrawn - MICROSECOND)]
    assert [(e["kind"], e["withdrawn_position"], e["withdrawn_at"], e["withdrawn_by"], e["withdrawn_reason"])
            for e in before if e["reference"] == "AG-1"] == [
        ("scheduled", None, None, None, None), ("held", None, None, None, None),
        ("published", None, None, None, None), ("documented", None, None, None, None)]
    assert read.activities.events_of(db, [], now()) == []


def test_files_are_found_by_activity_and_by_digest_in_log_order(runtime):
    held(runtime, "AG-1", "2020-02-01T09:00", ["documented"])
    held(runtime, "AG-2", "2020-02-01T09:00", ["documented"])
    held(runtime, "AG-3", "2020-02-01T09:00", ["documented"])
    attach(runtime, "AG-2", "documented", "cd" * 32, "b.jpg")
    attach(runtime, "AG-1", "documented", "ab" * 32, "a.jpg")
    attach(runtime, "AG-3", "documented", "ef" * 32, "c.jpg")
    attach(runtime, "AG-1", "documented", "cd" * 32, "b-again.jpg")
    db = runtime.fresh()
    ids = [read.activities.activity(db, ref)["activity_id"] for ref in ("AG-1", "AG-2")]
    assert [row["name"] for row in read.activities.attachments_of(db, ids)] == ["b.jpg", "a.jpg", "b-again.jpg"]
    assert read.activities.attachments_of(db, []) == []
    assert read.activities.attachment(db, "cd" * 32)["name"] == "b.jpg"
    assert read.activities.attachment(db, "00" * 32) is None
    assert read.activities.all_attachments(db) == [  # AG-1 to AG-3 take positions 1 to 9
        {"position": 10, "sha256": "cd" * 32}, {"position": 11, "sha256": "ab" * 32},
        {"position": 12, "sha256": "ef" * 32}, {"position": 13, "sha256": "cd" * 32}]


def test_account_is_found_by_any_spelling_and_counts_password_changes(runtime, clock):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="setup")
    created = clock.current
    accounts.add_user(runtime, "budi", "admin", PASSWORD, actor="setup")
    db = runtime.fresh()
    assert read.accounts.account(db, "  SITI ")["password_version"] == 0
    assert read.accounts.account(db, "") is None and read.accounts.account(db, None) is None
    accounts.change_role(runtime, "siti", "auditor", actor="budi")
    accounts.set_password(runtime, "siti", PASSWORD + "-2", actor="siti")
    accounts.reset_password(runtime, "siti", PASSWORD + "-3", actor="budi", reason="lupa")
    changed = clock.current
    found = read.accounts.account(runtime.fresh(), "Siti")
    assert (found["username"], found["role"], found["password_version"]) == ("siti", "auditor", 2)
    listed = read.accounts.accounts(runtime.db)
    assert [(a["username"], a["role"]) for a in listed] == [("budi", "admin"), ("siti", "auditor")]
    assert all("password_hash" not in a for a in listed) and "password_hash" in found
    assert (listed[1]["created_at"], listed[1]["changed_at"]) == (created, changed)
    assert [row["kind"] for row in read.accounts.account_log(runtime.db, " SITI ")] == [
        "created", "role_changed", "password_changed", "password_reset"]
    assert read.accounts.account_log(runtime.db, "siti")[0]["recorded_at"] == created
    assert [row["username"] for row in read.accounts.account_log(runtime.db)] == ["siti", "budi", "siti", "siti", "siti"]


def test_profile_overlays_what_was_set_on_the_defaults(runtime):
    assert read.targets.profile(runtime.fresh()) == DEFAULTS
    runtime.applied(runtime.log.set_profile("tempat", "Surabaya", actor="admin"))
    assert read.targets.profile(runtime.fresh()) == {**DEFAULTS, "tempat": "Surabaya"}


def test_drilldown_counts_as_known_at_as_of(runtime, clock):
    held(runtime, "AG-1", "2020-01-05T09:00")
    before_evidence = clock.current
    runtime.record("published", "AG-1", occurred_at=T("2020-01-06T09:00"), channel="web", evidence_ref="u",
                   actor="budi")
    held(runtime, "AG-2", "2020-01-07T09:00")
    then = read.indicators.drilldown(runtime.fresh(), parse_period("2020-Q1"), BY_CODE["published"], before_evidence, page_size=5, missing_page=1, counted_page=1)
    assert (refs(then["missing"]), refs(then["counted"])) == (["AG-1"], [])
    current = read.indicators.drilldown(runtime.db, parse_period("2020-Q1"), BY_CODE["published"], now(), page_size=5, missing_page=1, counted_page=1)
    assert (refs(current["missing"]), refs(current["counted"])) == (["AG-2"], ["AG-1"])


def test_target_history_of_one_year_or_of_all(runtime, clock):
    runtime.log.set_target(2021, "published", "85", reason="Renstra", actor="kabag")
    runtime.log.set_target(2020, "documented", "70", reason="Renstra", actor="kabag")
    set_at = clock.current
    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="kabag")
    db = runtime.fresh()
    assert [(r["year"], r["code"], r["value"]) for r in read.targets.target_history(db, 2020)] == [
        (2020, "documented", "70.00"), (2020, "published", "80.00")]
    assert [(r["year"], r["code"]) for r in read.targets.target_history(db, None)] == [
        (2020, "documented"), (2020, "published"), (2021, "published")]
    assert read.targets.target_history(db, 2020)[0]["recorded_at"] == set_at


def test_no_name_finds_no_account_whatever_names_exist(runtime):
    accounts.add_user(runtime, "xxxx", "operator", PASSWORD, actor="setup")
    db = runtime.fresh()
    assert read.accounts.account(db, "XXXX ")["username"] == "xxxx"
    assert read.accounts.account(db, None) is None  # a login form without the name field
    assert read.accounts.account(db, "  ") is None
