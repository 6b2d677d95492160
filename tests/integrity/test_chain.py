"""The hash chain: every way of editing the SQLite event store behind the app's back is found, at the
right position, by `iku verify`; seals pin the log up to a position."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.times import parse_instant
from projections import chain
from projections.catchup import ChainMismatchError
from projections.chain import IMMUTABLE_TRIGGERS
from services.runtime import Runtime

T = parse_instant


def verify(data, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "verify", *args])


def tamper(data, *statements, params=()):
    conn = sqlite3.connect(data / "events.sqlite3", isolation_level=None)
    conn.execute("DROP TRIGGER stored_events_never_updated")
    conn.execute("DROP TRIGGER stored_events_never_deleted")
    for statement in statements:
        conn.execute(statement, params) if "?" in statement else conn.execute(statement)
    for statement in IMMUTABLE_TRIGGERS:
        conn.execute(statement)
    conn.close()


def seal_now(data) -> str:
    runtime = Runtime(data, database_url="")
    try:
        return str(chain.head(runtime.db))
    finally:
        runtime.close()


def test_a_clean_store_verifies(data):
    result = verify(data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rantai utuh: 6 peristiwa diperiksa")


def test_the_store_refuses_update_and_delete(data):
    conn = sqlite3.connect(data / "events.sqlite3")
    for statement in ("UPDATE stored_events SET topic = 'x'", "DELETE FROM stored_events WHERE rowid = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute(statement)
    conn.close()


def test_an_edited_payload_is_found_at_its_position(data):
    tamper(data, "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), 'https://x/1', 'https://y/1') AS BLOB) WHERE rowid = 3")
    result = verify(data)
    assert result.exit_code == 1
    assert "iku: rantai rusak di posisi 3:" in result.stderr


def test_a_deleted_row_is_found(data):
    tamper(data, "DELETE FROM stored_events WHERE rowid = 2")
    assert "posisi 2:" in verify(data).stderr


def test_two_swapped_rows_are_found_at_the_first(data):
    tamper(data,
           "UPDATE stored_events SET rowid = 100 WHERE rowid = 4",
           "UPDATE stored_events SET rowid = 4 WHERE rowid = 5",
           "UPDATE stored_events SET rowid = 5 WHERE rowid = 100")
    result = verify(data)
    assert result.exit_code == 1 and "posisi 4:" in result.stderr


def test_a_forged_row_with_a_past_recording_time_is_found(data):
    forged = uuid.uuid4().hex
    tamper(data, "INSERT INTO stored_events (originator_id, originator_version, topic, state)"
                 " SELECT ?, 1, topic, state FROM stored_events WHERE rowid = 1", params=(forged,))
    result = verify(data)
    assert result.exit_code == 1 and "posisi 7:" in result.stderr and "mundur" in result.stderr


def test_a_seal_from_before_an_edit_fails_and_one_from_before_an_append_holds(data):
    old_seal = seal_now(data)
    runtime = Runtime(data, database_url="")
    runtime.record("documented", "AG-1", occurred_at=T("2020-01-01T10:00"), channel="foto", evidence_ref="A/1",
                   actor="siti")
    runtime.close()
    holds = verify(data, "--seal", old_seal)
    assert holds.exit_code == 0 and "cocok" in holds.stdout
    tamper(data, "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), 'Rapat', 'Rapat ulang') AS BLOB) WHERE rowid = 1")
    broken = verify(data, "--seal", old_seal)
    assert broken.exit_code == 1


def chain_seal_now(data) -> str:
    runtime = Runtime(data, database_url="")
    try:
        return chain.head(runtime.db).chain_text()
    finally:
        runtime.close()


@pytest.mark.parametrize("forged", ["6:" + "0" * 64, "mth:6:" + "0" * 64, "3:" + "0" * 64, "mth:3:" + "0" * 64])
def test_a_forged_seal_does_not_verify(data, forged):
    result = verify(data, "--seal", forged)
    assert result.exit_code == 1
    assert "log sampai posisi ini tidak sama dengan saat segel dicetak" in result.stderr


@pytest.mark.parametrize("beyond", ["7:" + "0" * 64, "mth:7:" + "0" * 64])
def test_a_seal_beyond_the_log_does_not_verify(data, beyond):
    result = verify(data, "--seal", beyond)
    assert result.exit_code == 1 and "segel menunjuk posisi yang belum ada di log" in result.stderr


def test_a_seal_printed_before_the_tree_still_verifies_and_names_the_same_log(data):
    old = chain_seal_now(data)  # `POSITION:DIGEST`, as reports printed it before the Merkle tree
    assert re.fullmatch(r"6:[0-9a-f]{64}", old)
    assert seal_now(data).startswith("mth:6:")
    for seal in (old, seal_now(data), seal_now(data).upper().replace("MTH", "mth"), f"  {old} "):
        result = verify(data, "--seal", seal)
        assert result.exit_code == 0, result.output
        assert "cocok" in result.stdout


@pytest.mark.parametrize("text", ["", "mth:", "mth:0:" + "0" * 64, "6:" + "0" * 63, "mth:6:" + "g" * 64, "x:1:2",
                                  "6" + "0" * 64, "mth:-1:" + "0" * 64, "mth:١:" + "0" * 64])
def test_a_malformed_seal_is_refused_as_a_usage_error(data, text):
    result = verify(data, "--seal", text)
    assert result.exit_code == 2 and "mth:UKURAN:AKAR atau POSISI:DIGEST" in result.output


def test_rebuild_refuses_to_bless_a_tampered_store(data):
    tamper(data, "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), 'https://x/2', 'https://z/2') AS BLOB) WHERE rowid = 6")
    runtime = Runtime(data, database_url="")
    with pytest.raises(ChainMismatchError):
        runtime.rebuild()
    assert runtime.follower.position() == 6  # the old read model is intact
    runtime.close()
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "rebuild"])
    assert result.exit_code != 0 and "iku verify" in result.stderr


def test_reports_carry_the_seal_they_were_computed_at(data):
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "report", "2020", "--format", "json"])
    import json

    report = json.loads(result.stdout)
    assert list(report)[:3] == ["period", "as_of", "indicators"]
    assert report["seal"] == seal_now(data)


def test_the_fast_canonical_form_is_byte_for_byte_the_json_one(data):
    from types import SimpleNamespace

    runtime = Runtime(data, database_url="")
    try:
        events = list(chain.stored_events(runtime.log))
    finally:
        runtime.close()
    assert events
    for notification, event in events:
        assert chain.canonical(notification, event.timestamp) == chain._canonical_json(notification, event.timestamp)
    notification, event = events[0]
    for topic in ('odd"topic', "tópico", "back\\slash"):
        odd = SimpleNamespace(topic=topic, originator_id=notification.originator_id,
                              originator_version=notification.originator_version, state=notification.state)
        assert chain.canonical(odd, event.timestamp) == chain._canonical_json(odd, event.timestamp)
