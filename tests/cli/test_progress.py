"""Progress on long work: an import, a catch-up, a rebuild and a migration tell how far they are (events done of
all), a terminal shows it as a bar with the rate and time left, a pipe gets nothing more than before, and a
node catching up in the background says so in its log."""

from __future__ import annotations

import logging
import os
import pty
import re
import subprocess
import sys
from datetime import timedelta

from click.testing import CliRunner

from cli.main import cli
from projections import catchup
from projections.catchup import LoggedProgress
from services import csvimport
from services.runtime import Runtime
from tests.conftest import SteppingClock, wait_until

HEADER = "activity,event,occurred_at,title,leaders,location,channel,reference,note\n"


def rows(count: int, first: int = 0) -> str:
    return HEADER + "".join(f"AG-{n},scheduled,2020-03-0{1 + n % 9}T09:00,Rapat,sekda,Aula,,,\n"
                            for n in range(first, first + count))


def store(runtime: Runtime, count: int, first: int = 0) -> None:
    batch = runtime.batch()
    result = csvimport.read_into(batch, rows(count, first).encode(), "siti")
    assert result.ok
    batch.commit()  # stored; not yet applied


def assert_told(calls: list[tuple[int, int]], total: int) -> None:
    assert calls and calls[-1] == (total, total)
    assert all(done2 >= done1 for (done1, _), (done2, _) in zip(calls, calls[1:], strict=False))
    assert {t for _, t in calls} == {total}


def test_an_import_tells_the_lines_it_has_read(tmp_path):
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        calls: list[tuple[int, int]] = []
        result = csvimport.read_into(runtime.batch(), rows(2500).encode(), "siti",
                                     progress=lambda done, total: calls.append((done, total)))
        assert result.ok
        assert calls == [(1000, 2502), (2000, 2502), (2502, 2502)]  # 2,501 lines and the last newline
    finally:
        runtime.close()


def test_a_catch_up_and_a_rebuild_tell_the_events_applied(tmp_path):
    runtime = Runtime(tmp_path / "data", database_url="", clock=SteppingClock(step=timedelta(seconds=1)))
    try:
        runtime.follower.batch_size = 7
        store(runtime, 50)
        calls: list[tuple[int, int]] = []
        runtime.follower.catch_up(progress=lambda done, total: calls.append((done, total)))
        assert_told(calls, 50)
        assert len(calls) >= 50 // 7
        store(runtime, 10, first=50)
        later: list[tuple[int, int]] = []
        runtime.follower.catch_up(progress=lambda done, total: later.append((done, total)))
        assert_told(later, 10)  # what this catch-up had to do, not the whole log
        rebuilt: list[tuple[int, int]] = []
        runtime.rebuild(progress=lambda done, total: rebuilt.append((done, total)))
        assert_told(rebuilt, 60)
    finally:
        runtime.close()


def test_a_pipe_gets_no_progress(tmp_path):
    data = tmp_path / "data"
    (tmp_path / "a.csv").write_text(rows(30))
    imported = CliRunner().invoke(cli, ["--data-dir", str(data), "import", str(tmp_path / "a.csv"), "--actor", "siti"])
    assert imported.exit_code == 0 and imported.output.splitlines()[0].startswith("tersimpan 30 peristiwa")
    assert len(imported.output.splitlines()) == 2
    rebuilt = CliRunner().invoke(cli, ["--data-dir", str(data), "rebuild"])
    assert rebuilt.exit_code == 0 and len(rebuilt.output.splitlines()) == 1
    assert rebuilt.output.startswith("30 peristiwa diputar ulang dalam ")


def on_a_terminal(*args: str) -> str:
    """Run `iku ARGS` with its output on a pseudo-terminal; what the terminal shows."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "cli.main", *args], stdin=child, stdout=child, stderr=child,
                               env={**os.environ, "COLUMNS": "120"}, close_fds=True)
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 0, shown.decode(errors="replace")
    return shown.decode(errors="replace")


def test_a_terminal_shows_a_bar_with_events_done(tmp_path):
    data = tmp_path / "data"
    (tmp_path / "a.csv").write_text(rows(3000))
    imported = on_a_terminal("--data-dir", str(data), "import", str(tmp_path / "a.csv"), "--actor", "siti")
    assert "memeriksa dan menyimpan baris" in imported and "3002/3002" in imported and "100%" in imported
    assert "memperbarui tampilan baca" in imported and "3000/3000" in imported
    # the rate, in the reader's way of writing numbers (a thousands dot in Indonesian, a comma in English)
    assert re.search(r"3002/3002 +100% +(\d{1,3}(\.\d{3})*)/s", imported), imported
    rebuilt = on_a_terminal("--data-dir", str(data), "--lang", "en", "rebuild")
    assert "replaying events" in rebuilt and "3000/3000" in rebuilt and "100%" in rebuilt
    assert re.search(r"3000/3000 +100% +(\d{1,3}(,\d{3})*)/s", rebuilt), rebuilt


def test_the_log_tells_a_long_catch_up_every_few_seconds(caplog):
    moments = iter([0.0, 1.0, 6.0, 7.0, 12.5, 13.0])
    told = LoggedProgress(every=5.0, least=100, clock=lambda: next(moments))
    with caplog.at_level(logging.INFO, logger="projections.catchup"):
        for done in (10, 20, 60, 70, 90, 100):
            told(done, 100)
    said = [record.getMessage() for record in caplog.records]
    assert said == [
        "catching up with the event store: 10 of 100 events (10%)",
        "catching up with the event store: 60 of 100 events (60%), 10 events/s, about 4 s left",
        "catching up with the event store: 90 of 100 events (90%), 7 events/s, about 1 s left",
        "catching up with the event store: 100 of 100 events (100%), 8 events/s, about 0 s left",
    ]
    caplog.clear()
    small = LoggedProgress(least=100, clock=lambda: 0.0)
    with caplog.at_level(logging.INFO, logger="projections.catchup"):
        small(5, 99)
    assert not caplog.records


def test_a_node_catching_up_in_the_background_says_so(tmp_path, caplog, monkeypatch):
    runtime = Runtime(tmp_path / "data", database_url="", clock=SteppingClock(step=timedelta(seconds=1)))
    store(runtime, 40)
    runtime.close()
    monkeypatch.setattr(catchup.LoggedProgress, "LEAST", 10)
    node = Runtime(tmp_path / "data", database_url="", catch_up=False)
    try:
        with caplog.at_level(logging.INFO, logger="projections.catchup"):
            node.follow(interval=0.1)
            assert wait_until(lambda: node.follower.position() == 40)
        assert any("catching up with the event store: 40 of 40 events (100%)" in r.getMessage()
                   for r in caplog.records)
    finally:
        node.close()
