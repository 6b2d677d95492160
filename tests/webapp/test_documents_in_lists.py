"""The checklist and the links where activities are listed: the agenda's filter of held activities still missing a
required document and its marks on each row; the drill-down's completeness figure (checked against a plain
recount of a small history) and its dead-link marks; the integrity page's links per year."""

from __future__ import annotations

import pytest

from domain.times import parse_instant
from tests.webapp.conftest import login, soup
from tests.webapp.evidence_history import PAGE, PNG, attach, check_link, not_applicable
from webapp import agenda

YEAR = "dari=2020-01-01&sampai=2020-12-31"
REQUIRED = {"walikota": {"undangan", "surat_tugas", "naskah_sambutan", "foto", "laporan"},
            "wakil_walikota": {"undangan", "surat_tugas", "naskah_sambutan", "foto", "laporan"},
            "sekda": {"undangan", "surat_tugas", "foto", "laporan", "notulen"}}


def schedule(runtime, reference: str, leader: str, when: str, held: bool = True) -> None:
    runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=[leader], location="Aula",
                   occurred_at=parse_instant(when), actor="siti")
    if held:
        runtime.record("held", reference, occurred_at=parse_instant(when), actor="siti")


def listed(page) -> list[str]:
    return [row["id"].removeprefix("row-") for row in page.select("table.agenda tbody tr")]


def test_the_filter_lists_only_held_activities_still_missing_a_required_document(operator, runtime):
    for code in ("undangan", "surat_tugas", "foto", "laporan"):
        attach(runtime, "AG-2020-0002", code, PNG, f"{code}.png")
    not_applicable(runtime, "AG-2020-0002", "naskah_sambutan")
    assert listed(soup(operator.get(f"/agenda?{YEAR}"))) == ["AG-2020-0002", "AG-2020-0003", "AG-2020-0001"]
    page = soup(operator.get(f"/agenda?{YEAR}&dokumen=belum"))
    assert listed(page) == ["AG-2020-0001"]
    assert page.select_one("#dokumen option[selected]")["value"] == "belum"
    fragment = soup(operator.get(f"/agenda?{YEAR}&dokumen=belum", headers={"HX-Request": "true"}))
    assert listed(fragment) == ["AG-2020-0001"]


def test_each_held_row_missing_documents_says_how_many(operator, runtime):
    attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    page = soup(operator.get(f"/agenda?{YEAR}"))
    mark = page.select_one("#row-AG-2020-0001 .missing-docs a")
    assert mark.text == "4 dokumen belum ada" and mark["href"] == "/kegiatan/AG-2020-0001#dokumen"
    assert page.select_one("#row-AG-2020-0002 .missing-docs").text.strip() == "5 dokumen belum ada"
    assert page.select_one("#row-AG-2020-0003 .missing-docs") is None, "not held: nothing is missing yet"


def test_a_row_whose_publication_link_is_dead_says_since_when_with_its_archived_copy(operator, runtime):
    archive = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    assert soup(operator.get(f"/agenda?{YEAR}")).select_one("#row-AG-2020-0001 .dead-link") is None
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=404)
    mark = soup(operator.get(f"/agenda?{YEAR}")).select_one("#row-AG-2020-0001 .dead-link")
    assert "tautan tidak dapat dibuka sejak 3 Maret 2021" in mark.text
    assert mark.select_one("a")["href"] == f"/arsip/{archive}"


def test_a_withdrawn_publication_s_dead_link_is_not_marked(operator, runtime):
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=404)
    runtime.record("withdrawn", "AG-2020-0001", withdrawn_kind="published", evidence_ref="https://example.go.id/1",
                   reason="salah tautan", occurred_at=parse_instant("2021-03-04T10:00"), actor="siti")
    assert soup(operator.get(f"/agenda?{YEAR}")).select_one("#row-AG-2020-0001 .dead-link") is None


def test_the_filter_pages_through_its_own_rows(operator, runtime, monkeypatch):
    monkeypatch.setattr(agenda, "PAGE_SIZE", 1)
    schedule(runtime, "AG-2020-0010", "sekda", "2020-05-05T09:00")
    first = soup(operator.get(f"/agenda?{YEAR}&dokumen=belum"))
    assert listed(first) == ["AG-2020-0002"]
    following = first.select_one("#agenda-list a[href*=mulai]")["href"]
    assert "dokumen=belum" in following
    second = soup(operator.get(following))
    assert listed(second) == ["AG-2020-0001"]
    assert listed(soup(operator.get(f"/agenda?{YEAR}&dokumen=belum&mulai=2"))) == ["AG-2020-0010"]
    assert listed(soup(operator.get(f"/agenda?{YEAR}&dokumen=belum&mulai=3"))) == []


@pytest.mark.parametrize("value", ["", "semua", "BELUM", "belum ", "\x00"])
def test_any_other_value_of_the_filter_lists_everything(operator, value):
    query = {"dari": "2020-01-01", "sampai": "2020-12-31", "dokumen": value}
    assert len(listed(soup(operator.get("/agenda", query_string=query)))) == 3


# The drill-down: a small history whose completeness is recounted by hand.

#: reference, leader, held on (None: not held), valid kinds kept (a file or a not-applicable mark)
HISTORY = [
    ("AG-2020-0001", "walikota", "2020-03-31T23:30", {"undangan", "foto", "naskah_sambutan"}),
    ("AG-2020-0002", "walikota", "2020-02-03T09:00", {"laporan"}),
    ("AG-2020-0010", "sekda", "2020-03-05T09:00", {"undangan", "surat_tugas", "foto", "laporan"}),
    ("AG-2020-0011", "sekda", None, {"undangan"}),
    ("AG-2020-0012", "wakil_walikota", "2020-05-05T09:00", {"undangan", "surat_tugas", "naskah_sambutan",
                                                             "foto", "laporan"}),
]


@pytest.fixture
def documented(runtime):
    """HISTORY, with a kind required of the Sekda's activities added, a withdrawn file and an optional one."""
    runtime.applied(runtime.log.define_document_kind("notulen", "Notulen rapat", "sekda", reason="SOP",
                                                     actor="admin"))
    schedule(runtime, "AG-2020-0010", "sekda", "2020-03-05T09:00")
    schedule(runtime, "AG-2020-0011", "sekda", "2020-03-06T09:00", held=False)
    schedule(runtime, "AG-2020-0012", "wakil_walikota", "2020-05-05T09:00")
    for reference, _, _, kept in HISTORY:
        for code in sorted(kept):
            if code == "naskah_sambutan" and reference == "AG-2020-0001":
                not_applicable(runtime, reference, code)
            else:
                attach(runtime, reference, code, PNG + reference.encode() + code.encode(), f"{code}.png")
    sha = attach(runtime, "AG-2020-0002", "foto", PNG + b"salah", "salah.png")
    runtime.record("withdrawn", "AG-2020-0002", withdrawn_kind="document", evidence_ref=f"foto:{sha}",
                   reason="foto kegiatan lain", occurred_at=parse_instant("2020-04-03T09:00"), actor="siti")
    attach(runtime, "AG-2020-0002", "video", PNG + b"video", "video.png")  # optional: counts for nothing
    return runtime


def recount(start: str, end: str) -> tuple[int, int, int, int]:
    """(complete, required, complete activities, activities) of the activities held in [start, end]."""
    complete = required = whole = held = 0
    for _, leader, held_on, kept in HISTORY:
        if held_on is None or not start <= held_on[:10] <= end:
            continue
        needed = REQUIRED[leader]
        held += 1
        required += len(needed)
        complete += len(needed & kept)
        whole += needed <= kept
    return complete, required, whole, held


@pytest.mark.parametrize("period,start,end", [("2020-Q1", "2020-01-01", "2020-03-31"),
                                              ("2020", "2020-01-01", "2020-12-31"),
                                              ("2020-Q2", "2020-04-01", "2020-06-30")])
def test_the_drilldown_shows_the_period_s_document_completeness(client, documented, period, start, end):
    login(client, "auditor")
    complete, required, whole, held = recount(start, end)
    text = " ".join(soup(client.get(f"/indikator/published?periode={period}")).select_one(
        "#drilldown-completeness").text.split())
    percent = f"{100 * complete / required:.2f}".replace(".", ",")
    assert text.startswith(f"Kelengkapan data dukung: {complete}/{required} = {percent}%"), text
    assert f"({whole} dari {held} kegiatan terlaksana memiliki semua dokumen wajib)" in text
    if period == "2020-Q1":
        assert (complete, required) == (8, 15)


def test_a_period_with_nothing_required_is_not_applicable(client, documented):
    login(client, "auditor")
    text = soup(client.get("/indikator/published?periode=2019")).select_one("#drilldown-completeness").text
    assert "Kelengkapan data dukung: 0/0 = n/a" in text


def test_the_drilldown_in_english(client, documented):
    login(client, "auditor")
    client.post("/bahasa/en", data={"next": "/"})
    text = soup(client.get("/indikator/published?periode=2020-Q1")).select_one("#drilldown-completeness").text
    assert "Supporting documents complete: 8/15 = 53.33%" in text


def test_the_drilldown_marks_an_activity_whose_publication_link_is_dead(client, runtime):
    archive = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=410)
    login(client, "auditor")
    page = soup(client.get("/indikator/published?periode=2020-Q1"))
    counted = page.select_one("ul.activities.counted li")
    assert "AG-2020-0001" in counted.text
    mark = counted.select_one(".dead-link")
    assert "tautan tidak dapat dibuka sejak 3 Maret 2021" in mark.text and mark.select_one("a")["href"] == f"/arsip/{archive}"
    assert page.select_one("ul.activities.missing .dead-link") is None


# Integritas: the links per year.

def test_the_integrity_page_counts_live_dead_and_unchecked_links_per_year(client, runtime):
    schedule(runtime, "AG-2021-0001", "sekda", "2021-02-01T09:00")
    schedule(runtime, "AG-2021-0002", "sekda", "2021-02-02T09:00")
    for reference, url in (("AG-2021-0001", "https://example.go.id/a"), ("AG-2021-0001", "https://example.go.id/b"),
                           ("AG-2021-0002", "http://example.go.id/c"), ("AG-2021-0002", "arsip koran 2/2/2021")):
        runtime.record("published", reference, channel="website", evidence_ref=url, actor="siti",
                       occurred_at=parse_instant("2021-02-03T09:00"))
    check_link(runtime, "AG-2021-0001", "https://example.go.id/a", "2021-03-01T10:00", page=PAGE)
    check_link(runtime, "AG-2021-0001", "https://example.go.id/b", "2021-03-01T10:00", status=500)
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-01T10:00", error="dns", status=0)
    login(client, "auditor")
    page = soup(client.get("/integritas"))
    counts = {row["id"]: [cell.text for cell in row.select("td")] for row in page.select("table.link-counts tbody tr")}
    assert counts == {"links-2020": ["0", "1", "0"], "links-2021": ["1", "1", "1"]}
    help_text = page.select_one(".link-help").text
    assert "iku links check" in help_text and "IKU_LINKCHECK_INTERVAL" in help_text


def test_the_integrity_page_without_links_says_so(client, runtime):
    runtime.record("withdrawn", "AG-2020-0001", withdrawn_kind="published", evidence_ref="https://example.go.id/1",
                   reason="salah", occurred_at=parse_instant("2020-04-02T09:00"), actor="siti")
    login(client, "admin")
    page = soup(client.get("/integritas"))
    assert page.select_one("#links-none") is not None and page.select_one("table.link-counts") is None
