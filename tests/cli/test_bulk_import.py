"""`iku import` of a long file: stored in chunks inside one transaction, holding only the activities still to
come; all or nothing when refused at the last row or killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from domain.application import Batch
from projections import chain
from services import csvimport
from services.runtime import Runtime
from tests.conftest import assert_data_dir_sound

HEADER = "activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
ROOT = Path(__file__).resolve().parents[2]


def agenda(count: int, prefix: str = "AG") -> str:
    """`count` activities, each scheduled, held and published on consecutive lines (as an agenda is kept)."""
    lines = [HEADER]
    for n in range(count):
        day = f"2020-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        lines += [f"{prefix}-{n:05d},scheduled,{day}T08:00,Apel {n},walikota,Balai Kota,,,\n",
                  f"{prefix}-{n:05d},held,{day}T08:00,,,,,,\n",
                  f"{prefix}-{n:05d},published,{day}T10:00,,,,website,https://kota.go.id/{n},\n"]
    return "".join(lines)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(csvimport, "CHUNK", 10)


def sound(data_dir: Path) -> None:
    runtime = Runtime(data_dir, database_url="")
    try:
        assert_data_dir_sound(runtime)
    finally:
        runtime.close()


def count_stored(data_dir: Path) -> int:
    runtime = Runtime(data_dir, database_url="", catch_up=False)
    try:
        return runtime.log.recorder.max_notification_id() or 0
    finally:
        runtime.close()


def test_a_long_file_is_stored_in_chunks_and_counted(iku, tmp_path, small_chunks):
    (tmp_path / "a.csv").write_text(agenda(40))
    result = iku("import", str(tmp_path / "a.csv"), "--actor", "siti")
    assert result.exit_code == 0, result.output
    assert "tersimpan 120 peristiwa untuk 40 kegiatan" in result.output
    assert "posisi log 1–120" in result.output
    assert count_stored(tmp_path / "data") == 120
    sound(tmp_path / "data")


def test_a_refused_last_row_stores_nothing_after_chunks_were_handed_over(iku, tmp_path, small_chunks):
    (tmp_path / "a.csv").write_text(agenda(40) + "AG-99999,held,2020-05-05T08:00,,,,,,\n")
    result = iku("import", str(tmp_path / "a.csv"), "--actor", "siti")
    assert result.exit_code == 1
    assert "line 122:" in result.output and "AG-99999" in result.output
    assert "berkas ditolak, tidak ada yang disimpan" in result.output
    assert count_stored(tmp_path / "data") == 0
    sound(tmp_path / "data")


def test_every_error_is_named_though_storing_stopped_at_the_first(iku, tmp_path, small_chunks):
    text = agenda(20).replace("AG-00003,held,", "AG-00003,dihadiri,").replace("AG-00017,held,2020-06-18T08:00",
                                                                            "AG-00017,held,18/06/2020")
    (tmp_path / "a.csv").write_text(text)
    result = iku("import", str(tmp_path / "a.csv"), "--actor", "siti")
    assert result.exit_code == 1
    assert "line 12:" in result.output and "line 54:" in result.output
    assert count_stored(tmp_path / "data") == 0


def test_memory_holds_only_the_activities_still_to_come(tmp_path, monkeypatch, small_chunks):
    """Each activity is let go at its last line, and at most one chunk of events waits to be stored."""
    held: list[tuple[int, int]] = []
    forget = Batch.forget

    def watched(self, reference):
        held.append((len(self._activities), len(self)))
        forget(self, reference)

    monkeypatch.setattr(Batch, "forget", watched)
    # Interleaved: activity n's publication comes after activity n+1 is scheduled.
    lines = agenda(60).splitlines(keepends=True)
    body = lines[1:]
    for n in range(0, len(body) - 3, 3):
        body[n + 2], body[n + 3] = body[n + 3], body[n + 2]
    (tmp_path / "a.csv").write_text(lines[0] + "".join(body))
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        result, recorded = csvimport.store_file(runtime, tmp_path / "a.csv", "siti")
        assert recorded is not None, [e.message() for e in result.errors]
    finally:
        runtime.close()
    assert len(held) == 60
    assert max(activities for activities, _ in held) == 2
    assert max(events for _, events in held) <= csvimport.CHUNK


def test_a_file_continues_stored_activities_and_cannot_schedule_them_again(iku, tmp_path, small_chunks):
    (tmp_path / "a.csv").write_text(HEADER + "AG-1,scheduled,2020-05-04T08:00,Apel,walikota,Balai Kota,,,\n")
    assert iku("import", str(tmp_path / "a.csv")).exit_code == 0
    (tmp_path / "b.csv").write_text(HEADER + "AG-1,held,2020-05-04T08:00,,,,,,\n"
                                    + "AG-2,scheduled,2020-05-05T08:00,Rapat,sekda,Aula,,,\n")
    result = iku("import", str(tmp_path / "b.csv"))
    assert result.exit_code == 0, result.output
    (tmp_path / "c.csv").write_text(HEADER + "AG-3,scheduled,2020-05-06T08:00,Rapat,sekda,Aula,,,\n"
                                    + "AG-2,scheduled,2020-05-05T08:00,Rapat,sekda,Aula,,,\n")
    result = iku("import", str(tmp_path / "c.csv"))
    assert result.exit_code == 1 and "line 3:" in result.output and "AG-2" in result.output
    assert count_stored(tmp_path / "data") == 3


KILLED = """
import os, signal, sys
from pathlib import Path
from services import csvimport
from services.runtime import Runtime
csvimport.CHUNK = 10
runtime = Runtime(Path(sys.argv[1]), database_url="")
bulk = runtime.bulk
handed = []

def killing():
    context = bulk()
    put = context.__enter__()

    def counted(events):
        handed.append(put(events))
        if len(handed) == 3:
            print("after three chunks", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return handed[-1]

    class Context:
        def __enter__(self):
            return counted

        def __exit__(self, *exc):
            return context.__exit__(*exc)

    return Context()

runtime.bulk = killing
csvimport.store_file(runtime, Path(sys.argv[2]), "siti")
print("not killed")
"""


def test_an_import_killed_half_way_leaves_the_store_as_it_was(iku, tmp_path):
    (tmp_path / "first.csv").write_text(HEADER + "AG-1,scheduled,2020-05-04T08:00,Apel,walikota,Balai Kota,,,\n")
    assert iku("import", str(tmp_path / "first.csv")).exit_code == 0
    (tmp_path / "a.csv").write_text(agenda(40))
    done = subprocess.run([sys.executable, "-c", KILLED, str(tmp_path / "data"), str(tmp_path / "a.csv")],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "after three chunks" in done.stdout
    assert count_stored(tmp_path / "data") == 1
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        assert chain.verify(runtime.log, runtime.fresh()).ok
        assert runtime.db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    finally:
        runtime.close()
    # The write lock went with the process: the same file imports whole now.
    result = iku("import", str(tmp_path / "a.csv"))
    assert result.exit_code == 0, result.output
    assert count_stored(tmp_path / "data") == 121
    sound(tmp_path / "data")


def test_a_file_changed_between_the_two_readings_is_refused_whole(tmp_path, monkeypatch, small_chunks):
    """The first pass saw AG-00001's last line at 6; the second finds it named again further on (as if the
    file grew meanwhile): nothing is stored, and the reader is told to import again."""
    (tmp_path / "a.csv").write_text(agenda(30) + "AG-00001,documented,2020-02-02T10:00,,,,foto,ARSIP/1,\n")
    first_pass = csvimport._last_lines

    def seen_before_the_change(data, encoding, choose):
        last = first_pass(data, encoding, choose)
        last["AG-00001"] = 7
        return last

    monkeypatch.setattr(csvimport, "_last_lines", seen_before_the_change)
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        result, recorded = csvimport.store_file(runtime, tmp_path / "a.csv", "siti")
        assert recorded is None
        assert [error.message("en") for error in result.errors] == [
            "line 92: the file changed while it was being imported; import it again"]
        assert runtime.log.recorder.max_notification_id() is None
    finally:
        runtime.close()
