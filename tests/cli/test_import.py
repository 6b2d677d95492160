"""`iku import`: the sample file, and every kind of bad file rejected whole with its line named."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from domain.activity import EVENT_KINDS
from domain.times import WIB
from services import importrows
from services.csvimport import COLUMNS
from services.runtime import Runtime
from tests.conftest import assert_data_dir_sound

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-agenda.csv"  # a copy of shared/sample-agenda.csv
HEADER = "activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
GOOD = (
    HEADER
    + "AG-9-0001,scheduled,2020-05-04T08:00,Apel,walikota,Balai Kota,,,\n"
    + "AG-9-0001,held,2020-05-04T08:00,,,,,,\n"
)


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


# --- Excel's files: XLSX, `;`-separated CSV, byte-order marks, other encodings -------------------------------


def xlsx_bytes(rows: list[list[object]], title: str = "Agenda") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.create_sheet("Catatan").append(["activity", "event"])  # only the first sheet is read
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored_events(tmp_path) -> int:
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        return runtime.follower.head()
    finally:
        runtime.close()


def test_xlsx_first_sheet_imports_with_dates_numbers_and_sheet_rows(iku, tmp_path):
    rows = [
        ["activity", "event", "occurred_at", "title", "leaders", "location", "channel", "reference", "note"],
        [1234, "scheduled", datetime(2020, 5, 4, 8, 0), "Apel", "walikota", "Balai Kota"],
        [1234, "held", datetime(2020, 5, 4, 7, 59, 59, 999_999)],  # Excel's 08:00 read back a hair early
        [None],
        [1234, "published", date(2020, 5, 5), None, None, None, "website", 42.0],
    ]
    result = iku("import", write(tmp_path, xlsx_bytes(rows), "agenda.bin"), "--actor", "siti")
    assert result.exit_code == 0, result.output
    assert "3 peristiwa" in result.stdout
    events = json.loads(iku("trail", "1234", "--format", "json").stdout)["events"]
    assert [e["kind"] for e in events] == ["scheduled", "held", "published"]
    assert datetime.fromisoformat(events[1]["occurred_at"]) == datetime(2020, 5, 4, 8, tzinfo=WIB)
    assert events[2]["evidence_ref"] == "42"


def test_xlsx_errors_name_the_sheet_row_and_store_nothing(iku, tmp_path):
    rows = [["activity", "event", "occurred_at", "title", "leaders"],
            ["AG-X-1", "scheduled", datetime(2020, 5, 4, 8), "Apel", "walikota"],
            [], [],
            ["AG-X-1", "held", "kemarin"],
            ["AG-X-1", "held", 43955.5]]  # a date-time cell that lost its date format
    result = iku("import", write(tmp_path, xlsx_bytes(rows), "agenda.xlsx"))
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("line 5: ") and lines[1].startswith("line 6: ") and "angka" in lines[1]
    assert stored_events(tmp_path) == 0


def test_an_xlsx_that_unpacks_too_large_is_refused(iku, tmp_path, monkeypatch):
    monkeypatch.setattr(importrows, "MAX_UNPACKED_BYTES", 1000)
    result = iku("import", write(tmp_path, xlsx_bytes([["activity", "event", "occurred_at"]])))
    assert result.exit_code != 0 and "line 1: berkas XLSX terlalu besar setelah dibuka" in result.stderr


def test_semicolon_csv_as_excel_saves_it_is_read(iku, tmp_path):
    content = ("\ufeff" + GOOD.replace(",", ";").replace("\n", "\r\n")
               + 'AG-9-0002;scheduled;2020-05-05T08:00;"Rapat; pleno";"walikota;sekda";Aula;;;\r\n')
    result = iku("import", write(tmp_path, content))
    assert result.exit_code == 0, result.output
    trail = json.loads(iku("trail", "AG-9-0002", "--format", "json").stdout)
    assert trail["activity"]["leaders"] == ["walikota", "sekda"]


def test_windows_1252_is_refused_by_name_and_read_when_chosen(iku, tmp_path):
    content = GOOD.replace("Apel", "Apel café").replace(",", ";").encode("cp1252")
    path = write(tmp_path, content)
    refused = iku("import", path)
    assert refused.exit_code != 0
    assert refused.stderr.splitlines()[0] == (
        "line 2: berkas bukan UTF-8; tampaknya Windows-1252 (Excel 'CSV'); simpan sebagai 'CSV UTF-8' atau pilih "
        "--encoding cp1252")
    assert stored_events(tmp_path) == 0
    accepted = iku("import", path, "--encoding", "cp1252")
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(iku("trail", "AG-9-0001", "--format", "json").stdout)["activity"]["title"] == "Apel café"


def test_an_unknown_encoding_is_a_usage_error(iku, tmp_path):
    result = iku("--lang", "en", "import", write(tmp_path, GOOD), "--encoding", "klingon")
    assert result.exit_code == 2 and "unknown encoding: klingon" in result.stderr


def test_utf16_with_its_mark_is_read(iku, tmp_path):
    assert iku("import", write(tmp_path, GOOD.replace(",", "\t").encode("utf-16"))).exit_code == 0


def test_a_bad_last_row_of_an_excel_csv_stores_nothing(iku, tmp_path):
    content = "\ufeff" + (GOOD + "AG-9-0001,published,31/05/2020 10.00,,,,website,https://x,\n").replace(",", ";")
    result = iku("import", write(tmp_path, content))
    assert result.exit_code != 0
    assert "line 4: " in result.stderr and "Excel" in result.stderr
    assert stored_events(tmp_path) == 0


# --- Fuzz: whatever the file holds, one clear line per error or the whole file stored -------------------------

ERROR_LINE = re.compile(r"^(line \d+: |iku: )\S[^\n]{0,500}$")
KINDS = st.sampled_from([*EVENT_KINDS, "Held", "rapat", ""])
WHEN = st.one_of(st.sampled_from(["2020-05-04T08:00", "2020-05-04", "2020-05-04T01:00Z", "31/05/2020", "",
                                  "2020-02-30", "9999-12-31T23:59", "0001-01-01"]), st.text(max_size=30))
CELL = st.one_of(st.text(max_size=40), st.sampled_from(["walikota", "walikota;sekda", "website", "x" * 140_000]))
ROW = st.tuples(st.sampled_from(["AG-F-1", "AG-F-2", "", " AG F ", "1234"]), KINDS, WHEN, CELL, CELL, CELL, CELL,
                CELL, CELL).map(list)
WIDE_ROW = st.lists(st.text(max_size=5), min_size=200, max_size=400)


_FRESH = itertools.count()


@st.composite
def good_rows_with_one_change(draw) -> list[list[str]]:
    """A valid history of a few activities, one cell of it perhaps changed into anything."""
    prefix = f"AG-F{next(_FRESH)}"  # not drawn: a shrunk example must not collide with one stored before
    rows = []
    for n in range(draw(st.integers(1, 3))):
        rows += [[f"{prefix}-{n}", "scheduled", "2020-05-04T08:00", "Apel", "walikota", "Aula", "", "", ""],
                 [f"{prefix}-{n}", "held", "2020-05-04T08:30", "", "", "", "", "", ""],
                 [f"{prefix}-{n}", "published", "2020-05-04T10:00", "", "", "", "website", "https://x", ""]]
    if draw(st.booleans()):
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(COLUMNS) - 1))
        rows[row][column] = draw(CELL)
    return rows


@st.composite
def files(draw) -> tuple[bytes, list[str]]:
    if draw(st.sampled_from([True, True, True, False])):
        header = list(COLUMNS)
    else:
        header = draw(st.lists(st.sampled_from([*COLUMNS, "x", ""]), max_size=12))
    rows = draw(st.one_of(st.lists(st.one_of(ROW, WIDE_ROW), max_size=8), good_rows_with_one_change()))
    form = draw(st.sampled_from(["bytes", "csv", "xlsx"]))
    if form == "bytes":
        return draw(st.binary(max_size=3000)), []
    if form == "xlsx":
        def clean(value):
            return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]
        return xlsx_bytes([[clean(v) for v in header], *[[clean(v) for v in row] for row in rows]]), []
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    options = draw(st.sampled_from([[], ["--encoding", "cp1252"], ["--encoding", "latin-1"], ["--encoding", "utf-8"]]))
    return out.getvalue().encode(encoding, errors="replace"), options


@settings(max_examples=int(os.environ.get("IKU_FUZZ_EXAMPLES", 60)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(drawn=files())
def test_any_file_gets_clear_one_line_errors_or_is_stored_whole(iku, tmp_path, drawn):
    content, options = drawn
    path = write(tmp_path, content, "fuzz.dat")
    before = stored_events(tmp_path)
    result = iku("import", path, *options)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    after = stored_events(tmp_path)
    event("stored" if result.exit_code == 0 else "refused")
    if result.exit_code == 0:
        stored = int(re.search(r"tersimpan ([\d.]+) peristiwa", result.stdout).group(1).replace(".", ""))
        assert after - before == stored
    else:
        lines = result.stderr.splitlines()
        assert lines and lines[-1].startswith("iku: ")
        assert all(ERROR_LINE.match(line) for line in lines), lines
        assert after == before
    opened = Runtime(tmp_path / "data", database_url="")
    try:
        assert_data_dir_sound(opened)  # verifies against its chain, rebuilds to the same read model
    finally:
        opened.close()
