"""The audit log is every event in the store, each with its actor and time: activities, accounts, targets
and the institution profile alike, with no gap in the positions."""

from __future__ import annotations

from argon2 import PasswordHasher

from domain.times import parse_instant
from projections import db as readmodel_db
from projections import read
from services import accounts


def history(runtime, monkeypatch) -> None:
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts.add_user(runtime, "kabag", "admin", "kata-sandi-uji-panjang", actor="setup")
    when = parse_instant("2020-03-02T09:00")
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=when, actor="siti")
    runtime.log.set_target(2020, "published", "87.5", reason="Perjanjian Kinerja 2020", actor="kabag")
    runtime.log.set_profile("pemda", "Pemerintah Kota Uji", actor="kabag")
    runtime.log.disable_account("kabag", actor="setup", reason="pindah tugas")


def every_row(db) -> list[dict]:
    return read.audit.audit_log(db, limit=1000)["rows"]


def test_every_position_of_the_store_is_in_the_audit_log_with_actor_and_time(runtime, monkeypatch):
    history(runtime, monkeypatch)
    rows = every_row(runtime.fresh())
    assert [row["position"] for row in rows] == list(range(1, runtime.follower.head() + 1))
    assert all(row["actor"] and row["recorded_at"] for row in rows)
    assert [row["kind"] for row in rows] == ["account_created", "scheduled", "target_set", "profile_started",
                                             "profile_changed", "account_disabled"]
    target = rows[2]
    assert (target["reference"], target["title"], target["note"], target["actor"]) == \
        ("2020 published", "87.50", "Perjanjian Kinerja 2020", "kabag")
    assert (rows[4]["setting"], rows[4]["title"], rows[4]["channel"]) == ("pemda", "Pemerintah Kota Uji", None)
    assert (target["setting"], target["channel"]) == ("published", None)
    assert (rows[5]["reference"], rows[5]["note"]) == ("kabag", "pindah tugas")
    assert [row["of_activity"] for row in rows] == [False, True, False, False, False, False]


def test_the_audit_log_filters_by_each_kind_of_event(runtime, monkeypatch):
    history(runtime, monkeypatch)
    db = runtime.fresh()
    assert [row["kind"] for row in read.audit.audit_log(db, kind="target_set", limit=50)["rows"]] == ["target_set"]
    kabag = read.audit.audit_log(db, reference="kabag", limit=50)["rows"]
    assert [row["reference"] for row in kabag] == ["kabag", "kabag"]


def test_a_read_model_made_before_is_replayed_whole_with_its_chain_checked(runtime, monkeypatch):
    history(runtime, monkeypatch)
    before = every_row(runtime.fresh())
    with runtime.db.conn:
        readmodel_db.m008_every_event_in_the_log(runtime.db)  # what opening an older read model runs
    assert every_row(runtime.db) == []
    assert every_row(runtime.fresh()) == before
