"""Moving a demo year from the embedded SQLite store to PostgreSQL: same reports, same seal, or refused."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.times import UTC
from projections import chain
from services.demo import build_demo
from services.runtime import Runtime
from tests.conftest import postgres_schema, require_postgres

pytestmark = pytest.mark.postgres

PERIODS = ("2020", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020-03")
AS_OF = (None, "2020-04-05", "2020-07-01T12:00")


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"
    build_demo(data, end=datetime(2021, 1, 1, tzinfo=UTC))  # the demo year: ~1,500 activities
    return data


@pytest.fixture
def source(demo_year, tmp_path):
    copy = tmp_path / "source"
    shutil.copytree(demo_year, copy)
    return copy


@pytest.fixture
def target():
    require_postgres()
    with postgres_schema() as url:
        yield url


def iku(data_dir, *args, url=None, evidence=None):
    env = {"IKU_DATABASE_URL": url or "", **({"IKU_EVIDENCE_DIR": str(evidence)} if evidence else {})}
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], env=env)


def reports(data_dir, url=None) -> dict:
    found = {}
    for period in PERIODS:
        for as_of in AS_OF:
            args = ["report", period, "--format", "json"] + (["--as-of", as_of] if as_of else [])
            result = iku(data_dir, *args, url=url)
            assert result.exit_code == 0, result.output
            found[(period, as_of)] = json.loads(result.output)
    return found


def seal_of(data_dir, url=None) -> chain.Seal:
    opened = Runtime(data_dir, database_url=url or "")
    try:
        result = chain.verify(opened.log, opened.fresh())
        assert result.ok, result.finding
        return result.head
    finally:
        opened.close()


def test_a_demo_year_moves_to_postgresql_with_identical_reports_and_seal(source, target, tmp_path):
    before, seal = reports(source), seal_of(source)
    assert before[("2020", None)]["indicators"][0]["denominator"] > 1000 and seal.position > 6000
    moved = iku(source, "migrate", "--to", target)
    assert moved.exit_code == 0, moved.output
    assert f"segel {seal}" in moved.output
    node = tmp_path / "node"  # a node on the new store: its read model is built from PostgreSQL
    assert reports(node, url=target) == before
    assert seal_of(node, url=target) == seal
    # the demo's files stay where they are: the new node is pointed at them, as the migration says
    assert iku(node, "verify", "--seal", str(seal), url=target, evidence=source / "evidence").exit_code == 0
    assert reports(source) == before  # the source is untouched


def count(url) -> int:
    opened = Runtime(None, database_url=url, catch_up=False)
    try:
        return opened.log.recorder.max_notification_id() or 0
    finally:
        opened.close()


def test_a_non_empty_target_is_refused_and_left_as_it_was(source, target, tmp_path):
    assert iku(source, "migrate", "--to", target).exit_code == 0
    stored = count(target)
    again = iku(source, "migrate", "--to", target)
    assert again.exit_code != 0 and "sudah berisi" in again.output and "Traceback" not in again.output
    assert count(target) == stored


def test_a_source_that_was_tampered_with_is_not_copied(source, target):
    seal_of(source)  # the read model has chained every event
    conn = sqlite3.connect(source / "events.sqlite3")
    conn.execute("DROP TRIGGER stored_events_never_updated")
    conn.execute("UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), 'Balai', 'Pasar') AS BLOB)"
                 " WHERE rowid = (SELECT rowid FROM stored_events WHERE CAST(state AS TEXT) LIKE '%Balai%' LIMIT 1)")
    conn.commit()
    conn.close()
    refused = iku(source, "migrate", "--to", target)
    assert refused.exit_code != 0 and "tidak utuh" in refused.output
    assert count(target) == 0


def test_a_copy_that_would_shift_positions_is_rolled_back(source, target):
    import psycopg

    probe = Runtime(None, database_url=target, catch_up=False)  # creates the table and its sequence
    probe.close()
    schema = target.rsplit("schema=", 1)[1]
    with psycopg.connect(target.split("?")[0], autocommit=True) as conn:
        conn.execute(f"SELECT nextval(pg_get_serial_sequence('{schema}.activitylog_events', 'notification_id'))")
    refused = iku(source, "migrate", "--to", target)
    assert refused.exit_code != 0 and "posisi 2" in refused.output
    assert count(target) == 0


def test_the_target_must_be_postgresql_or_a_data_dir(source):
    refused = iku(source, "migrate", "--to", "sqlite:///x.db")
    assert refused.exit_code != 0 and "postgresql://" in refused.output and "Traceback" not in refused.output
    refused = iku(source, "migrate", "--to", str(source))
    assert refused.exit_code != 0 and "sedang dipakai" in refused.output


def test_a_demo_year_round_trips_back_to_sqlite(source, target, tmp_path):
    before, seal = reports(source), seal_of(source)
    assert iku(source, "migrate", "--to", target).exit_code == 0
    node = tmp_path / "node"
    # PostgreSQL → SQLite again, from a node that shares the files' directory as nodes do
    back = iku(node, "migrate", "--to", str(tmp_path / "back"), url=target, evidence=source / "evidence")
    assert back.exit_code == 0, back.output
    assert reports(tmp_path / "back") == before
    assert seal_of(tmp_path / "back") == seal
    assert iku(tmp_path / "back", "verify", "--seal", str(seal)).exit_code == 0
    stored = (tmp_path / "back" / "events.sqlite3").stat().st_size
    again = iku(node, "migrate", "--to", str(tmp_path / "back"), url=target)
    assert again.exit_code != 0 and "sudah berisi" in again.output
    assert (tmp_path / "back" / "events.sqlite3").stat().st_size == stored


def test_english_messages(source):
    refused = CliRunner().invoke(cli, ["--lang", "en", "--data-dir", str(source), "migrate", "--to", "mysql://x"],
                                 env={"IKU_DATABASE_URL": ""})
    assert refused.exit_code != 0 and "must be postgresql://… or a data directory" in refused.output


def test_a_copy_that_arrives_changed_is_not_committed(source, target, monkeypatch):
    from services import migrate as migration

    real = migration.StoredEvent

    def garbled(**fields):  # a transfer that changes one stored payload on the way
        if b"Balai Kota" in fields["state"] and not garbled.done:
            garbled.done = True
            fields["state"] = fields["state"].replace(b"Balai Kota", b"Pasar Kota")
        return real(**fields)

    garbled.done = False
    monkeypatch.setattr(migration, "StoredEvent", garbled)
    refused = iku(source, "migrate", "--to", target)
    assert garbled.done and refused.exit_code != 0 and "salinan tidak sama" in refused.output
    assert count(target) == 0


@pytest.fixture
def with_evidence(tmp_path):
    """A small SQLite data dir with a photo attached to a publication."""
    from domain.times import parse_instant as T

    data = tmp_path / "small"
    runtime = Runtime(data, database_url="")
    runtime.record("scheduled", "AG-1", title="Apel", leaders=["walikota"], location="Balai", actor="siti",
                   occurred_at=T("2020-01-06T07:00"))
    runtime.record("held", "AG-1", occurred_at=T("2020-01-06T07:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-01-06T09:00"), channel="website",
                   evidence_ref="https://x/1", actor="siti")
    runtime.close()
    photo = tmp_path / "foto.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40))
    assert iku(data, "attach", "AG-1", "published", str(photo), "--actor", "siti").exit_code == 0
    return data


def test_a_data_dir_target_gets_the_evidence_files_too(with_evidence, tmp_path):
    moved = iku(with_evidence, "migrate", "--to", str(tmp_path / "copy"))
    assert moved.exit_code == 0, moved.output
    assert "1 berkas bukti disalin" in moved.output
    verified = iku(tmp_path / "copy", "verify")
    assert verified.exit_code == 0, verified.output  # the chain and every attached file


def test_a_postgresql_target_says_where_the_evidence_files_stay(with_evidence, target):
    moved = iku(with_evidence, "migrate", "--to", target)
    assert moved.exit_code == 0, moved.output
    assert "1 berkas bukti tetap di" in moved.output and "IKU_EVIDENCE_DIR" in moved.output


def test_an_altered_evidence_file_stops_the_copy_before_anything_is_written(with_evidence, tmp_path):
    stored = next((with_evidence / "evidence").glob("??/*"))
    stored.write_bytes(stored.read_bytes() + b"x")
    refused = iku(with_evidence, "migrate", "--to", str(tmp_path / "copy"))
    assert refused.exit_code != 0 and "tidak sesuai digest" in refused.output
    assert not (tmp_path / "copy" / "evidence").exists()
    opened = Runtime(tmp_path / "copy", database_url="")
    assert opened.follower.head() == 0
    opened.close()
