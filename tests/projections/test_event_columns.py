"""Each column of the read model's `events` table means one thing, whatever the kind of event: the kind a
withdrawal takes back or a file supports is `fact_kind`, a file's digest is `sha256`, what a target or the
profile sets is `setting`; `channel` and `evidence_ref` are an evidence fact's own."""

from __future__ import annotations

from domain.times import parse_instant
from projections import db as readmodel_db
from tests.projections.test_readmodel_rows import schedule

T = parse_instant
EVIDENCE = ("published", "documented", "protocol_served")
#: the kinds of event that may fill each column (any other leaves it empty)
FILLED_BY = {
    "channel": set(EVIDENCE),
    "evidence_ref": {*EVIDENCE, "withdrawn"},
    "fact_kind": {"withdrawn", "attached"},
    "sha256": {"attached"},
    "setting": {"target_set", "profile_changed"},
    "indicator": {"excluded"},
    "exclusion_reason": {"excluded"},
    "held_leaders": {"held"},
}


def history(runtime) -> None:
    schedule(runtime)
    schedule(runtime, reference="AG-2")
    runtime.record("held", "AG-1", occurred_at=T("2020-03-31T11:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="web", evidence_ref="https://a",
                   actor="budi")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref="https://a", reason="salah",
                   occurred_at=T("2020-04-01T08:00"), actor="auditor")
    runtime.record("documented", "AG-1", occurred_at=T("2020-03-31T12:00"), channel="foto", evidence_ref="ARSIP/1",
                   actor="budi")
    batch = runtime.batch()
    batch.attach("AG-1", "documented", occurred_at=T("2020-04-01T09:00"), actor="budi", sha256="ab" * 32,
                 name="foto.png", size=1234, media_type="image/png")
    runtime.commit(batch)
    runtime.record("excluded", "AG-1", indicator="protocol_served", exclusion_reason="diwakilkan",
                   note="diwakili asisten", occurred_at=T("2020-04-01T10:00"), actor="siti")
    runtime.record("rescheduled", "AG-2", occurred_at=T("2020-04-02T08:00"), leaders=["sekda"], actor="siti")
    runtime.record("held", "AG-2", occurred_at=T("2020-04-02T08:00"), actor="siti")
    runtime.log.set_target(2020, "published", "87.5", reason="Perjanjian Kinerja 2020", actor="kabag")
    runtime.log.set_profile("pemda", "Pemerintah Kota Uji", actor="kabag")


def rows(db) -> list[dict]:
    return [dict(row) for row in db.query("SELECT * FROM events ORDER BY position")]


def test_each_event_column_is_filled_only_by_the_kinds_it_belongs_to(runtime):
    history(runtime)
    found = rows(runtime.fresh())
    assert {row["kind"] for row in found} >= {"withdrawn", "attached", "target_set", "profile_changed", *EVIDENCE[:2]}
    for row in found:
        for column, kinds in FILLED_BY.items():
            assert (row[column] is not None) == (row["kind"] in kinds), (column, row)
    withdrawal, attachment, target, profile = (next(r for r in found if r["kind"] == kind)
                                               for kind in ("withdrawn", "attached", "target_set", "profile_changed"))
    assert (withdrawal["fact_kind"], withdrawal["evidence_ref"]) == ("published", "https://a")
    assert (attachment["fact_kind"], attachment["sha256"]) == ("documented", "ab" * 32)
    assert (target["setting"], profile["setting"]) == ("published", "pemda")


def test_a_read_model_made_before_moves_each_value_to_its_own_column_without_a_replay(runtime):
    history(runtime)
    db = runtime.fresh()
    now = rows(db)
    # The layout before: the other meanings in `channel`, a file's digest in `evidence_ref`.
    with db.conn:
        db.execute("UPDATE events SET channel = fact_kind WHERE kind = 'withdrawn'")
        db.execute("UPDATE events SET channel = fact_kind, evidence_ref = sha256 WHERE kind = 'attached'")
        db.execute("UPDATE events SET channel = setting WHERE kind IN ('target_set', 'profile_changed')")
        for column in ("fact_kind", "sha256", "setting"):
            db.execute(f"ALTER TABLE events DROP COLUMN {column}")
    assert "fact_kind" not in db["events"].columns_dict
    with db.conn:
        readmodel_db.m010_one_meaning_per_event_column(db)  # what opening an older read model runs
    assert rows(db) == now


def test_a_read_model_made_before_exclusions_learns_whose_activity_each_held_was_without_a_replay(runtime):
    history(runtime)
    db = runtime.fresh()
    now = rows(db)
    held = {row["reference"]: row["held_leaders"] for row in now if row["kind"] == "held"}
    assert held == {"AG-1": "walikota;sekda", "AG-2": "sekda"}  # AG-2: as rescheduled before it was held
    # The layout before: no exclusion, nor the leaders of a held, nor the PK's kinds of target.
    with db.conn:
        db.execute("DELETE FROM events WHERE kind = 'excluded'")
        db.execute("DROP INDEX events_held_by_date")
        for column in ("indicator", "exclusion_reason", "held_leaders"):
            db.execute(f"ALTER TABLE events DROP COLUMN {column}")
        for column in ("kind", "quarter", "basis_number", "basis_date"):
            db.execute(f"ALTER TABLE targets DROP COLUMN {column}")
        db.execute("DROP TABLE definitions")
    with db.conn:
        readmodel_db.m012_manual_exclusions_and_pk(db)  # what opening an older read model runs
    assert [row for row in rows(db)] == [row for row in now if row["kind"] != "excluded"]
    assert [row["kind"] for row in db.query("SELECT kind FROM targets")] == ["awal"]
