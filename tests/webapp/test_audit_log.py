"""Jejak audit: newest first (oldest on request) with keyset paging both ways, every kind of event described
without None, reversed ranges refused, and the same rows as CSV and XLSX with times in WIB."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from domain.times import UTC, WIB, parse_instant
from projections import chain
from services import accounts
from tests.conftest import SteppingClock, open_runtime
from tests.webapp.conftest import PASSWORD, login, soup
from webapp import create_app

T = parse_instant
KINDS = ("scheduled", "rescheduled", "held", "cancelled", "published", "documented", "protocol_served",
         "withdrawn", "attached")


@pytest.fixture
def runtime(tmp_path):
    """Every kind of event, recorded a minute apart from 26 November 2026, 18:00 UTC (01:00 WIB on the 27th)."""
    clock = SteppingClock(start=datetime(2026, 11, 26, 18, 0, tzinfo=UTC))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as opened:
        for role in ("operator", "auditor", "admin"):
            accounts.add_user(opened, role, role, PASSWORD, actor="setup")
        record = opened.record
        record("scheduled", "AG-2026-01466", title="Rakor forkopimda", leaders=["walikota"], location="",
               occurred_at=T("2026-11-27T00:30"), actor="siti")
        record("rescheduled", "AG-2026-01466", title="", leaders=[], location="",
               occurred_at=T("2026-11-27T00:30"), actor="siti")
        record("held", "AG-2026-01466", occurred_at=T("2026-11-27T00:30"), actor="siti")
        record("published", "AG-2026-01466", occurred_at=T("2026-11-27T00:40"), channel="website",
               evidence_ref="=HYPERLINK(\"http://x\")", actor="siti")
        record("documented", "AG-2026-01466", occurred_at=T("2026-11-27T00:45"), channel="foto",
               evidence_ref="ARSIP/1", actor="budi")
        record("protocol_served", "AG-2026-01466", occurred_at=T("2026-11-27T00:30"), channel="Subbag Protokol",
               evidence_ref="", actor="budi")
        batch = opened.batch()
        batch.attach("AG-2026-01466", "documented", sha256="ab" * 32, name="foto.jpg", size=10,
                     media_type="image/jpeg", occurred_at=T("2026-11-27T00:50"), actor="budi")
        opened.commit(batch)
        record("withdrawn", "AG-2026-01466", withdrawn_kind="published", evidence_ref="", reason="tautan salah",
               occurred_at=T("2026-11-27T00:55"), actor="auditor")
        record("scheduled", "AG-2026-01467", title="Kunjungan kerja", leaders=["sekda"], location="Kecamatan",
               occurred_at=T("2026-11-20T09:00"), actor="siti")
        record("cancelled", "AG-2026-01467", reason="hujan", occurred_at=T("2026-11-20T08:00"), actor="siti")
        yield opened


@pytest.fixture
def client(runtime):
    return create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()


@pytest.fixture
def auditor(client):
    return login(client, "auditor")


def positions(page) -> list[int]:
    return [int(row.select_one("td").text) for row in page.select("table.audit tbody tr")]


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def xlsx_rows(response) -> tuple[list[str], list[list]]:
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = response.data
    response.close()  # lets the temporary file go, as a server does once it has sent the file
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_event_is_described_without_none(auditor, kind):
    page = soup(auditor.get("/jejak-audit", query_string={"jenis": kind}))
    rows = page.select("table.audit tbody tr")
    assert rows
    for row in rows:
        text = row.get_text(" ", strip=True)
        for word in ("None", "null", "[]", "{}"):
            assert word not in text
    lines = csv_rows(auditor.get("/jejak-audit.csv", query_string={"jenis": kind}))
    assert len(lines) == len(rows)
    assert not any(value in ("None", "null", "[]") for line in lines for value in line.values())
    _header, cells = xlsx_rows(auditor.get("/jejak-audit.xlsx", query_string={"jenis": kind}))
    assert not any(value in ("None", "null", "[]") for line in cells for value in line)


def test_scheduled_and_held_rows_read_as_their_title_only(auditor):
    page = soup(auditor.get("/jejak-audit", query_string={"kegiatan": "AG-2026-01466", "jenis": "scheduled"}))
    assert page.select_one("table.audit td.what").get_text(" ", strip=True) == "Rakor forkopimda"
    page = soup(auditor.get("/jejak-audit", query_string={"kegiatan": "AG-2026-01466", "jenis": "held"}))
    assert page.select_one("table.audit td.what").get_text(" ", strip=True) == ""


@pytest.mark.parametrize(("kind", "what"), [
    ("withdrawn", "dipublikasikan: tautan salah"),
    ("attached", "didokumentasikan: foto.jpg (sha256 abababababab…)"),
    ("documented", "foto · ARSIP/1"),
])
def test_a_row_reads_as_what_it_is_about(auditor, kind, what):
    page = soup(auditor.get("/jejak-audit", query_string={"kegiatan": "AG-2026-01466", "jenis": kind}))
    assert page.select_one("table.audit td.what").get_text(" ", strip=True) == what


def test_the_trail_names_the_kind_a_withdrawal_took_back(auditor):
    page = soup(auditor.get("/kegiatan/AG-2026-01466"))
    texts = [" ".join(item.get_text(" ", strip=True).split()) for item in page.select("p")]
    assert any(text.startswith("Menarik dipublikasikan #") for text in texts)


def test_the_files_give_each_meaning_its_own_column(auditor):
    lines = {line["kind"]: line for line in csv_rows(auditor.get("/jejak-audit.csv"))}
    assert {key: lines["withdrawn"][key] for key in ("channel", "fact_kind", "sha256")} == \
        {"channel": "", "fact_kind": "published", "sha256": ""}
    assert {key: lines["attached"][key] for key in ("channel", "evidence_ref", "fact_kind", "sha256")} == \
        {"channel": "", "evidence_ref": "", "fact_kind": "documented", "sha256": "ab" * 32}
    assert (lines["documented"]["channel"], lines["documented"]["evidence_ref"]) == ("foto", "ARSIP/1")


def test_log_opens_on_the_newest_event_and_oldest_first_on_request(auditor, runtime):
    head = chain.head(runtime.fresh()).position
    newest = positions(soup(auditor.get("/jejak-audit")))
    assert newest[0] == head and newest == sorted(newest, reverse=True)
    page = soup(auditor.get("/jejak-audit?urutan=terlama"))
    oldest = positions(page)
    everything = [int(r["position"]) for r in csv_rows(auditor.get("/jejak-audit.csv"))]
    assert oldest == sorted(oldest) and oldest[0] == min(everything)
    assert page.select_one("select#urutan option[selected]")["value"] == "terlama"


@pytest.mark.parametrize("order", ["terbaru", "terlama"])
def test_keyset_paging_walks_the_whole_log_both_ways(auditor, monkeypatch, order):
    from webapp import audit

    monkeypatch.setattr(audit, "PAGE_SIZE", 4)
    everything = positions(soup(auditor.get(f"/jejak-audit?urutan={order}&jenis=")))[:4]
    seen, pages = [], []
    url = f"/jejak-audit?urutan={order}"
    while url:
        page = soup(auditor.get(url))
        pages.append(page)
        seen += positions(page)
        following = page.select_one("nav.pages a[href*='setelah=']")
        url = following["href"] if following else None
        if url:
            assert f"urutan={order}" in url
    assert seen[:4] == everything
    assert seen == sorted(seen, reverse=order == "terbaru") and len(seen) == len(set(seen))
    assert len(pages) >= 3
    # Back again, page by page, with the "previous" links.
    back = []
    page = pages[-1]
    while (previous := page.select_one("nav.pages a[href*='sebelum=']")) is not None:
        assert f"urutan={order}" in previous["href"]
        page = soup(auditor.get(previous["href"]))
        back.append(positions(page))
    assert back == [positions(p) for p in reversed(pages[:-1])]


def test_paging_links_keep_the_filters(auditor, monkeypatch):
    from webapp import audit

    monkeypatch.setattr(audit, "PAGE_SIZE", 2)
    page = soup(auditor.get("/jejak-audit?pencatat=siti&urutan=terlama"))
    following = page.select_one("nav.pages a[href*='setelah=']")["href"]
    assert "pencatat=siti" in following and "urutan=terlama" in following
    assert following == page.select_one("nav.pages a[href*='setelah=']")["hx-get"]
    links = [a["href"] for a in page.select("p.downloads a")]
    assert [link.split("?")[0] for link in links] == ["/jejak-audit.csv", "/jejak-audit.xlsx"]
    assert all("pencatat=siti" in link and "urutan=terlama" in link for link in links)


def test_a_reversed_recording_range_is_refused_beside_the_field(auditor):
    response = auditor.get("/jejak-audit?dari=2026-11-28&sampai=2026-11-26")
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#sampai")["aria-invalid"] == "true"
    assert "terbalik" in page.select_one("#sampai-error").text and "28 November 2026" in page.select_one("#sampai-error").text
    assert "Tidak ada peristiwa" not in page.get_text()
    assert auditor.get("/jejak-audit.csv?dari=2026-11-28&sampai=2026-11-26").status_code == 400
    assert auditor.get("/jejak-audit.xlsx?dari=2026-11-28&sampai=2026-11-26").status_code == 400
    fragment = auditor.get("/jejak-audit?dari=2026-11-28&sampai=2026-11-26", headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and soup(fragment).select_one("#sampai-error") is not None


def test_an_unknown_kind_or_order_is_refused_beside_the_field(auditor):
    response = auditor.get("/jejak-audit?jenis=meledak&urutan=acak")
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#jenis-error") is not None and page.select_one("#urutan-error") is not None


def test_the_kind_filter_offers_the_kinds_the_log_holds(auditor, runtime):
    from webapp.audit import kind_choices

    offered = [option["value"] for option in soup(auditor.get("/jejak-audit")).select("#jenis option")][1:]
    assert offered == [*KINDS, "account_created"]  # the fixture's accounts are events of the log too
    runtime.log.set_target(2026, "published", "90", reason="PK", actor="admin")
    assert "target_set" in kind_choices(runtime.fresh())  # a kind first recorded later is offered by itself


def test_csv_follows_the_order_and_writes_times_in_wib(auditor):
    newest = csv_rows(auditor.get("/jejak-audit.csv"))
    oldest = csv_rows(auditor.get("/jejak-audit.csv?urutan=terlama"))
    assert [r["position"] for r in newest] == [r["position"] for r in reversed(oldest)]
    held = next(r for r in oldest if r["kind"] == "held")
    # Held at 00:30 WIB on 27 November (17:30 UTC on the 26th): the file says the 27th.
    assert held["occurred_at"] == "2026-11-27T00:30:00+07:00"
    assert held["recorded_at"].endswith("+07:00") and held["recorded_at_utc"].endswith("Z")
    recorded = datetime.fromisoformat(held["recorded_at"])
    assert recorded == datetime.fromisoformat(held["recorded_at_utc"].replace("Z", "+00:00"))
    withdrawn = next(r for r in oldest if r["kind"] == "published")
    assert withdrawn["withdrawn_at"].endswith("+07:00") and withdrawn["withdrawn_by"] == "auditor"


def test_xlsx_has_the_csv_rows_as_a_table_with_dates_and_text_kept_as_text(auditor):
    rows = csv_rows(auditor.get("/jejak-audit.csv?pencatat=siti&urutan=terlama"))
    response = auditor.get("/jejak-audit.xlsx?pencatat=siti&urutan=terlama")
    header, cells = xlsx_rows(response)  # closes the response; its data stays
    assert header == list(rows[0].keys())
    assert [str(line[0]) for line in cells] == [r["position"] for r in rows]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    [table] = sheet.tables.values()
    assert table.ref == f"A1:{chr(ord('A') + len(header) - 1)}{len(rows) + 1}"
    assert sheet.column_dimensions["I"].width > 20  # the title
    occurred = header.index("occurred_at")
    for line, row in zip(cells, rows, strict=True):
        expected = datetime.fromisoformat(row["occurred_at"]).astimezone(WIB).replace(tzinfo=None)
        assert line[occurred] == expected
        assert line[header.index("seal")] == row["seal"]
    published = next(i for i, r in enumerate(rows) if r["kind"] == "published")
    cell = sheet.cell(row=published + 2, column=header.index("evidence_ref") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"  # a text, never a formula
    assert sheet.cell(row=published + 2, column=occurred + 1).is_date


def test_the_xlsx_of_an_empty_selection_is_a_table_with_its_header(auditor):
    header, cells = xlsx_rows(auditor.get("/jejak-audit.xlsx?pencatat=nobody"))
    assert header[0] == "position" and all(value is None for line in cells for value in line)


def test_log_pages_and_files_carry_the_same_seal(auditor, runtime):
    seal = str(chain.head(runtime.fresh()))
    assert {r["seal"] for r in csv_rows(auditor.get("/jejak-audit.csv"))} == {seal}
    header, cells = xlsx_rows(auditor.get("/jejak-audit.xlsx"))
    assert {line[header.index("seal")] for line in cells} == {seal}


def test_newest_first_paging_is_not_shifted_by_an_event_recorded_between_pages(auditor, runtime, monkeypatch):
    from webapp import audit

    monkeypatch.setattr(audit, "PAGE_SIZE", 3)
    first = soup(auditor.get("/jejak-audit"))
    runtime.record("scheduled", "AG-2026-01468", title="Rapat", leaders=["sekda"], location="Aula",
                   occurred_at=T("2026-11-30T09:00"), actor="siti")
    following = soup(auditor.get(first.select_one("nav.pages a[href*='setelah=']")["href"]))
    assert positions(following)[0] == positions(first)[-1] - 1


@pytest.mark.parametrize("url", ["/jejak-audit", "/jejak-audit.csv", "/jejak-audit.xlsx"])
def test_the_log_and_its_files_are_for_logged_in_staff_only(client, url):
    response = client.get(url)
    assert response.status_code in (302, 303) and "/masuk" in response.headers["Location"]
