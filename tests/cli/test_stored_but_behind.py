"""A write the event store committed is reported as stored even when the read model cannot take it (a full
disk, revoked rights): a distinct exit status and message, and the view catches up once the cause is gone."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import STORED_BUT_BEHIND, cli
from domain.times import parse_instant
from projections import read
from services.errors import StoredButBehindError
from services.runtime import Runtime
from tests.conftest import wait_until

CSV = ("activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
       "AG-2020-00001,scheduled,2020-01-06T08:00,Apel pagi,walikota,Balai Kota,,,\n"
       "AG-2020-00001,held,2020-01-06T08:00,,,,,,\n")


def test_an_import_stored_while_the_view_cannot_follow_says_so_with_its_own_exit_status(tmp_path, full_disk):
    data, agenda = tmp_path / "data", tmp_path / "agenda.csv"
    agenda.write_text(CSV)
    runner = CliRunner()
    result = runner.invoke(cli, ["--data-dir", str(data), "import", str(agenda)])
    assert result.exit_code == STORED_BUT_BEHIND
    assert "tersimpan: 2 peristiwa" in result.output and "database or disk is full" in result.output
    full_disk["on"] = False
    again = runner.invoke(cli, ["--data-dir", str(data), "report", "2020", "--format", "json"])
    assert again.exit_code == 0, again.output
    assert '"denominator": 1' in again.output
    refused = runner.invoke(cli, ["--data-dir", str(data), "import", str(agenda)])
    assert refused.exit_code == 1  # stored once: entering it again is refused, as the message warned


def test_the_english_message_says_stored_too(tmp_path, full_disk):
    agenda = tmp_path / "agenda.csv"
    agenda.write_text(CSV)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--lang", "en", "import", str(agenda)])
    assert result.exit_code == STORED_BUT_BEHIND and "stored: 2 event(s)" in result.output


def test_a_following_server_catches_up_by_itself_once_the_cause_is_gone(tmp_path, full_disk):
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        with pytest.raises(StoredButBehindError) as behind:
            runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="",
                           occurred_at=parse_instant("2020-01-06T08:00"), actor="siti")
        assert behind.value.count == 1
        following = runtime.follow(interval=0.05)
        assert wait_until(lambda: following.error is not None)
        full_disk["on"] = False
        assert wait_until(lambda: read.activities.activity(runtime.reader(), "AG-1") is not None)
    finally:
        runtime.close()
