"""`iku import`: the sample file, and every kind of bad file rejected whole with its line named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iku.cli import cli

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-agenda.csv"  # a copy of shared/sample-agenda.csv
HEADER = "activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
GOOD = (
    HEADER
    + "AG-9-0001,scheduled,2020-05-04T08:00,Apel,walikota,Balai Kota,,,\n"
    + "AG-9-0001,held,2020-05-04T08:00,,,,,,\n"
)


@pytest.fixture
def iku(tmp_path):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), *args])

    return run


def write(tmp_path, text: str | bytes, name="file.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def report_json(iku, period="2020") -> dict:
    result = iku("report", period, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sample_agenda_imports_and_reports_q1(iku):
    result = iku("import", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert "16" in result.stdout
    indicators = report_json(iku, "2020-Q1")["indicators"]
    assert [(i["numerator"], i["denominator"], i["percent"]) for i in indicators] == [
        (2, 3, 66.67), (2, 3, 66.67), (1, 3, 33.33),
    ]
    assert [i["denominator"] for i in report_json(iku, "2020-Q2")["indicators"]] == [0, 0, 0]


def test_import_summary_says_what_was_stored(iku, tmp_path):
    result = iku("import", write(tmp_path, GOOD), "--actor", "siti")
    assert result.exit_code == 0
    assert "2 peristiwa" in result.stdout and "1 kegiatan" in result.stdout
    trail = iku("trail", "AG-9-0001", "--format", "json")
    assert {e["actor"] for e in json.loads(trail.stdout)["events"]} == {"siti"}


BAD_FILES = {
    "bad date": (GOOD + "AG-9-0002,scheduled,2020-02-30T08:00,Rapat,sekda,Aula,,,\n", 4, "2020-02-30"),
    "unknown event": (GOOD + "AG-9-0001,rapat,2020-05-04T09:00,,,,,,\n", 4, "rapat"),
    "unknown leader": (GOOD + "AG-9-0002,scheduled,2020-05-05T08:00,Rapat,bupati,Aula,,,\n", 4, "bupati"),
    "publish before held": (
        GOOD + "AG-9-0002,scheduled,2020-05-05T08:00,Rapat,sekda,Aula,,,\n"
        + "AG-9-0002,published,2020-05-05T10:00,,,,website,https://x,\n", 5, "belum terlaksana"),
    "cancel after held": (GOOD + "AG-9-0001,cancelled,2020-05-04T09:00,,,,,,hujan\n", 4, "sudah terlaksana"),
    "withdraw without reason": (GOOD + "AG-9-0001,withdrawn,2020-05-04T09:00,,,,held,,\n", 4, "alasan"),
    "second scheduled": (GOOD + "AG-9-0001,scheduled,2020-05-04T08:00,Apel,walikota,Balai,,,\n", 4,
                         "sudah dijadwalkan"),
    "held twice": (GOOD + "AG-9-0001,held,2020-05-04T08:00,,,,,,\n", 4, "sudah tercatat terlaksana"),
    "too few fields": (GOOD + "AG-9-0001,held,2020-05-04T08:00\n", 4, "3 kolom"),
    "missing column": ("activity,event,title\nAG-9-0001,scheduled,Apel\n", 1, "occurred_at"),
    "unknown column": (HEADER.strip() + ",extra\n", 1, "extra"),
    "empty file": ("", 1, "kosong"),
    "unscheduled activity": (GOOD + "AG-9-0404,held,2020-05-04T08:00,,,,,,\n", 4, "belum dijadwalkan"),
    "quoted newline keeps physical lines": (
        HEADER + 'AG-9-0002,scheduled,2020-05-05T08:00,"Rapat\nbesar",sekda,Aula,,,\n'
        + "AG-9-0002,held,2020-02-30,,,,,,\n", 4, "2020-02-30"),
}


@pytest.mark.parametrize("content,line,needle", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_row_rejects_the_whole_file_and_names_its_line(iku, tmp_path, content, line, needle):
    assert iku("import", write(tmp_path, GOOD.replace("AG-9-0001", "AG-8-0001"), "before.csv")).exit_code == 0
    before = report_json(iku)
    result = iku("import", write(tmp_path, content))
    assert result.exit_code != 0
    assert f"line {line}: " in result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.output
    assert report_json(iku) == before
    assert iku("trail", "AG-9-0001").exit_code != 0  # the good rows of the bad file were not stored either


def test_wrong_encoding_is_rejected_with_its_line(iku, tmp_path):
    content = (GOOD + "AG-9-0002,scheduled,2020-05-05T08:00,Rapat Ã,sekda,Aula,,,\n").encode("utf-8")
    content = content.replace("Ã".encode(), b"\xe9")  # latin-1 e-acute: not UTF-8
    result = iku("import", write(tmp_path, content))
    assert result.exit_code != 0
    assert "line 4: " in result.stderr and "UTF-8" in result.stderr
    assert report_json(iku)["indicators"][0]["denominator"] == 0


def test_every_error_of_a_file_is_listed(iku, tmp_path):
    content = GOOD + "AG-9-0001,held,2020-05-04T08:00,,,,,,\nAG-9-0003,published,2020-05-04,,,,web,x,\n"
    result = iku("import", write(tmp_path, content))
    assert "line 4: " in result.stderr and "line 5: " in result.stderr


def test_english_messages_on_request(iku, tmp_path):
    result = iku("--lang", "en", "import", write(tmp_path, GOOD + "AG-9-0001,held,2020-05-04,,,,,,\n"))
    assert "line 4: activity AG-9-0001 is already recorded as held" in result.stderr
    assert "nothing stored" in result.stderr


def test_a_byte_order_mark_and_blank_lines_are_accepted(iku, tmp_path):
    content = "\ufeff" + GOOD + "\n,,,,,,,,\n"
    assert iku("import", write(tmp_path, content)).exit_code == 0
    assert report_json(iku)["indicators"][0]["denominator"] == 1
